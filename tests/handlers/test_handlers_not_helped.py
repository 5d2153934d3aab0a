"""The block's `not_helped` handler: Mathilde says Karim's answer did not help, then asks again or closes; what
it refuses (400 bad input, 404 someone else's or no request, 409 a request that does not wait for her) changes
nothing, and a double click makes one change."""
import pytest
from story import KARIM, LEA, MATHILDE, PAUL
from story.workbench import MISSING

from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db

COMMENT = "I still do not see which skills to name."


def test_asking_again_answers_the_request_waiting_for_a_coach_and_the_panel(en, answered):
    state = en.skills.not_helped(MATHILDE, answered, "ask_again")
    assert (state["request"]["status"], state["request"]["not_helped_count"]) == ("open", 1)
    assert state["request"]["not_helped_comment"] == COMMENT
    assert state["request"]["messages"][-1]["body"] == COMMENT
    assert state["waiting"] is True
    assert "You asked again" in state["html"]
    assert answered in en.skills.queue_ids(LEA)


def test_closing_answers_the_closed_request_with_its_rating(en, answered):
    state = en.skills.not_helped(MATHILDE, answered, "close", rating=2)
    assert (state["request"]["status"], state["request"]["rating"]) == ("not_helped", 2)
    assert "Closed: did not help" in state["html"]
    assert "You rated this help 2 out of 5." in state["html"]


@pytest.mark.parametrize("then", ["ask_again", "close"])
def test_a_double_click_makes_one_change(en, answered, then):
    en.skills.not_helped(MATHILDE, answered, then)
    en.skills.refused(
        "not_helped", MATHILDE, {"request_id": answered, "comment": COMMENT, "then": then}, status=409,
        says="once a coach has answered",
    )
    assert CheckinRequest.objects.get(pk=answered).not_helped_count == 1


@pytest.mark.parametrize(("changes", "says"), [
    ({"then": MISSING}, "Next step"),
    ({"then": "maybe"}, "Next step"),
    ({"then": 1}, "Next step"),
    ({"comment": 12}, "What was missing?: expected text"),
    ({"comment": ["a"]}, "expected text"),
    ({"comment": "x" * 1001}, "at most 1,000"),
    ({"comment": "   "}, "this field is required"),
    ({"rating": 2}, "when you close the request"),
    ({"then": "close", "rating": 0}, "Rating"),
    ({"then": "close", "rating": 2.5}, "Rating"),
    ({"then": "close", "rating": "2"}, "Rating"),
    ({"request_id": "1"}, "request_id"),
    ({"request_id": MISSING}, "request_id"),
])
def test_bad_input_is_refused_with_400_and_changes_nothing(en, answered, changes, says):
    payload = {"request_id": answered, "comment": COMMENT, "then": "ask_again", **changes}
    payload = {key: value for key, value in payload.items() if value is not MISSING}
    en.skills.refused("not_helped", MATHILDE, payload, status=400, says=says)


def test_a_huge_comment_is_refused(en, answered):
    en.skills.refused(
        "not_helped", MATHILDE, {"request_id": answered, "comment": "x" * 1_000_000, "then": "close"}, status=400
    )


def test_someone_elses_or_no_request_is_not_found(en, answered):
    body = {"request_id": answered, "comment": COMMENT, "then": "close"}
    en.skills.refused("not_helped", PAUL, body, status=403, says="another learner")
    en.feasibility.refused("not_helped", MATHILDE, body, status=404)
    en.skills.refused("not_helped", MATHILDE, {**body, "request_id": 999_999}, status=404)


@pytest.mark.parametrize("then", ["ask_again", "close"])
def test_a_request_no_coach_answered_yet_is_refused_with_409(en, asked, then):
    en.skills.refused(
        "not_helped", MATHILDE, {"request_id": asked, "comment": COMMENT, "then": then}, status=409,
        says="Waiting for a coach",
    )


def test_the_coach_whose_answer_did_not_help_cannot_claim_first_but_lea_can(en, answered):
    en.skills.not_helped(MATHILDE, answered, "ask_again")
    en.skills.desk.refused("desk_claim", KARIM, status=409, says="your answer did not help", request_id=answered)
    en.skills.claim(LEA, answered)


def test_the_desk_marks_the_request_asked_again_and_shows_what_was_missing(en, answered):
    en.skills.not_helped(MATHILDE, answered, "ask_again", comment="I need <b>examples</b> for a trainer.")
    queue = en.skills.desk.page("desk_course", LEA)
    assert "Asked again: did not help" in queue
    karim_view = en.skills.desk.page("desk_request", KARIM, request_id=answered)
    assert "What was missing, in their words:" in karim_view
    assert "I need &lt;b&gt;examples&lt;/b&gt; for a trainer." in karim_view
    assert "Your answer did not help: another coach has it first until" in karim_view
    assert "Claim this request" not in karim_view
    lea_view = en.skills.desk.page("desk_request", LEA, request_id=answered)
    assert "Claim this request" in lea_view
    assert "another coach is preferred" in lea_view
