import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Services' messages read as their msgids; pages still answer in the language the request asks for."""
    with translation.override("en"):
        yield
