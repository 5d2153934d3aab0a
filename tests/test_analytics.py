"""Author analytics: the per-day counters the workflow keeps, what analytics.point_analytics adds up,
the typical wait learners are told, waits in words, and the coach-only `analytics` handler.

Counters are driven through coach_xblock.workflow on the real test database (SQLite, or PostgreSQL), the clock
through the `now=` arguments (a fixed morning, so that hours never spill into another day by
accident). The handler tests talk to the workbench over HTTP, as test_handlers.py does.
"""
import dataclasses
import json
import re
from datetime import UTC, datetime, timedelta, timezone
from itertools import count
from pathlib import Path
from urllib.parse import quote

import lxml.html
import polib
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from workbench.runtime_util import reset_global_state

from coach_xblock import analytics, charts, domain, workflow
from coach_xblock.analytics import percentile_bucket
from coach_xblock.domain import LONGER, WAIT_BUCKETS, CheckinPoint, InvalidInput, Person, wait_bucket
from coach_xblock.models import DailyStats, wait_field

COURSE = "course-v1:Demo+Career+2026"  # the course of the conftest's points
OTHER_COURSE = "course-v1:Other+Course+2026"
T0 = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)  # a Tuesday morning, UTC
FRENCH_PO = Path(__file__).resolve().parent.parent / "coach_xblock" / "locale" / "fr" / "LC_MESSAGES" / "django.po"

ASK = {
    "working_on": "Moving from network technician to IT trainer.",
    "stuck_on": "I know my job, but I do not know how to name my skills.",
    "tried": "An online skills test and a first draft of my list of skills.",
}

pytestmark = [
    pytest.mark.django_db,
    # The workbench runtime reads the deprecated Runtime.user_id on every block it builds.
    pytest.mark.filterwarnings("ignore::xblock.exceptions.UserIdDeprecationWarning"),
]


# ---------------------------------------------------------------- helpers

_numbers = count(1)


@pytest.fixture(autouse=True)
def in_english():
    """Words are matched in English, whatever language another test left active."""
    with translation.override("en"):
        yield


@pytest.fixture
def skills(skills_point):
    """The skills point, letting one learner keep many requests open (the counters are what we test)."""
    return dataclasses.replace(skills_point, max_open_requests=10_000)


@pytest.fixture
def feasibility(feasibility_point):
    return dataclasses.replace(feasibility_point, max_open_requests=10_000)


def learner(number=None):
    number = next(_numbers) if number is None else number
    return Person(user_id=f"anon-learner-{number}", display_name=f"Learner {number}")


def ask(point, at, who=None, token=None, **changes):
    """A learner (a new one unless `who`) asks at `point` at time `at`."""
    return workflow.ask_for_help(
        point, who or learner(), client_token=token or f"token-{next(_numbers)}", now=at, **{**ASK, **changes}
    )


def answer(request, coach, at, body="Start from your verbs: each one is a skill once you add its context."):
    """`coach` claims and answers `request` at time `at`."""
    workflow.claim_request(request.course_key, request.pk, coach, now=at)
    return workflow.coach_reply(request.course_key, request.pk, coach, body, now=at)


def resolve(point, request, rating, at):
    """The learner of `request` resolves it with `rating` stars at time `at`."""
    who = Person(user_id=request.learner_id, display_name=request.learner_name)
    return workflow.resolve_request(point, who, request.pk, rating, now=at)


def answered_after(point, coach, asked_at, wait):
    """A request asked at `asked_at` and first answered `wait` later."""
    request = ask(point, asked_at)
    return answer(request, coach, asked_at + wait)


def counters(point, day):
    """The counters row of `point` for requests asked on `day`, as a dict of its numbers."""
    row = DailyStats.objects.get(course_key=point.course_key, point_id=point.point_id, day=day)
    return {
        "topic": row.topic, "asked": row.asked, "answered": row.answered, "resolved": row.resolved,
        "rating_sum": row.rating_sum, "rating_count": row.rating_count,
        "wait_histogram": {str(bound): getattr(row, wait_field(bound))
                           for bound in (*WAIT_BUCKETS, LONGER) if getattr(row, wait_field(bound))},
    }


