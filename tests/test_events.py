"""Tracking events: one for each change of a request's state, with ids and numbers, never text.

From the learners' handlers, events go through the runtime's `publish`: here the workbench's, which logs
each event (logger `workbench.runtime`: "XBlock event <name> ...", then the data); in the LMS,
xmodule/services.py `EventPublishingService.publish` hands every event that is not "grade",
"completion" or "progress" to the tracking log with the course and user context. The coach desk's
views and the timers act outside any block: their events go to event-tracking's tracker, as the LMS's
own views and workers do (logged where no tracker is registered).
"""
import json
import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from eventtracking import tracker
from eventtracking.tracker import Tracker, register_tracker
from story import ANSWER, ASK, KARIM, LEA, MATHILDE, REPLY, answer, ask
from story.workbench import ask_payload

from coach_xblock import events, workflow
from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db

COMMENT = "Thank you, the verbs trick worked."
TEXTS = (ANSWER, REPLY, COMMENT, *ASK.values())
KEYS = {"request_id", "course_id", "point_id", "topic", "status", "learner_id"}


@pytest.fixture
def published(caplog):
    """The events published so far, in their order, as (name, data) pairs: the blocks' through the workbench
    runtime (logger `workbench.runtime`), the coach desk's through `events.to_tracker`, which logs them where no
    platform tracker is registered (logger `coach_xblock.events`)."""
    caplog.set_level(logging.INFO, logger="workbench.runtime")
    caplog.set_level(logging.INFO, logger="coach_xblock.events")

    def read():
        records = [r for r in caplog.records if r.name in ("workbench.runtime", "coach_xblock.events")]
        found = []
        for index, record in enumerate(records):
            if record.name == "coach_xblock.events":
                name, _space, data = record.getMessage().partition(" ")
                found.append((name, json.loads(data)))
            elif str(record.msg).startswith("XBlock event ") and record.args[1] == "coach_checkin":
                found.append((record.args[0], records[index + 1].msg))
        return found

    return read


def names(found):
    return [name.removeprefix(events.PREFIX) for name, _data in found]


def assert_no_text(found):
    for _name, data in found:
        assert KEYS <= set(data), data
        dumped = json.dumps(data)
        assert not any(text in dumped for text in TEXTS), data


def test_the_story_publishes_one_event_per_change(en, published):
    skills = en.skills
    request_id = skills.ask()
    skills.claim(KARIM, request_id)
    skills.desk.release(KARIM, request_id)
    skills.answer(LEA, request_id)
    skills.reply(MATHILDE, request_id, REPLY)
    skills.answer(LEA, request_id)
    skills.resolve(MATHILDE, request_id, 4, COMMENT)
    second = en.feasibility.ask()
    en.feasibility.withdraw(MATHILDE, second)

    found = published()
    assert names(found) == [
        "asked", "claimed", "released", "claimed", "answered", "replied", "claimed", "answered", "resolved",
        "asked", "withdrawn",
    ]
    assert_no_text(found)
    request = CheckinRequest.objects.get(pk=request_id)
    asked = found[0][1]
    assert asked == {
        "request_id": request_id, "course_id": request.course_key, "point_id": request.point_id,
        "topic": "skills", "status": "open", "learner_id": "mathilde",
    }
    statuses = [data["status"] for _name, data in found]
    assert statuses == [
        "open", "open", "open", "open", "answered", "open", "open", "answered", "resolved", "open", "withdrawn",
    ]
    answered = [data for name, data in found if name.endswith(".answered")]
    assert [a["first_answer"] for a in answered] == [True, False]
    assert found[8][1]["rating"] == 4
    assert "claim_expires_at" in found[1][1]


def test_a_double_submit_and_refused_actions_publish_nothing_more(en, published):
    payload = ask_payload(client_token="one-form")
    first = en.skills.ok("ask", MATHILDE, payload)["request"]["id"]
    assert en.skills.ok("ask", MATHILDE, payload)["request"]["id"] == first
    en.skills.refused("ask", MATHILDE, ask_payload(), status=409)
    en.skills.claim(KARIM, first)
    en.skills.desk.refused("desk_claim", LEA, status=409, request_id=first)
    en.skills.desk.refused("desk_answer", LEA, {"body": ANSWER}, status=409, request_id=first)
    en.skills.refused("withdraw", "paul", {"request_id": first}, status=403)
    assert names(published()) == ["asked", "claimed"]


class Recorder:
    """An event-tracking backend that keeps what it is sent."""

    def __init__(self):
        self.events = []

    def send(self, event):
        self.events.append(event)


@pytest.fixture
def tracking_log():
    """The events of the tracker a process of Open edX registers (eventtracking.django does it at start)."""
    recorder = Recorder()
    register_tracker(Tracker(backends={"recorder": recorder}))
    yield recorder.events
    del tracker.TRACKERS["default"]


def test_without_a_platform_tracker_the_timers_log_their_events(skills_point, mathilde, karim, caplog):
    caplog.set_level(logging.INFO, logger="coach_xblock.events")
    request = close_an_abandoned_request(skills_point, mathilde, karim)
    [record] = [r for r in caplog.records if r.name == "coach_xblock.events"]
    assert record.getMessage().startswith("coach_checkin.request.closed {")
    assert f'"request_id": {request.pk}' in record.getMessage()


def unheard(*_args, **_numbers):
    """A publisher for the setup steps, whose events are not under test."""


def close_an_abandoned_request(point, learner, coach):
    """A request answered 40 days ago and left so: the timers close it. The request."""
    asked_at = timezone.now() - timedelta(days=40)
    request = ask(point, learner, now=asked_at, publish=unheard)
    answer(request, coach, now=asked_at, publish=unheard)
    assert workflow.run_timers()["closed"] == 1
    return request


def test_closing_an_abandoned_request_goes_to_the_tracking_log(skills_point, mathilde, karim, tracking_log):
    request = close_an_abandoned_request(skills_point, mathilde, karim)

    [event] = tracking_log
    assert event["name"] == "coach_checkin.request.closed"
    assert event["context"]["course_id"] == skills_point.course_key
    assert event["data"] == {
        "request_id": request.pk, "course_id": skills_point.course_key, "point_id": skills_point.point_id,
        "topic": "skills", "status": "closed", "learner_id": mathilde.user_id,
    }
    workflow.run_timers()
    assert len(tracking_log) == 1, "closed once"


def test_saying_it_did_not_help_publishes_numbers_and_never_the_comment(en, published):
    comment = "The verbs did not tell me which skills a trainer needs."
    first = en.skills.ask()
    en.skills.answer(KARIM, first)
    en.skills.not_helped(MATHILDE, first, "ask_again", comment)
    en.skills.answer(LEA, first)
    en.skills.not_helped(MATHILDE, first, "close", comment, rating=2)

    found = [(name, data) for name, data in published() if name.endswith(".not_helped")]
    assert [(data["status"], data["asked_again"], data["not_helped_count"], data.get("rating")) for _n, data in found] \
        == [("open", True, 1, None), ("not_helped", False, 2, 2)]
    assert_no_text(found)
    assert not any(comment in json.dumps(data) for _name, data in found)
