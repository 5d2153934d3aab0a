"""Waits in words, in English and in French, and the chart data of the analytics (coach_xblock.charts)."""
import dataclasses
from pathlib import Path

import polib
import pytest
from django.utils import translation
from story import COURSE, T0

from coach_xblock import analytics, charts
from coach_xblock.domain import LONGER

FRENCH_PO = Path(__file__).resolve().parents[2] / "coach_xblock" / "locale" / "fr" / "LC_MESSAGES" / "django.po"

pytestmark = pytest.mark.django_db


# ---------------------------------------------------------------- waits in words


@pytest.mark.parametrize("minutes, words", [
    (None, "no answer yet"),
    (LONGER, "more than two weeks"),
    (1, "within 1 minute"),
    (15, "within 15 minutes"),
    (30, "within 30 minutes"),
    (60, "within 1 hour"),
    (180, "within 3 hours"),
    (1440, "within 24 hours"),
    (20160, "within 336 hours"),
])
def test_wait_in_words_in_english(minutes, words):
    assert charts.wait_in_words(minutes) == words


def _french(msgid):
    """The French of `msgid` in the catalogue's sources, or None while it is not translated."""
    entry = polib.pofile(str(FRENCH_PO)).find(msgid)
    if entry is None or "fuzzy" in entry.flags:
        return None
    translated = entry.msgstr_plural if entry.msgid_plural else entry.msgstr
    if entry.msgid_plural:
        return translated if all(translated.values()) else None
    return translated or None


def test_wait_in_words_in_french():
    hours = _french("within %(count)d hour")
    if hours is None:
        pytest.skip('"within %(count)d hour" has an empty msgstr in locale/fr/LC_MESSAGES/django.po: no French yet')
    with translation.override("fr"):
        assert charts.wait_in_words(60) == hours[0] % {"count": 1}
        assert charts.wait_in_words(180) == hours[1] % {"count": 3}
        assert charts.wait_in_words(180) != "within 3 hours"
        if _french("within %(count)d minute"):
            assert charts.wait_in_words(30) != "within 30 minutes"


def test_chart_bars_are_proportional_to_the_busiest_topic():
    result = dataclasses.replace(
        analytics.point_analytics(COURSE, now=T0),
        by_topic=[("feasibility", 2, 1), ("mystery", 1, 0), ("skills", 4, 4)],
        median_wait_minutes=180, p90_wait_minutes=LONGER, share_resolved=5 / 7, mean_rating=10 / 3,
    )

    context = charts.analytics_context(result, {"skills": "Skills", "feasibility": "Feasibility of the project"})

    bars = context["chart"]["bars"]
    assert [(bar["label"], bar["asked_width"], bar["resolved_width"]) for bar in bars] == [
        ("Feasibility of the project", charts.BAR_ROOM / 2, round(charts.BAR_ROOM / 4, 1)),
        ("mystery", round(charts.BAR_ROOM / 4, 1), 0),  # a topic without a label shows as it is
        ("Skills", charts.BAR_ROOM, charts.BAR_ROOM),
    ]
    assert [bar["y"] for bar in bars] == [0, charts.ROW_HEIGHT, 2 * charts.ROW_HEIGHT]
    assert context["chart"]["height"] == 3 * charts.ROW_HEIGHT
    assert all(bar["label_y"] < bar["asked_y"] < bar["resolved_y"] for bar in bars), "the label above its bars"
    assert (context["median"], context["p90"]) == ("within 3 hours", "more than two weeks")
    assert (context["share_resolved"], context["mean_rating"]) == (71, 3.3)


def test_chart_of_nothing_yet_keeps_one_row_of_height():
    context = charts.analytics_context(analytics.point_analytics(COURSE, now=T0), {})

    assert context["chart"]["bars"] == []
    assert context["chart"]["height"] == charts.ROW_HEIGHT
    assert (context["median"], context["p90"], context["share_resolved"], context["mean_rating"]) == (
        "no answer yet", "no answer yet", None, None)
