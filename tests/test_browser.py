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
from story.browser import fill_ask_form, post_from_page

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


@pytest.fixture
def pages(open_page):
    """open_page(...) that remembers every page it opened, to check them all for JavaScript errors."""
    opened = []

    def opener(*args, **kwargs):
        page = open_page(*args, **kwargs)
        opened.append(page)
        return page

    opener.opened = opened
    return opener


@pytest.fixture
def snap(screenshot):
    """screenshot(page, name) of the views only: scrolled to the top (the workbench's header is fixed and
    would cover the middle of a full-page image) and without the workbench's debug panel below the
    scenario (its XML, 1,354 px wide, would make every image that wide)."""

    def take(page, name):
        page.add_style_tag(content="section.debug { display: none; }")
        page.evaluate("window.scrollTo(0, 0)")
        return screenshot(page, name)

    return take


def assert_no_js_errors(pages):
    errors = {page.url: page.errors for page in pages.opened if page.errors}
    assert errors == {}


def send_request(block, **texts):
    """Ask through the form and wait for the request it made; return that request's article."""
    form = fill_ask_form(block, **texts)
    form.get_by_role("button", name="Send to a coach").click()
    article = block.locator("article.coach-request").first
    expect(article).to_have_attribute("data-status", "open")
    return article


def refresh_queue(coach, status="open"):
    """The coach chooses a status in the queue's filters and clicks Show."""
    coach.locator("select[name=status]").select_option(status)
    with coach.page.expect_response(lambda response: "/queue/" in response.url):
        coach.get_by_role("button", name="Show").click()


def open_request(coach, request_id):
    """The coach opens a request from the queue; return its detail."""
    with coach.page.expect_response(lambda response: "/request_detail/" in response.url):
        coach.locator(f".coach-queue button[data-action=open][data-request-id='{request_id}']").click()
    detail = coach.locator(f".coach-detail article[data-request-id='{request_id}']")
    expect(detail).to_be_visible()
    return detail


def claim(detail):
    detail.get_by_role("button", name="Claim this request (30 minutes)").click()
    expect(detail.locator("form.coach-answer-form")).to_be_visible()


def answer(detail, text):
    form = detail.locator("form.coach-answer-form")
    form.locator("textarea[name=body]").fill(text)
    form.get_by_role("button", name="Send answer").click()


def post_handler(page, handler, payload):
    """POST JSON to a handler of the first check-in as this page's user, like the block's JS does.

    Returns {"status": ..., "body": ...}.
    """
    return post_from_page(page, SKILLS, handler, payload)


def test_story_of_mathilde_karim_and_lea(pages, snap):
    """DESIGN.md's story, in three browser contexts; Mathilde sees Karim's first answer without a reload."""
    mathilde_page = pages(UNIT, "mathilde")
    karim_page = pages(UNIT, "coach_karim")
    mathilde = mathilde_page.locator(SKILLS)
    karim = karim_page.locator(SKILLS)

    # Mathilde reads the prompt and the self-help tips, then the empty form.
    expect(mathilde.locator(".coach-title")).to_have_text("Naming my skills")
    expect(mathilde.locator(".coach-prompt")).to_contain_text("You know your job but not how to name your skills?")
    expect(mathilde.locator(".coach-tips li")).to_have_text([
        "Reread your last three assignments and note every action verb.",
        "Compare them with your online test results.",
        "Separate technical know-how from soft skills.",
    ])
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

    # Karim's queue was empty when he opened it; Show brings her request, with her name and first words.
    expect(karim.locator(".coach-title")).to_have_text("Coach queue")
    refresh_queue(karim)
    row = karim.locator(f".coach-queue tr[data-request-id='{request_id}']")
    expect(row).to_contain_text("mathilde")
    expect(row).to_contain_text("Naming my skills")
    expect(row).to_contain_text(" ".join(ASK["stuck_on"].split()[:8]))
    expect(row.locator(".coach-badge")).to_have_text("Waiting for a coach")
    snap(karim_page, "04-coach-queue")

    # He opens it: the whole ask, no earlier check-ins; he claims it.
    detail = open_request(karim, request_id)
    expect(detail.locator("h4")).to_contain_text(f"Request #{request_id}: mathilde at “Naming my skills”")
    expect(detail.locator(".coach-ask")).to_contain_text(ASK["working_on"])
    expect(detail.locator(".coach-ask")).to_contain_text(ASK["tried"])
    expect(detail.locator(f".coach-ask a[href='{ASK['link']}']")).to_be_visible()
    expect(detail.locator(".coach-history")).to_contain_text("None: this is their first request.")
    claim(detail)
    expect(detail.locator(".coach-claim")).to_contain_text("Claimed by coach_karim (until")
    expect(detail.locator(".coach-badge").first).to_have_text("A coach is on it")
    expect(row).to_contain_text("(coach_karim)")  # the queue is refreshed after the claim
    snap(karim_page, "05-coach-request-claimed")

    # Léa sees who holds it, gets no Claim button, and a claim sent anyway is refused naming Karim.
    lea_page = pages(UNIT, "coach_lea")
    lea = lea_page.locator(SKILLS)
    expect(lea.locator(f".coach-queue tr[data-request-id='{request_id}']")).to_contain_text("(coach_karim)")
    lea_detail = open_request(lea, request_id)
    expect(lea_detail.locator(".coach-claim")).to_contain_text("Claimed by coach_karim (until")
    expect(lea_detail.locator("button[data-action=claim]")).to_have_count(0)
    expect(lea_detail.locator("form.coach-answer-form")).to_have_count(0)
    with unchanged():
        refused = post_handler(lea_page, "claim", {"request_id": int(request_id)})
    assert refused["status"] == 409
    assert "coach_karim is already working on request" in refused["body"]["error"]
    assert CheckinRequest.objects.get(pk=request_id).claimed_by == "coach_karim"
    snap(lea_page, "06-other-coach-sees-holder")

    # Karim answers; Mathilde's open page shows the answer by itself (its poll), without a reload.
    answer(detail, ANSWER)
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

    # Karim refreshes his queue, claims again and answers again.
    refresh_queue(karim)
    detail = open_request(karim, request_id)
    expect(detail.locator(".coach-thread")).to_contain_text(REPLY)
    claim(detail)
    answer(detail, SECOND_ANSWER)
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
    expect(mathilde.locator("form.coach-ask-form")).to_be_visible()
    snap(mathilde_page, "08-learner-resolved")

    # Karim's queue, filtered on "Resolved", shows it with the rating.
    refresh_queue(karim, "resolved")
    row = karim.locator(f".coach-queue tr[data-request-id='{request_id}']")
    expect(row).to_contain_text("mathilde")
    expect(row.locator(".coach-badge")).to_have_text("Resolved")
    detail = open_request(karim, request_id)
    expect(detail.locator(".coach-rating")).to_contain_text("The learner rated this help 5 out of 5.")
    snap(karim_page, "09-coach-queue-resolved")

    # The author's editor of the same point.
    studio_page = pages(STUDIO, "coach_karim")
    expect(studio_page.locator(f"{SKILLS} [data-field-name=prompt] textarea")).to_have_value(
        "You know your job but not how to name your skills? A coach helps you put them into words."
    )
    snap(studio_page, "10-studio-view")

    assert_no_js_errors(pages)


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
    assert_no_js_errors(pages)


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
    assert_no_js_errors(pages)


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
    assert_no_js_errors(pages)


