"""Migrations keep the data: the wait histograms of 0001 become the wait columns of 0002 and back.

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
COURSE = "course-v1:Demo+Career+2026"


def migrate(target):
    """Migrate the app to `target`; the models of that state."""
    executor = MigrationExecutor(connection)
    executor.migrate([target])
    return executor.loader.project_state([target]).apps


@pytest.fixture
def at_0001(transactional_db):
    """The database at 0001; back to the last migration afterwards, whatever happened."""
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes("coach_xblock")
    yield migrate(BEFORE)
    MigrationExecutor(connection).migrate(latest)


def make_row(apps, point, histogram):
    stats = apps.get_model("coach_xblock", "DailyStats")
    return stats.objects.create(course_key=COURSE, point_id=point, topic="skills", day=date(2026, 3, 10),
                                asked=9, answered=sum(histogram.values()), wait_histogram=histogram)


def test_wait_histograms_become_wait_columns_and_come_back(at_0001):
    make_row(at_0001, "skills", {"15": 3, "180": 2, "0": 1})
    make_row(at_0001, "feasibility", {})

    migrate(AFTER)

    skills = DailyStats.objects.get(point_id="skills")
    assert (skills.waited_15, skills.waited_180, skills.waited_longer, skills.waited_30) == (3, 2, 1, 0)
    assert (skills.asked, skills.answered) == (9, 6)
    untouched = DailyStats.objects.get(point_id="feasibility")
    assert sum(getattr(untouched, f.name) for f in DailyStats._meta.fields if f.name.startswith("waited_")) == 0
    analytics = point_analytics(COURSE, "skills", period="all")
    assert (analytics.answered, analytics.median_wait_minutes, analytics.p90_wait_minutes) == (6, 15, LONGER)

    back = migrate(BEFORE)

    rows = back.get_model("coach_xblock", "DailyStats").objects.order_by("point_id")
    assert [(row.point_id, row.wait_histogram) for row in rows] == [
        ("feasibility", {}), ("skills", {"15": 3, "180": 2, "0": 1}),
    ]
