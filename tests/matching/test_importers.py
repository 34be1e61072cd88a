"""Homes import like every other table: each bad cell named by row and column, and nothing written unless all is right."""

import pytest
import tablib

from regietafel.core.specs import get_spec
from regietafel.imports.services import ImportRejected, import_rows
from regietafel.matching.models import Dwelling

COLUMNS = [
    "municipality_code",
    "code",
    "place",
    "kind",
    "rooms",
    "max_occupancy",
    "rent",
    "accessible",
    "available_on",
    "owner",
    "sharing_allowed",
    "source",
    "reference_date",
]


def rows(*values):
    dataset = tablib.Dataset(headers=COLUMNS)
    for row in values:
        dataset.append(row)
    return dataset


GOOD = [
    "GM0177",
    "SW-1",
    "Heino",
    "regular",
    2,
    4,
    "640,00",
    "nee",
    "2026-12-01",
    "Salland Wonen",
    "nee",
    "SW",
    "",
]


def test_a_good_file_imports_and_an_export_imports_again(dataset):
    spec = get_spec("dwellings")
    counts = import_rows(
        spec,
        rows(
            GOOD,
            [
                "GM0177",
                "FLEX-1",
                "Raalte",
                "flex",
                4,
                4,
                "980",
                "ja",
                "1-12-2026",
                "Flexwonen Raalte",
                "ja",
                "SW",
                "",
            ],
        ),
    )
    assert Dwelling.objects.count() == 2
    flex = Dwelling.objects.get(code="FLEX-1")
    assert flex.sharing_allowed and flex.accessible and flex.place.name == "Raalte"
    exported = tablib.Dataset(headers=spec.columns)
    for record in spec.queryset():
        exported.append([spec.row(record)[column] for column in spec.columns])
    again = import_rows(spec, exported)
    assert Dwelling.objects.count() == 2 and sum(again.values()) == 2 and counts


def test_bad_rows_are_named_and_nothing_is_written(dataset):
    wrong_place = [
        "GM0177",
        "SW-2",
        "Kampen",
        "regular",
        2,
        4,
        "640",
        "nee",
        "2026-12-01",
        "SW",
        "nee",
        "SW",
        "",
    ]
    no_occupancy = [
        "GM0177",
        "SW-3",
        "Raalte",
        "regular",
        2,
        0,
        "640",
        "nee",
        "2026-12-01",
        "SW",
        "nee",
        "SW",
        "",
    ]
    bad_flag = [
        "GM0177",
        "SW-4",
        "Raalte",
        "regular",
        2,
        2,
        "640",
        "misschien",
        "2026-12-01",
        "SW",
        "nee",
        "SW",
        "",
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_rows(get_spec("dwellings"), rows(GOOD, wrong_place, no_occupancy, bad_flag))
    errors = {(error.row, error.field) for error in rejected.value.validation.errors}
    assert {(3, "place"), (4, "max_occupancy"), (5, "accessible")} <= errors
    assert not Dwelling.objects.exists()
