"""The coach check-in handlers and views, driven over HTTP through the xblock-sdk workbench.

Every test talks to the block the way the browser does: Django's test client GETs the
workbench's scenario pages and POSTs JSON to `/handler/<usage_id>/<handler>/?student=<id>`,
against a real database (SQLite, or PostgreSQL). Nothing is mocked. The only direct ORM use is reading rows to
check what a call changed (or did not change) and, as test setup, moving a claim's expiry into
the past.

Scenarios (see coach_xblock/scenarios.py): `coach_checkin.0` is the French unit,
`coach_checkin.1` the English one; each is a course of its own with a "skills" and a
"feasibility" check-in point. Learners: mathilde, paul. Coaches: coach_karim, coach_lea.
"""

import json
import re
from dataclasses import dataclass
from datetime import timedelta
from itertools import count
from urllib.parse import quote

import pytest
from django.test import Client
from django.utils import timezone
from workbench.models import XBlockState
from workbench.runtime_util import reset_global_state

from coach_xblock.models import CheckinMessage, CheckinRequest

FRENCH_UNIT = "/scenario/coach_checkin.0/"
ENGLISH_UNIT = "/scenario/coach_checkin.1/"

MATHILDE, PAUL = "mathilde", "paul"
KARIM, LEA = "coach_karim", "coach_lea"

XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"
XSS_ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"

MISSING = object()  # marks a field left out of a request body

pytestmark = [
    pytest.mark.django_db,
    # The workbench runtime reads the deprecated Runtime.user_id on every block it builds.
    pytest.mark.filterwarnings("ignore::xblock.exceptions.UserIdDeprecationWarning"),
]


# Reaching the workbench


@pytest.fixture(autouse=True)
def fresh_workbench(db):
    """Every test starts from the scenarios as their XML defines them, with no block state."""
    reset_global_state()


def page(client, url, student):
    """The HTML of a workbench page as `student` sees it."""
    response = client.get(f"{url}?student={quote(student)}")
    assert response.status_code == 200
    return response.content.decode()


def db_rows():
    """Every request and message row, to prove that a refused call changed nothing."""
    return (
        list(CheckinRequest.objects.order_by("pk").values()),
        list(CheckinMessage.objects.order_by("pk").values()),
    )


def _assert_escaped(html):
    """The XSS text shows escaped, and nothing of it runs."""
    assert XSS_ESCAPED in html
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html


@dataclass
class Point:
    """One coach check-in block of a scenario, reached through its handler URLs."""

    client: Client
    usage_id: str

    def post(self, handler, student, payload=None, *, raw=None):
        """POST `payload` as JSON (or the `raw` body as is) to `handler` as `student`."""
        body = raw if raw is not None else json.dumps({} if payload is None else payload)
        return self.client.post(
            f"/handler/{self.usage_id}/{handler}/?student={quote(student)}",
            data=body,
            content_type="application/json",
        )

    def ok(self, handler, student, payload=None):
        """Call a handler that must succeed; its JSON answer."""
        response = self.post(handler, student, payload)
        assert response.status_code == 200, response.content
        return response.json()

    def refused(self, handler, student, payload=None, *, status, says=None, raw=None):
        """Call a handler that must refuse with `status` and change nothing; its error message."""
        before = db_rows()
        response = self.post(handler, student, payload, raw=raw)
        assert response.status_code == status, (handler, response.content)
        error = response.json()["error"]
        assert isinstance(error, str) and error.strip()
        if says is not None:
            assert says in error
        assert db_rows() == before
        return error


@dataclass
class Unit:
    """A workbench scenario: a course unit with its two check-in points."""

    url: str
    skills: Point
    feasibility: Point


def open_unit(client, url):
    """Find the unit's two coach_checkin blocks from the data-usage attributes of its page."""
    html = page(client, url, MATHILDE)
    usage_ids = re.findall(r"data-usage='([^']*\.coach_checkin\.[^']*)'", html)
    assert len(usage_ids) == 2, usage_ids
    skills, feasibility = (Point(client, usage_id) for usage_id in usage_ids)
    return Unit(url, skills, feasibility)


@pytest.fixture
def en(client):
    """The English unit "Define your skills"."""
    return open_unit(client, ENGLISH_UNIT)


@pytest.fixture
def fr(client):
    """The French unit "Définir mes compétences"."""
    return open_unit(client, FRENCH_UNIT)


# Acting out the story

_tokens = count(1)


def ask_payload(**changes):
    """A valid `ask` body, with `changes` applied (MISSING removes a field)."""
    payload = {
        "working_on": "Naming the skills of my 12 years as a network technician.",
        "stuck_on": "I know my job but I cannot turn what I do every day into skills a recruiter reads.",
        "tried": "The online skills test and a first list of verbs from my last three assignments.",
        "link": "https://example.org/my-test-results",
        "client_token": f"token-{next(_tokens)}",
    }
    payload.update(changes)
    return {key: value for key, value in payload.items() if value is not MISSING}


def ask(point, learner=MATHILDE, **changes):
    """`learner` asks for help at `point`; the id of the new request."""
    return point.ok("ask", learner, ask_payload(**changes))["request"]["id"]


def claim(point, coach, request_id):
    return point.ok("claim", coach, {"request_id": request_id})


def answer(point, coach, request_id, body="Start from your verbs: each one is a skill once you add its context."):
    """`coach` claims the request and answers it; the request detail afterwards."""
    claim(point, coach, request_id)
    return point.ok("coach_reply", coach, {"request_id": request_id, "body": body})


def expire_claim(request_id):
    """Test setup: the current claim on the request ran out a minute ago."""
    CheckinRequest.objects.filter(pk=request_id).update(claim_expires_at=timezone.now() - timedelta(minutes=1))


def my_requests(point, learner):
    """The learner's requests at `point`, as `learner_state` returns them, by id."""
    return {r["id"]: r for r in point.ok("learner_state", learner)["requests"]}


