"""The learner's handlers: asking, replying, resolving, withdrawing; every input and every state
they refuse, and what other learners never see."""

import pytest
from story import KARIM, MATHILDE, PAUL
from story.workbench import LEARNER_ACTIONS, MISSING, ask_payload, page

from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db


def test_learner_without_an_id_is_refused(en):
    en.skills.refused("learner_state", "", status=403)
    en.skills.refused("ask", "", ask_payload(), status=403)


# Asking: every refused input


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
    pytest.param({"stuck_on": "x" * 19}, "at least 20", id="stuck_on-below-min_length"),
    pytest.param({"working_on": "x" * 2001}, "at most 2,000", id="working_on-2001"),
    pytest.param({"stuck_on": "x" * 2001}, "at most 2,000", id="stuck_on-2001"),
    pytest.param({"tried": "x" * 2001}, "at most 2,000", id="tried-2001"),
    pytest.param({"link": "https://example.org/" + "x" * 481}, "at most 500", id="link-501"),
    pytest.param({"client_token": "x" * 65}, "reload the page", id="client_token-65"),
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
    request_id = en.skills.ask(working_on="x" * 2000, stuck_on="x" * 20, tried=" " + "x" * 2000 + " ", link="")
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
    assert en.feasibility.ask() != asked
    assert en.skills.ask(PAUL) != asked


def test_a_withdrawn_request_frees_the_learner_to_ask_again(en, asked):
    en.skills.withdraw(MATHILDE, asked)
    assert en.skills.ask() != asked


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
        pytest.param("x" * 2001, "at most 2,000", id="2001-chars"),
    ],
)
def test_learner_reply_refuses_bad_text(en, answered, body, says):
    payload = {"request_id": answered} if body is MISSING else {"request_id": answered, "body": body}
    en.skills.refused("reply", MATHILDE, payload, status=400, says=says)


def test_learner_reply_of_exactly_max_length_is_accepted(en, answered):
    replied = en.skills.reply(MATHILDE, answered, "x" * 2000)
    assert replied["request"]["messages"][-1]["body"] == "x" * 2000


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
        pytest.param("x" * 1001, "at most 1,000", id="1001-chars"),
    ],
)
def test_resolve_refuses_a_bad_comment(en, answered, comment, says):
    en.skills.refused(
        "resolve", MATHILDE, {"request_id": answered, "rating": 4, "comment": comment}, status=400, says=says
    )


@pytest.mark.parametrize("comment", [MISSING, None, "", "   ", "x" * 1000])
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
    request_id = en.skills.ask(stuck_on=secret)
    en.skills.answer(KARIM, request_id, "A coach's private answer to Mathilde only.")
    en.feasibility.ask(stuck_on=secret)

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
        en.skills.answer(KARIM, asked)
        en.skills.resolve(MATHILDE, asked, 3)
    else:
        en.skills.withdraw(MATHILDE, asked)

    for handler, payload in LEARNER_ACTIONS.items():
        en.skills.refused(handler, MATHILDE, {**payload, "request_id": asked}, status=409)
    en.skills.desk.refused("desk_claim", KARIM, status=409, says="no longer waiting", request_id=asked)
    en.skills.desk.refused("desk_answer", KARIM, {"body": "Too late."}, status=409, request_id=asked)
    en.skills.desk.refused("desk_release", KARIM, status=409, request_id=asked)


def test_a_learner_can_resolve_while_her_reply_waits_for_a_coach(en, answered):
    en.skills.reply(MATHILDE, answered, "Thanks, I think I have it now.")
    resolved = en.skills.resolve(MATHILDE, answered, 4)
    assert resolved["request"]["status"] == "resolved"


def test_withdrawing_a_claimed_request_ends_the_claim(en, claimed):
    withdrawn = en.skills.withdraw(MATHILDE, claimed)["request"]
    assert (withdrawn["status"], withdrawn["claimed_by_name"]) == ("withdrawn", "")
    en.skills.desk.refused(
        "desk_answer", KARIM, {"body": "Here you go."}, status=409, says="no longer waiting", request_id=claimed
    )
