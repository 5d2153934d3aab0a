"""Migrations keep the data: the wait histograms of 0001 become the wait columns of 0002 and back;
0003 names the coach who answered first on requests answered before it.

Runs the real migrations on the test database, from the last state back to 0001 and forward again.
"""
from datetime import date

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