def queue_ids(point, coach=KARIM, **filters):
    return [row["id"] for row in point.ok("queue", coach, filters)["rows"]]


@pytest.fixture
def asked(en):
    """Mathilde's open request at the English skills point."""
    return ask(en.skills)


@pytest.fixture
def claimed(en, asked):
    """Mathilde's request, claimed by Karim."""
    claim(en.skills, KARIM, asked)
    return asked


@pytest.fixture
def answered(en, asked):
    """Mathilde's request, answered by Karim."""
    answer(en.skills, KARIM, asked)
    return asked


# The story of DESIGN.md, end to end


def test_mathilde_is_coached_by_karim_from_question_to_rated_resolution(client, en):
    # Earlier in the course, Mathilde asked twice at "Is my project feasible?": Léa answered the
    # first request and Mathilde resolved it; she withdrew the second.
    feasible_1 = ask(en.feasibility, stuck_on="I do not know if a move into training is realistic for me.")
    answer(en.feasibility, LEA, feasible_1, "Look at three real offers first.")
    en.feasibility.ok("resolve", MATHILDE, {"request_id": feasible_1, "rating": 4})
    feasible_2 = ask(en.feasibility, stuck_on="Second thoughts about the mobility the job requires.")
    en.feasibility.ok("withdraw", MATHILDE, {"request_id": feasible_2})

    # At "Define your skills", she reads the prompt and the tips, and finds the form.
    learner_page = page(client, en.url, MATHILDE)
    assert "You know your job but not how to name your skills?" in learner_page
    assert "Reread your last three assignments and note every action verb." in learner_page
    assert "Where are you stuck?" in learner_page

    # She asks; she is told she is waiting for a coach, usually within 48 hours.
    asked = en.skills.ok("ask", MATHILDE, ask_payload())
    request_id = asked["request"]["id"]
    assert asked["request"]["status"] == "open"
    assert asked["request"]["link"] == "https://example.org/my-test-results"
    assert asked["can_ask"] is False
    assert "Waiting for a coach" in asked["html"]
    assert "Expected answer within 48 hours." in asked["html"]

    # Karim opens the queue of the whole course, oldest first: her request is waiting there.
    queue = en.skills.ok("queue", KARIM, {"scope": "course", "status": "open", "order": "oldest"})
    assert [row["id"] for row in queue["rows"]] == [request_id]
    row = queue["rows"][0]
    assert (row["learner_name"], row["point_title"], row["topic"]) == (MATHILDE, "Naming my skills", "skills")
    assert f'data-request-id="{request_id}"' in queue["html"]

    # He opens it and sees her two earlier check-ins in the course.
    detail = en.skills.ok("request_detail", KARIM, {"request_id": request_id})
    assert detail["request"]["stuck_on"] == ask_payload()["stuck_on"]
    assert {other["id"] for other in detail["other_requests"]} == {feasible_1, feasible_2}
    assert "Earlier check-ins of mathilde in this course" in detail["html"]
    assert "Claim this request (30 minutes)" in detail["html"]

    # He claims it: the answer form is his, and Léa is kept out.
    claimed = claim(en.skills, KARIM, request_id)
    assert claimed["request"]["claimed_by_name"] == KARIM
    assert claimed["request"]["status_label"] == "A coach is on it"
    assert "Send answer" in claimed["html"]
    en.skills.refused("claim", LEA, {"request_id": request_id}, status=409, says=KARIM)

    # He answers with tips; the request waits for Mathilde and the claim ends.
    tips = "Turn each verb into a skill: 'configured routers' becomes 'network configuration'."
    answered = en.skills.ok("coach_reply", KARIM, {"request_id": request_id, "body": tips})
    assert answered["request"]["status"] == "answered"
    assert answered["request"]["claimed_by_name"] == ""
    assert answered["request"]["first_answered_at"] is not None

    # Mathilde is told: her request is answered and shows Karim's message.
    state = en.skills.ok("learner_state", MATHILDE)
    [mine] = state["requests"]
    assert mine["status"] == "answered"
    assert [(m["author_role"], m["author_name"], m["body"]) for m in mine["messages"]] == [("coach", KARIM, tips)]
    assert tips.replace("'", "&#x27;") in state["html"]
    assert "Reply to your coach" in state["html"]

    # She replies with a revised list; the request waits for a coach again.
    revised = "Revised list: network configuration, incident diagnosis, user support."
    replied = en.skills.ok("reply", MATHILDE, {"request_id": request_id, "body": revised})
    assert replied["request"]["status"] == "open"
    assert queue_ids(en.skills) == [request_id]

    # Karim claims again and answers again.
    second = "Good list. Add one soft skill you used with users."
    answer(en.skills, KARIM, request_id, second)
    assert my_requests(en.skills, MATHILDE)[request_id]["status"] == "answered"

    # She marks it resolved and rates the help.
    resolved = en.skills.ok(
        "resolve", MATHILDE, {"request_id": request_id, "rating": 5, "comment": "Exactly what I needed."}
    )
    assert resolved["request"]["status"] == "resolved"
    assert (resolved["request"]["rating"], resolved["request"]["rating_comment"]) == (5, "Exactly what I needed.")
    assert resolved["request"]["closed_at"] is not None
    assert resolved["can_ask"] is True
    assert "You rated this help 5 out of 5." in resolved["html"]

    # The whole thread is recorded, in order.
    thread = CheckinMessage.objects.filter(request_id=request_id).order_by("created_at", "id")
    assert [(m.author_role, m.author_id, m.body) for m in thread] == [
        ("coach", KARIM, tips),
        ("learner", MATHILDE, revised),
        ("coach", KARIM, second),
    ]

    # Karim's queue: nothing open any more; the resolved filter shows both resolved requests.
    assert queue_ids(en.skills) == []
    assert queue_ids(en.skills, status="resolved") == [feasible_1, request_id]
    assert queue_ids(en.skills, status="withdrawn") == [feasible_2]
    assert queue_ids(en.skills, status="all", order="newest") == [request_id, feasible_2, feasible_1]
    final = en.skills.ok("request_detail", KARIM, {"request_id": request_id})
    assert "The learner rated this help 5 out of 5." in final["html"]


