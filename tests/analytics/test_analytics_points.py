"""Analytics per check-in point (analytics.course_analytics) and the comments of low ratings and of coaching
that did not help (analytics.low_rating_comments): what they add up, in how many queries, and what they leave
out (the learner).
"""
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from story import COURSE, FEASIBILITY_POINT, OTHER_COURSE, SKILLS_POINT, T0, answer, ask, learner_of, newcomer, resolve

from coach_xblock import analytics, workflow

pytestmark = pytest.mark.django_db


def did_not_help(request, comment, now, point=None):
    """The learner of `request` said the coaching did not help, with `comment`, at `now`, and asked again."""
    point = point or next(p for p in (SKILLS_POINT, FEASIBILITY_POINT) if p.point_id == request.point_id)
    return workflow.not_helped(point, learner_of(request), request.pk, comment, "ask_again", now=now)


def rated(point, coach, rating, comment, asked_at, wait=timedelta(hours=2)):
    """A newcomer's request at `point`, answered `wait` later, resolved a day after asking with `rating`."""
    request = answer(ask(point, newcomer(), now=asked_at), coach, now=asked_at + wait)
    return resolve(point, learner_of(request), request, rating, comment, now=asked_at + timedelta(days=1))


# ---------------------------------------------------------------- figures per point


def test_each_point_has_its_own_figures(skills, feasibility, karim):
    rated(skills, karim, 5, "", T0 - timedelta(days=3), wait=timedelta(minutes=10))
    rated(skills, karim, 2, "Too vague.", T0 - timedelta(days=2), wait=timedelta(hours=5))
    helpless = answer(ask(skills, newcomer(), now=T0 - timedelta(days=2)), karim, now=T0 - timedelta(days=1))
    did_not_help(helpless, "I still cannot name them.", T0)
    ask(feasibility, newcomer(), now=T0 - timedelta(days=1))

    figures = analytics.course_analytics(COURSE, "30", now=T0 + timedelta(days=2))[1]

    assert set(figures) == {skills.point_id, feasibility.point_id}
    assert figures[skills.point_id] == analytics.PointFigures(
        point_id=skills.point_id, asked=3, answered=3, median_wait_minutes=360, p90_wait_minutes=1440,
        resolved=2, share_resolved=2 / 3, mean_rating=3.5, not_helped=1,
    )
    assert figures[feasibility.point_id] == analytics.PointFigures(
        point_id=feasibility.point_id, asked=1, answered=0, median_wait_minutes=None, p90_wait_minutes=None,
        resolved=0, share_resolved=0.0, mean_rating=None, not_helped=0,
    )


def test_figures_per_point_count_the_requests_asked_in_the_period_of_this_course_only(skills, karim):
    ask(skills, newcomer(), now=T0 - timedelta(days=40))
    ask(skills, newcomer(), now=T0 - timedelta(days=3))
    other = ask(skills.__class__(**{**skills.__dict__, "course_key": OTHER_COURSE}), newcomer(), now=T0)

    assert analytics.course_analytics(COURSE, "7", now=T0)[1][skills.point_id].asked == 1
    assert analytics.course_analytics(COURSE, "all", now=T0)[1][skills.point_id].asked == 2
    assert analytics.course_analytics(OTHER_COURSE, "all", now=T0)[1][other.point_id].asked == 1
    assert analytics.course_analytics(COURSE, "30", now=T0 + timedelta(days=100))[1] == {}


def test_an_unknown_period_is_refused():
    with pytest.raises(analytics.InvalidInput):
        analytics.course_analytics(COURSE, "365", now=T0)
    with pytest.raises(analytics.InvalidInput):
        analytics.low_rating_comments(COURSE, None, "year", now=T0)


def _requests(skills, feasibility, karim, total):
    for number in range(total):
        point = (skills, feasibility)[number % 2]
        at = T0 - timedelta(days=number % 60, hours=number % 7)
        request = answer(ask(point, newcomer(), now=at), karim, now=at + timedelta(minutes=11 * number))
        if number % 3 == 0:
            rating = 1 + number % 5
            resolve(point, learner_of(request), request, rating, f"comment {number}", now=at + timedelta(days=1))
        elif number % 3 == 1:
            did_not_help(request, f"not enough {number}", at + timedelta(days=1))


def test_figures_per_point_and_comments_cost_as_many_queries_at_300_requests_as_at_30(skills, feasibility, karim):
    _requests(skills, feasibility, karim, 30)
    with CaptureQueriesContext(connection) as small:
        figures_30 = analytics.course_analytics(COURSE, "all", now=T0)[1]
        comments_30 = analytics.low_rating_comments(COURSE, None, "all", now=T0)
    _requests(skills, feasibility, karim, 270)
    with CaptureQueriesContext(connection) as large:
        figures_300 = analytics.course_analytics(COURSE, "all", now=T0)[1]
        comments_300 = analytics.low_rating_comments(COURSE, None, "all", now=T0)

    assert sum(f.asked for f in figures_30.values()) == 30 and sum(f.asked for f in figures_300.values()) == 300
    assert len(small.captured_queries) == len(large.captured_queries) == 4, "one grouped query, three bounded ones"
    assert len(comments_30) < analytics.COMMENTS_SHOWN == len(comments_300)


