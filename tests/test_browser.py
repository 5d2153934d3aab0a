"""End-to-end browser tests: the story of DESIGN.md played in Chromium against a live workbench.

Mathilde (learner), Karim and Léa (coaches) each get their own browser context, so their
cookies and pages are separate as on three computers. The English unit "Define your skills"
(`/scenario/coach_checkin.1/`) holds two check-in points; these tests use the first one,
"Naming my skills". In the workbench a person's display name is their user id.

Every test ends by checking that no page raised a JavaScript error.
"""
import csv
import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from story import ANSWER, ASK, PEOPLE, REPLY, unchanged
from story import answer as answer_in_workflow
from story.browser import (
    answer_on_desk,
    claim_on_desk,
    desk_address,
    fill_ask_form,
    open_request_on_desk,
    post_desk_form,
    request_article,
)
from story.workbench import ENGLISH_COURSE

from coach_xblock.models import CheckinRequest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

UNIT = "/scenario/coach_checkin.1/"
STUDIO = "/scenario/coach_checkin.1/studio_view/"
AUTHOR = "/scenario/coach_checkin.1/author_view/"
# The first check-in point of the unit, "Naming my skills" (its usage id ends so in every view).
SKILLS = '[data-usage$=".coach_checkin.d0.u0"]'

SECOND_ANSWER = "Much better. Add one soft skill you use with customers and you are done."

# Playwright's own timeouts (none of them is asserted on): the learner view polls every 30 s.
POLL_WAIT_MS = 45_000


def send_request(block, **texts):
    """Ask through the form and wait for the request it made; return that request's article."""
    form = fill_ask_form(block, **texts)
    form.get_by_role("button", name="Send to a coach").click()
    article = block.locator("article.coach-request").first
    expect(article).to_have_attribute("data-status", "open")
    return article


def desk_queue(pages, coach, width=1280, **filters):
    """`coach` opens the English course's coach desk (its queue, with `filters` in the URL); the page."""
    query = "".join(f"&{name}={value}" for name, value in filters.items())
    return pages(desk_address(ENGLISH_COURSE) + ("?" + query[1:] if query else ""), coach, width=width)


def show_status(desk_page, status):
    """The coach chooses a status in the queue's filters and clicks Show (the page reloads with it)."""
    desk_page.locator("select[name=status]").select_option(status)
    desk_page.get_by_role("button", name="Show").click()
    expect(desk_page).to_have_url(re.compile(f"status={status}"))


def post_form_from_desk(page, name, request_id, data=None):
    """POST a desk form of the English course's request as this page's user would, without its page's
    button (a form sent from a page that shows it no more); {"status": ..., "text": ...}, redirects not followed."""
    return post_desk_form(page, desk_address(ENGLISH_COURSE, name, request_id=request_id), data or {})


