"""The coach desk in Chromium: two coaches in two browser contexts, Markdown previewed and read formatted,
follow-ups routed to the coach who answered last, "Next request", the home page of every course coached,
filters kept in a bookmarkable URL, and every desk page fitting 320 px as well as a desktop.

Mathilde and Paul (learners) ask in the English unit (`/scenario/coach_checkin.1/`), whose course is
`define-your-skills-coach-check-ins`; Karim and Léa coach it (and the French unit's course) on the desk.
Every desk page is reached as a browser reaches it, with the workbench's ?student= kept by its links and
forms; axe-core and the keyboard-only pass over the desk are in tests/test_accessibility.py.
"""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect
from story import REPLY, unchanged
from story.browser import (
    answer_on_desk,
    claim_on_desk,
    desk_address,
    fill_ask_form,
    open_request_on_desk,
    post_desk_form,
    request_article,
)
from story.workbench import ENGLISH_COURSE, ENGLISH_UNIT, FRENCH_UNIT

from coach_xblock.models import CheckinRequest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

SKILLS = '[data-usage$=".coach_checkin.d0.u0"]'
FEASIBILITY = '[data-usage$=".coach_checkin.d1.u0"]'
MARKDOWN_ANSWER = "Good start. **Next**:\n\n1. group your verbs\n2. read https://example.org/skills"
PAUL_ANSWER = "Compare three job offers with your profile, then tell me what is missing."
FOLLOWUP_ANSWER = "Much better. Add one soft skill you use with customers and you are done."


def ask(page, block=SKILLS):
    """The page's learner asks at `block`; the id of the request."""
    point = page.locator(block)
    fill_ask_form(point).get_by_role("button", name="Send to a coach").click()
    article = point.locator("article.coach-request").first
    expect(article).to_have_attribute("data-status", "open")
    return article.get_attribute("data-request-id")


def course_desk(pages, coach, query="", width=1280):
    """`coach` opens the English course's queue (with `query`, e.g. "?topic=skills")."""
    return pages(desk_address(ENGLISH_COURSE) + query, coach, width=width)


def next_request(page):
    """Click "Next request" on a desk page."""
    page.get_by_role("link", name="Next request").first.click()


