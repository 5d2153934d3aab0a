"""Stand-ins of edx-platform's cms/envs/production.py and devstack.py, which Tutor's settings star-import."""
