"""The check-in points of the analytics tests: one learner may keep many requests open there."""
import dataclasses

import pytest


@pytest.fixture
def skills(skills_point):
    """The skills point, letting one learner keep many requests open (the counters are what we test)."""
    return dataclasses.replace(skills_point, max_open_requests=10_000)


@pytest.fixture
def feasibility(feasibility_point):
    return dataclasses.replace(feasibility_point, max_open_requests=10_000)
