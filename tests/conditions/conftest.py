import pytest

from regietafel.conditions.models import Condition
from regietafel.conditions.services import save_condition
from regietafel.core.models import Theme
from regietafel.regions.models import Area


@pytest.fixture
def region(dataset):
    return Area.objects.get(code="VR04")


@pytest.fixture
def add(region, user):
    """Create a condition through the service: add("Title", "education", Condition.Status.AGREED)."""

    def add(title, theme="finance", status=Condition.Status.NOT_AGREED, **fields):
        fields.setdefault("what_we_ask", f"Wat wij vragen bij {title}.")
        fields.setdefault("region", region)
        return save_condition(
            None, title=title, theme=Theme.objects.get(slug=theme), status=status, user=user, **fields
        )

    return add
