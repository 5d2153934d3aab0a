"""Stand-ins of edx-platform's lms/envs/production.py and devstack.py, which Tutor's settings star-import."""
