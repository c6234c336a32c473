import pytest

from bot.catalogue.load import load_catalogue
from bot.matching.matcher import Matcher


@pytest.fixture(scope="session")
def shipped_procedures():
    return load_catalogue()


@pytest.fixture(scope="session")
def matcher(shipped_procedures) -> Matcher:
    """The matcher over the shipped catalogue with the default policy (built once)."""
    return Matcher(shipped_procedures)
