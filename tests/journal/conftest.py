"""The journal's tests: the English course's journal, where Mathilde asked at both points."""
import pytest
from story.journal import Journal
from story.workbench import ENGLISH_COURSE


@pytest.fixture
def journal(en):
    """The coaching journal of the English unit's course."""
    return Journal(en.skills.client, ENGLISH_COURSE)
