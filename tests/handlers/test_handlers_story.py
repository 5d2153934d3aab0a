"""The story of DESIGN.md over HTTP, end to end, and what each person's page shows.

Every test of this folder talks to the block the way the browser does (tests/story/workbench.py): Django's
test client GETs the workbench's scenario pages and POSTs JSON to `/handler/<usage_id>/<handler>/?student=<id>`;
coaches work on the coach desk's pages (tests/story/desk.py),
against a real database (SQLite, PostgreSQL or MariaDB). Nothing is mocked. The only direct ORM use is reading
rows to check what a call changed (or did not change) and, as test setup, moving a claim's expiry into the past.
"""

import pytest
from story import ASK, KARIM, LEA, MATHILDE
from story.desk import request_ids
from story.workbench import ask_payload, page

from coach_xblock.models import CheckinMessage, CheckinRequest

pytestmark = pytest.mark.django_db


# The story of DESIGN.md, end to end


def test_mathilde_is_coached_by_karim_from_question_to_rated_resolution(client, en):
    # Earlier in the course, Mathilde asked twice at "Is my project feasible?": Léa answered the
    # first request and Mathilde resolved it; she withdrew the second.
    feasible_1 = en.feasibility.ask(stuck_on="I do not know if a move into training is realistic for me.")
    en.feasibility.answer(LEA, feasible_1, "Look at three real offers first.")
    en.feasibility.resolve(MATHILDE, feasible_1, 4)
    feasible_2 = en.feasibility.ask(stuck_on="Second thoughts about the mobility the job requires.")
    en.feasibility.withdraw(MATHILDE, feasible_2)

    # At "Define your skills", she reads the prompt and the tips, and finds the form.
    learner_page = page(client, en.url, MATHILDE)
    assert "You know your job but not how to name your skills?" in learner_page
    assert "Reread your last three assignments and note every action verb." in learner_page
    assert "Where are you stuck?" in learner_page

    # She asks; she is told she is waiting for a coach, usually within 48 hours.
    asked = en.skills.ok("ask", MATHILDE, ask_payload())
    request_id = asked["request"]["id"]
    assert asked["request"]["status"] == "open"
    assert asked["request"]["link"] == ASK["link"]
    assert asked["can_ask"] is False
    assert "Waiting for a coach" in asked["html"]
    assert "Expected answer within 48 hours." in asked["html"]

    # Karim opens the coach desk of the course, oldest first: her request is waiting there.
    desk = en.skills.desk
    queue = desk.page("desk_course", KARIM, query={"status": "open", "order": "oldest"})
    assert request_ids(queue) == [request_id]
    assert MATHILDE in queue and "Naming my skills" in queue

    # He opens it and sees her two earlier check-ins in the course.
    detail = desk.page("desk_request", KARIM, request_id=request_id)
    assert ask_payload()["stuck_on"] in detail
    assert f"Request #{feasible_1}</a>" in detail and f"Request #{feasible_2}</a>" in detail
    assert "Earlier check-ins of mathilde in this course" in detail
    assert "Claim this request (30 minutes)" in detail

    # He claims it: the answer form is his, and Léa is kept out.
    desk.claim(KARIM, request_id)
    claimed = desk.page("desk_request", KARIM, request_id=request_id)
    assert "A coach is on it" in claimed and "Send answer" in claimed
    desk.refused("desk_claim", LEA, status=409, says=KARIM, request_id=request_id)

    # He answers with tips; the request waits for Mathilde and the claim ends.
    tips = "Turn each verb into a skill: 'configured routers' becomes 'network configuration'."
    desk.done("desk_answer", KARIM, request_id, {"body": tips})
    answered = CheckinRequest.objects.get(pk=request_id)
    assert (answered.status, answered.claimed_by_name) == ("answered", "")
    assert answered.first_answered_at is not None

    # Mathilde is told: her request is answered and shows Karim's message.
    state = en.skills.ok("learner_state", MATHILDE)
    [mine] = state["requests"]
    assert mine["status"] == "answered"
    assert [(m["author_role"], m["author_name"], m["body"]) for m in mine["messages"]] == [("coach", KARIM, tips)]
    assert f"<p>{tips}</p>" in state["html"]  # a paragraph of Markdown (quotes need no escaping in text)
    assert "Reply to your coach" in state["html"]

    # She replies with a revised list; the request waits for a coach again.
    revised = "Revised list: network configuration, incident diagnosis, user support."
    replied = en.skills.reply(MATHILDE, request_id, revised)
    assert replied["request"]["status"] == "open"
    assert en.skills.queue_ids() == [request_id]

    # Karim claims again and answers again.
    second = "Good list. Add one soft skill you used with users."
    en.skills.answer(KARIM, request_id, second)
    assert en.skills.my_requests(MATHILDE)[request_id]["status"] == "answered"

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
    assert en.skills.queue_ids() == []
    assert en.skills.queue_ids(status="resolved") == [feasible_1, request_id]
    assert en.skills.queue_ids(status="withdrawn") == [feasible_2]
    assert en.skills.queue_ids(status="all", order="newest") == [request_id, feasible_2, feasible_1]
    final = desk.page("desk_request", KARIM, request_id=request_id)
    assert "The learner rated this help 5 out of 5." in final


# What each person sees on the page


def test_the_learner_state_tells_the_page_when_to_watch_and_when_to_redraw(client, en):
    """The learner view polls while a request waits for a coach and redraws when its version moves."""
    nothing = en.skills.ok("learner_state", MATHILDE)
    assert nothing["waiting"] is False
    request_id = en.skills.ask()
    waiting = en.skills.ok("learner_state", MATHILDE)
    assert waiting["waiting"] is True and waiting["version"] != nothing["version"]
    assert en.skills.ok("learner_state", MATHILDE)["version"] == waiting["version"]
    en.skills.claim(KARIM, request_id)
    claimed = en.skills.ok("learner_state", MATHILDE)
    assert claimed["version"] != waiting["version"]
    en.skills.desk.done("desk_answer", KARIM, request_id, {"body": "Start from your verbs."})
    answered = en.skills.ok("learner_state", MATHILDE)
    assert answered["waiting"] is False and answered["version"] != claimed["version"]
    assert answered["version"] in page(client, en.url, MATHILDE), "the page starts from the same version"


def test_learner_page_shows_the_ask_form_and_not_the_queue(client, en):
    html = page(client, en.url, MATHILDE)
    assert "Where are you stuck?" in html
    assert "coach-ask-form" in html
    assert "open the coach desk" not in html


def test_coach_page_shows_the_points_summary_and_not_the_ask_form(client, en, asked):
    html = page(client, en.url, KARIM)
    assert '<data class="coach-number" value="1">1</data> request waits here' in html and "open the coach desk" in html
    assert f'data-request-id="{asked}"' not in html
    assert "coach-ask-form" not in html
    assert "Where are you stuck?" not in html
