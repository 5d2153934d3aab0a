"""Celery tasks of coach-xblock: how Open edX sends notifications and makes reports (USE_CELERY)."""
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


@shared_task(name=workflow.reports.MAKE_REPORT_TASK, ignore_result=True)
def make_report(report_id):
    """Make the report a coach asked for; queued on the commit of the ask."""
    workflow.make_report(report_id)


@shared_task(name="coach_xblock.expire_reports", ignore_result=True)
def expire_reports():
    """Delete the reports older than REPORT_DAYS, and their files."""
    return workflow.expire_reports()