# What each person sees on the page


def test_the_learner_state_tells_the_page_when_to_watch_and_when_to_redraw(client, en):
    """The learner view polls while a request waits for a coach and redraws when its version moves."""
    nothing = en.skills.ok("learner_state", MATHILDE)
    assert nothing["waiting"] is False
    request_id = ask(en.skills)
    waiting = en.skills.ok("learner_state", MATHILDE)
    assert waiting["waiting"] is True and waiting["version"] != nothing["version"]
    assert en.skills.ok("learner_state", MATHILDE)["version"] == waiting["version"]
    claim(en.skills, KARIM, request_id)
    claimed = en.skills.ok("learner_state", MATHILDE)
    assert claimed["version"] != waiting["version"]
    en.skills.ok("coach_reply", KARIM, {"request_id": request_id, "body": "Start from your verbs."})
    answered = en.skills.ok("learner_state", MATHILDE)
    assert answered["waiting"] is False and answered["version"] != claimed["version"]
    assert answered["version"] in page(client, en.url, MATHILDE), "the page starts from the same version"


def test_learner_page_shows_the_ask_form_and_not_the_queue(client, en):
    html = page(client, en.url, MATHILDE)
    assert "Where are you stuck?" in html
    assert "coach-ask-form" in html
    assert "Coach queue" not in html


def test_coach_page_shows_the_queue_and_not_the_ask_form(client, en, asked):
    html = page(client, en.url, KARIM)
    assert "Coach queue" in html
    assert f'data-request-id="{asked}"' in html
    assert "coach-ask-form" not in html
    assert "Where are you stuck?" not in html


def test_author_view_shows_the_settings_counts_and_for_the_team_where_coaches_answer(client, en, asked):
    team_view = page(client, f"{en.url}author_view/", KARIM)
    assert "Expected response time" in team_view
    assert "48 hours" in team_view
    assert "Open requests at this point" in team_view
    assert 'data-action="analytics"' in team_view, "the team chooses the period of the analytics"
    assert f'href="http://127.0.0.1:8000{en.url}"' in team_view, "coaches answer in the course"
    assert "Coach queue" not in team_view, "authoring is not where coaches answer"
    assert f'data-request-id="{asked}"' not in team_view

    learner_view = page(client, f"{en.url}author_view/", MATHILDE)
    assert "Expected response time" in learner_view
    assert "Coach queue" not in learner_view
    assert 'data-action="analytics"' not in learner_view
    assert f'data-request-id="{asked}"' not in learner_view


def test_studio_view_renders_the_editable_settings(client, en):
    html = page(client, f"{en.url}studio_view/", KARIM)
    for field in ("display_name", "prompt", "tips", "topic", "max_open_requests", "min_length", "coach_ids"):
        assert f'data-field-name="{field}"' in html
    assert "Expected response time (hours)" in html


def test_learner_without_an_id_is_refused(en):
    en.skills.refused("learner_state", "", status=403)
    en.skills.refused("ask", "", ask_payload(), status=403)


# Studio edits


def test_studio_edit_with_valid_values_changes_the_learner_view(client, en):
    new_prompt = "New prompt: tell us which skill you cannot name yet."
    result = en.skills.ok(
        "submit_studio_edits", KARIM, {"values": {"prompt": new_prompt, "expected_response_hours": 24}, "defaults": []}
    )
    assert result == {"result": "success"}
    html = page(client, en.url, MATHILDE)
    assert new_prompt in html
    assert "A coach usually answers within 24 hours." in html


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({"max_open_requests": 0}, id="max_open_requests-0"),
        pytest.param({"topic": "nope"}, id="unknown-topic"),
        pytest.param({"min_length": 300, "max_length": 200}, id="min-above-max"),
        pytest.param({"display_name": "   "}, id="blank-display-name"),
        pytest.param({"expected_response_hours": 721}, id="hours-721"),
        pytest.param({"max_length": 20001}, id="max_length-20001"),
    ],
)
def test_studio_edit_with_invalid_values_is_refused_and_changes_nothing(client, en, values):
    state_before = list(XBlockState.objects.order_by("pk").values())
    response = en.skills.post(
        "submit_studio_edits", KARIM, {"values": {"prompt": "This prompt must not be saved.", **values}, "defaults": []}
    )
    assert response.status_code == 400, response.content
    assert response.json()["error"]["messages"]
    assert list(XBlockState.objects.order_by("pk").values()) == state_before
    html = page(client, en.url, MATHILDE)
    assert "This prompt must not be saved." not in html
    assert "You know your job but not how to name your skills?" in html


@pytest.mark.parametrize("field", ["expected_response_hours", "max_open_requests", "min_length", "max_length"])
def test_studio_edit_with_an_emptied_number_field_is_refused_with_a_message(en, field):
    studio = Point(Client(raise_request_exception=False), en.skills.usage_id)
    state_before = list(XBlockState.objects.order_by("pk").values())
    response = studio.post("submit_studio_edits", KARIM, {"values": {field: None}, "defaults": []})
    assert list(XBlockState.objects.order_by("pk").values()) == state_before
    assert response.status_code == 400, response.status_code
    assert "enter a whole number" in str(response.json()["error"]["messages"])


def test_author_text_is_escaped_for_learners_coaches_and_authors(client, en):
    values = {"display_name": XSS, "prompt": XSS, "tips": XSS}
    en.skills.ok("submit_studio_edits", KARIM, {"values": values, "defaults": []})
    ask(en.skills)  # the request carries the point's title into the coach queue
    for html in (
        page(client, en.url, MATHILDE),
        page(client, en.url, KARIM),
        page(client, f"{en.url}author_view/", KARIM),
        en.skills.ok("queue", KARIM)["html"],
    ):
        _assert_escaped(html)


