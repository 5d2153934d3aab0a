"""Stand-in for edx-platform's openedx/core/djangoapps/user_api/accounts/signals.py.

The LMS's retirement steps send them (see `views` beside this module): USER_RETIRE_LMS_MISC and
USER_RETIRE_MAILINGS from the "retire_misc" step, USER_RETIRE_LMS_CRITICAL from the "retire" step.
"""
import django.dispatch

USER_RETIRE_MAILINGS = django.dispatch.Signal()
USER_RETIRE_LMS_CRITICAL = django.dispatch.Signal()
USER_RETIRE_LMS_MISC = django.dispatch.Signal()
