"""As of means as of: the monitor read as of a past date equals the monitor read on a database that holds only what
was known on that date (the database is truncated inside the test, then restored)."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Q
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import Agreement, HousingRealisation, NationalTarget, ReportedTarget
from regietafel.monitor import tables
from regietafel.reception.ledger import ReceptionLedger
from regietafel.reception.models import (
    Location,
    LocationObservation,
    ReceptionTask,
    ThirdCountryNationalCount,
)
from regietafel.regions.models import Area, PopulationFigure


def _truncate(on: datetime.date) -> None:
    """Delete what was not known on ``on``: every record dated later, realisation of later months, agreements
    made later, locations opened later and what was observed of a location later."""
    later = Q(reference_date__gt=on)
    for model in (NationalTarget, ReportedTarget, PopulationFigure, ReceptionTask, ThirdCountryNationalCount):
        model.objects.filter(later).delete()
    HousingRealisation.objects.filter(Q(month__gt=on)).delete()
    Agreement.objects.filter(agreed_on__gt=on).delete()
    LocationObservation.objects.filter(later).delete()
    Location.objects.filter(start_date__gt=on).delete()


def _snapshot(region, on, housing_on, reception_on):
    housing = HousingLedger(region, housing_on)
    reception = ReceptionLedger(region, reception_on)
    half_year = HalfYear.containing(on)
    read = {
        "housing": tables.housing_table(housing, half_year),
        "previous": tables.housing_table(housing, half_year.previous()),
        "asylum": tables.reception_table(reception, "asylum"),
        "ukraine": tables.reception_table(reception, "ukraine"),
        "minors": tables.reception_table(reception, "minors"),
    }
    return {name: table.export_rows() for name, table in read.items()}


@pytest.fixture(params=["dataset", "demo"])
def loaded(request, db):
    """The embedded data set alone, and with the demo data as `make run` has it."""
    request.getfixturevalue(request.param)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(on=st.dates(min_value=datetime.date(2019, 1, 1), max_value=datetime.date(2026, 12, 31)))
def test_the_monitor_as_of_a_date_equals_the_monitor_of_what_was_known_then(loaded, on):
    region = Area.objects.get(code="VR04")
    as_of = _snapshot(region, on, on, on)
    with transaction.atomic():
        _truncate(on)
        # On the truncated database, the housing ledger reads everything it holds (``on`` None); reception still
        # needs the date, because a location that had closed by then is no longer running.
        truncated = _snapshot(region, on, None, on)
        transaction.set_rollback(True)
    assert as_of == truncated
