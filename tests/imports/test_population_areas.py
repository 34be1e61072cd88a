"""A population row also says where its area lies (name, province, region). What the check compares and what the
import writes must be the same thing, or importing the same file twice reports a change the second time.

Issue 29's example: a row with a province but no region code. The check treated the blank region as "keep"; the
write moved the municipality out of its region and under the province (Almelo left Twente), so the next check saw
region "Twente" in the file and none stored: {"update": 1}, every time.
"""

import tempfile
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.imports import services
from regietafel.regions.models import Area, PopulationFigure

HEADER = b"code,name,province_code,region_name,reference_date,confidence,source,population,is_demo\r\n"
# The file Hypothesis found, with the population changed so that importing it writes.
ALMELO = b"GM0141,Almelo,PV23,%s,2024-01-01,H,CBS StatLine 85984NED,%d,\r\n"


def file(region_name: bytes = b"", population: int = 74318) -> bytes:
    return HEADER + b",,,,,,,,\r\n" + ALMELO % (region_name, population)


def import_twice(user, content: bytes) -> tuple[dict, dict]:
    spec = get_spec("populations")
    batch, first = services.stage(spec, "upload.csv", content, user, services.Guard(user))
    assert first.is_valid, [str(error) for error in first.errors]
    services.apply(spec, batch, first.fingerprint(), services.Guard(user, reason="test"))
    again = services.validate(spec, read_table(content, "upload.csv"))
    assert again.is_valid, [str(error) for error in again.errors]
    return first.counts(), again.counts()


def test_a_row_without_region_code_keeps_the_municipality_in_its_region(demo, user):
    assert Area.objects.get(code="GM0141").parent.code == "VR05"

    first, again = import_twice(user, file())

    assert first == {"create": 0, "update": 1, "unchanged": 0}
    assert again == {"create": 0, "update": 0, "unchanged": 1}
    almelo = Area.objects.get(code="GM0141")
    assert almelo.parent.code == "VR05"
    assert almelo.populations.get(reference_date="2024-01-01").population == 74318


def test_the_region_name_without_its_code_is_refused_with_row_and_field(demo, user):
    spec = get_spec("populations")
    before = list(PopulationFigure.objects.order_by("pk").values())

    batch, validation = services.stage(spec, "upload.csv", file(b"Twente"), user, services.Guard(user))

    assert [(error.row, error.field) for error in validation.errors] == [(3, "region_name")]
    assert "region_code" in validation.errors[0].message
    assert list(PopulationFigure.objects.order_by("pk").values()) == before


def test_the_command_and_the_import_page_take_one_path(demo, user):
    """`regietafel load-populations` checks and writes through the same services as the page: same counts."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "almelo.csv"
        path.write_bytes(file(population=74400))
        out = StringIO()
        call_command("load_populations", str(path), stdout=out)
        assert out.getvalue().strip() == "0 nieuw, 1 bijgewerkt, 0 ongewijzigd."
        out = StringIO()
        call_command("load_populations", str(path), stdout=out)
        assert out.getvalue().strip() == "0 nieuw, 0 bijgewerkt, 1 ongewijzigd."
    assert Area.objects.get(code="GM0141").parent.code == "VR05"
    assert import_twice(user, file(population=74401)) == (
        {"create": 0, "update": 1, "unchanged": 0},
        {"create": 0, "update": 0, "unchanged": 1},
    )


ROWS = "code,name,province_code,region_code,region_name,reference_date,population,source\n"


@pytest.mark.parametrize(
    ("rows", "row", "field", "words"),
    [
        # Two rows that give one area two names: the second would silently win.
        (
            "GM0177,Raalte,,,,2030-01-01,1,CBS\nGM0177,Raalte-Dorp,,,,2031-01-01,1,CBS\n",
            3,
            "name",
            "Raalte",
        ),
        # Two rows that place one municipality in two regions.
        (
            "GM0177,,PV23,VR04,,2030-01-01,1,CBS\nGM0177,,PV23,VR05,,2031-01-01,1,CBS\n",
            3,
            "region_code",
            "VR04",
        ),
        # A province that is not the province of the municipality's region, and no region to move it to.
        (
            "PV25,Gelderland,,,,2030-01-01,2100000,CBS\nGM0177,,PV25,,,2030-01-01,1,CBS\n",
            3,
            "province_code",
            "VR04",
        ),
        # Only a municipality lies in a region; an area that is its own parent would loop.
        ("VR04,,PV23,VR04,,2030-01-01,1,CBS\n", 2, "region_code", "VR04"),
        ("NL01,,PV23,,,2030-01-01,1,CBS\n", 2, "province_code", "NL01"),
    ],
    ids=[
        "two-names",
        "two-regions",
        "province-of-another-region",
        "region-in-a-region",
        "country-in-province",
    ],
)
def test_a_row_that_contradicts_the_file_or_the_map_is_refused(demo, rows, row, field, words):
    validation = services.validate(get_spec("populations"), read_table((ROWS + rows).encode(), "areas.csv"))

    assert [(error.row, error.field) for error in validation.errors] == [(row, field)]
    assert words in validation.errors[0].message


def test_a_municipality_moves_region_when_the_row_names_the_new_one(demo, user):
    content = (ROWS + "GM0177,,PV23,VR05,,2030-01-01,38700,CBS\n").encode()
    spec = get_spec("populations")
    services.import_rows(spec, read_table(content, "move.csv"))

    assert Area.objects.get(code="GM0177").parent.code == "VR05"
    again = services.validate(spec, read_table(content, "move.csv"))
    assert again.counts() == {"create": 0, "update": 0, "unchanged": 1}