def test_story_of_mathilde_karim_and_lea(pages, snap):
    """DESIGN.md's story, in three browser contexts: Mathilde in the unit, Karim and Léa on the coach desk;
    Mathilde sees Karim's first answer without a reload."""
    mathilde_page = pages(UNIT, "mathilde")
    mathilde = mathilde_page.locator(SKILLS)

    # Mathilde reads the prompt and the self-help tips, then the empty form.
    expect(mathilde.locator(".coach-title")).to_have_text("Naming my skills")
    expect(mathilde.locator(".coach-prompt")).to_contain_text("You know your job but not how to name your skills?")
    expect(mathilde.locator(".coach-tips li")).to_have_text([
        "Reread your last three assignments and note every action verb.",
        "Compare them with your online test results.",
        "Separate technical know-how from soft skills.",
    ])
    # The tips come first: the form waits behind "Still stuck? Ask a coach", which opens it.
    opener = mathilde.get_by_role("button", name="Still stuck? Ask a coach")
    expect(opener).to_have_attribute("aria-expanded", "false")
    expect(mathilde.locator("form.coach-ask-form")).to_be_hidden()
    opener.click()
    expect(opener).to_have_attribute("aria-expanded", "true")
    expect(mathilde.locator("form.coach-ask-form textarea[name=working_on]")).to_be_focused()
    expect(mathilde.locator("form.coach-ask-form .coach-expected")).to_have_text(
        "A coach usually answers within 48 hours."
    )
    expect(mathilde.locator(".coach-requests .coach-empty")).to_be_visible()
    snap(mathilde_page, "01-learner-empty-form")

    # She asks; the form gives way to her request, waiting for a coach, with the expected time.
    request = send_request(mathilde)
    request_id = request.get_attribute("data-request-id")
    expect(request.locator(".coach-badge")).to_have_text("Waiting for a coach")
    expect(request.locator(".coach-expected")).to_have_text("Expected answer within 48 hours.")
    expect(request.locator(".coach-sent")).to_have_text("You will get an email when a coach answers.")
    expect(request.locator(".coach-ask")).to_contain_text(ASK["stuck_on"])
    expect(request.locator(f".coach-ask a[href='{ASK['link']}']")).to_be_visible()
    expect(mathilde.locator("form.coach-ask-form")).to_have_count(0)
    expect(mathilde.locator(".coach-limit")).to_be_visible()
    snap(mathilde_page, "02-learner-waiting")

    # In Studio the unit page shows the point's settings and its one open request.
    author_page = pages(AUTHOR, "coach_karim")
    author = author_page.locator(f"{SKILLS} .coach-checkin-author")
    expect(author.locator(".coach-title")).to_have_text("Naming my skills")
    expect(author.locator(".coach-settings")).to_contain_text("Separate technical know-how from soft skills.")
    expect(author.locator(".coach-open-count")).to_have_text("1")
    snap(author_page, "03-author-view")

    # In the unit, Karim reads only the point's summary; its link opens the coach desk, where her request
    # is listed with her name and first words.
    karim_page = pages(UNIT, "coach_karim")
    summary = karim_page.locator(f"{SKILLS} .coach-summary")
    expect(summary).to_contain_text("1 request waits here")
    expect(karim_page.locator(f"{SKILLS} .coach-queue")).to_have_count(0)
    summary.get_by_role("link", name="open the coach desk").click()
    expect(karim_page).to_have_url(re.compile(re.escape(desk_address(ENGLISH_COURSE)) + r"\?student=coach_karim$"))
    row = karim_page.locator(f"tr[data-request-id='{request_id}']")
    expect(row).to_contain_text("mathilde")
    expect(row).to_contain_text("Naming my skills")
    expect(row).to_contain_text(" ".join(ASK["stuck_on"].split()[:8]))
    expect(row.locator(".coach-badge")).to_have_text("Waiting for a coach")
    snap(karim_page, "04-coach-queue")

    # He opens it: the whole ask, no earlier check-ins; he claims it.
    detail = open_request_on_desk(karim_page, request_id)
    expect(detail.locator("h1")).to_contain_text(f"Request #{request_id}: mathilde at “Naming my skills”")
    expect(detail.locator(".coach-ask")).to_contain_text(ASK["working_on"])
    expect(detail.locator(".coach-ask")).to_contain_text(ASK["tried"])
    expect(detail.locator(f".coach-ask a[href='{ASK['link']}']")).to_be_visible()
    expect(detail.locator(".coach-history")).to_contain_text("None: this is their first request.")
    claim_on_desk(karim_page)
    expect(detail.locator(".coach-claim")).to_contain_text("Claimed by coach_karim (until")
    expect(detail.locator(".coach-badge").first).to_have_text("A coach is on it")
    expect(detail.locator(".coach-done")).to_have_text("You hold this request: answer it before your claim ends.")
    snap(karim_page, "05-coach-request-claimed")

    # Léa's queue shows who holds it; its page gives her no Claim button, and a claim sent anyway is
    # refused naming Karim.
    lea_page = desk_queue(pages, "coach_lea")
    expect(lea_page.locator(f"tr[data-request-id='{request_id}']")).to_contain_text("(coach_karim)")
    lea_detail = open_request_on_desk(lea_page, request_id)
    expect(lea_detail.locator(".coach-claim")).to_contain_text("Claimed by coach_karim (until")
    expect(lea_page.get_by_role("button", name=re.compile("^Claim this request"))).to_have_count(0)
    expect(lea_detail.locator("form.coach-answer-form")).to_have_count(0)
    with unchanged():
        refused = post_form_from_desk(lea_page, "desk_claim", request_id)
    assert refused["status"] == 409
    assert f"coach_karim is already working on request #{request_id}" in refused["text"]
    assert CheckinRequest.objects.get(pk=request_id).claimed_by == "coach_karim"
    snap(lea_page, "06-other-coach-sees-holder")

    # Karim answers; Mathilde's open page shows the answer by itself (its poll), without a reload.
    answer_on_desk(karim_page, ANSWER)
    expect(detail).to_have_attribute("data-status", "answered")
    expect(detail.locator(".coach-message-coach")).to_contain_text(ANSWER)
    answered = mathilde.locator(f".coach-request[data-request-id='{request_id}'][data-status=answered]")
    answered.wait_for(timeout=POLL_WAIT_MS)
    expect(answered.locator(".coach-badge")).to_have_text("Answered")
    expect(answered.locator(".coach-message-coach")).to_contain_text(ANSWER)
    expect(answered.locator(".coach-message-coach")).to_contain_text("coach_karim")
    expect(mathilde.locator(".coach-announce")).to_have_text("Your requests were updated.")
    snap(mathilde_page, "07-learner-answered")

    # She replies with her revised list: the request waits for a coach again.
    reply_form = answered.locator("form.coach-reply-form")
    reply_form.locator("textarea[name=body]").fill(REPLY)
    reply_form.get_by_role("button", name="Send reply").click()
    request = mathilde.locator(f".coach-request[data-request-id='{request_id}']")
    expect(request).to_have_attribute("data-status", "open")
    expect(request.locator(".coach-message-learner")).to_contain_text(REPLY)

    # Karim goes back to his queue, opens the request again, claims it and answers again.
    karim_page.get_by_role("link", name="Back to the queue").click()
    detail = open_request_on_desk(karim_page, request_id)
    expect(detail.locator(".coach-thread")).to_contain_text(REPLY)
    claim_on_desk(karim_page)
    answer_on_desk(karim_page, SECOND_ANSWER)
    expect(detail).to_have_attribute("data-status", "answered")

    # Mathilde reloads, reads the second answer, rates 5 with a comment and marks it resolved.
    mathilde_page.reload()
    request = mathilde.locator(f".coach-request[data-request-id='{request_id}']")
    expect(request).to_have_attribute("data-status", "answered")
    expect(request.locator(".coach-message-coach")).to_have_count(2)
    expect(request.locator(".coach-message-coach").last).to_contain_text(SECOND_ANSWER)
    resolve = request.locator("form.coach-resolve-form")
    resolve.locator("input[name=rating][value='5']").check()
    resolve.locator("textarea[name=comment]").fill("Thank you, I can name my skills now.")
    resolve.get_by_role("button", name="This helped: mark as resolved").click()
    expect(request).to_have_attribute("data-status", "resolved")
    expect(request.locator(".coach-badge")).to_have_text("Resolved")
    expect(request.locator(".coach-rating")).to_have_text(
        "You rated this help 5 out of 5. “Thank you, I can name my skills now.”"
    )
    expect(mathilde.get_by_role("button", name="Still stuck? Ask a coach")).to_be_visible()
    snap(mathilde_page, "08-learner-resolved")

    # Karim's queue, filtered on "Resolved", shows it with the rating.
    karim_page.get_by_role("link", name="Back to the queue").click()
    show_status(karim_page, "resolved")
    row = karim_page.locator(f"tr[data-request-id='{request_id}']")
    expect(row).to_contain_text("mathilde")
    expect(row.locator(".coach-badge")).to_have_text("Resolved")
    detail = open_request_on_desk(karim_page, request_id)
    expect(detail.locator(".coach-rating")).to_contain_text("The learner rated this help 5 out of 5.")
    snap(karim_page, "09-coach-queue-resolved")

    # The author's editor of the same point.
    studio_page = pages(STUDIO, "coach_karim")
    expect(studio_page.locator(f"{SKILLS} [data-field-name=prompt] textarea")).to_have_value(
        "You know your job but not how to name your skills? A coach helps you put them into words."
    )
    snap(studio_page, "10-studio-view")

    pages.assert_no_js_errors()


