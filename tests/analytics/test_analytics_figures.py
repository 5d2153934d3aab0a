"""What analytics.point_analytics adds up for authors, in a fixed number of queries, and the typical
wait learners are told (analytics.typical_wait_hours)."""
import dataclasses
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from story import COURSE, OTHER_COURSE, T0, answer, ask, learner_of, newcomer, refused, reply, resolve, withdraw

from coach_xblock import analytics, workflow
from coach_xblock.domain import InvalidInput

pytestmark = pytest.mark.django_db


def answered_after(point, coach, asked_at, wait):
    """A newcomer's request asked at `asked_at` and first answered `wait` later."""
    return answer(ask(point, newcomer(), now=asked_at), coach, now=asked_at + wait)


def stats(point=None, period="30", now=T0, course=COURSE):
    return analytics.point_analytics(course, point.point_id if point else None, period, now=now)


# ---------------------------------------------------------------- point_analytics


def test_analytics_of_nothing_yet(skills):
    result = stats(skills)

    assert result == analytics.Analytics(
        period="30", asked=0, open_now=0, overdue_now=0, answered=0, median_wait_minutes=None,
        p90_wait_minutes=None, resolved=0, share_resolved=None, mean_rating=None, not_helped=0, by_topic=[],
    )


def test_analytics_of_one_point_or_of_the_whole_course(skills, feasibility, karim):
    for _ in range(3):
        ask(skills, newcomer(), now=T0 - timedelta(days=1))
    answered_after(feasibility, karim, T0 - timedelta(days=1), timedelta(hours=1))
    other_course = dataclasses.replace(skills, course_key=OTHER_COURSE, point_id="other-point")
    for _ in range(5):
        ask(other_course, newcomer(), now=T0 - timedelta(days=1))

    assert (stats(skills).asked, stats(skills).answered) == (3, 0)
    assert (stats(feasibility).asked, stats(feasibility).answered) == (1, 1)
    assert (stats().asked, stats().answered, stats().open_now) == (4, 1, 4)
    assert stats(course=OTHER_COURSE).asked == 5


@pytest.mark.parametrize("period, asked", [("7", 1), ("30", 2), ("90", 3), ("all", 4)])
def test_periods_count_the_requests_asked_in_them(skills, karim, period, asked):
    for days_ago in (3, 20, 60, 200):
        request = ask(skills, newcomer(), now=T0 - timedelta(days=days_ago))
        answer(request, karim, now=T0 - timedelta(days=days_ago) + timedelta(hours=1))

    result = stats(skills, period)

    assert (result.period, result.asked, result.answered) == (period, asked, asked)


def test_periods_go_by_the_ask_day(skills, karim):
    inside = ask(skills, newcomer(), now=T0 - timedelta(days=6))
    outside = ask(skills, newcomer(), now=T0 - timedelta(days=8))
    answer(outside, karim, now=T0 - timedelta(days=1))  # answered within the week, asked before it
    answer(inside, karim, now=T0 - timedelta(days=1))

    week = stats(skills, "7")

    assert (week.asked, week.answered) == (1, 1)
    assert week.median_wait_minutes == 7200  # inside's five days, not outside's seven
    assert stats(skills, "30").answered == 2


def test_the_default_period_is_30_days(skills):
    ask(skills, newcomer(), now=T0 - timedelta(days=29))
    ask(skills, newcomer(), now=T0 - timedelta(days=31))

    result = analytics.point_analytics(COURSE, skills.point_id, now=T0)

    assert (result.period, result.asked) == ("30", 1)


@pytest.mark.parametrize("period", ["12", "", "week", 30, None])
def test_an_unknown_period_is_invalid_input(skills, period):
    with refused(InvalidInput, match="Unknown period"):
        analytics.point_analytics(COURSE, skills.point_id, period, now=T0)


