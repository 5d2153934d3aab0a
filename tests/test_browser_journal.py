"""The learner's coaching journal in Chromium: Mathilde asks at both points of the English unit, Karim answers
one on the desk; she follows the block's link to her journal, reads both requests and the answer, changes her
email choices, and downloads her data as JSON and as CSV. With JavaScript off, the journal still works.
"""
import csv
import io
import json

import pytest
from playwright.sync_api import expect
from story.browser import desk_address, fill_ask_form, post_desk_form
from story.workbench import ENGLISH_COURSE, ENGLISH_UNIT

from coach_xblock.models import LearnerPreference

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SKILLS = '[data-usage$=".coach_checkin.d0.u0"]'
FEASIBILITY = '[data-usage$=".coach_checkin.d1.u0"]'
ANSWER = "Start from your **verbs**: each one is a skill."


def ask(page, block):
    """The page's learner asks at `block` with the block's form; the id of the request."""
    block = page.locator(block)
    fill_ask_form(block).get_by_role("button", name="Send to a coach").click()
    article = block.locator("article.coach-request").first
    expect(article).to_have_attribute("data-status", "open")
    return int(article.get_attribute("data-request-id"))


def test_mathilde_reads_her_journal_changes_her_email_choices_and_downloads_her_data(pages, snap):
    mathilde = pages(ENGLISH_UNIT, "mathilde")
    at_skills = ask(mathilde, SKILLS)
    at_feasibility = ask(mathilde, FEASIBILITY)
    karim = pages(ENGLISH_UNIT, "coach_karim")
    for name, data in (("desk_claim", {}), ("desk_answer", {"body": ANSWER})):
        sent = post_desk_form(karim, desk_address(ENGLISH_COURSE, name, request_id=at_skills), data)
        assert sent["status"] in (0, 303), sent

    assert mathilde.locator("form.coach-preferences-form").count() == 0, "no email form under the blocks"
    mathilde.locator(SKILLS).get_by_role("link", name="Your coaching in this course, and your email choices").click()

    expect(mathilde.locator("h1")).to_have_text("Your coaching in this course")
    articles = mathilde.locator("article.coach-request")
    expect(articles).to_have_count(2)
    assert [int(i) for i in articles.evaluate_all("(all) => all.map((a) => a.dataset.requestId)")] == [
        at_feasibility, at_skills]
    skills = mathilde.locator(f"article[data-request-id='{at_skills}']")
    expect(skills.locator(".coach-badge")).to_have_text("Answered")
    expect(skills.locator(".coach-formatted strong")).to_have_text("verbs")
    expect(skills.locator("time").first).not_to_contain_text("(UTC)")  # shown in her zone by the script
    expect(mathilde.locator(f"article[data-request-id='{at_feasibility}'] h3")).to_contain_text(
        "Is my project feasible?")
    snap(mathilde, "journal")

    form = mathilde.locator("form.coach-preferences-form")
    form.get_by_label("Email me when a coach answers").uncheck()
    form.get_by_role("button", name="Save my email choices").click()
    expect(mathilde.locator(".coach-done[role=status]")).to_have_text("Your email choices were saved.")
    expect(mathilde.get_by_label("Email me when a coach answers")).not_to_be_checked()
    expect(mathilde.get_by_label("Remind me when an answer waits for my reply")).to_be_checked()
    assert [(p.learner_id, p.answer_emails, p.reminder_emails) for p in LearnerPreference.objects.all()] == [
        ("mathilde", False, True)]

    with mathilde.expect_download() as json_download:
        mathilde.get_by_role("link", name="Download as JSON").click()
    data = json.loads(open(json_download.value.path(), encoding="utf-8").read())
    assert [r["id"] for r in data["requests"]] == [at_skills, at_feasibility]
    assert data["requests"][0]["messages"][0]["body"] == ANSWER
    with mathilde.expect_download() as csv_download:
        mathilde.get_by_role("link", name="Download as CSV (for a spreadsheet)").click()
    rows = list(csv.DictReader(io.StringIO(open(csv_download.value.path(), encoding="utf-8").read())))
    assert {int(row["request_id"]) for row in rows} == {at_skills, at_feasibility}
    assert csv_download.value.suggested_filename == "my-coaching-define-your-skills-coach-check-ins.csv"
    pages.assert_no_js_errors()


def test_the_journal_works_without_javascript(browser, workbench):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{workbench}{desk_address(ENGLISH_COURSE, 'journal')}?student=paul")
    expect(page.locator(".coach-empty")).to_be_visible()
    page.get_by_label("Remind me when an answer waits for my reply").uncheck()
    page.get_by_role("button", name="Save my email choices").click()
    expect(page.locator(".coach-done[role=status]")).to_have_text("Your email choices were saved.")
    assert "student=paul" in page.url
    assert [(p.learner_id, p.answer_emails, p.reminder_emails) for p in LearnerPreference.objects.all()] == [
        ("paul", True, False)]
    context.close()