MARKDOWN_ANSWER = "Good start. **Next**:\n\n1. group your verbs\n2. read https://example.org/skills"
MARKDOWN_REPLY = (
    "Done, *thanks*:\n\n- network configuration\n- user training\n\n<b>not bold</b> [x](javascript:alert(1))"
)


def test_a_learner_previews_and_sends_a_reply_written_in_markdown(pages, snap):
    """Karim's answer in Markdown reads formatted; Mathilde previews her reply, then sends it, formatted too."""
    mathilde_page = pages(UNIT, "mathilde")
    mathilde = mathilde_page.locator(SKILLS)
    request_id = send_request(mathilde).get_attribute("data-request-id")
    answer_in_workflow(CheckinRequest.objects.get(pk=request_id), PEOPLE["karim"], MARKDOWN_ANSWER)

    # The answer: a bold word, a numbered list, a link opening in a new tab.
    mathilde_page.reload()
    request = mathilde.locator(f".coach-request[data-request-id='{request_id}']")
    coach_message = request.locator(".coach-message-coach .coach-body")
    expect(coach_message.locator("strong")).to_have_text("Next")
    expect(coach_message.locator("ol li")).to_have_text(["group your verbs", "read https://example.org/skills"])
    link = coach_message.get_by_role("link", name="https://example.org/skills")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer nofollow ugc")

    # Her reply form says Markdown works; Preview with nothing typed says so.
    form = request.locator("form.coach-reply-form")
    textarea = form.locator("textarea[name=body]")
    expect(form.locator(".coach-hint")).to_contain_text("You can use Markdown: *emphasis*, lists, links.")
    preview = form.locator(".coach-preview")
    expect(preview).to_have_attribute("aria-live", "polite")
    form.get_by_role("button", name="Preview").click()
    expect(preview).to_have_text("Write something first: there is nothing to preview yet.")

    # She types her reply and previews it: formatted, her HTML as text, nothing sent.
    textarea.fill(MARKDOWN_REPLY)
    expect(preview).to_be_empty()
    with unchanged():
        form.get_by_role("button", name="Preview").click()
        expect(preview.locator("em")).to_have_text("thanks")
    expect(preview).to_contain_text("Preview: this is how your message will read once sent.")
    expect(preview.locator("ul li")).to_have_text(["network configuration", "user training"])
    expect(preview).to_contain_text("<b>not bold</b> [x](javascript:alert(1))")
    expect(preview.locator("b, a, script, img")).to_have_count(0)
    expect(form.get_by_role("button", name="Preview")).to_be_enabled()
    snap(mathilde_page, "learner-reply-preview")

    # Typing again puts the preview away; she sends it and her message reads as the preview did.
    textarea.press("End")
    textarea.type(" ")
    expect(preview).to_be_empty()
    form.get_by_role("button", name="Send reply").click()
    expect(request).to_have_attribute("data-status", "open")
    learner_message = request.locator(".coach-message-learner .coach-body")
    expect(learner_message.locator("em")).to_have_text("thanks")
    expect(learner_message.locator("ul li")).to_have_text(["network configuration", "user training"])
    expect(learner_message).to_contain_text("<b>not bold</b>")
    expect(learner_message.locator("b, a, script, img")).to_have_count(0)
    assert CheckinRequest.objects.get(pk=request_id).messages.last().body == MARKDOWN_REPLY
    snap(mathilde_page, "learner-reply-sent")
    pages.assert_no_js_errors()


