"""The per-day counters the workflow keeps beside each request, and the wait buckets and percentiles
they are read with.

The tests of this folder drive the counters through coach_xblock.workflow on the real test database
(SQLite, PostgreSQL or MariaDB), the clock through the `now=` arguments from the story's T0 (a fixed
morning, so that hours never spill into another day by accident). The handler tests talk to the
workbench over HTTP, as tests/handlers/ does.
"""
from datetime import datetime, timedelta, timezone

import pytest
from story import COURSE, T0, answer, ask, learner_of, newcomer, refused, reply, resolve, withdraw

from coach_xblock import domain, workflow
from coach_xblock.analytics import percentile_bucket
from coach_xblock.domain import LONGER, WAIT_BUCKETS, wait_bucket
from coach_xblock.models import DailyStats, wait_field

pytestmark = pytest.mark.django_db


def counters(point, day):
    """The counters row of `point` for requests asked on `day`, as a dict of its numbers."""
    row = DailyStats.objects.get(course_key=point.course_key, point_id=point.point_id, day=day)
    return {
        "topic": row.topic, "asked": row.asked, "answered": row.answered, "resolved": row.resolved,
        "rating_sum": row.rating_sum, "rating_count": row.rating_count,
        "wait_histogram": {str(bound): getattr(row, wait_field(bound))
                           for bound in (*WAIT_BUCKETS, LONGER) if getattr(row, wait_field(bound))},
    }


# ---------------------------------------------------------------- the counters follow the story


def test_asking_counts_one_request_asked_on_its_day(skills):
    ask(skills, newcomer(), now=T0)

    assert counters(skills, T0.date()) == {
        "topic": "skills", "asked": 1, "answered": 0, "resolved": 0,
        "rating_sum": 0, "rating_count": 0, "wait_histogram": {},
    }


def test_the_same_submit_sent_twice_counts_once(skills, mathilde):
    first = ask(skills, mathilde, token="double-click", now=T0)
    second = ask(skills, mathilde, token="double-click", now=T0 + timedelta(seconds=1))

    assert first.pk == second.pk
    assert counters(skills, T0.date())["asked"] == 1


def test_a_refused_ask_counts_nothing(skills_point, mathilde):
    ask(skills_point, mathilde, now=T0)
    with refused(domain.Conflict):
        ask(skills_point, mathilde, token="token-2", now=T0)  # one open request at most at this point

    assert counters(skills_point, T0.date())["asked"] == 1


def test_the_first_answer_counts_answered_with_its_wait_in_its_bucket(skills, karim):
    request = ask(skills, newcomer(), now=T0)
    answer(request, karim, now=T0 + timedelta(hours=3))

    row = counters(skills, T0.date())
    assert (row["asked"], row["answered"]) == (1, 1)
    assert row["wait_histogram"] == {"180": 1}


def test_a_second_answer_does_not_count_again(skills, karim, lea):
    request = ask(skills, newcomer(), now=T0)
    answer(request, karim, now=T0 + timedelta(hours=3))
    reply(skills, learner_of(request), request, "Thanks, but what about my soft skills?", now=T0 + timedelta(hours=4))
    answer(request, lea, now=T0 + timedelta(days=2))

    row = counters(skills, T0.date())
    assert (row["answered"], row["wait_histogram"]) == (1, {"180": 1})


def test_a_refused_answer_counts_nothing(skills, karim, lea):
    request = ask(skills, newcomer(), now=T0)
    workflow.claim_request(COURSE, request.pk, karim, now=T0)
    with refused(domain.Conflict):
        workflow.coach_reply(COURSE, request.pk, lea, "I did not claim it.", now=T0 + timedelta(minutes=1))

    assert counters(skills, T0.date())["answered"] == 0


def test_resolving_counts_resolved_and_adds_up_the_ratings(skills, karim):
    first, second = ask(skills, newcomer(), now=T0), ask(skills, newcomer(), now=T0 + timedelta(hours=1))
    for request in (first, second):
        answer(request, karim, now=T0 + timedelta(hours=2))
    resolve(skills, learner_of(first), first, 4, now=T0 + timedelta(hours=3))
    resolve(skills, learner_of(second), second, 2, now=T0 + timedelta(hours=4))

    row = counters(skills, T0.date())
    assert (row["asked"], row["answered"], row["resolved"], row["rating_sum"], row["rating_count"]) == (2, 2, 2, 6, 2)


def test_withdrawing_counts_neither_answered_nor_resolved(skills):
    request = ask(skills, newcomer(), now=T0)
    withdraw(skills, learner_of(request), request, now=T0 + timedelta(minutes=5))

    row = counters(skills, T0.date())
    assert (row["asked"], row["answered"], row["resolved"], row["rating_count"]) == (1, 0, 0, 0)


def test_a_request_counts_on_its_ask_day_even_when_answered_and_resolved_days_later(skills, karim):
    request = ask(skills, newcomer(), now=T0)
    answer(request, karim, now=T0 + timedelta(days=3))
    resolve(skills, learner_of(request), request, 5, now=T0 + timedelta(days=5))

    assert list(DailyStats.objects.values_list("day", flat=True)) == [T0.date()]
    row = counters(skills, T0.date())
    assert (row["asked"], row["answered"], row["resolved"], row["rating_sum"]) == (1, 1, 1, 5)
    assert row["wait_histogram"] == {"4320": 1}  # three days


def test_the_ask_day_is_the_utc_day(skills):
    paris_evening = datetime(2026, 3, 10, 0, 30, tzinfo=timezone(timedelta(hours=2)))  # 9 March, 22:30 UTC
    ask(skills, newcomer(), now=paris_evening)

    assert list(DailyStats.objects.values_list("day", flat=True)) == [datetime(2026, 3, 9).date()]


def test_each_point_and_each_day_has_its_own_row(skills, feasibility):
    ask(skills, newcomer(), now=T0)
    ask(skills, newcomer(), now=T0 + timedelta(hours=2))
    ask(skills, newcomer(), now=T0 + timedelta(days=1))
    ask(feasibility, newcomer(), now=T0)

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
