"""A learner's email choices (set on her coaching journal, tests/journal/): answers and reminders, for every
check-in of the course, and what they change in what is sent."""
from datetime import timedelta

import pytest
from django.utils import timezone
from story import COURSE, refused
from story.journal import Journal
from story.timers import HOOK, MATHILDE
from story.workbench import ENGLISH_COURSE

from coach_xblock import workflow
from coach_xblock.domain import InvalidInput
from coach_xblock.models import Delivery

pytestmark = pytest.mark.django_db


def test_set_email_preferences_refuses_non_booleans_and_changes_nothing():
    workflow.set_email_preferences(COURSE, MATHILDE, answer_emails=True, reminder_emails=True)
    with refused(InvalidInput, match="choose yes or no"):
        workflow.set_email_preferences(COURSE, MATHILDE, answer_emails="no", reminder_emails=False)


def test_with_answer_emails_off_a_coach_answer_emails_her_no_more_but_still_calls_the_webhook(en, fr, webhook):
    skills, feasibility = en.skills, en.feasibility
    Journal(skills.client, ENGLISH_COURSE).post("mathilde", {"reminder_emails": "1"})
    hers, at_feasibility, pauls = skills.ask("mathilde"), feasibility.ask("mathilde"), skills.ask("paul")
    in_french = fr.skills.ask("mathilde")

    for point, request_id in ((skills, hers), (feasibility, at_feasibility), (skills, pauls), (fr.skills, in_french)):
        point.answer("coach_karim", request_id)

    def answered_to(request_id):
        return {(d.channel, d.recipient) for d in Delivery.objects.filter(request_id=request_id, event="answered")}

    assert answered_to(hers) == {("webhook", HOOK["url"])}
    assert answered_to(at_feasibility) == {("webhook", HOOK["url"])}, "her choice holds at every point of the course"
    assert answered_to(pauls) == {("webhook", HOOK["url"]), ("email", "paul@example.com")}
    assert answered_to(in_french) == {("webhook", HOOK["url"]), ("email", "mathilde@example.com")}, (
        "the French unit is another course")

    # She kept the reminders: two weeks later, she is reminded of the answer she has not read.
    workflow.nudge_and_close_silent(now=timezone.now() + timedelta(days=14, minutes=1))
    reminders = {(d.channel, d.recipient) for d in Delivery.objects.filter(request_id=hers, event="nudged")}
    assert reminders == {("webhook", HOOK["url"]), ("email", "mathilde@example.com")}