def test_double_click_on_send_makes_one_request(pages):
    """Two quick clicks on "Send to a coach" make one request; so does the same form sent twice."""
    page = pages(UNIT, "paul")
    block = page.locator(SKILLS)
    asks = []
    page.on("request", lambda request: asks.append(request.url) if "/ask/" in request.url else None)
    fill_ask_form(block).get_by_role("button", name="Send to a coach").dblclick()
    expect(block.locator("article.coach-request")).to_have_count(1)
    expect(block.locator("article.coach-request")).to_have_attribute("data-status", "open")
    page.wait_for_load_state("networkidle")
    assert len(asks) >= 1
    assert CheckinRequest.objects.filter(learner_id="paul").count() == 1
    page.reload()
    expect(block.locator("article.coach-request")).to_have_count(1)

    # Past the disabled button (a retried submit): both posts carry the form's token, the server makes one.
    page = pages(UNIT, "mathilde")
    block = page.locator(SKILLS)
    asks.clear()
    page.on("request", lambda request: asks.append(request.url) if "/ask/" in request.url else None)
    fill_ask_form(block)
    page.evaluate(
        """(selector) => {
            const $form = $(selector).find('form.coach-ask-form');
            $form.trigger('submit');
            $form.find('button[type=submit]').prop('disabled', false);
            $form.trigger('submit');
        }""",
        SKILLS,
    )
    expect(block.locator("article.coach-request")).to_have_count(1)
    page.wait_for_load_state("networkidle")
    assert len(asks) == 2
    assert CheckinRequest.objects.filter(learner_id="mathilde").count() == 1
    page.reload()
    expect(block.locator("article.coach-request")).to_have_count(1)
    pages.assert_no_js_errors()


