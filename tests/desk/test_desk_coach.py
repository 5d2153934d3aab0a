"""A coach on the desk: claiming, releasing, answering a request of the course; what is refused, and why."""
from datetime import timedelta

import pytest
from django.utils import timezone
from story import KARIM, LEA, MATHILDE, unchanged
from story.workbench import expire_claim

from coach_xblock.models import CheckinRequest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("body", "says"),
    [
        pytest.param(None, "required", id="missing"),
        pytest.param("", "required", id="empty"),
        pytest.param(" \n\t ", "required", id="whitespace"),
        pytest.param("x" * 10001, "at most 10,000", id="10001-chars"),
    ],
)
def test_an_answer_of_bad_text_is_refused_and_the_draft_kept(desk, claimed, body, says):
    data = {} if body is None else {"body": body}
    html = desk.refused("desk_answer", KARIM, data, status=400, says=says, request_id=claimed)
    assert 'role="alert"' in html
    if body:
        assert f">{body}</textarea>" in html


def test_an_answer_of_exactly_the_maximum_length_is_sent(desk, claimed):
    desk.done("desk_answer", KARIM, claimed, {"body": "x" * 10000})
    assert CheckinRequest.objects.get(pk=claimed).messages.get().body == "x" * 10000


def test_a_second_coach_is_refused_a_claimed_request_and_told_who_holds_it(desk, claimed):
    html = desk.refused("desk_claim", LEA, status=409, says=f"{KARIM} is already working on request #{claimed}",
                        request_id=claimed)
    assert "I answer too." not in html
    desk.refused("desk_answer", LEA, {"body": "I answer too."}, status=409, says=KARIM, request_id=claimed)
    desk.refused("desk_release", LEA, status=409, request_id=claimed)
    page = desk.page("desk_request", LEA, request_id=claimed)
    assert f"Claimed by {KARIM}" in page
    assert "Send answer" not in page
    assert "Claim this request" not in page


def test_the_holder_sees_the_answer_form_and_the_claims_countdown(desk, claimed):
    page = desk.page("desk_request", KARIM, request_id=claimed, query={"done": "claimed"})
    assert "Send answer" in page and "Release my claim" in page and "Extend my claim by 30 minutes" in page
    assert 'class="coach-countdown"' in page
    assert "You hold this request" in page


def test_the_holder_claiming_again_extends_the_claim(desk, claimed):
    soon = timezone.now() + timedelta(minutes=1)
    CheckinRequest.objects.filter(pk=claimed).update(claim_expires_at=soon)
    desk.claim(KARIM, claimed)
    extended = CheckinRequest.objects.get(pk=claimed)
    assert extended.claimed_by == KARIM
    assert extended.claim_expires_at > soon + timedelta(minutes=20)


def test_a_released_claim_lets_another_coach_take_the_request(desk, claimed):
    desk.release(KARIM, claimed)
    assert "Claim this request (30 minutes)" in desk.page("desk_request", KARIM, request_id=claimed)
    desk.refused("desk_release", KARIM, status=409, says="do not hold a claim", request_id=claimed)
    desk.refused("desk_answer", KARIM, {"body": "Late answer."}, status=409, says="Claim request", request_id=claimed)
    desk.claim(LEA, claimed)
    assert CheckinRequest.objects.get(pk=claimed).claimed_by == LEA


def test_answering_without_a_claim_is_refused(desk, asked):
    desk.refused("desk_answer", KARIM, {"body": "Here are tips."}, status=409, says="Claim request", request_id=asked)


def test_answering_after_the_claim_expired_and_another_coach_took_it_is_refused(desk, claimed):
    expire_claim(claimed)
    desk.claim(LEA, claimed)
    html = desk.refused("desk_answer", KARIM, {"body": "My late tips."}, status=409, says=LEA, request_id=claimed)
    # He no longer holds it: no answer form, but what he wrote is kept, read-only, for him to copy.
    main = html[html.index("<main"):html.index("</main>")]
    assert "coach-answer-form" not in main and 'name="body"' not in main.split('class="coach-notes"')[0]
    kept = '<textarea id="coach-answer-draft" rows="8" readonly aria-describedby="coach-request-error">My late tips.'
    assert kept in html
    desk.refused("desk_claim", KARIM, status=409, says=LEA, request_id=claimed)
    desk.done("desk_answer", LEA, claimed, {"body": "Léa's tips."})
    assert [m.author_name for m in CheckinRequest.objects.get(pk=claimed).messages.all()] == [LEA]


