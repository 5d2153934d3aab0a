"""Development tools of coach-xblock, never installed: the workbench's settings and URLs, and the
`coach_benchmark` command of this Django app, which only the workbench settings install.

Put `dev/` on PYTHONPATH (the Makefile and pytest do) and use the settings
`coach_dev.workbench_settings`; an Open edX LMS or Studio has neither this app nor its command.
"""