def test_refused_ask_keeps_every_typed_text(pages):
    """The server's refusal names the field, and what the learner typed stays in the boxes."""
    page = pages(UNIT, "paul")
    block = page.locator(SKILLS)
    form = fill_ask_form(block, stuck_on="Too short")
    form.get_by_role("button", name="Send to a coach").click()
    error = form.locator(".coach-error")
    expect(error).to_be_visible()
    expect(error).to_have_text("Where are you stuck?: write at least 20 characters (you wrote 9).")
    expect(form.locator("textarea[name=working_on]")).to_have_value(ASK["working_on"])
    expect(form.locator("textarea[name=stuck_on]")).to_have_value("Too short")
    expect(form.locator("textarea[name=tried]")).to_have_value(ASK["tried"])
    expect(form.locator("input[name=link]")).to_have_value(ASK["link"])
    expect(form.get_by_role("button", name="Send to a coach")).to_be_enabled()
    assert CheckinRequest.objects.count() == 0

    # Completing the text is enough to send it.
    form.locator("textarea[name=stuck_on]").fill(ASK["stuck_on"])
    form.get_by_role("button", name="Send to a coach").click()
    expect(block.locator("article.coach-request")).to_have_attribute("data-status", "open")
    assert CheckinRequest.objects.count() == 1
    pages.assert_no_js_errors()


def test_answer_refused_after_lost_claim_keeps_the_answer(pages):
    """Karim's claim expired and Léa took the request: his answer is refused naming her, and stays typed."""
    learner = pages(UNIT, "paul").locator(SKILLS)
    request_id = send_request(learner).get_attribute("data-request-id")

    karim_page = desk_queue(pages, "coach_karim")
    open_request_on_desk(karim_page, request_id)
    claim_on_desk(karim_page)
    CheckinRequest.objects.filter(pk=request_id).update(claim_expires_at=timezone.now() - timedelta(minutes=1))

    lea_page = desk_queue(pages, "coach_lea")
    lea_detail = open_request_on_desk(lea_page, request_id)
    expect(lea_detail.locator(".coach-claim")).to_have_count(0)
    claim_on_desk(lea_page)
    expect(lea_detail.locator(".coach-claim")).to_contain_text("Claimed by coach_lea (until")

    typed = "Start from the verbs of your last three assignments, then group them by theme."
    answer_on_desk(karim_page, typed)
    error = karim_page.locator(".coach-error[role=alert]")
    expect(error).to_contain_text(f"coach_lea is already working on request #{request_id}")
    expect(error).to_be_focused()
    expect(karim_page.locator(".coach-claim")).to_contain_text("Claimed by coach_lea (until")
    # The page no longer offers him the form: what he typed is kept in its box, read-only, to copy.
    kept = karim_page.get_by_label("Your answer, not sent: copy it to keep it")
    expect(kept).to_have_value(typed)
    expect(kept).not_to_be_editable()
    expect(karim_page.locator("form.coach-answer-form")).to_have_count(0)
    request = CheckinRequest.objects.get(pk=request_id)
    assert (request.status, request.claimed_by) == ("open", "coach_lea")
    assert not request.messages.filter(author_role="coach").exists()
    pages.assert_no_js_errors()