def stats(point=None, period="30", now=T0, course=COURSE):
    return analytics.point_analytics(course, point.point_id if point else None, period, now=now)


# ---------------------------------------------------------------- the counters follow the story


def test_asking_counts_one_request_asked_on_its_day(skills):
    ask(skills, T0)

    assert counters(skills, T0.date()) == {
        "topic": "skills", "asked": 1, "answered": 0, "resolved": 0,
        "rating_sum": 0, "rating_count": 0, "wait_histogram": {},
    }


def test_the_same_submit_sent_twice_counts_once(skills, mathilde):
    first = ask(skills, T0, mathilde, token="double-click")
    second = ask(skills, T0 + timedelta(seconds=1), mathilde, token="double-click")

    assert first.pk == second.pk
    assert counters(skills, T0.date())["asked"] == 1


def test_a_refused_ask_counts_nothing(skills_point, mathilde):
    ask(skills_point, T0, mathilde)
    with pytest.raises(domain.Conflict):
        ask(skills_point, T0, mathilde)  # one open request at most at this point

    assert counters(skills_point, T0.date())["asked"] == 1


def test_the_first_answer_counts_answered_with_its_wait_in_its_bucket(skills, karim):
    request = ask(skills, T0)
    answer(request, karim, T0 + timedelta(hours=3))

    row = counters(skills, T0.date())
    assert (row["asked"], row["answered"]) == (1, 1)
    assert row["wait_histogram"] == {"180": 1}


def test_a_second_answer_does_not_count_again(skills, karim, lea):
    request = ask(skills, T0)
    answer(request, karim, T0 + timedelta(hours=3))
    who = Person(user_id=request.learner_id, display_name=request.learner_name)
    workflow.learner_reply(skills, who, request.pk, "Thanks, but what about my soft skills?",
                           now=T0 + timedelta(hours=4))
    answer(request, lea, T0 + timedelta(days=2))

    row = counters(skills, T0.date())
    assert (row["answered"], row["wait_histogram"]) == (1, {"180": 1})


def test_a_refused_answer_counts_nothing(skills, karim, lea):
    request = ask(skills, T0)
    workflow.claim_request(COURSE, request.pk, karim, now=T0)
    with pytest.raises(domain.Conflict):
        workflow.coach_reply(COURSE, request.pk, lea, "I did not claim it.", now=T0 + timedelta(minutes=1))

    assert counters(skills, T0.date())["answered"] == 0


def test_resolving_counts_resolved_and_adds_up_the_ratings(skills, karim):
    first, second = ask(skills, T0), ask(skills, T0 + timedelta(hours=1))
    for request in (first, second):
        answer(request, karim, T0 + timedelta(hours=2))
    resolve(skills, first, 4, T0 + timedelta(hours=3))
    resolve(skills, second, 2, T0 + timedelta(hours=4))

    row = counters(skills, T0.date())
    assert (row["asked"], row["answered"], row["resolved"], row["rating_sum"], row["rating_count"]) == (2, 2, 2, 6, 2)


def test_withdrawing_counts_neither_answered_nor_resolved(skills):
    request = ask(skills, T0)
    who = Person(user_id=request.learner_id, display_name=request.learner_name)
    workflow.withdraw_request(skills, who, request.pk, now=T0 + timedelta(minutes=5))

    row = counters(skills, T0.date())
    assert (row["asked"], row["answered"], row["resolved"], row["rating_count"]) == (1, 0, 0, 0)


def test_a_request_counts_on_its_ask_day_even_when_answered_and_resolved_days_later(skills, karim):
    request = ask(skills, T0)
    answer(request, karim, T0 + timedelta(days=3))
    resolve(skills, request, 5, T0 + timedelta(days=5))

    assert list(DailyStats.objects.values_list("day", flat=True)) == [T0.date()]
    row = counters(skills, T0.date())
    assert (row["asked"], row["answered"], row["resolved"], row["rating_sum"]) == (1, 1, 1, 5)
    assert row["wait_histogram"] == {"4320": 1}  # three days