# Asking: every refused input


def _long(n):
    return "x" * n


ASK_REFUSALS = [
    pytest.param({"working_on": MISSING}, "required", id="working_on-missing"),
    pytest.param({"stuck_on": MISSING}, "required", id="stuck_on-missing"),
    pytest.param({"tried": MISSING}, "required", id="tried-missing"),
    pytest.param({"client_token": MISSING}, "reload the page", id="client_token-missing"),
    pytest.param({"working_on": 42}, "expected text", id="working_on-int"),
    pytest.param({"stuck_on": ["a list", "of words"]}, "expected text", id="stuck_on-list"),
    pytest.param({"tried": {"a": "dict"}}, "expected text", id="tried-dict"),
    pytest.param({"tried": True}, "expected text", id="tried-bool"),
    pytest.param({"link": 7}, "expected text", id="link-int"),
    pytest.param({"client_token": 12345}, "reload the page", id="client_token-int"),
    pytest.param({"working_on": ""}, "required", id="working_on-empty"),
    pytest.param({"working_on": "   \n\t "}, "required", id="working_on-whitespace"),
    pytest.param({"stuck_on": "    "}, "required", id="stuck_on-whitespace"),
    pytest.param({"tried": "\n"}, "required", id="tried-whitespace"),
    pytest.param({"client_token": "   "}, "reload the page", id="client_token-whitespace"),
    pytest.param({"stuck_on": _long(19)}, "at least 20", id="stuck_on-below-min_length"),
    pytest.param({"working_on": _long(2001)}, "at most 2000", id="working_on-2001"),
    pytest.param({"stuck_on": _long(2001)}, "at most 2000", id="stuck_on-2001"),
    pytest.param({"tried": _long(2001)}, "at most 2000", id="tried-2001"),
    pytest.param({"link": "https://example.org/" + _long(481)}, "at most 500", id="link-501"),
    pytest.param({"client_token": _long(65)}, "reload the page", id="client_token-65"),
    pytest.param({"link": "javascript:alert(1)"}, "http", id="link-javascript"),
    pytest.param({"link": "JavaScript:alert(document.cookie)"}, "http", id="link-javascript-mixed-case"),
    pytest.param({"link": "data:text/html,<script>alert(1)</script>"}, "http", id="link-data"),
    pytest.param({"link": "ftp://example.org/file"}, "http", id="link-ftp"),
    pytest.param({"link": "https://"}, "http", id="link-without-host"),
    pytest.param({"link": "example.org/results"}, "http", id="link-without-scheme"),
]


@pytest.mark.parametrize(("changes", "says"), ASK_REFUSALS)
def test_ask_refuses_bad_input_and_creates_nothing(en, changes, says):
    en.skills.refused("ask", MATHILDE, ask_payload(**changes), status=400, says=says)
    assert CheckinRequest.objects.count() == 0


def test_ask_accepts_text_at_its_exact_limits_and_no_link(en):
    request_id = ask(en.skills, working_on=_long(2000), stuck_on=_long(20), tried=" " + _long(2000) + " ", link="")
    stored = CheckinRequest.objects.get(pk=request_id)
    assert (len(stored.working_on), len(stored.stuck_on), len(stored.tried), stored.link) == (2000, 20, 2000, "")


def test_double_click_on_ask_makes_one_request(en):
    payload = ask_payload(client_token="double-click")
    first = en.skills.ok("ask", MATHILDE, payload)
    # The point allows one open request: without the token, this second call would be a 409.
    second = en.skills.ok("ask", MATHILDE, payload)
    assert second["request"]["id"] == first["request"]["id"]
    assert CheckinRequest.objects.count() == 1
    assert [r["id"] for r in second["requests"]] == [first["request"]["id"]]


def test_asking_again_while_a_request_is_open_is_refused(en, asked):
    en.skills.refused("ask", MATHILDE, ask_payload(), status=409, says="open request")
    # Another point of the course has its own allowance, and so does another learner.
    assert ask(en.feasibility) != asked
    assert ask(en.skills, PAUL) != asked


def test_a_withdrawn_request_frees_the_learner_to_ask_again(en, asked):
    en.skills.ok("withdraw", MATHILDE, {"request_id": asked})
    assert ask(en.skills) != asked


# Bodies that are not a JSON object, and GET


ALL_HANDLERS = [
    "learner_state",
    "ask",
    "reply",
    "withdraw",
    "resolve",
    "queue",
    "request_detail",
    "claim",
    "release",
    "coach_reply",
]
COACH_HANDLERS = ["queue", "request_detail", "claim", "release", "coach_reply"]


@pytest.mark.parametrize(
    "raw",
    [
        pytest.param('[{"request_id": 1}]', id="list"),
        pytest.param('"a string"', id="string"),
        pytest.param("42", id="number"),
        pytest.param("null", id="null"),
        pytest.param("{not json", id="invalid-json"),
        pytest.param(b"\xff\xfe{}", id="invalid-utf8"),
    ],
)
@pytest.mark.parametrize("student", [MATHILDE, KARIM])
def test_a_body_that_is_not_a_json_object_is_refused_by_every_handler(en, asked, raw, student):
    for handler in ALL_HANDLERS:
        en.skills.refused(handler, student, raw=raw, status=400)


def test_handlers_answer_only_post(client, en):
    for handler in ALL_HANDLERS:
        response = client.get(f"/handler/{en.skills.usage_id}/{handler}/?student={KARIM}")
        assert response.status_code == 405, handler


# request_id: every wrong type, unknown ids


LEARNER_ACTIONS = {
    "reply": {"body": "Here is my revised list of skills."},
    "withdraw": {},
    "resolve": {"rating": 5},
}
COACH_ACTIONS = {
    "request_detail": {},
    "claim": {},
    "release": {},
    "coach_reply": {"body": "Here are some tips."},
}