def test_a_claim_refused_shows_the_request_as_it_is_now(pages):
    """Léa opened the request before Karim claimed it: her click on Claim is refused naming him, the error
    takes the focus, and her page then shows his claim instead of a Claim button."""
    learner = pages(UNIT, "paul").locator(SKILLS)
    request_id = send_request(learner).get_attribute("data-request-id")
    lea_page = desk_queue(pages, "coach_lea")
    lea_detail = open_request_on_desk(lea_page, request_id)
    karim_page = desk_queue(pages, "coach_karim")
    assert post_form_from_desk(karim_page, "desk_claim", request_id)["status"] in (0, 303)  # a redirect: claimed
    assert CheckinRequest.objects.get(pk=request_id).claimed_by == "coach_karim"

    with unchanged():
        lea_page.get_by_role("button", name="Claim this request (30 minutes)").click()
        error = lea_page.locator(".coach-error[role=alert]")
        expect(error).to_contain_text(f"coach_karim is already working on request #{request_id}")
    expect(error).to_be_focused()
    expect(lea_detail.locator(".coach-claim")).to_contain_text("Claimed by coach_karim (until")
    expect(lea_page.get_by_role("button", name=re.compile("^Claim this request"))).to_have_count(0)
    lea_page.get_by_role("link", name="Back to the queue").click()
    expect(lea_page.locator(f"tr[data-request-id='{request_id}']")).to_contain_text("(coach_karim)")
    assert CheckinRequest.objects.get(pk=request_id).claimed_by == "coach_karim"
    pages.assert_no_js_errors()


def edit_first_checkin(studio_page, prompt, tips):
    editor = studio_page.locator(SKILLS)
    editor.locator("[data-field-name=prompt] textarea").fill(prompt)
    editor.locator("[data-field-name=tips] textarea").fill(tips)
    with studio_page.expect_response(lambda response: "/submit_studio_edits/" in response.url) as saved:
        editor.locator(".save-button").click()
    return saved.value


def test_author_edits_prompt_and_tips_in_studio(pages, snap):
    """The editor's Save changes what the learner reads and what the author view shows."""
    prompt = "Name three skills from your last job before you ask a coach."
    tips = "List what you did each day.\n\nTurn each item into an action verb."
    studio_page = pages(STUDIO, "coach_karim")
    with studio_page.expect_navigation():  # outside Studio, a save ends by reloading the editor
        saved = edit_first_checkin(studio_page, prompt, tips)
    assert saved.status == 200
    expect(studio_page.locator(f"{SKILLS} [data-field-name=prompt] textarea")).to_have_value(prompt)
    snap(studio_page, "studio-view-edited")

    learner_page = pages(UNIT, "mathilde")
    learner = learner_page.locator(SKILLS)
    expect(learner.locator(".coach-prompt")).to_have_text(prompt)
    expect(learner.locator(".coach-tips li")).to_have_text(
        ["List what you did each day.", "Turn each item into an action verb."]
    )
    # The second check-in of the unit keeps its own texts.
    expect(learner_page.locator('[data-usage$=".coach_checkin.d1.u0"] .coach-prompt')).to_contain_text(
        "Unsure your career project is realistic?"
    )

    author_page = pages(AUTHOR, "coach_karim")
    settings = author_page.locator(f"{SKILLS} .coach-settings")
    expect(settings).to_contain_text(prompt)
    expect(settings.locator("li")).to_have_text(["List what you did each day.", "Turn each item into an action verb."])
    snap(author_page, "author-view-edited")
    pages.assert_no_js_errors()