def test_answer_refused_after_lost_claim_keeps_the_answer(pages):
    """Karim's claim expired and Léa took the request: his answer is refused naming her, and stays typed."""
    learner = pages(UNIT, "paul").locator(SKILLS)
    request_id = send_request(learner).get_attribute("data-request-id")

    karim_page = pages(UNIT, "coach_karim")
    karim = karim_page.locator(SKILLS)
    karim_detail = open_request(karim, request_id)
    claim(karim_detail)
    CheckinRequest.objects.filter(pk=request_id).update(claim_expires_at=timezone.now() - timedelta(minutes=1))

    lea = pages(UNIT, "coach_lea").locator(SKILLS)
    lea_detail = open_request(lea, request_id)
    expect(lea_detail.locator(".coach-claim")).to_have_count(0)
    claim(lea_detail)
    expect(lea_detail.locator(".coach-claim")).to_contain_text("Claimed by coach_lea (until")

    typed = "Start from the verbs of your last three assignments, then group them by theme."
    answer(karim_detail, typed)
    form = karim_detail.locator("form.coach-answer-form")
    error = form.locator(".coach-error")
    expect(error).to_be_visible()
    expect(error).to_contain_text(f"coach_lea is already working on request #{request_id}")
    expect(form.locator("textarea[name=body]")).to_have_value(typed)
    expect(form.get_by_role("button", name="Send answer")).to_be_enabled()
    request = CheckinRequest.objects.get(pk=request_id)
    assert (request.status, request.claimed_by) == ("open", "coach_lea")
    assert not request.messages.filter(author_role="coach").exists()
    assert_no_js_errors(pages)


def test_a_claim_refused_shows_the_request_as_it_is_now(pages):
    """Léa opened the request before Karim claimed it: her click on Claim is refused naming him, and her
    view then shows his claim instead of a Claim button."""
    learner = pages(UNIT, "paul").locator(SKILLS)
    request_id = send_request(learner).get_attribute("data-request-id")
    lea = pages(UNIT, "coach_lea").locator(SKILLS)
    lea_detail = open_request(lea, request_id)
    karim_page = pages(UNIT, "coach_karim")
    assert post_handler(karim_page, "claim", {"request_id": int(request_id)})["status"] == 200

    lea_detail.get_by_role("button", name="Claim this request (30 minutes)").click()

    error = lea_detail.locator(f"#coach-request-error-{request_id}")
    expect(error).to_be_visible()
    expect(error).to_contain_text(f"coach_karim is already working on request #{request_id}")
    expect(error).to_be_focused()
    expect(lea_detail.locator(".coach-claim")).to_contain_text("Claimed by coach_karim (until")
    expect(lea_detail.locator("button[data-action=claim]")).to_have_count(0)
    expect(lea.locator(f".coach-queue tr[data-request-id='{request_id}']")).to_contain_text("(coach_karim)")
    assert CheckinRequest.objects.get(pk=request_id).claimed_by == "coach_karim"
    assert_no_js_errors(pages)


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
    assert_no_js_errors(pages)


