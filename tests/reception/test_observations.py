"""A location's figures are kept per reference date: a later import adds an observation instead of overwriting the
earlier one, and every reader reads the location as it stood on its date."""

import datetime

import tablib

from regietafel.core.specs import get_spec
from regietafel.imports.services import import_rows
from regietafel.monitor import tables
from regietafel.reception.ledger import ReceptionLedger
from regietafel.reception.models import Location, LocationObservation
from regietafel.regions.models import Area
from tests.support import LOCATION_HEADER


def _import(capacity, occupancy, reference_date):
    dataset = tablib.Dataset(headers=LOCATION_HEADER)
    row = ["GM0193", "azc Zwolle (test)", "azc", capacity, occupancy, "2024-01-01", None, reference_date]
    dataset.append([*row, "COA", "H"])
    import_rows(get_spec("locations"), dataset)


def test_a_later_import_keeps_the_earlier_observation_and_readers_read_by_date(dataset):
    _import(400, 380, datetime.date(2025, 1, 1))
    _import(420, 300, datetime.date(2025, 9, 1))
    location = Location.objects.get(name="azc Zwolle (test)")
    assert (location.capacity, location.occupancy) == (420, 300)  # the latest known
    assert list(location.observations.values_list("reference_date", "capacity", "occupancy")) == [
        (datetime.date(2025, 1, 1), 400, 380),
        (datetime.date(2025, 9, 1), 420, 300),
    ]
    region = Area.objects.get(code="VR04")
    zwolle = Area.objects.get(code="GM0193")

    def occupancy_on(day):
        row = tables.reception_table(ReceptionLedger(region, day), "asylum").row_for(zwolle)
        return row.cells["capacity"].value, row.cells["occupancy"].value

    assert occupancy_on(datetime.date(2024, 6, 1)) == (None, None)  # not known yet
    assert occupancy_on(datetime.date(2025, 6, 1)) == (400, 380)
    assert occupancy_on(datetime.date(2025, 10, 1)) == (420, 300)


def test_the_same_reference_date_corrects_the_observation(dataset):
    _import(400, 380, datetime.date(2025, 1, 1))
    _import(400, 370, datetime.date(2025, 1, 1))
    assert list(
        LocationObservation.objects.filter(location__name="azc Zwolle (test)").values_list(
            "occupancy", flat=True
        )
    ) == [370]


def test_the_location_page_lists_its_observations(dataset, client_en):
    _import(400, 380, datetime.date(2025, 1, 1))
    _import(420, 300, datetime.date(2025, 9, 1))
    location = Location.objects.get(name="azc Zwolle (test)")
    html = client_en.get(f"/locatie/{location.pk}/").content.decode()
    assert "Capacity and occupancy per reference date" in html
    assert "1 January 2025" in html and "1 September 2025" in html