def test_studio_save_works_in_the_plain_workbench(pages):
    """The workbench has no Studio runtime; the block's studio_view gives the editor what it needs."""
    studio_page = pages(STUDIO, "coach_karim")
    editor = studio_page.locator(SKILLS)
    editor.locator("[data-field-name=prompt] textarea").fill("A prompt saved from the workbench.")
    editor.locator(".save-button").click()
    studio_page.wait_for_load_state("networkidle")
    pages.assert_no_js_errors()
    learner_page = pages(UNIT, "mathilde")
    expect(learner_page.locator(f"{SKILLS} .coach-prompt")).to_have_text("A prompt saved from the workbench.")


def test_a_learner_saving_in_the_editor_is_told_why_and_nothing_changes(pages):
    """Only the course team (in the workbench, the block's coaches) saves settings; the editor says so."""
    studio_page = pages(STUDIO, "mathilde")
    alerts = []
    studio_page.on("dialog", lambda dialog: (alerts.append(dialog.message), dialog.dismiss()))
    editor = studio_page.locator(SKILLS)
    editor.locator("[data-field-name=prompt] textarea").fill("A prompt a learner tried to save.")
    editor.locator("[data-field-name=coach_ids] input").fill("coach_karim mathilde")
    with unchanged(), studio_page.expect_response(lambda r: "/submit_studio_edits/" in r.url) as refused:
        editor.locator(".save-button").click()
    assert refused.value.status == 403
    for _ in range(50):  # the editor alerts once it has read the answer
        if alerts:
            break
        studio_page.wait_for_timeout(100)
    assert alerts == ["Unable to update settings\nOnly the course team can change these settings."]
    learner_page = pages(UNIT, "mathilde")
    expect(learner_page.locator(f"{SKILLS} .coach-prompt")).not_to_have_text("A prompt a learner tried to save.")
    expect(learner_page.locator(f"{SKILLS} .coach-open-ask")).to_be_visible()  # still a learner, not a coach
    pages.assert_no_js_errors()


def overflow_of_blocks(page):
    """For each check-in block (or desk page): how far its content is wider than the block, and the block than
    the window.

    The block, not the whole page: the workbench's own debug panel under the scenario (a 1,354 px
    wide <pre> of its XML) makes every workbench page scroll sideways at any width.
    """
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('.coach-checkin'), (block) => ({
            content: block.scrollWidth - block.clientWidth,
            window: Math.ceil(block.getBoundingClientRect().right) - window.innerWidth,
        }))"""
    )


def assert_fits(page):
    overflow = overflow_of_blocks(page)
    assert overflow, "no check-in block on the page"
    assert all(o["content"] <= 1 and o["window"] <= 0 for o in overflow), overflow


@pytest.mark.parametrize("width", [320, 1280])
def test_views_fit_the_screen(pages, snap, width):
    """At 320 px as at 1280 px, nothing scrolls sideways: learner form and request, the coach's summary in the
    unit, the desk's queue and a claimed request."""
    page = pages(UNIT, "mathilde", width=width)
    block = page.locator(SKILLS)
    assert_fits(page)
    snap(page, f"{width}px-learner-form")

    request = send_request(block)
    expect(request.locator(".coach-badge")).to_have_text("Waiting for a coach")
    assert_fits(page)
    snap(page, f"{width}px-learner-waiting")

    coach_page = pages(UNIT, "coach_karim", width=width)
    expect(coach_page.locator(f"{SKILLS} .coach-summary")).to_contain_text("1 request waits here")
    assert_fits(coach_page)
    snap(coach_page, f"{width}px-coach-summary")
    coach_page.locator(SKILLS).get_by_role("link", name="open the coach desk").click()
    expect(coach_page.locator("tr[data-request-id]")).to_have_count(1)
    assert_fits(coach_page)
    snap(coach_page, f"{width}px-coach-desk-queue")
    open_request_on_desk(coach_page, request.get_attribute("data-request-id"))
    claim_on_desk(coach_page)
    assert_fits(coach_page)
    snap(coach_page, f"{width}px-coach-request")
    pages.assert_no_js_errors()


