"""The learner's path in Chromium: the tips first, then the form; "It did not help me" with a comment, then ask
again (the queue marks it, another coach takes it first) or close with a rating; and the status poll that says
when it cannot reach the server and retries with a growing delay.

Mathilde (learner), Karim and Léa (coaches) each get their own browser context. The English unit
(`/scenario/coach_checkin.1/`) and the French one (`/scenario/coach_checkin.0/`) each hold "skills" (d0.u0) and
"feasibility" (d1.u0) check-in points.
"""
import re

import pytest
from playwright.sync_api import expect
from story import PEOPLE
from story import answer as answer_in_workflow
from story.browser import (
    answer_on_desk,
    claim_on_desk,
    desk_address,
    fill_ask_form,
    open_request_on_desk,
    request_article,
)
from story.workbench import ENGLISH_COURSE

from coach_xblock.models import CheckinRequest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

UNIT = "/scenario/coach_checkin.1/"
FRENCH_UNIT = "/scenario/coach_checkin.0/"
SKILLS = '[data-usage$=".coach_checkin.d0.u0"]'
FEASIBILITY = '[data-usage$=".coach_checkin.d1.u0"]'
MISSING = "I need examples of skills a training centre looks for, not only verbs."
LEA_ANSWER = "Training centres look for: designing a session, running it, assessing learners. Start there."


def send_request(block, **texts):
    """Open the form below the tips, fill it and send it; the article of the request it made."""
    form = fill_ask_form(block, **texts)
    form.locator("button[type=submit]").click()
    article = block.locator("article.coach-request").first
    expect(article).to_have_attribute("data-status", "open")
    return article


def karim_answers(request_id):
    """Karim claims and answers the request (his part is the desk's, tested elsewhere)."""
    answer_in_workflow(CheckinRequest.objects.get(pk=request_id), PEOPLE["karim"])


def test_it_did_not_help_mathilde_asks_again_and_lea_answers_first(pages, snap):
    mathilde_page = pages(UNIT, "mathilde")
    mathilde = mathilde_page.locator(SKILLS)
    request = send_request(mathilde)
    request_id = request.get_attribute("data-request-id")
    expect(request.locator(".coach-sent")).to_have_text("You will get an email when a coach answers.")
    expect(mathilde_page.locator(f"{SKILLS} .coach-announce")).to_contain_text(
        "You will get an email when a coach answers.")

    # Karim answers on the desk.
    karim_page = pages(desk_address(ENGLISH_COURSE), "coach_karim")
    open_request_on_desk(karim_page, request_id)
    claim_on_desk(karim_page)
    answer_on_desk(karim_page, "Start from your verbs.")
    expect(request_article(karim_page, request_id)).to_have_attribute("data-status", "answered")

    # Mathilde reads it; beside "This helped", she says it did not help. Sent without a choice, the form says
    # what is missing on the group of choices, which takes the focus.
    mathilde_page.reload()
    request = mathilde.locator(f"article[data-request-id='{request_id}']")
    expect(request.locator("form.coach-resolve-form")).to_be_visible()
    form = request.locator("form.coach-not-helped-form")
    expect(form.get_by_role("heading", name="It did not help me")).to_be_visible()
    form.get_by_label("What was missing?").fill(MISSING)
    form.get_by_role("button", name="Send: it did not help").click()
    expect(form.locator(".coach-error")).to_have_text("What next?: choose one of the options.")
    expect(form.get_by_label("Ask again: the request goes back to the coaches, another coach first")).to_be_focused()
    form.get_by_label("Ask again: the request goes back to the coaches, another coach first").check()
    snap(mathilde_page, "01-not-helped-form")
    form.get_by_role("button", name="Send: it did not help").click()
    expect(request).to_have_attribute("data-status", "open")
    expect(request.locator(".coach-request-title")).to_be_focused()
    expect(request.locator(".coach-asked-again")).to_have_text(
        "You asked again because the answer did not help: another coach will read what was missing.")
    expect(request.locator(".coach-message-learner").last).to_contain_text(MISSING)
    snap(mathilde_page, "02-asked-again")

    # Léa's queue marks it; Karim's request page keeps him from claiming it first.
    lea_page = pages(desk_address(ENGLISH_COURSE), "coach_lea")
    row = lea_page.locator(f"tr[data-request-id='{request_id}']")
    expect(row.locator(".coach-badge-asked-again")).to_have_text("Asked again: did not help")
    karim_page.reload()
    detail = request_article(karim_page, request_id)
    expect(detail.locator(".coach-not-helped blockquote")).to_have_text(MISSING)
    expect(detail).to_contain_text("Your answer did not help: another coach has it first until")
    expect(karim_page.get_by_role("button", name=re.compile("Claim this request"))).to_have_count(0)
    karim_page.get_by_role("link", name="Next request").click()
    expect(karim_page.locator(".coach-done")).to_have_text("No request waits for you now.")
    snap(karim_page, "03-karim-kept-from-it")

    # Léa opens it, reads what was missing, claims and answers.
    open_request_on_desk(lea_page, request_id)
    expect(lea_page.locator(".coach-not-helped")).to_contain_text(MISSING)
    claim_on_desk(lea_page)
    answer_on_desk(lea_page, LEA_ANSWER)
    expect(request_article(lea_page, request_id)).to_have_attribute("data-status", "answered")
    row = CheckinRequest.objects.get(pk=request_id)
    assert (row.last_coach_id, row.not_helped_coach_id, row.not_helped_count) == ("coach_lea", "coach_karim", 1)

    # Mathilde's view shows Léa's answer within a poll, and she marks it resolved.
    mathilde_page.reload()
    expect(request.locator(".coach-message-coach").last).to_contain_text(LEA_ANSWER)
    resolve = request.locator("form.coach-resolve-form")
    resolve.locator("input[name=rating][value='5']").check()
    resolve.get_by_role("button", name="This helped: mark as resolved").click()
    expect(request).to_have_attribute("data-status", "resolved")
    pages.assert_no_js_errors()


