"""Celery task of coach-xblock: how Open edX sends notifications (USE_CELERY)."""
from celery import shared_task

from . import notifications, workflow


@shared_task(name=notifications.DELIVER_TASK, ignore_result=True)
def deliver_notifications():
    """Send every delivery that is due now; queued on the commit of each change that wrote some."""
    return notifications.deliver_due()


@shared_task(name="coach_xblock.run_timers", ignore_result=True)
def run_timers():
    """Escalate overdue requests, nudge silent learners, close abandoned requests, then deliver."""
    counts = workflow.run_timers()
    notifications.deliver_due()
    return counts
