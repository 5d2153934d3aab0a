"""Migrations keep the data: the wait histograms of 0001 become the wait columns of 0002 and back;
0003 names the coach who answered first on requests answered before it; 0008 dates the comments the analytics
show.

Runs the real migrations on the test database, from the last state back to 0001 and forward again.
"""
from datetime import date, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from coach_xblock.analytics import point_analytics
from coach_xblock.domain import LONGER
from coach_xblock.models import DailyStats

BEFORE = ("coach_xblock", "0001_initial")
AFTER = ("coach_xblock", "0002_dailystats_wait_columns")
DESK = ("coach_xblock", "0003_desk")
COURSE = "course-v1:Demo+Career+2026"


def migrate(target):
    """Migrate the app to `target`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


def latest_migration():
    """The app's last migration, whose state the models describe."""
    return MigrationExecutor(connection).loader.graph.leaf_nodes("coach_xblock")[0]


@pytest.fixture
def at_0001(transactional_db):
    """The database at 0001; back to the last migration afterwards, whatever happened."""
    yield migrate(BEFORE)
    migrate(latest_migration())


def make_row(apps, point, histogram):
    stats = apps.get_model("coach_xblock", "DailyStats")
    return stats.objects.create(course_key=COURSE, point_id=point, topic="skills", day=date(2026, 3, 10),
                                asked=9, answered=sum(histogram.values()), wait_histogram=histogram)


def test_wait_histograms_become_wait_columns_and_come_back(at_0001):
    make_row(at_0001, "skills", {"15": 3, "180": 2, "0": 1})
    make_row(at_0001, "feasibility", {})

    stats = migrate(AFTER).get_model("coach_xblock", "DailyStats")

    skills = stats.objects.get(point_id="skills")
    assert (skills.waited_15, skills.waited_180, skills.waited_longer, skills.waited_30) == (3, 2, 1, 0)
    assert (skills.asked, skills.answered) == (9, 6)
    untouched = stats.objects.get(point_id="feasibility")
    assert sum(getattr(untouched, f.name) for f in DailyStats._meta.fields if f.name.startswith("waited_")) == 0
    migrate(latest_migration())
    analytics = point_analytics(COURSE, "skills", period="all")
    assert (analytics.answered, analytics.median_wait_minutes, analytics.p90_wait_minutes) == (6, 15, LONGER)

    back = migrate(BEFORE)

    rows = back.get_model("coach_xblock", "DailyStats").objects.order_by("point_id")
    assert [(row.point_id, row.wait_histogram) for row in rows] == [
        ("feasibility", {}), ("skills", {"15": 3, "180": 2, "0": 1}),
    ]


def test_the_coach_who_answered_first_is_named_on_requests_answered_before_0003(at_0001):
    migrate(AFTER)
    before = MigrationExecutor(connection).loader.project_state([AFTER]).apps
    requests = before.get_model("coach_xblock", "CheckinRequest")
    messages = before.get_model("coach_xblock", "CheckinMessage")
    fields = {"course_key": COURSE, "point_id": "skills", "point_title": "Skills", "topic": "skills",
              "learner_name": "Mathilde", "working_on": "w", "stuck_on": "s", "tried": "t"}
    answered = requests.objects.create(learner_id="mathilde", client_token="a", status="answered",
                                       first_answered_at="2026-03-10T10:00:00Z", **fields)
    for author_role, author_id, minute in (("learner", "mathilde", 1), ("coach", "karim", 2), ("coach", "lea", 3)):
        messages.objects.create(request=answered, author_role=author_role, author_id=author_id, author_name=author_id,
                                body="b", created_at=f"2026-03-10T10:0{minute}:00Z")
    waiting = requests.objects.create(learner_id="paul", client_token="b", status="open", **fields)
    answered_without_message = requests.objects.create(learner_id="ines", client_token="c", status="answered",
                                                       first_answered_at="2026-03-10T10:00:00Z", **fields)

    after = migrate(DESK).get_model("coach_xblock", "CheckinRequest")

    assert after.objects.get(pk=answered.pk).first_coach_id == "karim"
    assert after.objects.get(pk=waiting.pk).first_coach_id == ""
    assert after.objects.get(pk=answered_without_message.pk).first_coach_id == ""


def test_requests_commented_before_0008_get_the_time_of_their_newest_comment(transactional_db):
    before = migrate(("coach_xblock", "0007_moderation")).get_model("coach_xblock", "CheckinRequest")
    fields = {"course_key": COURSE, "point_id": "skills", "point_title": "Skills", "topic": "skills",
              "learner_name": "Learner", "working_on": "w", "stuck_on": "s", "tried": "t"}
    closed, helped_later, rated_later = "2026-03-10T10:00:00Z", "2026-03-12T10:00:00Z", "2026-03-14T10:00:00Z"

    def made(token, **values):
        return before.objects.create(learner_id=token, client_token=token, **fields, **values).pk

    low = made("low", status="resolved", rating=2, rating_comment="Too vague.", closed_at=closed)
    high = made("high", status="resolved", rating=4, rating_comment="Fine.", closed_at=closed)
    silent = made("silent", status="resolved", rating=1, closed_at=closed)
    no_help = made("no-help", status="open", not_helped_at=helped_later, not_helped_comment="Still lost.")
    both = made("both", status="resolved", rating=1, rating_comment="Lost.", closed_at=rated_later,
                not_helped_at=helped_later, not_helped_comment="Still lost.")
    both_later = made("both-later", status="not_helped", rating=2, rating_comment="Meh.", closed_at=closed,
                      not_helped_at=helped_later, not_helped_comment="Nothing new.")
    try:
        after = migrate(("coach_xblock", "0008_comment_at")).get_model("coach_xblock", "CheckinRequest")
        times = {row.pk: row.comment_at for row in after.objects.all()}
    finally:
        migrate(latest_migration())

    stamp = {value: datetime.fromisoformat(value) for value in (closed, helped_later, rated_later)}
    assert times == {low: stamp[closed], high: None, silent: None, no_help: stamp[helped_later],
                     both: stamp[rated_later], both_later: stamp[helped_later]}
