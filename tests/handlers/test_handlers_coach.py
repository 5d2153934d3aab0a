"""The coach's handlers: claiming, releasing, answering, and the queue of the course (scope,
filters, keyset pages); what they refuse, and to whom."""
from datetime import timedelta

import pytest
from django.utils import timezone
from story import KARIM, LEA, MATHILDE, PAUL
from story.workbench import MISSING, expire_claim

from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db


# Coach-only handlers

COACH_HANDLERS = ["queue", "request_detail", "claim", "release", "coach_reply"]


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
        pytest.param("x" * 10001, "at most 10000", id="10001-chars"),
    ],
)
def test_coach_reply_refuses_bad_text(en, claimed, body, says):
    payload = {"request_id": claimed} if body is MISSING else {"request_id": claimed, "body": body}
    en.skills.refused("coach_reply", KARIM, payload, status=400, says=says)


def test_coach_reply_of_exactly_max_length_is_accepted(en, claimed):
    detail = en.skills.ok("coach_reply", KARIM, {"request_id": claimed, "body": "x" * 10000})
    assert detail["request"]["messages"][-1]["body"] == "x" * 10000


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
    en.skills.claim(KARIM, claimed)
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
    taken = en.skills.claim(LEA, claimed)
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
    taken = en.skills.claim(LEA, claimed)
    assert taken["request"]["claimed_by_name"] == LEA

    error = en.skills.refused("coach_reply", KARIM, {"request_id": claimed, "body": "My late tips."}, status=409)
    assert LEA in error
    en.skills.refused("claim", KARIM, {"request_id": claimed}, status=409, says=LEA)
    en.skills.refused("release", KARIM, {"request_id": claimed}, status=409)

    answered = en.skills.ok("coach_reply", LEA, {"request_id": claimed, "body": "Léa's tips."})
    assert [m["author_name"] for m in answered["request"]["messages"]] == [LEA]


def test_an_answered_request_cannot_be_claimed_until_the_learner_replies(en, answered):
    en.skills.refused("claim", LEA, {"request_id": answered}, status=409, says="Answered")
    en.skills.reply(MATHILDE, answered, "One more question about soft skills.")
    assert en.skills.claim(LEA, answered)["request"]["claimed_by_name"] == LEA


# The queue: scope, filters, pages


def test_queue_scope_point_shows_only_this_points_requests(en):
    skills = [en.skills.ask(learner) for learner in (MATHILDE, PAUL)]
    feasibility = [en.feasibility.ask(learner) for learner in (MATHILDE, PAUL)]

    assert en.skills.queue_ids(scope="point") == skills
    assert en.feasibility.queue_ids(scope="point") == feasibility
    assert en.skills.queue_ids(scope="course") == sorted(skills + feasibility)
    point_queue = en.skills.ok("queue", KARIM, {"scope": "point"})
    assert point_queue["filters"] == {"scope": "point", "status": "open", "order": "oldest"}
    assert {row["point_title"] for row in point_queue["rows"]} == {"Naming my skills"}


def test_a_coach_works_the_whole_course_from_any_check_in_point(en):
    skills_request = en.skills.ask()
    assert en.feasibility.queue_ids() == [skills_request]
    en.feasibility.claim(KARIM, skills_request)
    en.feasibility.ok("coach_reply", KARIM, {"request_id": skills_request, "body": "Answered from the other point."})
    assert en.skills.my_requests(MATHILDE)[skills_request]["status"] == "answered"


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
        ids.append(en.skills.ask(f"learner{n:02}"))
        ids.append(en.feasibility.ask(f"learner{n:02}"))
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
    assert en.skills.queue_ids(scope="point") == skills
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
    french = fr.skills.ask()
    for cursor in ("0.0", "-1.-1", "1.9223372036854775807"):
        ids = en.skills.queue_ids(after=cursor, status="all")
        assert french not in ids
        assert set(ids) <= set(thirty_requests)


def test_a_cursor_beyond_any_request_id_is_refused(en):
    en.skills.refused("queue", KARIM, {"after": "1.99999999999999999999"}, status=400)


def test_asking_for_next_and_previous_at_once_is_refused(en, thirty_requests):
    cursor = en.skills.ok("queue", KARIM, {})["next"]
    en.skills.refused("queue", KARIM, {"after": cursor, "before": cursor}, status=400)
