"""The story over HTTP: the check-in blocks of the xblock-sdk workbench, reached as the browser reaches them.

Django's test client GETs the scenario pages and POSTs JSON to `/handler/<usage_id>/<handler>/?student=<id>`.
Scenarios (coach_xblock/scenarios.py): `coach_checkin.0` is the French unit, `coach_checkin.1` the English
one; each is a course of its own with a "skills" and a "feasibility" check-in point. Learners: mathilde,
paul. Coaches: coach_karim, coach_lea.
"""
import json
import re
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from urllib.parse import quote

from django.test import Client
from django.utils import timezone
from workbench.scenarios import get_scenarios

from coach_xblock.domain import Person
from coach_xblock.models import CheckinRequest

from . import ANSWER, ASK, KARIM, MATHILDE, REPLY, unchanged
from .desk import Desk

FRENCH_UNIT = "/scenario/coach_checkin.0/"
ENGLISH_UNIT = "/scenario/coach_checkin.1/"
SCENARIOS = {FRENCH_UNIT: "coach_checkin.0", ENGLISH_UNIT: "coach_checkin.1"}
ENGLISH_COURSE = "define-your-skills-coach-check-ins"  # the English unit's course: in the workbench, its scenario

MISSING = object()  # marks a field left out of a request body

#: The actions of a learner on a request, with the rest of a valid body.
LEARNER_ACTIONS = {
    "reply": {"body": "Here is my revised list of skills."},
    "withdraw": {},
    "resolve": {"rating": 5},
    "not_helped": {"comment": "I still do not see which skills to name.", "then": "ask_again"},
}

_tokens = count(1)


def ask_payload(**changes):
    """The body of `ask`: the form ASK with a token of its own, with `changes` (MISSING removes a field)."""
    payload = {**ASK, "client_token": f"token-{next(_tokens)}", **changes}
    return {key: value for key, value in payload.items() if value is not MISSING}


def page(client, url, student):
    """The HTML of a workbench page as `student` sees it."""
    response = client.get(f"{url}?student={quote(student)}")
    assert response.status_code == 200
    return response.content.decode()


def usage_ids(html):
    """The usage ids of the check-in blocks of a page, in its order."""
    return re.findall(r"data-usage='([^']*\.coach_checkin\.[^']*)'", html)


@dataclass
class Point:
    """One check-in block of a scenario, reached through its handler URLs."""

    client: Client
    usage_id: str

    @property
    def course_key(self):
        """The block's course: in the workbench, its scenario (identity.course_key)."""
        return self.usage_id.split(".", 1)[0]

    def post(self, handler, student, payload=None, *, raw=None):
        """POST `payload` as JSON (or the `raw` body as is) to `handler` as `student`; the response."""
        body = raw if raw is not None else json.dumps({} if payload is None else payload)
        return self.client.post(
            f"/handler/{self.usage_id}/{handler}/?student={quote(student)}", data=body, content_type="application/json"
        )

    def ok(self, handler, student, payload=None):
        """Call a handler that must succeed; its JSON answer."""
        response = self.post(handler, student, payload)
        assert response.status_code == 200, response.content
        return response.json()

    def refused(self, handler, student, payload=None, *, status, says=None, raw=None):
        """Call a handler that must refuse with `status`, a message and nothing else, and change nothing;
        its message."""
        with unchanged():
            response = self.post(handler, student, payload, raw=raw)
        assert response.status_code == status, (handler, response.status_code, response.content[:300])
        body = response.json()
        assert list(body) == ["error"], body
        error = body["error"]
        assert isinstance(error, str) and error.strip(), error
        if says is not None:
            assert says in error, error
        return error

    # The story's actions, as the block's script sends them.

    def ask(self, learner=MATHILDE, **changes):
        """`learner` sends the form (see ask_payload); the id of the request."""
        return self.ok("ask", learner, ask_payload(**changes))["request"]["id"]

    @property
    def desk(self):
        """The coach desk of this block's course, where coaches claim and answer."""
        return Desk(self.client, self.course_key)

    def claim(self, coach, request_id):
        return self.desk.claim(coach, request_id)

    def answer(self, coach, request_id, body=ANSWER):
        """`coach` claims the request on the desk and answers it."""
        return self.desk.answer(coach, request_id, body)

    def reply(self, learner, request_id, body=REPLY):
        return self.ok("reply", learner, {"request_id": request_id, "body": body})

    def resolve(self, learner, request_id, rating=5, comment=MISSING):
        payload = {"request_id": request_id, "rating": rating, "comment": comment}
        return self.ok("resolve", learner, {key: value for key, value in payload.items() if value is not MISSING})

    def not_helped(self, learner, request_id, then, comment="I still do not see which skills to name.", rating=MISSING):
        payload = {"request_id": request_id, "then": then, "comment": comment, "rating": rating}
        return self.ok("not_helped", learner, {key: value for key, value in payload.items() if value is not MISSING})

    def withdraw(self, learner, request_id):
        return self.ok("withdraw", learner, {"request_id": request_id})

    def my_requests(self, learner):
        """The learner's requests here, as `learner_state` gives them, by id."""
        return {r["id"]: r for r in self.ok("learner_state", learner)["requests"]}

    def queue_ids(self, coach=KARIM, **filters):
        """The ids of the first page of the course's queue on the desk, with these filters."""
        return self.desk.queue_ids(coach, **filters)


@dataclass
class Unit:
    """A workbench scenario: a course unit with its two check-in points."""

    url: str
    skills: Point
    feasibility: Point

    @property
    def usage_ids(self):
        return (self.skills.usage_id, self.feasibility.usage_id)


def open_unit(client, url=ENGLISH_UNIT):
    """The unit at `url`, its two check-in blocks found in the data-usage attributes of its page."""
    found = usage_ids(page(client, url, MATHILDE))
    assert len(found) == 2, found
    skills, feasibility = (Point(client, usage_id) for usage_id in found)
    return Unit(url, skills, feasibility)


def person(student):
    """`student` as the workbench's user service makes them for the workflow: id and name the student id,
    address <id>@example.com (tests/test_identity.py)."""
    return Person(user_id=student, display_name=student, email=f"{student}@example.com")


def unit_block(runtime, url=ENGLISH_UNIT):
    """The unit at `url` (a vertical holding the check-in blocks), built by `runtime` (acting for someone)."""
    return runtime.get_block(get_scenarios()[SCENARIOS[url]].usage_id)


def checkin_blocks(runtime, url=ENGLISH_UNIT):
    """The check-in blocks of the unit at `url`, built by `runtime`."""
    unit = unit_block(runtime, url)
    return [runtime.get_block(child) for child in unit.children if ".coach_checkin." in child]


def skills_block(runtime):
    """The "Naming my skills" block of the English unit, built by `runtime`."""
    return checkin_blocks(runtime)[0]


def expire_claim(request_id):
    """Test setup: the current claim on the request ran out a minute ago."""
    CheckinRequest.objects.filter(pk=request_id).update(claim_expires_at=timezone.now() - timedelta(minutes=1))