def test_the_ask_day_is_the_utc_day(skills):
    paris_evening = datetime(2026, 3, 10, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # 9 March, 22:30 UTC
    ask(skills, paris_evening)

    assert list(DailyStats.objects.values_list("day", flat=True)) == [datetime(2026, 3, 9).date()]


def test_each_point_and_each_day_has_its_own_row(skills, feasibility):
    ask(skills, T0)
    ask(skills, T0 + timedelta(hours=2))
    ask(skills, T0 + timedelta(days=1))
    ask(feasibility, T0)

    assert counters(skills, T0.date())["asked"] == 2
    assert counters(skills, (T0 + timedelta(days=1)).date())["asked"] == 1
    assert (counters(feasibility, T0.date())["asked"], counters(feasibility, T0.date())["topic"]) == (
        1, "feasibility")
    assert DailyStats.objects.count() == 3


# ---------------------------------------------------------------- buckets and percentiles


@pytest.mark.parametrize("seconds, bucket", [
    (0, 15),
    (15 * 60, 15),
    (15 * 60 + 1, 30),
    (20 * 60, 30),
    (3 * 3600, 180),
    (3 * 3600 + 1, 240),
    (5 * 3600, 360),
    (24 * 3600, 1440),
    (3 * 86400, 4320),
    (14 * 86400, 20160),
    (14 * 86400 + 1, LONGER),
    (90 * 86400, LONGER),
])
def test_wait_bucket_is_the_first_bound_at_or_above_the_wait(seconds, bucket):
    assert wait_bucket(seconds) == bucket


def test_the_buckets_grow_and_longer_is_none_of_them():
    assert list(WAIT_BUCKETS) == sorted(set(WAIT_BUCKETS))
    assert LONGER not in WAIT_BUCKETS


def test_percentile_of_no_wait_is_none():
    assert percentile_bucket({}, 0.5) is None
    assert percentile_bucket({"30": 0}, 0.5) is None


def test_percentiles_of_known_waits():
    histogram = {"30": 5, "360": 4, "4320": 1}

    assert percentile_bucket(histogram, 0.5) == 30
    assert percentile_bucket(histogram, 0.9) == 360
    assert percentile_bucket(histogram, 1.0) == 4320


def test_percentiles_beyond_the_last_bound_are_longer():
    assert percentile_bucket({"0": 3, "15": 1}, 0.5) == LONGER
    assert percentile_bucket({"0": 1, "15": 9}, 0.9) == 15
    assert percentile_bucket({"0": 2, "15": 8}, 0.9) == LONGER


def test_exactly_nine_in_ten_within_a_bucket_make_it_the_90th_percentile():
    """0.9 * total is compared as a float: no rounding may push the percentile to the next bucket."""
    for total in range(10, 1001, 10):
        within = total * 9 // 10
        assert percentile_bucket({"60": within, "120": total - within}, 0.9) == 60, total


# ---------------------------------------------------------------- point_analytics


def test_analytics_of_nothing_yet(skills):
    result = stats(skills)

    assert result == analytics.Analytics(
        period="30", asked=0, open_now=0, overdue_now=0, answered=0, median_wait_minutes=None,
        p90_wait_minutes=None, resolved=0, share_resolved=None, mean_rating=None, by_topic=[],
    )


def test_analytics_of_one_point_or_of_the_whole_course(skills, feasibility, karim):
    for _ in range(3):
        ask(skills, T0 - timedelta(days=1))
    answered_after(feasibility, karim, T0 - timedelta(days=1), timedelta(hours=1))
    other_course = dataclasses.replace(skills, course_key=OTHER_COURSE, point_id="other-point")
    for _ in range(5):
        ask(other_course, T0 - timedelta(days=1))

    assert (stats(skills).asked, stats(skills).answered) == (3, 0)
    assert (stats(feasibility).asked, stats(feasibility).answered) == (1, 1)
    assert (stats().asked, stats().answered, stats().open_now) == (4, 1, 4)
    assert stats(course=OTHER_COURSE).asked == 5


@pytest.mark.parametrize("period, asked", [("7", 1), ("30", 2), ("90", 3), ("all", 4)])
def test_periods_count_the_requests_asked_in_them(skills, karim, period, asked):
    for days_ago in (3, 20, 60, 200):
        request = ask(skills, T0 - timedelta(days=days_ago))
        answer(request, karim, T0 - timedelta(days=days_ago) + timedelta(hours=1))

    result = stats(skills, period)

    assert (result.period, result.asked, result.answered) == (period, asked, asked)


def test_periods_go_by_the_ask_day(skills, karim):
    inside = ask(skills, T0 - timedelta(days=6))
    outside = ask(skills, T0 - timedelta(days=8))
    answer(outside, karim, T0 - timedelta(days=1))  # answered within the week, asked before it
    answer(inside, karim, T0 - timedelta(days=1))

    week = stats(skills, "7")

    assert (week.asked, week.answered) == (1, 1)
    assert week.median_wait_minutes == 7200  # inside's five days, not outside's seven
    assert stats(skills, "30").answered == 2


def test_the_default_period_is_30_days(skills):
    ask(skills, T0 - timedelta(days=29))
    ask(skills, T0 - timedelta(days=31))

    result = analytics.point_analytics(COURSE, skills.point_id, now=T0)

    assert (result.period, result.asked) == ("30", 1)


@pytest.mark.parametrize("period", ["12", "", "week", 30, None])
def test_an_unknown_period_is_invalid_input(skills, period):
    with pytest.raises(InvalidInput, match="Unknown period"):
        analytics.point_analytics(COURSE, skills.point_id, period, now=T0)


def test_open_now_counts_open_and_answered_requests_whatever_the_period(skills, karim):
    waiting = ask(skills, T0 - timedelta(hours=1))
    answered = answered_after(skills, karim, T0 - timedelta(hours=5), timedelta(hours=1))
    resolve(skills, answered_after(skills, karim, T0 - timedelta(hours=5), timedelta(hours=1)), 5, T0)
    withdrawn = ask(skills, T0 - timedelta(hours=1))
    workflow.withdraw_request(skills, Person(withdrawn.learner_id, ""), withdrawn.pk, now=T0)
    ask(skills, T0 - timedelta(days=200))  # still open, asked long before the period

    result = stats(skills, "7")

    assert result.open_now == 3
    assert result.asked == 4
    assert {waiting.status, answered.status} == {"open", "answered"}


def test_overdue_now_counts_open_requests_past_their_due_time(skills, karim):
    ask(skills, T0 - timedelta(hours=50))  # due after 48 h: overdue
    ask(skills, T0 - timedelta(hours=48))  # due right now: overdue
    ask(skills, T0 - timedelta(hours=10))  # not yet due
    answered_after(skills, karim, T0 - timedelta(hours=60), timedelta(hours=55))  # late, but answered
    claimed = ask(skills, T0 - timedelta(hours=70))
    workflow.claim_request(COURSE, claimed.pk, karim, now=T0)  # a coach is on it, still unanswered

    assert stats(skills).overdue_now == 3
    assert stats(skills, now=T0 + timedelta(hours=40)).overdue_now == 4


def test_a_learner_reply_makes_the_request_due_again_from_the_reply(skills, karim):
    request = answered_after(skills, karim, T0 - timedelta(hours=100), timedelta(hours=1))
    who = Person(user_id=request.learner_id, display_name=request.learner_name)
    workflow.learner_reply(skills, who, request.pk, "And what about my soft skills?", now=T0 - timedelta(hours=10))

    assert stats(skills).overdue_now == 0
    assert stats(skills, now=T0 + timedelta(hours=38)).overdue_now == 1


def test_median_and_90th_percentile_of_known_waits(skills, karim):
    waits = [timedelta(minutes=20)] * 5 + [timedelta(hours=5)] * 4 + [timedelta(days=3)]
    for wait in waits:
        answered_after(skills, karim, T0 - timedelta(days=10), wait)

    result = stats(skills)

    assert result.answered == 10
    assert (result.median_wait_minutes, result.p90_wait_minutes) == (30, 360)


def test_waits_of_the_whole_course_add_up_over_points_and_days(skills, feasibility, karim):
    for days_ago in (1, 2, 3):
        answered_after(skills, karim, T0 - timedelta(days=days_ago), timedelta(minutes=10))
    for days_ago in (1, 2):
        answered_after(feasibility, karim, T0 - timedelta(days=days_ago), timedelta(hours=10))

    assert (stats(skills).median_wait_minutes, stats(feasibility).median_wait_minutes) == (15, 720)
    assert (stats().median_wait_minutes, stats().p90_wait_minutes) == (15, 720)


def test_share_resolved_and_mean_rating(skills, karim):
    requests = [answered_after(skills, karim, T0 - timedelta(days=2), timedelta(hours=1)) for _ in range(3)]
    ask(skills, T0 - timedelta(days=2))
    resolve(skills, requests[0], 5, T0)
    resolve(skills, requests[1], 2, T0)

    result = stats(skills)

    assert (result.asked, result.answered, result.resolved) == (4, 3, 2)
    assert result.share_resolved == pytest.approx(0.5)
    assert result.mean_rating == pytest.approx(3.5)


def test_by_topic_splits_asked_and_resolved(skills, feasibility, karim):
    for _ in range(3):
        ask(skills, T0 - timedelta(days=1))
    resolve(skills, answered_after(skills, karim, T0 - timedelta(days=2), timedelta(hours=1)), 4, T0)
    ask(feasibility, T0 - timedelta(days=1))
    ask(feasibility, T0 - timedelta(days=40))  # outside the 30 days

    assert stats().by_topic == [("feasibility", 1, 0), ("skills", 4, 1)]
    assert stats(skills).by_topic == [("skills", 4, 1)]
    assert stats(period="all").by_topic == [("feasibility", 2, 0), ("skills", 4, 1)]


def test_as_dict_is_json_ready(skills, karim):
    resolve(skills, answered_after(skills, karim, T0 - timedelta(days=1), timedelta(hours=3)), 4, T0)

    data = json.loads(json.dumps(stats(skills).as_dict()))

    assert data == {
        "period": "30", "asked": 1, "open_now": 0, "overdue_now": 0, "answered": 1, "median_wait_minutes": 180,
        "p90_wait_minutes": 180, "resolved": 1, "share_resolved": 1.0, "mean_rating": 4.0,
        "by_topic": [["skills", 1, 1]],
    }


def _make_requests(skills, feasibility, karim, lea, total):
    """`total` requests over 60 days and two points, a third of them answered, a sixth resolved."""
    for number in range(total):
        point = (skills, feasibility)[number % 2]
        at = T0 - timedelta(days=number % 60, hours=number % 7)
        request = ask(point, at)
        if number % 3 == 0:
            request = answer(request, (karim, lea)[number % 2], at + timedelta(minutes=7 * number))
            if number % 6 == 0:
                resolve(point, request, 1 + number % 5, at + timedelta(days=1))


@pytest.mark.parametrize("point", ["course", "point"])
def test_analytics_make_as_many_queries_at_200_requests_as_at_20(skills, feasibility, karim, lea, point):
    point = skills if point == "point" else None
    _make_requests(skills, feasibility, karim, lea, 20)
    with CaptureQueriesContext(connection) as small:
        at_20 = stats(point, "all")
    _make_requests(skills, feasibility, karim, lea, 180)
    with CaptureQueriesContext(connection) as large:
        at_200 = stats(point, "all")

    assert at_20.asked == (20 if point is None else 10) and at_200.asked == (200 if point is None else 100)
    assert len(large.captured_queries) == len(small.captured_queries)
    assert len(large.captured_queries) <= 6


# ---------------------------------------------------------------- typical_wait_hours


def test_typical_wait_is_the_authors_hours_under_five_answers(skills, karim):
    for _ in range(4):
        answered_after(skills, karim, T0 - timedelta(days=1), timedelta(minutes=20))
    ask(skills, T0 - timedelta(days=1))  # asked but not answered: no wait yet

    assert analytics.typical_wait_hours(COURSE, skills.point_id, 48, now=T0) == (48, False)


def test_typical_wait_is_the_median_bucket_in_hours_from_five_answers(skills, karim):
    for wait in [timedelta(minutes=20)] * 2 + [timedelta(hours=2, minutes=10)] * 3:
        answered_after(skills, karim, T0 - timedelta(days=1), wait)

    assert analytics.typical_wait_hours(COURSE, skills.point_id, 48, now=T0) == (3, True)


def test_typical_wait_under_an_hour_rounds_up_to_one_hour(skills, karim):
    for _ in range(5):
        answered_after(skills, karim, T0 - timedelta(days=1), timedelta(minutes=20))

    assert analytics.typical_wait_hours(COURSE, skills.point_id, 48, now=T0) == (1, True)


def test_typical_wait_counts_days_long_waits_in_hours(skills, karim):
    for _ in range(5):
        answered_after(skills, karim, T0 - timedelta(days=10), timedelta(days=1, hours=10))

    assert analytics.typical_wait_hours(COURSE, skills.point_id, 48, now=T0) == (36, True)


def test_typical_wait_ignores_requests_asked_more_than_90_days_ago(skills, karim):
    for _ in range(5):
        answered_after(skills, karim, T0 - timedelta(days=100), timedelta(minutes=20))

    assert analytics.typical_wait_hours(COURSE, skills.point_id, 48, now=T0) == (48, False)

    for _ in range(5):
        answered_after(skills, karim, T0 - timedelta(days=80), timedelta(hours=5))

    assert analytics.typical_wait_hours(COURSE, skills.point_id, 48, now=T0) == (6, True)


def test_typical_wait_is_the_points_own(skills, feasibility, karim):
    for _ in range(5):
        answered_after(feasibility, karim, T0 - timedelta(days=1), timedelta(minutes=20))

    assert analytics.typical_wait_hours(COURSE, skills.point_id, 48, now=T0) == (48, False)
    assert analytics.typical_wait_hours(COURSE, feasibility.point_id, 72, now=T0) == (1, True)


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
        ("Feasibility of the project", charts.BAR_ROOM // 2, charts.BAR_ROOM // 4),
        ("mystery", charts.BAR_ROOM // 4, 0),  # a topic without a label shows as it is
        ("Skills", charts.BAR_ROOM, charts.BAR_ROOM),
    ]
    assert [bar["y"] for bar in bars] == [0, charts.ROW_HEIGHT, 2 * charts.ROW_HEIGHT]
    assert context["chart"]["height"] == 3 * charts.ROW_HEIGHT
    assert all(bar["asked_end"] == charts.LABEL_WIDTH + bar["asked_width"] + 4 for bar in bars)
    assert (context["median"], context["p90"]) == ("within 3 hours", "more than two weeks")
    assert (context["share_resolved"], context["mean_rating"]) == (71, "3.3")


def test_chart_of_nothing_yet_keeps_one_row_of_height():
    context = charts.analytics_context(analytics.point_analytics(COURSE, now=T0), {})

    assert context["chart"]["bars"] == []
    assert context["chart"]["height"] == charts.ROW_HEIGHT
    assert (context["median"], context["p90"], context["share_resolved"], context["mean_rating"]) == (
        "no answer yet", "no answer yet", None, None)


# ---------------------------------------------------------------- the analytics handler

ENGLISH_UNIT = "/scenario/coach_checkin.1/"
MATHILDE, PAUL = "mathilde", "paul"
KARIM = "coach_karim"
XSS_TOPIC = "<script>alert(1)</script>"


@dataclasses.dataclass
class Block:
    """One coach_checkin block of the English workbench unit, reached through its handler URLs."""

    client: object
    usage_id: str

    @property
    def course_key(self):
        return self.usage_id.split(".", 1)[0]  # identity.course_key in the workbench

    def post(self, handler, student, payload=None):
        return self.client.post(
            f"/handler/{self.usage_id}/{handler}/?student={quote(student)}",
            data=json.dumps({} if payload is None else payload),
            content_type="application/json",
        )

    def ok(self, handler, student, payload=None):
        response = self.post(handler, student, payload)
        assert response.status_code == 200, response.content
        return response.json()


@pytest.fixture
def unit(client):
    """The English unit's (skills, feasibility) blocks, from a fresh workbench."""
    reset_global_state()
    html = client.get(f"{ENGLISH_UNIT}?student={MATHILDE}").content.decode()
    usage_ids = re.findall(r"data-usage='([^']*\.coach_checkin\.[^']*)'", html)
    assert len(usage_ids) == 2, usage_ids
    return tuple(Block(client, usage_id) for usage_id in usage_ids)


def _ask(block, student):
    payload = {**ASK, "link": "", "client_token": f"token-{next(_numbers)}"}
    return block.ok("ask", student, payload)["request"]["id"]


@pytest.fixture
def story(unit):
    """Mathilde asked at skills, got Karim's answer and resolved with 4 stars; Paul waits at feasibility."""
    skills_block, feasibility_block = unit
    mathildes = _ask(skills_block, MATHILDE)
    skills_block.ok("claim", KARIM, {"request_id": mathildes})
    skills_block.ok("coach_reply", KARIM, {"request_id": mathildes, "body": "Start from your verbs."})
    skills_block.ok("resolve", MATHILDE, {"request_id": mathildes, "rating": 4})
    _ask(feasibility_block, PAUL)
    return unit


def _numbers_of(html):
    """The <dl> of the analytics as {term: text}, and the by-topic table as [(topic, asked, resolved)]."""
    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    terms = [dt.text_content().strip() for dt in tree.xpath("//dl[contains(@class, 'coach-numbers')]/dt")]
    values = [dd.text_content().strip() for dd in tree.xpath("//dl[contains(@class, 'coach-numbers')]/dd")]
    table = [
        tuple(cell.text_content().strip() for cell in row.xpath("./th|./td"))
        for row in tree.xpath("//table[contains(@class, 'coach-topics')]/tbody/tr")
    ]
    return dict(zip(terms, values, strict=True)), table


def test_analytics_handler_refuses_learners(story):
    skills_block, _feasibility_block = story
    for payload in ({}, {"scope": "point"}, {"scope": "course", "period": "all"}):
        response = skills_block.post("analytics", MATHILDE, payload)
        assert response.status_code == 403
        assert "course team" in response.json()["error"]
        assert "analytics" not in response.json()


@pytest.mark.parametrize("payload, says", [
    ({"scope": "unit"}, "scope"),
    ({"scope": 3}, "scope"),
    ({"period": "12"}, "Unknown period"),
    ({"scope": "point", "period": "year"}, "Unknown period"),
])
def test_analytics_handler_refuses_a_bad_scope_or_period(story, payload, says):
    skills_block, _feasibility_block = story

    response = skills_block.post("analytics", KARIM, payload)

    assert response.status_code == 400
    assert says in response.json()["error"]


def test_analytics_handler_gives_the_numbers_of_the_point(story):
    skills_block, _feasibility_block = story

    data = skills_block.ok("analytics", KARIM, {"scope": "point", "period": "7"})["analytics"]

    assert data == {
        "period": "7", "asked": 1, "open_now": 0, "overdue_now": 0, "answered": 1, "median_wait_minutes": 15,
        "p90_wait_minutes": 15, "resolved": 1, "share_resolved": 1.0, "mean_rating": 4.0,
        "by_topic": [["skills", 1, 1]],
    }


def test_analytics_handler_gives_the_numbers_of_the_course_by_default(story):
    skills_block, feasibility_block = story

    from_skills = skills_block.ok("analytics", KARIM)
    from_feasibility = feasibility_block.ok("analytics", KARIM, {"scope": "course", "period": "30"})

    data = from_skills["analytics"]
    assert (data["period"], data["asked"], data["open_now"], data["answered"], data["resolved"]) == ("30", 2, 1, 1, 1)
    assert data["share_resolved"] == 0.5 and data["mean_rating"] == 4.0
    assert data["by_topic"] == [["feasibility", 1, 0], ["skills", 1, 1]]
    assert from_feasibility["analytics"] == data


def test_analytics_html_has_an_svg_chart_and_a_table_of_the_numbers(story):
    skills_block, _feasibility_block = story

    html = skills_block.ok("analytics", KARIM, {"scope": "course"})["html"]

    tree = lxml.html.fragment_fromstring(html, create_parent="div")
    charts_ = tree.xpath("//svg")
    assert len(charts_) == 1
    assert charts_[0].get("role") == "img"
    title_id = charts_[0].get("aria-labelledby")
    assert tree.xpath(f"//svg/title[@id='{title_id}']")[0].text_content().strip()
    numbers, table = _numbers_of(html)
    assert table == [("Feasibility of the project", "1", "0"), ("Skills", "1", "1")]
    assert numbers == {
        "Requests asked": "2",
        "Open now": "1",
        "Overdue now": "0",
        "First answer, median": "within 15 minutes",
        "First answer, 9 in 10 within": "within 15 minutes",
        "Resolved": "1 (50 %)",
        "Mean rating": "4.0 out of 5",
    }
    selected = tree.xpath("//select[@name='period']/option[@selected]")
    assert [option.get("value") for option in selected] == ["30"]


def test_analytics_html_without_requests_has_no_chart(unit):
    skills_block, _feasibility_block = unit

    html = skills_block.ok("analytics", KARIM, {"scope": "point", "period": "all"})["html"]

    assert "<svg" not in html
    numbers, table = _numbers_of(html)
    assert table == []
    assert numbers["Requests asked"] == "0"
    assert numbers["First answer, median"] == "no answer yet"
    assert numbers["Resolved"] == "no request yet"
    assert numbers["Mean rating"] == "no rating yet"


def test_analytics_html_escapes_author_and_learner_text(unit):
    skills_block, _feasibility_block = unit
    # An author's point of the same workbench course with a topic of their own making.
    point = CheckinPoint(course_key=skills_block.course_key, point_id="authored-point", title=XSS_TOPIC,
                         topic=XSS_TOPIC)
    workflow.ask_for_help(point, Person("anon-x", XSS_TOPIC), working_on=XSS_TOPIC,
                          stuck_on=f"{XSS_TOPIC} is where I am stuck", tried=XSS_TOPIC, client_token="xss")

    result = skills_block.ok("analytics", KARIM, {"scope": "course"})

    assert result["analytics"]["by_topic"] == [[XSS_TOPIC, 1, 0]]
    html = result["html"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html
    _numbers, table = _numbers_of(html)
    assert table == [(XSS_TOPIC, "1", "0")]


# ---------------------------------------------------------------- where people see it


def test_the_coach_sees_the_course_analytics_above_the_queue_with_the_exports(client, story):
    html = client.get(f"{ENGLISH_UNIT}?student={KARIM}").content.decode()
    coach_view = html[html.index("coach-checkin-coach"):]
    assert coach_view.index("coach-analytics") < coach_view.index("coach-queue")
    numbers, _table = _numbers_of(coach_view[coach_view.index("<section"):])
    assert numbers["Requests asked"] == "2" and numbers["Open now"] == "1"
    assert "export_csv/?student=coach_karim&amp;file=requests" in coach_view
    assert "export_csv/?student=coach_karim&amp;file=messages" in coach_view


def test_the_author_sees_the_points_analytics_under_its_settings(client, story):
    html = client.get(f"{ENGLISH_UNIT}author_view/?student={MATHILDE}").content.decode()
    first = html.index("coach-checkin-author")
    author_view = html[first:html.index("coach-checkin-author", first + 1)]  # the skills point's block
    numbers, table = _numbers_of(author_view[author_view.index("<section"):])
    assert numbers["Requests asked"] == "1", "the skills point alone"
    assert table == [("Skills", "1", "1")]
    assert 'data-action="analytics"' not in author_view, "no period to choose without the coach's script"


def test_learners_are_told_the_measured_wait_once_there_is_enough_data(client, unit):
    skills_block, _feasibility_block = unit
    for number in range(analytics.TYPICAL_WAIT_MIN_ANSWERS):
        request_id = _ask(skills_block, f"learner-{number}")
        skills_block.ok("claim", KARIM, {"request_id": request_id})
        skills_block.ok("coach_reply", KARIM, {"request_id": request_id, "body": "Start from your verbs."})
    html = skills_block.ok("learner_state", MATHILDE)["html"]
    assert "A coach usually answers within 1 hour." in html, "answered at once: the first bucket, 15 minutes"
    assert "within 48 hours" not in html