def test_open_now_counts_open_and_answered_requests_whatever_the_period(skills, karim):
    waiting = ask(skills, newcomer(), now=T0 - timedelta(hours=1))
    answered = answered_after(skills, karim, T0 - timedelta(hours=5), timedelta(hours=1))
    request = answered_after(skills, karim, T0 - timedelta(hours=5), timedelta(hours=1))
    resolve(skills, learner_of(request), request, 5, now=T0)
    withdrawn = ask(skills, newcomer(), now=T0 - timedelta(hours=1))
    withdraw(skills, learner_of(withdrawn), withdrawn, now=T0)
    ask(skills, newcomer(), now=T0 - timedelta(days=200))  # still open, asked long before the period

    result = stats(skills, "7")

    assert result.open_now == 3
    assert result.asked == 4
    assert {waiting.status, answered.status} == {"open", "answered"}


def test_overdue_now_counts_open_requests_past_their_due_time(skills, karim):
    ask(skills, newcomer(), now=T0 - timedelta(hours=50))  # due after 48 h: overdue
    ask(skills, newcomer(), now=T0 - timedelta(hours=48))  # due right now: overdue
    ask(skills, newcomer(), now=T0 - timedelta(hours=10))  # not yet due
    answered_after(skills, karim, T0 - timedelta(hours=60), timedelta(hours=55))  # late, but answered
    claimed = ask(skills, newcomer(), now=T0 - timedelta(hours=70))
    workflow.claim_request(COURSE, claimed.pk, karim, now=T0)  # a coach is on it, still unanswered

    assert stats(skills).overdue_now == 3
    assert stats(skills, now=T0 + timedelta(hours=40)).overdue_now == 4


def test_a_learner_reply_makes_the_request_due_again_from_the_reply(skills, karim):
    request = answered_after(skills, karim, T0 - timedelta(hours=100), timedelta(hours=1))
    reply(skills, learner_of(request), request, "And what about my soft skills?", now=T0 - timedelta(hours=10))

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
    ask(skills, newcomer(), now=T0 - timedelta(days=2))
    resolve(skills, learner_of(requests[0]), requests[0], 5, now=T0)
    resolve(skills, learner_of(requests[1]), requests[1], 2, now=T0)

    result = stats(skills)

    assert (result.asked, result.answered, result.resolved) == (4, 3, 2)
    assert result.share_resolved == pytest.approx(0.5)
    assert result.mean_rating == pytest.approx(3.5)


def test_by_topic_splits_asked_and_resolved(skills, feasibility, karim):
    for _ in range(3):
        ask(skills, newcomer(), now=T0 - timedelta(days=1))
    request = answered_after(skills, karim, T0 - timedelta(days=2), timedelta(hours=1))
    resolve(skills, learner_of(request), request, 4, now=T0)
    ask(feasibility, newcomer(), now=T0 - timedelta(days=1))
    ask(feasibility, newcomer(), now=T0 - timedelta(days=40))  # outside the 30 days

    assert stats().by_topic == [("feasibility", 1, 0), ("skills", 4, 1)]
    assert stats(skills).by_topic == [("skills", 4, 1)]
    assert stats(period="all").by_topic == [("feasibility", 2, 0), ("skills", 4, 1)]


def test_as_dict_is_json_ready(skills, karim):
    request = answered_after(skills, karim, T0 - timedelta(days=1), timedelta(hours=3))
    resolve(skills, learner_of(request), request, 4, now=T0)

    data = json.loads(json.dumps(stats(skills).as_dict()))

    assert data == {
        "period": "30", "asked": 1, "open_now": 0, "overdue_now": 0, "answered": 1, "median_wait_minutes": 180,
        "p90_wait_minutes": 180, "resolved": 1, "share_resolved": 1.0, "mean_rating": 4.0, "not_helped": 0,
        "by_topic": [["skills", 1, 1]],
    }


def _make_requests(skills, feasibility, karim, lea, total):
    """`total` requests over 60 days and two points, a third of them answered, a sixth resolved."""
    for number in range(total):
        point = (skills, feasibility)[number % 2]
        at = T0 - timedelta(days=number % 60, hours=number % 7)
        request = ask(point, newcomer(), now=at)
        if number % 3 == 0:
            request = answer(request, (karim, lea)[number % 2], now=at + timedelta(minutes=7 * number))
            if number % 6 == 0:
                resolve(point, learner_of(request), request, 1 + number % 5, now=at + timedelta(days=1))


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
    ask(skills, newcomer(), now=T0 - timedelta(days=1))  # asked but not answered: no wait yet

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
