"""A learner's email choices, set from the block: answers and reminders, for every check-in of the
course, and what they change in what is sent."""
from datetime import timedelta

import lxml.html
import pytest
from django.utils import timezone
from story import COURSE, refused
from story.timers import HOOK, MATHILDE
from story.workbench import ENGLISH_COURSE, MISSING

from coach_xblock import workflow
from coach_xblock.domain import InvalidInput
from coach_xblock.models import Delivery, LearnerPreference

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- email preferences from the block


def test_mathilde_turns_answer_emails_off_and_keeps_reminders(en):
    skills, feasibility = en.skills, en.feasibility
    assert skills.ok("learner_state", "mathilde")["preferences"] == {"answer_emails": True, "reminder_emails": True}

    state = skills.ok("email_preferences", "mathilde", {"answer_emails": False, "reminder_emails": True})

    assert state["preferences"] == {"answer_emails": False, "reminder_emails": True}
    boxes = {box.get("name"): box.get("checked") is not None
             for box in lxml.html.fromstring(state["html"]).xpath("//input[@type='checkbox']")}
    assert boxes == {"answer_emails": False, "reminder_emails": True}
    assert skills.ok("learner_state", "mathilde")["preferences"] == {"answer_emails": False, "reminder_emails": True}
    assert [(p.course_key, p.learner_id, p.answer_emails, p.reminder_emails)
            for p in LearnerPreference.objects.all()] == [(ENGLISH_COURSE, "mathilde", False, True)]
    assert feasibility.ok("learner_state", "mathilde")["preferences"] == {
        "answer_emails": False, "reminder_emails": True}, "one choice for every check-in of the course"
    assert skills.ok("learner_state", "paul")["preferences"] == {"answer_emails": True, "reminder_emails": True}

    # She changes her mind: the same row is updated.
    skills.ok("email_preferences", "mathilde", {"answer_emails": True, "reminder_emails": False})
    assert [(p.answer_emails, p.reminder_emails) for p in LearnerPreference.objects.all()] == [(True, False)]


@pytest.mark.parametrize("field", ["answer_emails", "reminder_emails"])
@pytest.mark.parametrize("value", ["no", "false", 0, 1, None, MISSING, [False]],
                         ids=["no", "false-text", "zero", "one", "null", "missing", "list"])
def test_email_preferences_refuse_anything_but_true_or_false(en, field, value):
    skills = en.skills
    skills.ok("email_preferences", "mathilde", {"answer_emails": True, "reminder_emails": False})
    payload = {"answer_emails": False, "reminder_emails": True, field: value}
    if value is MISSING:
        del payload[field]

    skills.refused("email_preferences", "mathilde", payload, status=400)

    assert skills.ok("learner_state", "mathilde")["preferences"] == {"answer_emails": True, "reminder_emails": False}


def test_set_email_preferences_refuses_non_booleans_and_changes_nothing():
    workflow.set_email_preferences(COURSE, MATHILDE, answer_emails=True, reminder_emails=True)
    with refused(InvalidInput, match="choose yes or no"):
        workflow.set_email_preferences(COURSE, MATHILDE, answer_emails="no", reminder_emails=False)


def test_email_preferences_refuse_a_body_that_is_not_an_object(en):
    skills = en.skills
    skills.refused("email_preferences", "mathilde", raw="[false, true]", status=400)


def test_with_answer_emails_off_a_coach_answer_emails_her_no_more_but_still_calls_the_webhook(en, fr, webhook):
    skills, feasibility = en.skills, en.feasibility
    skills.ok("email_preferences", "mathilde", {"answer_emails": False, "reminder_emails": True})
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
