"""The LMS side of tests/test_celery.py: migrate the shared database, then act as people do.

Run as `python -m celery_project.lms` (tests/ on PYTHONPATH, settings `celery_project.settings`); the people,
the point and the actions are those of the shared story (tests/story/).
Every transaction that writes deliveries queues "coach_xblock.deliver_notifications" on commit
(USE_CELERY); nothing here sends a notification. Prints what it did as JSON.
`python -m celery_project.lms report`: Karim asks for a report of the course's requests instead, which
queues "coach_xblock.make_report" on commit.
"""
import dataclasses
import json
import sys
from datetime import timedelta

import django


def main():
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone
    from story import SKILLS_POINT, answer, ask, reachable, reply

    call_command("migrate", run_syncdb=True, verbosity=0)

    karim, lea, mathilde, paul = (reachable(name) for name in ("karim", "lea", "mathilde", "paul"))
    point = dataclasses.replace(
        SKILLS_POINT, unit_url="http://127.0.0.1:8000/scenario/coach_checkin.0/", coaches=(karim, lea)
    )

    # Answered, then replied to: asked (both coaches), answered (the learner), learner_replied (Karim).
    asked = ask(point, mathilde, token="celery-mathilde")
    answer(asked, karim)
    reply(point, mathilde, asked)

    # Asked longer ago than the point's expected response time: overdue, for the run_timers task.
    asked_long_ago = timezone.now() - timedelta(hours=point.expected_response_hours + 1)
    overdue = ask(point, paul, token="celery-paul", now=asked_long_ago)

    print(json.dumps({"answered_request": asked.pk, "overdue_request": overdue.pk}))


def report():
    django.setup()
    from story import COURSE, reachable

    from coach_xblock import workflow

    print(json.dumps({"report": workflow.request_report(COURSE, "requests", reachable("karim")).pk}))


if __name__ == "__main__":
    report() if sys.argv[1:] == ["report"] else main()