def test_two_coaches_a_markdown_answer_a_followup_and_next_request(pages, snap):
    """Karim claims, Léa sees it held and gets no Claim; Karim previews then sends a Markdown answer, which
    Mathilde reads formatted; her reply comes back to the queue as a follow-up kept for Karim, which Léa
    cannot claim; "Next request" brings Karim Paul's request, then Mathilde's follow-up."""
    mathilde_page = pages(ENGLISH_UNIT, "mathilde")
    mathilde_id = ask(mathilde_page)
    paul_id = ask(pages(ENGLISH_UNIT, "paul"))

    # Karim goes from his unit's summary to the desk; Léa opens the desk by its address.
    karim = pages(ENGLISH_UNIT, "coach_karim")
    expect(karim.locator(f"{SKILLS} .coach-summary")).to_contain_text("2 requests wait here")
    karim.locator(SKILLS).get_by_role("link", name="open the coach desk").click()
    expect(karim.locator(".coach-desk-backlog")).to_contain_text("2 requests wait for a coach")
    lea = course_desk(pages, "coach_lea")
    expect(lea.locator("tr[data-request-id]")).to_have_count(2)
    snap(karim, "01-desk-queue")

    # Karim claims Mathilde's request; Léa sees it held by him, with no Claim button and no answer form.
    detail = open_request_on_desk(karim, mathilde_id)
    claim_on_desk(karim)
    expect(detail.locator(".coach-countdown")).to_have_text(re.compile(r"^(29|30) min left on your claim$"))
    lea.reload()
    expect(lea.locator(f"tr[data-request-id='{mathilde_id}']")).to_contain_text("(coach_karim)")
    open_request_on_desk(lea, mathilde_id)
    expect(lea.locator(".coach-claim")).to_contain_text("Claimed by coach_karim (until")
    expect(lea.get_by_role("button", name=re.compile("^Claim this request"))).to_have_count(0)
    expect(lea.locator("form.coach-answer-form")).to_have_count(0)
    snap(lea, "02-held-by-another-coach")

    # Karim writes in Markdown and previews: formatted, nothing sent, his text still in the box.
    form = karim.locator("form.coach-answer-form")
    form.locator("textarea[name=body]").fill(MARKDOWN_ANSWER)
    with unchanged():
        form.get_by_role("button", name="Preview").click()
        preview = karim.locator(".coach-preview")
        expect(preview.locator("strong")).to_have_text("Next")
    expect(preview).to_contain_text("Preview: this is how your message will read once sent.")
    expect(preview.locator("ol li")).to_have_text(["group your verbs", "read https://example.org/skills"])
    expect(karim.locator("form.coach-answer-form textarea[name=body]")).to_have_value(MARKDOWN_ANSWER)
    snap(karim, "03-answer-previewed")
    karim.locator("form.coach-answer-form").get_by_role("button", name="Send answer").click()
    expect(detail).to_have_attribute("data-status", "answered")
    expect(detail.locator(".coach-done")).to_have_text("Your answer was sent. The learner is told.")
    expect(detail.locator(".coach-message-coach .coach-body strong")).to_have_text("Next")
    sent = CheckinRequest.objects.get(pk=mathilde_id).messages.get().body
    assert sent.replace("\r\n", "\n") == MARKDOWN_ANSWER  # a form sends its lines ended by CRLF
    snap(karim, "04-answered")

    # "Next request": the oldest request he may claim, Paul's; he answers it.
    next_request(karim)
    request_article(karim, paul_id)
    claim_on_desk(karim)
    answer_on_desk(karim, PAUL_ANSWER)
    expect(request_article(karim, paul_id)).to_have_attribute("data-status", "answered")

    # Mathilde reads the answer formatted, its link opening safely in a new tab, and replies.
    mathilde_page.reload()
    request = mathilde_page.locator(f"{SKILLS} .coach-request[data-request-id='{mathilde_id}']")
    message = request.locator(".coach-message-coach .coach-body")
    expect(message.locator("strong")).to_have_text("Next")
    expect(message.locator("ol li")).to_have_text(["group your verbs", "read https://example.org/skills"])
    link = message.get_by_role("link", name="https://example.org/skills")
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", re.compile(r"\bnoopener\b"))
    snap(mathilde_page, "05-learner-reads-markdown")
    reply_form = request.locator("form.coach-reply-form")
    reply_form.locator("textarea[name=body]").fill(REPLY)
    reply_form.get_by_role("button", name="Send reply").click()
    expect(request).to_have_attribute("data-status", "open")

    # In Léa's queue the request is a follow-up kept for Karim first; she may not claim it, and "Next
    # request" finds nothing for her.
    lea.get_by_role("link", name="Back to the queue").click()
    row = lea.locator(f"tr[data-request-id='{mathilde_id}']")
    expect(row).to_contain_text("Follow-up (for coach_karim first)")
    snap(lea, "06-followup-in-another-coachs-queue")
    open_request_on_desk(lea, mathilde_id)
    expect(lea.locator(".coach-followup")).to_contain_text("A follow-up: coach_karim, who answered last, has it first")
    expect(lea.get_by_role("button", name=re.compile("^Claim this request"))).to_have_count(0)
    with unchanged():
        refused = post_desk_form(lea, desk_address(ENGLISH_COURSE, "desk_claim", request_id=mathilde_id), {})
    assert refused["status"] == 409, refused["status"]
    assert "coach_karim" in refused["text"]
    next_request(lea)
    expect(lea.locator(".coach-done")).to_have_text("No request waits for you now.")

    # Karim's "Next request" brings him the follow-up, offered to him first; he answers it.
    next_request(karim)
    detail = request_article(karim, mathilde_id)
    expect(detail.locator(".coach-followup")).to_have_text("A follow-up to your answer: it is offered to you first.")
    expect(detail.locator(".coach-thread")).to_contain_text(REPLY)
    claim_on_desk(karim)
    answer_on_desk(karim, FOLLOWUP_ANSWER)
    expect(detail).to_have_attribute("data-status", "answered")
    snap(karim, "07-followup-answered")
    next_request(karim)
    expect(karim.locator(".coach-done")).to_have_text("No request waits for you now.")
    expect(karim.locator("main .coach-empty")).to_be_visible()
    pages.assert_no_js_errors()


def test_the_home_page_lists_every_course_coached_and_one_queue_across_them(pages, snap):
    """/coach-xblock/desk/ for Karim: both workbench courses with their waiting counts, and their requests."""
    english_id = ask(pages(ENGLISH_UNIT, "mathilde"))
    french_page = pages(FRENCH_UNIT, "paul", locale="fr-FR")
    french_id = ask_in_french(french_page)
    french_course = french_page.locator(SKILLS).get_attribute("data-usage").split(".", 1)[0]

    home = pages(desk_address(None, "desk_home"), "coach_karim")
    courses = home.locator("main table").first.locator("tbody tr")
    expect(courses).to_have_count(2)
    expect(courses.filter(has_text=ENGLISH_COURSE).locator("td").nth(1)).to_have_text("1")
    expect(courses.filter(has_text=french_course).locator("td").nth(1)).to_have_text("1")
    expect(home.locator(f"tr[data-request-id='{english_id}']")).to_contain_text(ENGLISH_COURSE)
    expect(home.locator(f"tr[data-request-id='{french_id}']")).to_contain_text(french_course)
    snap(home, "home-every-course")

    # A course's link opens its desk; a request's link opens it in its own course's desk.
    open_request_on_desk(home, french_id)
    expect(home).to_have_url(re.compile(re.escape(desk_address(french_course, "desk_request", request_id=french_id))))
    home.get_by_role("link", name="Coach desk").first.click()
    home.get_by_role("link", name=ENGLISH_COURSE).click()
    expect(home).to_have_url(re.compile(re.escape(desk_address(ENGLISH_COURSE)) + r"\?student=coach_karim$"))
    expect(home.locator("tr[data-request-id]")).to_have_count(1)
    pages.assert_no_js_errors()