BAD_REQUEST_IDS = [
    pytest.param(MISSING, id="missing"),
    pytest.param(None, id="null"),
    pytest.param(True, id="true"),
    pytest.param(False, id="false"),
    pytest.param("1", id="string"),
    pytest.param(1.0, id="float"),
    pytest.param(0, id="zero"),
    pytest.param(-1, id="negative"),
    pytest.param([1], id="list"),
    pytest.param(2**63, id="beyond-int64"),
]


def _with_id(extra, request_id):
    payload = dict(extra)
    if request_id is not MISSING:
        payload["request_id"] = request_id
    return payload


@pytest.mark.parametrize("request_id", BAD_REQUEST_IDS)
@pytest.mark.parametrize("handler", sorted(LEARNER_ACTIONS))
def test_learner_actions_refuse_a_request_id_that_is_not_a_number(en, answered, handler, request_id):
    en.skills.refused(handler, MATHILDE, _with_id(LEARNER_ACTIONS[handler], request_id), status=400, says="request_id")


@pytest.mark.parametrize("request_id", BAD_REQUEST_IDS)
@pytest.mark.parametrize("handler", sorted(COACH_ACTIONS))
def test_coach_actions_refuse_a_request_id_that_is_not_a_number(en, claimed, handler, request_id):
    en.skills.refused(handler, KARIM, _with_id(COACH_ACTIONS[handler], request_id), status=400, says="request_id")


@pytest.mark.parametrize("unknown", [pytest.param(999, id="999"), pytest.param(2**63 - 1, id="largest-int64")])
@pytest.mark.parametrize("handler", sorted(LEARNER_ACTIONS))
def test_learner_actions_on_an_unknown_request_answer_404(en, answered, handler, unknown):
    en.skills.refused(handler, MATHILDE, {**LEARNER_ACTIONS[handler], "request_id": unknown}, status=404)


@pytest.mark.parametrize("unknown", [pytest.param(999, id="999"), pytest.param(2**63 - 1, id="largest-int64")])
@pytest.mark.parametrize("handler", sorted(COACH_ACTIONS))
def test_coach_actions_on_an_unknown_request_answer_404(en, claimed, handler, unknown):
    en.skills.refused(handler, KARIM, {**COACH_ACTIONS[handler], "request_id": unknown}, status=404)


# Learner actions: bad text, bad ratings, other learners' requests, wrong status


@pytest.mark.parametrize(
    ("body", "says"),
    [
        pytest.param(MISSING, "required", id="missing"),
        pytest.param(None, "required", id="null"),
        pytest.param("", "required", id="empty"),
        pytest.param("  \n  ", "required", id="whitespace"),
        pytest.param(12, "expected text", id="int"),
        pytest.param(["text"], "expected text", id="list"),
        pytest.param(_long(2001), "at most 2000", id="2001-chars"),
    ],
)
def test_learner_reply_refuses_bad_text(en, answered, body, says):
    payload = {"request_id": answered} if body is MISSING else {"request_id": answered, "body": body}
    en.skills.refused("reply", MATHILDE, payload, status=400, says=says)


def test_learner_reply_of_exactly_max_length_is_accepted(en, answered):
    replied = en.skills.ok("reply", MATHILDE, {"request_id": answered, "body": _long(2000)})
    assert replied["request"]["messages"][-1]["body"] == _long(2000)


@pytest.mark.parametrize(
    "rating",
    [
        pytest.param(MISSING, id="missing"),
        pytest.param(None, id="null"),
        pytest.param("5", id="string-5"),
        pytest.param(0, id="0"),
        pytest.param(6, id="6"),
        pytest.param(-1, id="negative"),
        pytest.param(True, id="true"),
        pytest.param(4.5, id="float"),
        pytest.param(5.0, id="float-5"),
    ],
)
def test_resolve_refuses_a_rating_that_is_not_1_to_5(en, answered, rating):
    payload = {"request_id": answered} if rating is MISSING else {"request_id": answered, "rating": rating}
    en.skills.refused("resolve", MATHILDE, payload, status=400, says="Rating")


@pytest.mark.parametrize(
    ("comment", "says"),
    [
        pytest.param(5, "expected text", id="int"),
        pytest.param({"text": "hi"}, "expected text", id="dict"),
        pytest.param(_long(1001), "at most 1000", id="1001-chars"),
    ],
)
def test_resolve_refuses_a_bad_comment(en, answered, comment, says):
    en.skills.refused(
        "resolve", MATHILDE, {"request_id": answered, "rating": 4, "comment": comment}, status=400, says=says
    )


@pytest.mark.parametrize("comment", [MISSING, None, "", "   ", _long(1000)])
def test_resolve_accepts_no_comment_or_one_of_max_length(en, answered, comment):
    payload = {"request_id": answered, "rating": 1}
    if comment is not MISSING:
        payload["comment"] = comment
    resolved = en.skills.ok("resolve", MATHILDE, payload)["request"]
    assert resolved["rating"] == 1
    assert resolved["rating_comment"] == ("" if comment in (MISSING, None) else comment.strip())


@pytest.mark.parametrize("handler", sorted(LEARNER_ACTIONS))
def test_paul_cannot_act_on_mathildes_request(en, answered, handler):
    en.skills.refused(
        handler, PAUL, {**LEARNER_ACTIONS[handler], "request_id": answered}, status=403, says="another learner"
    )


@pytest.mark.parametrize("handler", sorted(LEARNER_ACTIONS))
def test_a_request_of_another_point_cannot_be_acted_on_from_this_point(en, answered, handler):
    en.feasibility.refused(handler, MATHILDE, {**LEARNER_ACTIONS[handler], "request_id": answered}, status=404)


