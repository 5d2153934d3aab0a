"""The desk's tests: the English course's desk, and Mathilde's request at its skills point in each state."""
import pytest
from story import KARIM
from story.desk import Desk
from story.workbench import ENGLISH_COURSE


@pytest.fixture
def desk(en):
    """The coach desk of the English unit's course."""
    return Desk(en.skills.client, ENGLISH_COURSE)


@pytest.fixture
def asked(en):
    """Mathilde's open request at the English skills point (its id)."""
    return en.skills.ask()


@pytest.fixture
def claimed(desk, asked):
    """Mathilde's request, claimed by Karim on the desk."""
    desk.claim(KARIM, asked)
    return asked


@pytest.fixture
def answered(desk, asked):
    """Mathilde's request, answered by Karim on the desk."""
    desk.answer(KARIM, asked)
    return asked