def ask_in_french(page):
    point = page.locator(SKILLS)
    fill_ask_form(point).locator("button[type=submit]").click()
    article = point.locator("article.coach-request").first
    expect(article).to_have_attribute("data-status", "open")
    return article.get_attribute("data-request-id")


def test_filters_live_in_the_url_so_overdue_skills_can_be_bookmarked(pages, snap):
    """Karim filters "overdue, skills": the URL says so, a reload and a bookmark opened elsewhere keep it."""
    overdue_id = ask(pages(ENGLISH_UNIT, "mathilde"))
    ask(pages(ENGLISH_UNIT, "paul"))  # skills, not overdue
    feasibility_id = ask(pages(ENGLISH_UNIT, "mathilde"), FEASIBILITY)
    past = timezone.now() - timedelta(hours=1)
    CheckinRequest.objects.filter(pk__in=[overdue_id, feasibility_id]).update(due_at=past)

    karim = course_desk(pages, "coach_karim")
    expect(karim.locator("tr[data-request-id]")).to_have_count(3)
    karim.get_by_label("Topic").select_option("skills")
    karim.get_by_label("Overdue only").check()
    karim.get_by_role("button", name="Show").click()
    expect(karim).to_have_url(re.compile(r"[?&]topic=skills\b"))
    expect(karim).to_have_url(re.compile(r"[?&]overdue=1\b"))
    expect(karim).to_have_url(re.compile(r"[?&]student=coach_karim\b"))
    rows = karim.locator("tr[data-request-id]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_have_attribute("data-request-id", overdue_id)
    expect(rows.first.locator(".coach-badge-overdue")).to_have_text("Overdue")
    snap(karim, "filtered-overdue-skills")

    karim.reload()
    expect(karim.get_by_label("Topic")).to_have_value("skills")
    expect(karim.get_by_label("Overdue only")).to_be_checked()
    expect(rows).to_have_count(1)

    # The bookmark, opened by Léa (her own ?student=), shows the same filtered queue.
    query = re.sub(r"&?student=coach_karim", "", karim.url.split("?", 1)[1])
    lea = course_desk(pages, "coach_lea", "?" + query)
    expect(lea.get_by_label("Topic")).to_have_value("skills")
    expect(lea.get_by_label("Overdue only")).to_be_checked()
    expect(lea.locator("tr[data-request-id]")).to_have_count(1)
    expect(lea.locator("tr[data-request-id]").first).to_contain_text("mathilde")
    pages.assert_no_js_errors()


def overflow(page):
    """How far the desk's content is wider than itself, and itself than the window."""
    return page.evaluate(
        """() => {
            const desk = document.querySelector('.coach-desk');
            return {content: desk.scrollWidth - desk.clientWidth,
                    window: document.documentElement.scrollWidth - window.innerWidth};
        }"""
    )


@pytest.mark.parametrize("width", [320, 1280])
def test_every_desk_page_fits_the_screen(pages, snap, width):
    """At 320 px as at 1280 px no desk page scrolls sideways: home, queue (filtered), a request claimed with
    its answer previewed, analytics, workload, coaches."""
    request_id = ask(pages(ENGLISH_UNIT, "mathilde"))
    karim = course_desk(pages, "coach_karim", "?topic=skills&order=newest", width=width)

    def fits(name):
        expect(karim.locator("main h1")).to_be_visible()
        found = overflow(karim)
        assert found["content"] <= 1 and found["window"] <= 0, (name, found)
        snap(karim, f"{width}px-desk-{name}")

    fits("queue")
    open_request_on_desk(karim, request_id)
    claim_on_desk(karim)
    karim.locator("form.coach-answer-form textarea[name=body]").fill(MARKDOWN_ANSWER + " " + "word " * 80)
    karim.get_by_role("button", name="Preview").click()
    expect(karim.locator(".coach-preview")).to_be_visible()
    fits("request-previewed")
    for link in ("Analytics", "Workload", "Coaches"):
        karim.get_by_role("navigation", name="Coach desk").get_by_role("link", name=link).click()
        fits(link.lower())
    karim.get_by_role("link", name="Coach desk").first.click()
    fits("home")
    pages.assert_no_js_errors()