def test_studio_save_works_in_the_plain_workbench(pages):
    """The workbench has no Studio runtime; the block's studio_view gives the editor what it needs."""
    studio_page = pages(STUDIO, "coach_karim")
    editor = studio_page.locator(SKILLS)
    editor.locator("[data-field-name=prompt] textarea").fill("A prompt saved from the workbench.")
    editor.locator(".save-button").click()
    studio_page.wait_for_load_state("networkidle")
    assert_no_js_errors(pages)
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
    expect(learner_page.locator(f"{SKILLS} .coach-ask-form")).to_be_visible()  # still a learner, not a coach
    assert_no_js_errors(pages)


def overflow_of_blocks(page):
    """For each check-in block: how far its content is wider than the block, and the block than the window.

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
    """At 320 px as at 1280 px, no check-in block scrolls sideways: learner form and request, coach request."""
    page = pages(UNIT, "mathilde", width=width)
    block = page.locator(SKILLS)
    assert_fits(page)
    snap(page, f"{width}px-learner-form")

    request = send_request(block)
    expect(request.locator(".coach-badge")).to_have_text("Waiting for a coach")
    assert_fits(page)
    snap(page, f"{width}px-learner-waiting")

    coach_page = pages(UNIT, "coach_karim", width=width)
    detail = open_request(coach_page.locator(SKILLS), request.get_attribute("data-request-id"))
    claim(detail)
    assert_fits(coach_page)
    snap(coach_page, f"{width}px-coach-request")
    assert_no_js_errors(pages)


def test_claim_line_shows_the_time_once_punctuated(pages):
    """The coach's "Claimed by ... (until <time>)" line, in English, the time in the browser's zone."""
    request_id = send_request(pages(UNIT, "paul").locator(SKILLS)).get_attribute("data-request-id")
    karim = pages(UNIT, "coach_karim").locator(SKILLS)
    claim(open_request(karim, request_id))
    # A fixed time of day (the browser's zone is UTC), so that the text does not depend on the clock.
    expires = (timezone.now() + timedelta(days=1)).replace(hour=21, minute=45, second=0, microsecond=0)
    CheckinRequest.objects.filter(pk=request_id).update(claim_expires_at=expires)
    claim_line = open_request(karim, request_id).locator(".coach-claim")
    expect(claim_line).to_contain_text("9:45")
    assert_no_js_errors(pages)
    assert re.fullmatch(r"Claimed by coach_karim \(until 9:45\sPM\)", claim_line.inner_text())


def test_a_coach_reads_where_learners_get_stuck_and_changes_the_period(pages, snap):
    """The course's analytics sit above the queue: a chart, its numbers, and a period to choose."""
    send_request(pages(UNIT, "mathilde").locator(SKILLS))
    coach_page = pages(UNIT, "coach_karim")
    analytics = coach_page.locator(f"{SKILLS} .coach-analytics")
    expect(analytics.locator("svg[role=img] title")).to_have_text("Requests asked and resolved, by topic")
    expect(analytics.locator(".coach-numbers")).to_contain_text("Requests asked")
    snap(coach_page, "coach-analytics")

    analytics.locator("select[name=period]").select_option("all")
    analytics.locator("form[data-action=analytics] button[type=submit]").click()
    replaced = coach_page.locator(f"{SKILLS} .coach-analytics")
    expect(replaced.locator("select[name=period]")).to_have_value("all")
    expect(replaced.locator("select[name=period]")).to_be_focused()
    assert_no_js_errors(pages)


@pytest.mark.parametrize("link, header", [("requests (CSV)", "request_id"), ("messages (CSV)", "message_id")])
def test_a_coach_downloads_the_courses_exports_from_the_queue(pages, link, header):
    """The link goes through the coach-only handler to the signed download, which the browser saves."""
    request_id = send_request(pages(UNIT, "mathilde").locator(SKILLS)).get_attribute("data-request-id")
    coach = pages(UNIT, "coach_karim").locator(SKILLS)
    detail = open_request(coach, request_id)
    claim(detail)
    answer(detail, "Start from the verbs of your last assignments.")
    expect(detail).to_have_attribute("data-status", "answered")

    with coach.page.expect_download() as started:
        coach.get_by_role("link", name=link).click()
    download = started.value

    assert re.fullmatch(r"coach-(requests|messages)-[A-Za-z0-9-]+\.csv", download.suggested_filename)
    rows = list(csv.reader(Path(download.path()).read_text(encoding="utf-8").splitlines()))
    assert rows[0][0] == "request_id" and header in rows[0]
    assert len(rows) == 2 and rows[1][0] == request_id
    assert_no_js_errors(pages)