def test_the_course_and_its_points_come_from_one_grouped_query_of_the_counters(skills, feasibility, karim):
    rated(skills, karim, 4, "", T0 - timedelta(days=1))
    rated(feasibility, karim, 2, "Too vague.", T0 - timedelta(days=2))
    with CaptureQueriesContext(connection) as queries:
        stats, figures = analytics.course_analytics(COURSE, "30", now=T0)
    counters, *counts = [query["sql"].lower() for query in queries.captured_queries]
    assert "coach_xblock_dailystats" in counters and "group by" in counters
    assert "coach_xblock_checkinrequest" not in counters, "the counters, never the requests"
    assert len(counts) == 2 and all("count(" in sql for sql in counts), "what is open and overdue now"
    assert stats == analytics.point_analytics(COURSE, None, "30", now=T0)
    assert (stats.asked, sum(f.asked for f in figures.values())) == (2, 2)
    assert stats.mean_rating == 3.0 and [figures[p.point_id].mean_rating for p in (skills, feasibility)] == [4.0, 2.0]


# ---------------------------------------------------------------- comments of low ratings and of no help


def test_comments_are_those_of_ratings_of_2_or_less_and_of_no_help_newest_first(skills, feasibility, karim):
    rated(skills, karim, 1, "Not what I asked.", T0 - timedelta(days=5))
    rated(skills, karim, 2, "Too vague.", T0 - timedelta(days=4))
    rated(skills, karim, 3, "Fine, I guess.", T0 - timedelta(days=3))  # not a low rating
    rated(skills, karim, 1, "", T0 - timedelta(days=3))  # no comment
    helpless = answer(ask(feasibility, newcomer(), now=T0 - timedelta(days=2)), karim, now=T0 - timedelta(days=2))
    did_not_help(helpless, "It did not answer my question.", T0 - timedelta(hours=1))

    comments = analytics.low_rating_comments(COURSE, None, "30", now=T0)

    assert [(c.point_title, c.rating, c.text) for c in comments] == [
        ("Is my project feasible?", None, "It did not answer my question."),
        ("Naming my skills", 2, "Too vague."),
        ("Naming my skills", 1, "Not what I asked."),
    ]
    assert comments[1].at == T0 - timedelta(days=3)
    only_skills = analytics.low_rating_comments(COURSE, skills.point_id, "30", now=T0)
    assert [c.text for c in only_skills] == ["Too vague.", "Not what I asked."]


def test_comments_name_no_learner(skills, karim):
    request = rated(skills, karim, 1, "Not what I asked.", T0 - timedelta(days=1))

    [comment] = analytics.low_rating_comments(COURSE, None, "30", now=T0)

    data = comment.as_dict()
    assert data == {"point_id": skills.point_id, "point_title": "Naming my skills", "at": "2026-03-10T09:00:00+00:00",
                    "rating": 1, "text": "Not what I asked."}
    assert request.learner_id not in str(data) and request.learner_name not in str(data)


def test_comments_follow_the_period_of_asking_and_are_bounded(skills, karim):
    rated(skills, karim, 1, "Long ago.", T0 - timedelta(days=40))
    for number in range(analytics.COMMENTS_SHOWN + 5):
        rated(skills, karim, 2, f"Comment {number}", T0 - timedelta(days=2, minutes=number))

    last_7 = analytics.low_rating_comments(COURSE, None, "7", now=T0)
    everything = analytics.low_rating_comments(COURSE, None, "all", now=T0, limit=100)

    assert len(last_7) == analytics.COMMENTS_SHOWN
    assert [c.text for c in last_7[:2]] == ["Comment 0", "Comment 1"], "newest first"
    assert "Long ago." not in [c.text for c in last_7] and everything[-1].text == "Long ago."


def test_one_request_can_hold_both_comments_each_at_its_time(skills, karim):
    request = answer(ask(skills, newcomer(), now=T0 - timedelta(days=6)), karim, now=T0 - timedelta(days=6))
    did_not_help(request, "Too general for me.", T0 - timedelta(days=5))
    answer(request, karim, now=T0 - timedelta(days=4))
    rated(skills, karim, 2, "In between.", T0 - timedelta(days=4))
    resolve(skills, learner_of(request), request, 1, "Still lost.", now=T0 - timedelta(days=2))

    comments = analytics.low_rating_comments(COURSE, None, "30", now=T0)

    assert [(c.text, c.rating, c.at) for c in comments] == [
        ("Still lost.", 1, T0 - timedelta(days=2)),
        ("In between.", 2, T0 - timedelta(days=3)),
        ("Too general for me.", None, T0 - timedelta(days=5)),
    ]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="reads SQLite's query plan; other planners choose by size")
@pytest.mark.parametrize("point_id", [None, SKILLS_POINT.point_id])
def test_the_comments_are_read_from_their_index_newest_first_without_sorting(skills, karim, point_id):
    """Over all time the comments' query reads only requests that hold one, newest first: its cost follows the
    comments shown, not the course's requests (a year of a large course made it the analytics' slowest query).
    Over a period, the planner may as well read the requests asked in it."""
    period = "all"
    rated(skills, karim, 1, "Not what I asked.", T0 - timedelta(days=1))
    with CaptureQueriesContext(connection) as captured:
        analytics.low_rating_comments(COURSE, point_id, period, now=T0)
    [query] = captured.captured_queries
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query["sql"])
        plan = " | ".join(str(row[-1]) for row in cursor.fetchall())

    assert "USING INDEX coach_req_course_comment" in plan and "TEMP B-TREE" not in plan, plan


def test_a_reported_requests_comments_stay_for_the_course_teams_review(skills, karim, lea):
    helpless = answer(ask(skills, newcomer(), now=T0 - timedelta(days=2)), karim, now=T0 - timedelta(days=2))
    did_not_help(helpless, "You are all useless, <insult>.", T0 - timedelta(days=1))
    rated(skills, karim, 1, "Kept: a plain low rating.", T0 - timedelta(days=3))

    workflow.report_request(COURSE, helpless.pk, lea, "Insults a coach.", now=T0 - timedelta(hours=1))

    assert [c.text for c in analytics.low_rating_comments(COURSE, None, "30", now=T0)] == ["Kept: a plain low rating."]
