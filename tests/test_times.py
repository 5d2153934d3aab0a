"""Times and numbers as the server writes them (docs/times.md): `<time>` and `<data>` elements whose text,
read without JavaScript, is in the page's language, in UTC and says so, and reads naturally when relative."""
import html as html_lib
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template, TemplateSyntaxError
from django.test import Client
from django.utils import timezone, translation
from story import ASK_IN_FRENCH, KARIM, MATHILDE
from story.workbench import ENGLISH_UNIT, FRENCH_UNIT, open_unit, page

from coach_xblock.models import CheckinMessage, CheckinRequest
from coach_xblock.templatetags.coach_l10n import ago, coach_number, coach_time, iso_utc

NOW = datetime(2026, 1, 15, 15, 30, 20, tzinfo=ZoneInfo("UTC"))


def text_of(content):
    """Text as a reader sees it: tags dropped, entities decoded, no-break spaces as spaces."""
    return html_lib.unescape(re.sub(r"<[^>]+>", "", content)).replace("\xa0", " ").replace("\u202f", " ")


# The filter, alone


@pytest.mark.parametrize("before, english, french", [
    (timedelta(0), "just now", "à l’instant"),
    (timedelta(seconds=59), "just now", "à l’instant"),
    (timedelta(seconds=-90), "just now", "à l’instant"),  # a moment a little ahead of the clock
    (timedelta(seconds=60), "1 minute ago", "il y a 1 minute"),
    (timedelta(minutes=59, seconds=59), "59 minutes ago", "il y a 59 minutes"),
    (timedelta(hours=1), "1 hour ago", "il y a 1 heure"),
    (timedelta(hours=23, minutes=59), "23 hours ago", "il y a 23 heures"),
    (timedelta(days=1), "1 day ago", "il y a 1 jour"),
    (timedelta(days=29), "29 days ago", "il y a 29 jours"),
    (timedelta(days=30), "1 month ago", "il y a 1 mois"),
    (timedelta(days=364), "12 months ago", "il y a 12 mois"),
    (timedelta(days=365 * 2), "2 years ago", "il y a 2 ans"),
])
def test_a_relative_time_reads_naturally_in_english_and_french(before, english, french):
    for language, expected in (("en", english), ("fr", french)):
        with translation.override(language):
            assert ago(NOW - before, now=NOW) == expected


def test_the_instant_of_a_time_element_is_utc_to_the_second_whatever_the_zone_it_was_made_in():
    montreal = datetime(2026, 1, 15, 10, 30, 20, 123456, tzinfo=ZoneInfo("America/Montreal"))
    assert iso_utc(montreal) == "2026-01-15T15:30:20Z"


def test_a_date_time_without_javascript_is_the_utc_one_and_says_so_even_in_another_current_zone():
    with translation.override("fr"), timezone.override("America/Montreal"):
        assert str(coach_time(NOW, "datetime")) == (
            '<time datetime="2026-01-15T15:30:20Z" data-format="datetime">15 janvier 2026 15:30 (UTC)</time>'
        )
        instant = '<time datetime="2026-01-15T15:30:20Z"'
        assert str(coach_time(NOW, "time")) == f'{instant} data-format="time">15:30 (UTC)</time>'
        assert str(coach_time(NOW, "date")) == f'{instant} data-format="date">15/01/2026</time>'
    with translation.override("en"):
        relative = str(coach_time(timezone.now(), "relative"))
    assert 'data-format="relative"' in relative and '(UTC)">just now</time>' in relative


def test_a_time_in_an_unknown_format_is_a_template_error_and_no_time_is_nothing():
    with pytest.raises(TemplateSyntaxError, match="relative, datetime, date, time"):
        coach_time(NOW, "weekday")
    template = Template(
        '{% load coach_l10n %}[{{ none|coach_time:"relative" }}{{ none|coach_ago }}{{ none|coach_number }}]'
    )
    assert template.render(Context({"none": None})) == "[]"


