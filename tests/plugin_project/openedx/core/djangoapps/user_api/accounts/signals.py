"""Stand-in for edx-platform's openedx/core/djangoapps/user_api/accounts/signals.py.

The LMS sends USER_RETIRE_LMS_CRITICAL with `user=` while it retires a user's account.
"""
import django.dispatch

USER_RETIRE_LMS_CRITICAL = django.dispatch.Signal()
