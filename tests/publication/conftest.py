import datetime

import pytest

from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear
from regietafel.housing import periods
from regietafel.housing.models import HousingRealisation
from regietafel.regions.models import Area

# The embedded data set has national numbers for 2024-H1, 2025-H1 and 2025-H2 (no 2024-H2); from 2025-H1 on
# it has the populations to compute the statutory targets.
PUBLISHED = HalfYear(2025, 1)


@pytest.fixture
def region(dataset):
    return Area.objects.get(code="VR04")


@pytest.fixture
def locked(region, user):
    """Lock a half-year as the program team does once its figures are validated."""

    def locked(half_year: HalfYear = PUBLISHED) -> HalfYear:
        periods.lock(user, half_year)
        return half_year

    return locked


def housed(code: str, month: datetime.date, number: int, source: str = "COA maandrapportage", *, user=None):
    """A realisation, as an import writes it; with ``user`` (a beheerder) also in a locked half-year, as a
    correction with a reason."""
    if user is not None:
        with periods.guarded(user, [str(HalfYear.containing(month))], "Correctie COA", "realisation"):
            return housed(code, month, number, source)
    return HousingRealisation.objects.create(
        municipality=Area.objects.get(code=code),
        month=month,
        housed=number,
        source=cite(source, "H"),
        reference_date=month,
    )
