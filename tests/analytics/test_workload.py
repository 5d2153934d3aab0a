"""The course team's workload figures (coach_xblock.workload): per coach, per point, the course's totals;
never anything per learner."""
import dataclasses
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from story import COURSE, OTHER_COURSE, T0, answer, ask, claim, newcomer, reply

from coach_xblock import workflow
from coach_xblock.domain import Person
from coach_xblock.workload import CoachWorkload, PointWorkload, course_workload

pytestmark = pytest.mark.django_db

HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def first_answered(point, coach, asked_at, wait, learner=None):
    """A request (a newcomer's, unless `learner`) asked at `asked_at` and first answered by `coach` `wait` later."""
    learner = learner or newcomer()
    return answer(ask(point, learner, now=asked_at, token=f"t-{asked_at.isoformat()}"), coach, now=asked_at + wait)


def coach_row(workload, name):
    """The row of the coach called `name`."""
    [row] = [row for row in workload.coaches if row.name == name]
    return row


# ---------------------------------------------------------------- nothing yet


def test_the_workload_of_a_course_without_requests(skills):
    workload = course_workload(COURSE, now=T0)

    assert (workload.coaches, workload.points) == ((), ())
    assert (workload.answered_7, workload.answered_30, workload.held_now, workload.waiting, workload.overdue) == (
        0, 0, 0, 0, 0)
    assert (workload.median_first_answer_7, workload.median_first_answer_30) == (None, None)


# ---------------------------------------------------------------- per coach: answered, over 7 and 30 days


def test_an_answer_of_8_days_ago_counts_in_30_days_not_in_7(skills, karim):
    first_answered(skills, karim, T0 - 9 * DAY, DAY)
    first_answered(skills, karim, T0 - 3 * DAY, 2 * HOUR)
    first_answered(skills, karim, T0 - 40 * DAY, HOUR)  # before both periods

    row = coach_row(course_workload(COURSE, now=T0), "Karim")

    assert row == CoachWorkload(
        coach_id=karim.user_id, name="Karim", answered_7=1, answered_30=2,
        median_first_answer_7=2 * HOUR, median_first_answer_30=13 * HOUR, held_now=0,
    )


def test_a_request_counts_once_per_coach_however_many_answers(skills, mathilde, karim, lea):
    """Karim answers, Mathilde replies, Léa answers, Mathilde replies, Karim answers again: Karim answered one
    request (twice), Léa one; the course answered one. Only Karim answered it first."""
    request = first_answered(skills, karim, T0 - 2 * DAY, HOUR, learner=mathilde)
    reply(skills, mathilde, request, now=T0 - 2 * DAY + 2 * HOUR)
    answer(request, lea, now=T0 - 2 * DAY + 3 * HOUR)
    reply(skills, mathilde, request, now=T0 - 2 * DAY + 4 * HOUR)
    answer(request, karim, now=T0 - 2 * DAY + 5 * HOUR)

    workload = course_workload(COURSE, now=T0)

    assert [(row.name, row.answered_7, row.answered_30) for row in workload.coaches] == [
        ("Karim", 1, 1), ("Léa", 1, 1)]
    assert (workload.answered_7, workload.answered_30) == (1, 1)
    assert coach_row(workload, "Léa").median_first_answer_30 is None
    assert coach_row(workload, "Karim").median_first_answer_30 == HOUR


def test_an_answer_after_now_does_not_count(skills, karim):
    first_answered(skills, karim, T0 - HOUR, 2 * HOUR)

    assert course_workload(COURSE, now=T0).coaches == ()


def test_a_coach_shows_with_their_latest_name(skills, karim):
    first_answered(skills, karim, T0 - 3 * DAY, HOUR)
    first_answered(skills, dataclasses.replace(karim, display_name="Karim Haddad"), T0 - 2 * DAY, HOUR)

    assert [row.name for row in course_workload(COURSE, now=T0).coaches] == ["Karim Haddad"]


def test_another_course_counts_apart(skills, karim):
    other = dataclasses.replace(skills, course_key=OTHER_COURSE, point_id="other-point")
    first_answered(other, karim, T0 - DAY, HOUR)
    ask(other, newcomer(), now=T0 - HOUR)

    workload = course_workload(COURSE, now=T0)

    assert (workload.coaches, workload.points, workload.answered_30) == ((), (), 0)
    assert course_workload(OTHER_COURSE, now=T0).answered_30 == 1


# ---------------------------------------------------------------- medians of the first-answer times


def test_the_median_of_an_odd_count_is_the_middle_wait(skills, karim):
    for hours in (6, 1, 2):
        first_answered(skills, karim, T0 - DAY, hours * HOUR)

    assert coach_row(course_workload(COURSE, now=T0), "Karim").median_first_answer_7 == 2 * HOUR


def test_the_median_of_an_even_count_is_the_mean_of_the_two_middle_waits(skills, lea):
    for hours in (10, 1, 3, 2):
        first_answered(skills, lea, T0 - 2 * DAY, hours * HOUR)

    assert coach_row(course_workload(COURSE, now=T0), "Léa").median_first_answer_7 == 2.5 * HOUR


def test_the_course_median_takes_every_coach_first_answers(skills, karim, lea):
    for hours in (1, 2, 6):
        first_answered(skills, karim, T0 - DAY, hours * HOUR)
    for hours in (1, 2, 3, 10):
        first_answered(skills, lea, T0 - 2 * DAY, hours * HOUR)
    first_answered(skills, lea, T0 - 20 * DAY, 30 * HOUR)  # in 30 days only: 1, 1, 2, 2, 3, 6, 10, 30

    workload = course_workload(COURSE, now=T0)

    assert workload.median_first_answer_7 == 2 * HOUR  # 1, 1, 2, 2, 3, 6, 10
    assert workload.median_first_answer_30 == 2.5 * HOUR
    assert coach_row(workload, "Léa").median_first_answer_30 == 3 * HOUR  # 1, 2, 3, 10, 30


