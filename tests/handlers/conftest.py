"""The request of the handlers' tests, in each state: Mathilde's, at the English skills point (its id)."""
import pytest
from story import KARIM


@pytest.fixture
def asked(en):
    """Mathilde's open request at the English skills point."""
    return en.skills.ask()


@pytest.fixture
def claimed(en, asked):
    """Mathilde's request, claimed by Karim."""
    en.skills.claim(KARIM, asked)
    return asked


@pytest.fixture
def answered(en, asked):
    """Mathilde's request, answered by Karim."""
    en.skills.answer(KARIM, asked)
    return asked