def test_pauls_state_and_page_never_show_mathildes_request(client, en):
    secret = "My former employer laid me off and I am ashamed to say it to recruiters."
    request_id = ask(en.skills, stuck_on=secret)
    answer(en.skills, KARIM, request_id, "A coach's private answer to Mathilde only.")
    ask(en.feasibility, stuck_on=secret)

    for point in (en.skills, en.feasibility):
        state = point.ok("learner_state", PAUL)
        assert state["requests"] == []
        assert state["can_ask"] is True
        assert secret not in state["html"]
        assert "private answer" not in state["html"]
        assert f'data-request-id="{request_id}"' not in state["html"]
    html = page(client, en.url, PAUL)
    assert secret not in html
    assert "private answer" not in html
    assert "You have not asked a coach anything here yet." in html


@pytest.mark.parametrize(
    ("handler", "payload", "says"),
    [
        pytest.param(
            "reply",
            {"body": "Nobody answered yet, but here is more."},
            "once a coach has answered",
            id="reply-before-any-answer",
        ),
        pytest.param("resolve", {"rating": 5}, "once a coach has answered", id="resolve-before-any-answer"),
    ],
)
def test_learner_actions_that_an_open_unanswered_request_forbids(en, asked, handler, payload, says):
    en.skills.refused(handler, MATHILDE, {**payload, "request_id": asked}, status=409, says=says)


def test_withdrawing_an_answered_request_is_refused(en, answered):
    en.skills.refused("withdraw", MATHILDE, {"request_id": answered}, status=409, says="Answered")


@pytest.mark.parametrize("closing", ["resolve", "withdraw"])
def test_nothing_can_be_done_on_a_closed_request(en, asked, closing):
    if closing == "resolve":
        answer(en.skills, KARIM, asked)
        en.skills.ok("resolve", MATHILDE, {"request_id": asked, "rating": 3})
    else:
        en.skills.ok("withdraw", MATHILDE, {"request_id": asked})

    for handler, payload in LEARNER_ACTIONS.items():
        en.skills.refused(handler, MATHILDE, {**payload, "request_id": asked}, status=409)
    en.skills.refused("claim", KARIM, {"request_id": asked}, status=409, says="no longer waiting")
    en.skills.refused("coach_reply", KARIM, {"request_id": asked, "body": "Too late."}, status=409)
    en.skills.refused("release", KARIM, {"request_id": asked}, status=409)


def test_a_learner_can_resolve_while_her_reply_waits_for_a_coach(en, answered):
    en.skills.ok("reply", MATHILDE, {"request_id": answered, "body": "Thanks, I think I have it now."})
    resolved = en.skills.ok("resolve", MATHILDE, {"request_id": answered, "rating": 4})
    assert resolved["request"]["status"] == "resolved"


def test_withdrawing_a_claimed_request_ends_the_claim(en, claimed):
    withdrawn = en.skills.ok("withdraw", MATHILDE, {"request_id": claimed})["request"]
    assert (withdrawn["status"], withdrawn["claimed_by_name"]) == ("withdrawn", "")
    en.skills.refused(
        "coach_reply", KARIM, {"request_id": claimed, "body": "Here you go."}, status=409, says="no longer waiting"
    )


# Coach-only handlers


@pytest.mark.parametrize("learner", [MATHILDE, PAUL])
@pytest.mark.parametrize("handler", COACH_HANDLERS)
def test_a_learner_cannot_call_coach_handlers(en, claimed, handler, learner):
    payload = {"queue": {}, "coach_reply": {"request_id": claimed, "body": "I answer myself."}}.get(
        handler, {"request_id": claimed}
    )
    en.skills.refused(handler, learner, payload, status=403, says="Only the coaches")


@pytest.mark.parametrize("handler", COACH_HANDLERS)
def test_an_id_missing_from_the_coach_list_is_not_a_coach(en, claimed, handler):
    """Looking like a coach's id is not enough: only the ids of the block's coach list are coaches."""
    en.skills.refused(handler, "coach_someone_else", {"request_id": claimed}, status=403)


@pytest.mark.parametrize(
    ("body", "says"),
    [
        pytest.param(MISSING, "required", id="missing"),
        pytest.param("", "required", id="empty"),
        pytest.param(" \n\t ", "required", id="whitespace"),
        pytest.param(3, "expected text", id="int"),
        pytest.param(False, "expected text", id="bool"),
        pytest.param(_long(10001), "at most 10000", id="10001-chars"),
    ],
)
def test_coach_reply_refuses_bad_text(en, claimed, body, says):
    payload = {"request_id": claimed} if body is MISSING else {"request_id": claimed, "body": body}
    en.skills.refused("coach_reply", KARIM, payload, status=400, says=says)


def test_coach_reply_of_exactly_max_length_is_accepted(en, claimed):
    detail = en.skills.ok("coach_reply", KARIM, {"request_id": claimed, "body": _long(10000)})
    assert detail["request"]["messages"][-1]["body"] == _long(10000)


def test_a_second_coach_is_refused_a_claimed_request_and_told_who_holds_it(en, claimed):
    error = en.skills.refused("claim", LEA, {"request_id": claimed}, status=409)
    assert KARIM in error
    assert f"#{claimed}" in error
    en.skills.refused("coach_reply", LEA, {"request_id": claimed, "body": "I answer too."}, status=409, says=KARIM)
    en.skills.refused("release", LEA, {"request_id": claimed}, status=409)
    detail = en.skills.ok("request_detail", LEA, {"request_id": claimed})
    assert f"Claimed by {KARIM}" in detail["html"]
    assert "Send answer" not in detail["html"]
    assert "Claim this request" not in detail["html"]


def test_the_holder_claiming_again_extends_the_claim(en, claimed):
    soon = timezone.now() + timedelta(minutes=1)
    CheckinRequest.objects.filter(pk=claimed).update(claim_expires_at=soon)
    claim(en.skills, KARIM, claimed)
    extended = CheckinRequest.objects.get(pk=claimed)
    assert extended.claimed_by == KARIM
    assert extended.claim_expires_at > soon + timedelta(minutes=20)