def test_waits_of_equal_length_are_each_counted(skills, karim):
    for hours in (1, 1, 1, 5, 5):
        first_answered(skills, karim, T0 - DAY, hours * HOUR)

    assert coach_row(course_workload(COURSE, now=T0), "Karim").median_first_answer_7 == HOUR


# ---------------------------------------------------------------- held now


def test_only_unexpired_claims_are_held(skills, karim, lea):
    claim(ask(skills, newcomer(), now=T0 - 2 * HOUR), karim, now=T0 - 10 * timedelta(minutes=1))
    claim(ask(skills, newcomer(), now=T0 - 2 * HOUR), lea, now=T0 - 40 * timedelta(minutes=1))  # expired
    answered = first_answered(skills, lea, T0 - DAY, HOUR)

    workload = course_workload(COURSE, now=T0)

    assert [(row.name, row.held_now) for row in workload.coaches] == [("Karim", 1), ("Léa", 0)]
    assert workload.held_now == 1
    assert answered.claimed_by == ""


# ---------------------------------------------------------------- per point


def test_each_point_counts_its_waiting_and_overdue_requests(skills, feasibility, karim):
    ask(skills, newcomer(), now=T0 - 50 * HOUR)  # past the 48 hours expected
    ask(skills, newcomer(), now=T0 - HOUR)
    ask(feasibility, newcomer(), now=T0 - 2 * HOUR)
    first_answered(feasibility, karim, T0 - 60 * HOUR, HOUR)  # answered: waits for no coach
    claim(ask(feasibility, newcomer(), now=T0 - 3 * HOUR), karim, now=T0 - HOUR)  # a claim: still waiting

    workload = course_workload(COURSE, now=T0)

    assert workload.points == (
        PointWorkload(feasibility.point_id, "Is my project feasible?", waiting=2, overdue=0),
        PointWorkload(skills.point_id, "Naming my skills", waiting=2, overdue=1),
    )
    assert (workload.waiting, workload.overdue) == (4, 1)


def test_a_point_shows_the_title_of_its_latest_request(skills):
    ask(skills, newcomer(), now=T0 - 2 * HOUR)
    ask(dataclasses.replace(skills, title="Naming my strengths"), newcomer(), now=T0 - HOUR)

    assert [point.title for point in course_workload(COURSE, now=T0).points] == ["Naming my strengths"]


# ---------------------------------------------------------------- retired coaches


def test_retired_coaches_are_gathered_under_one_label_and_keep_their_counts(skills, karim, lea):
    zoe = Person(user_id="coach_zoe", display_name="Zoé")
    first_answered(skills, karim, T0 - DAY, HOUR)
    first_answered(skills, lea, T0 - DAY, 2 * HOUR)
    first_answered(skills, lea, T0 - 10 * DAY, 4 * HOUR)
    first_answered(skills, zoe, T0 - 2 * DAY, 6 * HOUR)
    claim(ask(skills, newcomer(), now=T0 - HOUR), zoe, now=T0 - 5 * timedelta(minutes=1))

    workflow.scrub_coach([lea.user_id, zoe.user_id])
    workload = course_workload(COURSE, now=T0)

    assert [row.name for row in workload.coaches] == ["Karim", "Retired coach"]
    retired = coach_row(workload, "Retired coach")
    assert retired.retired and retired.coach_id == ""
    assert (retired.answered_7, retired.answered_30, retired.held_now) == (2, 3, 0)  # Zoé's claim went with her
    assert (retired.median_first_answer_7, retired.median_first_answer_30) == (4 * HOUR, 4 * HOUR)
    assert (workload.answered_7, workload.answered_30) == (3, 4)


def test_the_retired_label_speaks_the_viewer_language(skills, lea):
    first_answered(skills, lea, T0 - DAY, HOUR)
    workflow.scrub_coach([lea.user_id])

    with translation.override("fr"):
        assert [row.name for row in course_workload(COURSE, now=T0).coaches] == ["Coach (compte supprimé)"]


# ---------------------------------------------------------------- a fixed number of queries


def _queries_of_workload():
    with CaptureQueriesContext(connection) as captured:
        course_workload(COURSE, now=T0)
    return len(captured.captured_queries)


def _busy_week(skills, feasibility, coaches, requests):
    for number in range(requests):
        point = skills if number % 2 else feasibility
        coach = coaches[number % len(coaches)]
        asked_at = T0 - (number % 25 + 1) * DAY
        request = first_answered(point, coach, asked_at, (number % 7 + 1) * HOUR)
        if number % 3 == 0:
            reply(point, Person(request.learner_id, request.learner_name), request, now=asked_at + 10 * HOUR)
        if number % 4 == 0:
            ask(point, newcomer(), now=T0 - (number % 5) * DAY)


def test_the_workload_costs_the_same_few_queries_whatever_the_number_of_requests(skills, feasibility, karim, lea):
    zoe = Person(user_id="coach_zoe", display_name="Zoé")
    _busy_week(skills, feasibility, [karim], 3)
    small = _queries_of_workload()
    _busy_week(skills, feasibility, [karim, lea, zoe], 60)
    claim(ask(skills, newcomer(), now=T0 - HOUR), lea, now=T0 - HOUR / 4)
    big = _queries_of_workload()

    assert small == big == 9
    workload = course_workload(COURSE, now=T0)
    assert len(workload.coaches) == 3 and workload.answered_30 == 63 and workload.held_now == 1

