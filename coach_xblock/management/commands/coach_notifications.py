"""Run the timers (escalation, nudge, closing), send the notifications that are due, make the reports asked for."""
import time

from django.core.management.base import BaseCommand

from coach_xblock import notifications, workflow


class Command(BaseCommand):
    help = (
        "Escalate overdue coach check-in requests, nudge learners, close abandoned requests, and "
        "send due notifications (email, webhooks) with retries, make the CSV reports coaches asked for and "
        "delete those older than REPORT_DAYS. Loops until stopped unless --once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Do one round, then exit.")
        parser.add_argument(
            "--interval", type=float, default=10.0, help="Seconds between two rounds in loop mode (default 10)."
        )

    def handle(self, *args, once=False, interval=10.0, **options):
        while True:
            counts = workflow.run_timers()
            sent = notifications.deliver_due()
            reports = workflow.make_waiting_reports()
            expired = workflow.expire_reports()
            if once or any(counts.values()) or sent or reports or expired:
                self.stdout.write(
                    f"escalated {counts['escalated']}, nudged {counts['nudged']}, closed {counts['closed']}, "
                    f"sent {sent}, reports made {reports}, expired {expired}"
                )
            if once:
                return
            time.sleep(interval)