def test_a_released_claim_lets_another_coach_take_the_request(en, claimed):
    released = en.skills.ok("release", KARIM, {"request_id": claimed})
    assert released["request"]["claimed_by_name"] == ""
    assert "Claim this request (30 minutes)" in released["html"]
    en.skills.refused("release", KARIM, {"request_id": claimed}, status=409, says="do not hold a claim")
    en.skills.refused(
        "coach_reply", KARIM, {"request_id": claimed, "body": "Late answer."}, status=409, says="Claim request"
    )
    taken = claim(en.skills, LEA, claimed)
    assert taken["request"]["claimed_by_name"] == LEA


def test_answering_without_a_claim_is_refused(en, asked):
    en.skills.refused(
        "coach_reply", KARIM, {"request_id": asked, "body": "Here are tips."}, status=409, says="Claim request"
    )


def test_answering_after_the_claim_expired_is_refused(en, claimed):
    expire_claim(claimed)
    en.skills.refused(
        "coach_reply", KARIM, {"request_id": claimed, "body": "Here are tips."}, status=409, says="Claim request"
    )


def test_answering_after_the_claim_expired_and_another_coach_took_it_is_refused(en, claimed):
    expire_claim(claimed)
    taken = claim(en.skills, LEA, claimed)
    assert taken["request"]["claimed_by_name"] == LEA

    error = en.skills.refused("coach_reply", KARIM, {"request_id": claimed, "body": "My late tips."}, status=409)
    assert LEA in error
    en.skills.refused("claim", KARIM, {"request_id": claimed}, status=409, says=LEA)
    en.skills.refused("release", KARIM, {"request_id": claimed}, status=409)

    answered = en.skills.ok("coach_reply", LEA, {"request_id": claimed, "body": "Léa's tips."})
    assert [m["author_name"] for m in answered["request"]["messages"]] == [LEA]


def test_an_answered_request_cannot_be_claimed_until_the_learner_replies(en, answered):
    en.skills.refused("claim", LEA, {"request_id": answered}, status=409, says="Answered")
    en.skills.ok("reply", MATHILDE, {"request_id": answered, "body": "One more question about soft skills."})
    assert claim(en.skills, LEA, answered)["request"]["claimed_by_name"] == LEA


# Courses are separate


def test_a_request_of_the_french_course_is_invisible_and_untouchable_from_the_english_one(client, en, fr):
    french = ask(fr.skills, stuck_on="Je ne sais pas nommer mes compétences de technicienne réseau.")

    assert queue_ids(en.skills, status="all") == []
    assert queue_ids(en.feasibility, status="all") == []
    assert "compétences de technicienne" not in page(client, en.url, KARIM)
    for handler, payload in COACH_ACTIONS.items():
        en.skills.refused(handler, KARIM, {**payload, "request_id": french}, status=404, says="in this course")
    for handler, payload in LEARNER_ACTIONS.items():
        en.skills.refused(handler, MATHILDE, {**payload, "request_id": french}, status=404)
    assert en.skills.ok("learner_state", MATHILDE)["requests"] == []

    # Seen from its own course, it is there.
    assert queue_ids(fr.feasibility) == [french]
    assert fr.skills.ok("request_detail", KARIM, {"request_id": french})["request"]["id"] == french


def test_a_learners_history_shown_to_coaches_stays_within_the_course(en, fr):
    ask(fr.feasibility)
    english = ask(en.skills)
    assert en.skills.ok("request_detail", KARIM, {"request_id": english})["other_requests"] == []


# Escaping learner and coach text


def test_learner_and_coach_text_is_escaped_wherever_it_is_shown(client, en):
    earlier = ask(en.feasibility, working_on=XSS, stuck_on=XSS, tried=XSS)
    en.feasibility.ok("withdraw", MATHILDE, {"request_id": earlier})
    request_id = ask(en.skills, working_on=XSS, stuck_on=XSS, tried=XSS)
    answer(en.skills, KARIM, request_id, body=XSS)
    en.skills.ok("reply", MATHILDE, {"request_id": request_id, "body": XSS})

    learner_state = en.skills.ok("learner_state", MATHILDE)
    assert learner_state["requests"][0]["stuck_on"] == XSS  # JSON carries the text as written
    _assert_escaped(learner_state["html"])
    _assert_escaped(page(client, en.url, MATHILDE))
    _assert_escaped(en.skills.ok("queue", KARIM)["html"])
    detail = en.skills.ok("request_detail", KARIM, {"request_id": request_id})
    _assert_escaped(detail["html"])
    assert detail["html"].count(XSS_ESCAPED) >= 6  # 3 fields, 2 thread messages, the earlier request
    _assert_escaped(page(client, en.url, KARIM))

    en.skills.ok("resolve", MATHILDE, {"request_id": request_id, "rating": 2, "comment": XSS})
    _assert_escaped(en.skills.ok("learner_state", MATHILDE)["html"])
    _assert_escaped(en.skills.ok("request_detail", KARIM, {"request_id": request_id})["html"])


def test_a_learner_name_made_of_html_is_escaped_in_the_coach_queue(en):
    ask(en.skills, learner="<b>eve</b>")
    html = en.skills.ok("queue", KARIM)["html"]
    assert "&lt;b&gt;eve&lt;/b&gt;" in html
    assert "<b>eve</b>" not in html


def test_a_link_is_shown_as_written_with_its_quotes_escaped(en):
    link = 'https://example.org/a"onmouseover="alert(1)'
    request_id = ask(en.skills, link=link)
    html = en.skills.ok("request_detail", KARIM, {"request_id": request_id})["html"]
    assert 'href="https://example.org/a&quot;onmouseover=&quot;alert(1)"' in html
    assert 'onmouseover="alert' not in html


# The queue: scope, filters, pages


