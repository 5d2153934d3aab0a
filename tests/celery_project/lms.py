"""The LMS side of tests/test_celery.py: migrate the shared database, then act as people do.

Run as `python -m celery_project.lms` (tests/ on PYTHONPATH, settings `celery_project.settings`).
Every transaction that writes deliveries queues "coach_xblock.deliver_notifications" on commit
(USE_CELERY); nothing here sends a notification. Prints what it did as JSON.
"""
import json
from datetime import timedelta

import django


def main():
    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from coach_xblock import workflow
    from coach_xblock.domain import CheckinPoint, Person

    call_command("migrate", run_syncdb=True, verbosity=0)

    course = "course-v1:Demo+Career+2026"
    karim = Person("coach_karim", "Karim", "karim@example.com")
    lea = Person("coach_lea", "Léa", "lea@example.com")
    mathilde = Person("anon-mathilde", "Mathilde", "mathilde@example.com")
    paul = Person("anon-paul", "Paul", "paul@example.com")
    point = CheckinPoint(
        course_key=course,
        point_id="block-v1:Demo+Career+2026+type@coach_checkin+block@skills",
        title="Naming my skills",
        topic="skills",
        unit_url="http://127.0.0.1:8000/scenario/coach_checkin.0/",
        coaches=(karim, lea),
    )
    story = {
        "working_on": "My list of skills for the career plan.",
        "stuck_on": "I cannot tell a skill from a personal quality.",
        "tried": "The examples of the unit.",
    }

    # Answered, then replied to: asked (both coaches), answered (the learner), learner_replied (Karim).
    asked = workflow.ask_for_help(point, mathilde, client_token="celery-mathilde", **story)
    workflow.claim_request(course, asked.pk, karim)
    workflow.coach_reply(course, asked.pk, karim, "A skill is something you can show you did: start from facts.")
    workflow.learner_reply(point, mathilde, asked.pk, "Thank you! Here is my new list, is it better?")

    # Asked longer ago than the point's expected response time: overdue, for the run_timers task.
    asked_long_ago = timezone.now() - timedelta(hours=point.expected_response_hours + 1)
    overdue = workflow.ask_for_help(point, paul, client_token="celery-paul", now=asked_long_ago, **story)

    print(json.dumps({"answered_request": asked.pk, "overdue_request": overdue.pk}))


if __name__ == "__main__":
    main()