def test_an_answered_request_cannot_be_claimed_until_the_learner_replies(desk, en, answered):
    desk.refused("desk_claim", LEA, status=409, says="Answered", request_id=answered)
    en.skills.reply(MATHILDE, answered, "One more question about soft skills.")
    desk.refused("desk_claim", LEA, status=409, says="is a follow-up", request_id=answered)
    desk.claim(KARIM, answered)


def test_a_follow_up_is_marked_in_the_queue_and_offered_to_the_coach_who_answered(desk, en, answered):
    en.skills.reply(MATHILDE, answered, "One more question about soft skills.")
    queue = desk.page("desk_course", LEA)
    assert "Follow-up" in queue and f"(for {KARIM} first)" in queue
    page = desk.page("desk_request", LEA, request_id=answered)
    assert f"{KARIM}, who answered last, has it first until" in page
    assert "Claim this request" not in page
    assert "offered to you first" in desk.page("desk_request", KARIM, request_id=answered)
    CheckinRequest.objects.filter(pk=answered).update(waiting_since=timezone.now() - timedelta(hours=1))
    desk.claim(LEA, answered)


def test_after_an_answer_next_request_opens_the_oldest_waiting_one_the_coach_may_claim(desk, en, asked):
    later = en.feasibility.ask("paul")
    desk.answer(KARIM, asked)
    response = desk.get("desk_next", KARIM)
    assert response.status_code == 303
    assert response["Location"].startswith(f"/coach-xblock/courses/{desk.course}/desk/requests/{later}/")
    desk.claim(LEA, later)
    nothing = desk.get("desk_next", KARIM)
    assert nothing.status_code == 303 and "done=none_waiting" in nothing["Location"]
    assert "No request waits for you now." in desk.page("desk_course", KARIM, query={"done": "none_waiting"})


def test_a_request_of_another_course_is_not_found(desk, fr):
    french = fr.skills.ask()
    desk.refused("desk_request", KARIM, status=404, method="get", says=f"no request #{french}", request_id=french)
    desk.refused("desk_claim", KARIM, status=404, request_id=french)
    desk.refused("desk_answer", KARIM, {"body": "tips"}, status=404, request_id=french)


def test_the_earlier_check_ins_of_the_learner_are_listed_with_their_links(desk, en, answered):
    second = en.feasibility.ask()
    page = desk.page("desk_request", KARIM, request_id=second)
    assert f'/desk/requests/{answered}/?student={KARIM}' in page
    assert "Naming my skills" in page


def test_the_coach_previews_a_markdown_answer_keeps_the_draft_and_nothing_is_saved(desk, claimed):
    draft = "Start from **verbs**:\n\n- configured\n- trained\n\n<script>alert(1)</script> [x](javascript:alert(2))"
    with unchanged():
        response = desk.post("desk_preview", KARIM, {"body": draft}, request_id=claimed)
    assert response.status_code == 200
    html = response.content.decode()
    preview = html[html.index('<section class="coach-preview"'):]
    assert "<strong>verbs</strong>" in preview and "<li>configured</li>" in preview
    assert "<script>alert(1)" not in html and "href=\"javascript" not in preview
    assert ">Start from **verbs**:" in html  # the draft is back in the box, as written
    desk.done("desk_answer", KARIM, claimed, {"body": draft})
    thread = desk.page("desk_request", KARIM, request_id=claimed)
    assert "<strong>verbs</strong>" in thread and "<script>alert(1)" not in thread


def test_a_preview_longer_than_an_answer_is_refused_and_the_draft_kept(desk, claimed):
    html = desk.refused("desk_preview", KARIM, {"body": "x" * 10001}, status=400, says="at most 10,000",
                        request_id=claimed)
    assert "x" * 10001 + "</textarea>" in html
