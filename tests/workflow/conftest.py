"""The request of the workflow's tests in each state: Mathilde's, at the skills check-in (tests/story/)."""
from datetime import timedelta

import pytest
from story import COURSE, ask

from coach_xblock import workflow


@pytest.fixture
def asked(skills_point, mathilde):
    """Mathilde's open request at the skills check-in."""
    return ask(skills_point, mathilde)


@pytest.fixture
def claimed(asked, karim, t0):
    """Mathilde's request, claimed by Karim at t0."""
    return workflow.claim_request(COURSE, asked.pk, karim, now=t0)


@pytest.fixture
def answered(claimed, karim, t0):
    """Mathilde's request, answered by Karim at t0 + 5 min."""
    return workflow.coach_reply(COURSE, claimed.pk, karim, "Start from verbs: I configured, I trained...",
                                now=t0 + timedelta(minutes=5))


@pytest.fixture
def resolved(answered, skills_point, mathilde, t0):
    """Mathilde's request, resolved with 4 stars at t0 + 10 min."""
    return workflow.resolve_request(skills_point, mathilde, answered.pk, 4, now=t0 + timedelta(minutes=10))


@pytest.fixture
def withdrawn(asked, skills_point, mathilde, t0):
    """Mathilde's request, withdrawn before any coach answered."""
    return workflow.withdraw_request(skills_point, mathilde, asked.pk, now=t0)


@pytest.fixture
def request_in_state(request):
    """A request in the state named by the test's parameter (a fixture name)."""
    return request.getfixturevalue(request.param)