@pytest.mark.parametrize("language, number, decimals, text", [
    ("fr", 20000, 0, "20\xa0000"),
    ("en", 20000, 0, "20,000"),
    ("fr", 4.25, 1, "4,2"),
    ("en", 3.0, 1, "3.0"),
    ("fr", 7, 0, "7"),
])
def test_a_number_is_grouped_and_punctuated_for_the_language_and_keeps_its_value(language, number, decimals, text):
    with translation.override(language):
        element = str(coach_number(number, decimals))
    value = f"{number:.{decimals}f}"
    assert element == f'<data class="coach-number" value="{value}">{text}</data>'


def test_what_is_not_a_number_shows_nothing():
    assert coach_number(True) == "" and coach_number("12") == ""


# Through the workbench, as a browser without JavaScript reads the pages


@pytest.fixture
def browsers(fresh_workbench):
    return {language: Client(HTTP_ACCEPT_LANGUAGE=language) for language in ("fr", "en")}


def test_a_fresh_request_reads_just_now_in_the_queue_never_zero_minutes(browsers):
    """Django's timesince said "0 minutes" for a request asked seconds ago: "il y a 0 minute"."""
    french_unit, english_unit = open_unit(browsers["fr"], FRENCH_UNIT), open_unit(browsers["en"], ENGLISH_UNIT)
    french_unit.skills.ask(MATHILDE, **ASK_IN_FRENCH)
    english_unit.skills.ask(MATHILDE)
    french = html_lib.unescape(french_unit.skills.desk.page("desk_course", KARIM))
    english = html_lib.unescape(english_unit.skills.desk.page("desk_course", KARIM))
    fresh = r'<time datetime="[^"]+Z" data-format="relative" title="[^"]+ \(UTC\)">{}</time>'
    assert re.search(fresh.format("à l’instant"), french) and re.search(fresh.format("just now"), english)
    assert not re.search(r"\b0 minute", text_of(french) + text_of(english))


def test_a_thread_and_a_request_read_in_utc_without_javascript(browsers):
    skills = open_unit(browsers["fr"], FRENCH_UNIT).skills
    request_id = skills.ask(MATHILDE, **ASK_IN_FRENCH)
    skills.answer(KARIM, request_id, "Partez de vos verbes d'action.")
    CheckinRequest.objects.filter(pk=request_id).update(created_at=NOW)
    answer = CheckinMessage.objects.filter(request_id=request_id, author_role="coach")
    answer.update(created_at=NOW + timedelta(hours=2))

    learner = page(browsers["fr"], FRENCH_UNIT, MATHILDE)
    assert ('envoyée le <time datetime="2026-01-15T15:30:20Z" data-format="datetime">15 janvier 2026 15:30 (UTC)</time>'
            in learner)
    answered = re.search(r'<time datetime="2026-01-15T17:30:20Z" data-format="relative" title="([^"]*)">([^<]*)</time>',
                         learner)
    assert answered, "the coach's answer carries its instant, relative"
    assert answered.group(1) == "15 janvier 2026 17:30 (UTC)"
    assert answered.group(2).startswith("il y a ")

    detail = open_unit(browsers["en"], FRENCH_UNIT).skills.desk.page("desk_request", KARIM, request_id=request_id)
    assert 'data-format="datetime">Jan. 15, 2026, 3:30 p.m. (UTC)</time>' in detail


def test_numbers_people_read_are_grouped_for_their_language(browsers):
    """The hints under the fields name lengths of up to 20000 characters: "20 000" in French."""
    french = text_of(page(browsers["fr"], FRENCH_UNIT, MATHILDE))
    english = text_of(page(browsers["en"], ENGLISH_UNIT, MATHILDE))
    assert "2 000 caractères maximum." in french
    assert "Up to 2,000 characters." in english
    assert '<data class="coach-number" value="2000">' in page(browsers["fr"], FRENCH_UNIT, MATHILDE)
