"""The timers' check-in points and webhook, and the answer Mathilde leaves unread (tests/story/timers.py)."""
import dataclasses

import pytest
from django.test import override_settings
from story import T0, answer, ask
from story.timers import HOOK, KARIM, LEA, MATHILDE, SAM, TA


@pytest.fixture
def webhook():
    """The operator configured one webhook: every event writes one delivery to it."""
    with override_settings(COACH_XBLOCK={"WEBHOOKS": [HOOK]}):
        yield HOOK


@pytest.fixture
def point(skills_point):
    """"Naming my skills": answers expected within 48 hours, coached by Karim, Léa and Sam."""
    return dataclasses.replace(
        skills_point, expected_response_hours=48, coaches=(KARIM, LEA, SAM), unit_url="https://lms.example.org/unit"
    )


@pytest.fixture
def slow_point(feasibility_point):
    """"Is my project feasible?": answers expected within 72 hours, same coaches."""
    return dataclasses.replace(feasibility_point, expected_response_hours=72, coaches=(KARIM, LEA, SAM))


@pytest.fixture
def answered(point):
    """Mathilde's request, answered by Karim an hour after she asked (at TA)."""
    return answer(ask(point, MATHILDE, now=T0), KARIM, now=TA)