def test_claim_line_shows_the_time_once_punctuated(pages):
    """The coach's "Claimed by ... (until <time>)" line, in English, the time in the browser's zone."""
    request_id = send_request(pages(UNIT, "paul").locator(SKILLS)).get_attribute("data-request-id")
    karim_page = desk_queue(pages, "coach_karim")
    open_request_on_desk(karim_page, request_id)
    claim_on_desk(karim_page)
    # A fixed time of day (the browser's zone is UTC), so that the text does not depend on the clock.
    expires = (timezone.now() + timedelta(days=1)).replace(hour=21, minute=45, second=0, microsecond=0)
    CheckinRequest.objects.filter(pk=request_id).update(claim_expires_at=expires)
    karim_page.reload()
    claim_line = request_article(karim_page, request_id).locator(".coach-claim")
    expect(claim_line).to_contain_text("9:45")
    pages.assert_no_js_errors()
    text = claim_line.inner_text()
    assert re.match(r"Claimed by coach_karim \(until 9:45\sPM\)", text), text
    # The holder's countdown follows the line.
    expect(claim_line.locator(".coach-countdown")).to_have_text(re.compile(r"^\d+ min left on your claim$"))


def test_a_coach_reads_where_learners_get_stuck_and_changes_the_period(pages, snap):
    """The desk's analytics page: a chart, its numbers, and a period to choose, kept in its URL."""
    send_request(pages(UNIT, "mathilde").locator(SKILLS))
    coach_page = desk_queue(pages, "coach_karim")
    coach_page.get_by_role("navigation", name="Coach desk").get_by_role("link", name="Analytics").click()
    analytics = coach_page.locator(".coach-analytics")
    expect(analytics.locator("svg[role=img] title")).to_have_text("Requests asked and resolved, by topic")
    expect(analytics.locator(".coach-numbers")).to_contain_text("Requests asked")
    expect(coach_page.get_by_role("link", name="Analytics")).to_have_attribute("aria-current", "page")
    snap(coach_page, "coach-analytics")

    analytics.locator("select[name=period]").select_option("all")
    analytics.get_by_role("button", name="Update the numbers").click()
    expect(coach_page).to_have_url(re.compile(r"[?&]period=all\b"))
    expect(coach_page.locator(".coach-analytics select[name=period]")).to_have_value("all")
    coach_page.reload()
    expect(coach_page.locator(".coach-analytics select[name=period]")).to_have_value("all")
    pages.assert_no_js_errors()


@pytest.mark.parametrize("link, header", [("requests (CSV)", "request_id"), ("messages (CSV)", "message_id")])
def test_a_coach_downloads_the_courses_exports_from_the_queue(pages, link, header):
    """The desk's link goes through the coach-only export page to the signed download, which the browser saves."""
    request_id = send_request(pages(UNIT, "mathilde").locator(SKILLS)).get_attribute("data-request-id")
    coach_page = desk_queue(pages, "coach_karim")
    detail = open_request_on_desk(coach_page, request_id)
    claim_on_desk(coach_page)
    answer_on_desk(coach_page, "Start from the verbs of your last assignments.")
    expect(detail).to_have_attribute("data-status", "answered")
    coach_page.get_by_role("link", name="Back to the queue").click()

    with coach_page.expect_download() as started:
        coach_page.get_by_role("link", name=link).click()
    download = started.value

    assert re.fullmatch(r"coach-(requests|messages)-[A-Za-z0-9-]+\.csv", download.suggested_filename)
    rows = list(csv.reader(Path(download.path()).read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == "request_id" and header in rows[0]
    assert len(rows) == 2 and rows[1][0] == request_id
    pages.assert_no_js_errors()
