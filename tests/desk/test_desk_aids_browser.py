"""Saved replies and notes on the desk, in Chromium against a live workbench: Karim saves a reply at the skills
point, claims Mathilde's request, inserts the reply where his cursor is in his answer, and writes a note."""
import pytest
from playwright.sync_api import expect
from story import KARIM, MATHILDE, ask, newcomer
from story.desk import desk_path
from story.workbench import ENGLISH_COURSE

from coach_xblock import identity
from coach_xblock.domain import CheckinPoint, Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

VERBS = "Start from your verbs:\neach one is a skill once you add its context."


def test_a_coach_inserts_a_saved_reply_into_his_answer_and_writes_a_note(open_page, workbench):
    skills = identity.course_points(ENGLISH_COURSE)[0]
    point = CheckinPoint(course_key=ENGLISH_COURSE, point_id=skills.point_id, title=skills.title, topic="skills")
    request = ask(point, Person(MATHILDE, MATHILDE))
    ask(point, newcomer())

    replies = open_page(desk_path("desk_replies", ENGLISH_COURSE), KARIM)
    new = replies.locator("form.coach-new-reply").first
    new.get_by_label("Title").fill("Verbs")
    new.get_by_label("Text").fill(VERBS)
    new.get_by_role("button", name="Save this reply").click()
    expect(replies.get_by_role("status")).to_contain_text("The saved reply is saved")

    page = open_page(desk_path("desk_request", ENGLISH_COURSE, request_id=request.pk), KARIM)
    page.get_by_role("button", name="Claim this request (30 minutes)").click()
    answer = page.locator("#coach-answer")
    expect(page.locator(".coach-reply-picker")).to_be_visible()
    answer.fill("Hello Mathilde,\n\nThanks.")
    answer.evaluate("textarea => textarea.setSelectionRange(16, 16)")
    page.get_by_label("Saved reply").select_option(label="Verbs")
    page.get_by_role("button", name="Insert").click()
    expect(answer).to_have_value("Hello Mathilde,\n" + VERBS + "\nThanks.")
    expect(answer).to_be_focused()

    page.get_by_label("Your note").fill("Prefers concrete examples.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.locator(".coach-note")).to_contain_text("Prefers concrete examples.")
    assert replies.errors == [] and page.errors == []
