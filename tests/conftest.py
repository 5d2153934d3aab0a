"""Shared fixtures: people and check-in points of the story in DESIGN.md."""
import pytest

from coach_xblock.workflow import CheckinPoint, Person

COURSE = "course-v1:Demo+Career+2026"


@pytest.fixture
def skills_point():
    """The 'Define your skills' check-in point of the demo course."""
    return CheckinPoint(
        course_key=COURSE,
        point_id="block-v1:Demo+Career+2026+type@coach_checkin+block@skills",
        title="Naming my skills",
        topic="skills",
        max_open_requests=1,
        min_length=20,
        max_length=2000,
    )


@pytest.fixture
def feasibility_point():
    """A second check-in point of the same course."""
    return CheckinPoint(
        course_key=COURSE,
        point_id="block-v1:Demo+Career+2026+type@coach_checkin+block@feasibility",
        title="Is my project feasible?",
        topic="feasibility",
    )


@pytest.fixture
def mathilde():
    return Person(user_id="anon-mathilde", display_name="Mathilde")


@pytest.fixture
def paul():
    return Person(user_id="anon-paul", display_name="Paul")


@pytest.fixture
def karim():
    return Person(user_id="coach_karim", display_name="Karim")


@pytest.fixture
def lea():
    return Person(user_id="coach_lea", display_name="Léa")