def test_queue_scope_point_shows_only_this_points_requests(en):
    skills = [ask(en.skills, learner) for learner in (MATHILDE, PAUL)]
    feasibility = [ask(en.feasibility, learner) for learner in (MATHILDE, PAUL)]

    assert queue_ids(en.skills, scope="point") == skills
    assert queue_ids(en.feasibility, scope="point") == feasibility
    assert queue_ids(en.skills, scope="course") == sorted(skills + feasibility)
    point_queue = en.skills.ok("queue", KARIM, {"scope": "point"})
    assert point_queue["filters"] == {"scope": "point", "status": "open", "order": "oldest"}
    assert {row["point_title"] for row in point_queue["rows"]} == {"Naming my skills"}


def test_a_coach_works_the_whole_course_from_any_check_in_point(en):
    skills_request = ask(en.skills)
    assert queue_ids(en.feasibility) == [skills_request]
    claim(en.feasibility, KARIM, skills_request)
    en.feasibility.ok("coach_reply", KARIM, {"request_id": skills_request, "body": "Answered from the other point."})
    assert my_requests(en.skills, MATHILDE)[skills_request]["status"] == "answered"


@pytest.mark.parametrize(
    ("filters", "says"),
    [
        pytest.param({"scope": "world"}, "scope", id="scope-unknown"),
        pytest.param({"scope": 1}, "scope", id="scope-int"),
        pytest.param({"status": "pending"}, "status", id="status-unknown"),
        pytest.param({"status": 3}, "expected text", id="status-int"),
        pytest.param({"order": "random"}, "order", id="order-unknown"),
        pytest.param({"order": ["newest"]}, "expected text", id="order-list"),
        pytest.param({"after": 12}, "expected text", id="after-int"),
        pytest.param({"before": True}, "expected text", id="before-bool"),
    ],
)
def test_queue_refuses_unknown_filters(en, asked, filters, says):
    en.skills.refused("queue", KARIM, filters, status=400, says=says)


@pytest.fixture
def thirty_requests(en):
    """Fifteen learners ask at both points of the English course: thirty open requests, oldest first."""
    ids = []
    for n in range(1, 16):
        ids.append(ask(en.skills, f"learner{n:02}"))
        ids.append(ask(en.feasibility, f"learner{n:02}"))
    return ids


def test_queue_pages_thirty_requests_as_25_then_5(en, thirty_requests):
    first = en.skills.ok("queue", KARIM, {})
    assert [row["id"] for row in first["rows"]] == thirty_requests[:25]
    assert first["previous"] is None
    assert first["next"]
    assert f'data-after="{first["next"]}"' in first["html"]
    assert "Previous page" not in first["html"]

    second = en.skills.ok("queue", KARIM, {"after": first["next"]})
    assert [row["id"] for row in second["rows"]] == thirty_requests[25:]
    assert second["next"] is None
    assert second["previous"]
    assert "Next page" not in second["html"]

    back = en.skills.ok("queue", KARIM, {"before": second["previous"]})
    assert [row["id"] for row in back["rows"]] == thirty_requests[:25]
    assert back["previous"] is None
    assert back["next"]


def test_queue_pages_newest_first(en, thirty_requests):
    newest = list(reversed(thirty_requests))
    first = en.skills.ok("queue", KARIM, {"order": "newest"})
    assert [row["id"] for row in first["rows"]] == newest[:25]
    second = en.skills.ok("queue", KARIM, {"order": "newest", "after": first["next"]})
    assert [row["id"] for row in second["rows"]] == newest[25:]
    assert second["next"] is None


def test_queue_pages_within_a_point(en, thirty_requests):
    skills = thirty_requests[0::2]
    assert queue_ids(en.skills, scope="point") == skills
    assert en.skills.ok("queue", KARIM, {"scope": "point"})["next"] is None


@pytest.mark.parametrize(
    "cursor",
    [
        "forged",
        "1.2.3",
        "abc.def",
        "12",
        "99999999999999999999999999.1",
        "1700000000000000.<script>",
    ],
)
@pytest.mark.parametrize("direction", ["after", "before"])
def test_a_forged_cursor_is_refused(en, thirty_requests, cursor, direction):
    en.skills.refused("queue", KARIM, {direction: cursor}, status=400, says="not valid")


def test_a_well_formed_cursor_of_any_value_still_shows_only_this_course(en, fr, thirty_requests):
    """Cursors are positions, not permissions: an invented one moves the window, never the filters."""
    french = ask(fr.skills)
    for cursor in ("0.0", "-1.-1", "1.9223372036854775807"):
        ids = queue_ids(en.skills, after=cursor, status="all")
        assert french not in ids
        assert set(ids) <= set(thirty_requests)


def test_a_cursor_beyond_any_request_id_is_refused(en):
    en.skills.refused("queue", KARIM, {"after": "1.99999999999999999999"}, status=400)


def test_asking_for_next_and_previous_at_once_is_refused(en, thirty_requests):
    cursor = en.skills.ok("queue", KARIM, {})["next"]
    en.skills.refused("queue", KARIM, {"after": cursor, "before": cursor}, status=400)


# CSRF


def test_handlers_require_the_csrf_token_of_the_page(en):
    browser = Client(enforce_csrf_checks=True)
    url = f"/handler/{en.skills.usage_id}/ask/?student={MATHILDE}"
    body = json.dumps(ask_payload(client_token="csrf"))

    refused = browser.post(url, data=body, content_type="application/json")
    assert refused.status_code == 403
    assert CheckinRequest.objects.count() == 0

    page(browser, en.url, MATHILDE)
    token = browser.cookies["csrftoken"].value
    assert (
        browser.post(url, data=body, content_type="application/json", HTTP_X_CSRFTOKEN="wrong" * 7).status_code == 403
    )
    assert CheckinRequest.objects.count() == 0

    accepted = browser.post(url, data=body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 200, accepted.content
    assert CheckinRequest.objects.get().learner_id == MATHILDE