def test_in_french_mathilde_closes_a_request_that_did_not_help_with_a_rating_of_2(pages, snap):
    mathilde_page = pages(FRENCH_UNIT, "mathilde", locale="fr-FR")
    block = mathilde_page.locator(FEASIBILITY)
    opener = block.get_by_role("button", name="Toujours bloqué·e\u00a0? Demander à un coach")
    expect(opener).to_have_attribute("aria-expanded", "false")
    request_id = send_request(block).get_attribute("data-request-id")
    expect(block.locator(".coach-sent")).to_have_text("Vous recevrez un e-mail quand un coach répondra.")
    karim_answers(request_id)

    mathilde_page.reload()
    request = block.locator(f"article[data-request-id='{request_id}']")
    form = request.locator("form.coach-not-helped-form")
    expect(form.get_by_role("heading", name="Ça ne m’a pas aidé·e")).to_be_visible()
    form.get_by_label("Qu’est-ce qui manquait\u00a0?").fill("Des offres réelles de mon secteur.")
    form.get_by_label("Clôturer la demande\u00a0: le coach qui a répondu est prévenu").check()
    form.locator("input[name=rating][value='2']").check()
    snap(mathilde_page, "01-fr-close-form")
    form.get_by_role("button", name="Envoyer\u00a0: ça ne m’a pas aidé·e").click()
    expect(request).to_have_attribute("data-status", "not_helped")
    expect(request.locator(".coach-rating")).to_contain_text(
        "Vous avez clôturé cette demande\u00a0: le coaching ne vous a pas aidé·e. Vous avez noté cette aide 2 sur 5.")
    expect(request.locator(".coach-rating")).to_contain_text("Des offres réelles de mon secteur.")
    expect(request.locator("form")).to_have_count(0)
    snap(mathilde_page, "02-fr-closed-not-helped")
    row = CheckinRequest.objects.get(pk=request_id)
    assert (row.status, row.rating, row.not_helped_comment) == ("not_helped", 2, "Des offres réelles de mon secteur.")
    pages.assert_no_js_errors()


def test_the_form_below_the_tips_stays_open_while_it_holds_a_draft(pages):
    """Opened, the form closes again with its button while empty; once the learner typed, the button does not
    hide it; after an error it stays open too, with the draft."""
    page = pages(UNIT, "paul")
    block = page.locator(SKILLS)
    opener = block.get_by_role("button", name="Still stuck? Ask a coach")
    form = block.locator("form.coach-ask-form")
    expect(form).to_be_hidden()
    opener.click()
    expect(form).to_be_visible()
    opener.click()
    expect(form).to_be_hidden()
    expect(opener).to_have_attribute("aria-expanded", "false")

    opener.click()
    form.locator("textarea[name=working_on]").fill("A draft of mine.")
    opener.click()
    expect(form).to_be_visible()

    form.locator("button[type=submit]").click()
    expect(form.locator(".coach-error")).to_be_visible()
    expect(form).to_be_visible()
    expect(form.locator("textarea[name=working_on]")).to_have_value("A draft of mine.")
    pages.assert_no_js_errors()


def test_a_failed_poll_is_said_and_retried_later_and_later(pages):
    """While a request waits, the view looks for news every 30 s; when that fails (network down, then a server
    error), it says so in a polite live region and waits 60, 120, 240, then at most 300 s; the first look that
    succeeds clears the message and brings back 30 s. The page's clock is Playwright's, run forward by hand."""
    page = pages(UNIT, "mathilde")
    page.clock.install()
    page.reload()
    block = page.locator(SKILLS)
    send_request(block)
    root = block  # the block's element, which learner.js is given
    status = block.locator(".coach-poll-status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(root).to_have_attribute("data-poll-seconds", "30")

    looks = []
    failing = {"how": "abort"}

    def fail(route):
        looks.append(failing["how"])
        if failing["how"] == "abort":
            route.abort("internetdisconnected")
        else:
            route.fulfill(status=503, body="Service Unavailable")

    page.route("**/learner_state/**", fail)
    delays = []
    for wait in (30, 60, 120, 240, 300):
        page.clock.run_for(wait * 1000)
        expected = min(wait * 2, 300)
        expect(root).to_have_attribute("data-poll-seconds", str(expected))
        expect(status).to_have_text(f"Could not check for news; trying again in {expected} seconds.")
        delays.append(expected)
        failing["how"] = "server error"
    assert delays == [60, 120, 240, 300, 300]
    assert looks == ["abort", "server error", "server error", "server error", "server error"]

    page.unroute("**/learner_state/**")
    page.clock.run_for(300 * 1000)
    expect(status).to_have_text("")
    expect(root).to_have_attribute("data-poll-seconds", "30")
    pages.assert_no_js_errors()
