"""Times and numbers in the viewer's time zone and language, in Chromium (docs/times.md).

One request, asked on 15 January 2026 at 15:30:20 UTC and answered a moment ago, seen by Karim in
Montreal with a browser in Canadian French and by Léa in Tokyo with a browser in American English:
each reads the hour of their own zone, in their language, the fresh answer "just now", and numbers
grouped as their language groups them. The page's language follows the browser's (Accept-Language).
"""
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect
from story import ANSWER
from story.browser import answer_on_desk, claim_on_desk, desk_address, fill_ask_form, open_request_on_desk
from story.workbench import ENGLISH_COURSE

from coach_xblock.models import CheckinRequest

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

UNIT = "/scenario/coach_checkin.1/"
SKILLS = '[data-usage$=".coach_checkin.d0.u0"]'
ASKED = datetime(2026, 1, 15, 15, 30, 20, tzinfo=ZoneInfo("UTC"))

# Counts the page's one-minute timers (localize's), to see that redrawing a view starts no new one.
COUNT_MINUTE_TIMERS = """
    window.coachMinuteTimers = 0;
    const setInterval = window.setInterval;
    window.setInterval = function (callback, delay, ...rest) {
        if (delay === 60000) { window.coachMinuteTimers += 1; }
        return setInterval.call(window, callback, delay, ...rest);
    };
"""


def asked_request(open_page):
    """Mathilde asks through the form; the request, made older (ASKED)."""
    page = open_page(UNIT, "mathilde")
    block = page.locator(SKILLS)
    form = fill_ask_form(block)
    form.get_by_role("button", name="Send to a coach").click()
    expect(block.locator("article.coach-request")).to_have_attribute("data-status", "open")
    request_id = block.locator("article.coach-request").first.get_attribute("data-request-id")
    CheckinRequest.objects.filter(pk=request_id).update(created_at=ASKED)
    return request_id


def desk(open_page, coach, **options):
    """`coach` opens the English course's coach desk (its queue)."""
    return open_page(desk_address(ENGLISH_COURSE), coach, **options)


def test_one_request_read_in_montreal_in_french_and_in_tokyo_in_english(open_page):
    request_id = asked_request(open_page)

    # Karim, in Montreal (UTC-5 in January), his browser in Canadian French, on the coach desk.
    karim = desk(open_page, "coach_karim", locale="fr-CA", timezone_id="America/Montreal")
    karim.add_init_script(COUNT_MINUTE_TIMERS)
    karim.reload()
    # The queue's "asked" column is relative, months ago here.
    expect(karim.locator(f"tr[data-request-id='{request_id}'] time")).to_have_text(re.compile("^il y a "))
    detail = open_request_on_desk(karim, request_id)
    asked = detail.locator(".coach-request-head time")
    expect(asked).to_have_attribute("datetime", "2026-01-15T15:30:20Z")
    expect(asked).to_have_text(re.compile(r"^15 janv\. 2026.*\b10 h 30$"))
    expect(asked).to_have_attribute("title", re.compile(r"jeudi 15 janvier 2026.*10 h 30 min 20 s"))
    assert "UTC" not in asked.inner_text()

    karim.get_by_role("button", name=re.compile("^Prendre en charge cette demande")).click()
    form = karim.locator("form.coach-answer-form")
    # A French number: the group separator is a (narrow) no-break space.
    expect(form.locator("#coach-answer-hint")).to_contain_text(re.compile("^10[\u202f\u00a0]000 caractères maximum\\."))
    form.locator("textarea[name=body]").fill(ANSWER)
    form.get_by_role("button", name="Envoyer la réponse").click()
    expect(detail).to_have_attribute("data-status", "answered")
    expect(detail.locator(".coach-message-coach time")).to_have_text("à l’instant")
    expect(detail.locator(".coach-message-coach time")).to_have_attribute("data-format", "relative")
    # One desk page, one timer, however many times its times were drawn.
    assert karim.evaluate("window.coachMinuteTimers") == 1

    # Léa, in Tokyo (UTC+9: the next day), her browser in American English.
    lea = desk(open_page, "coach_lea", locale="en-US", timezone_id="Asia/Tokyo")
    lea.locator("select[name=status]").select_option("answered")
    lea.get_by_role("button", name="Show").click()
    detail = open_request_on_desk(lea, request_id)
    asked = detail.locator(".coach-request-head time")
    expect(asked).to_have_text(re.compile(r"^Jan 16, 2026, 12:30\sAM$"))
    expect(asked).to_have_attribute("title", re.compile(r"^Friday, January 16, 2026.*12:30:20\sAM GMT\+9$"))
    expect(detail.locator(".coach-message-coach time")).to_have_text("just now")
    expect(detail.locator(".coach-message-coach time")).to_have_attribute(
        "datetime", re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
    )


def test_a_fresh_answer_ages_while_the_page_stays_open(open_page):
    """The relative times are redrawn each minute: "just now", then "1 minute ago" without a reload."""
    request_id = asked_request(open_page)
    page = desk(open_page, "coach_karim")
    page.clock.install()
    page.reload()
    open_request_on_desk(page, request_id)
    claim_on_desk(page)
    answer_on_desk(page, ANSWER)
    message_time = page.locator(".coach-message-coach time")
    expect(message_time).to_have_text("just now")
    page.clock.fast_forward("02:00")
    expect(message_time).to_have_text(re.compile(r"^(1|2) minutes? ago$"))


def test_learners_read_their_numbers_and_dates_in_their_language(open_page):
    """In Paris with French browsers: Mathilde's request dated in Paris time, the lengths of Paul's form
    grouped as French groups them."""
    request_id = asked_request(open_page)
    mathilde = open_page(UNIT, "mathilde", locale="fr-FR", timezone_id="Europe/Paris").locator(SKILLS)
    request = mathilde.locator(f"article.coach-request[data-request-id='{request_id}']")
    expect(request.locator("p.coach-meta time")).to_have_text(re.compile(r"^15 janv\. 2026.*16:30$"))
    paul = open_page(UNIT, "paul", locale="fr-FR", timezone_id="Europe/Paris").locator(SKILLS)
    expect(paul.locator(".coach-hint data.coach-number[value='2000']").first).to_have_text("2\u202f000")
