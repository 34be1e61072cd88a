"""`regietafel load-populations FILE`: all rows or none, in our layout or as a CBS StatLine export."""

import datetime
import io
import re

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import override

from regietafel.regions.models import Area, PopulationFigure

HEADER = "code,name,province_code,region_code,region_name,reference_date,population,source,confidence\n"
GOOD = (
    HEADER
    + "GM0177,Raalte,PV23,VR04,IJsselland,2025-01-01,38600,CBS StatLine 03759ned,H\n"
    + "GM0193,Zwolle,PV23,VR04,IJsselland,2025-01-01,134500,CBS StatLine 03759ned,H\n"
)
JAN_2025 = datetime.date(2025, 1, 1)


def snapshot():
    return (
        list(Area.objects.order_by("pk").values()),
        list(PopulationFigure.objects.order_by("pk").values()),
    )


def load(path) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("load_populations", str(path), stdout=out, stderr=err)
    return out.getvalue()


def test_good_file_loads_every_row(dataset, tmp_path):
    path = tmp_path / "bevolking.csv"
    path.write_text(GOOD, encoding="utf-8")
    before = PopulationFigure.objects.count()

    output = load(path)

    assert PopulationFigure.objects.count() == before + 2
    assert PopulationFigure.objects.get(area__code="GM0177", reference_date=JAN_2025).population == 38600
    assert PopulationFigure.objects.get(area__code="GM0193", reference_date=JAN_2025).population == 134500
    assert re.findall(r"\d+", output) == ["2", "0", "0"]  # new, updated, unchanged


def test_loading_the_same_file_twice_adds_nothing(dataset, tmp_path):
    path = tmp_path / "bevolking.csv"
    path.write_text(GOOD, encoding="utf-8")
    load(path)
    before = snapshot()

    output = load(path)

    assert snapshot() == before
    assert re.findall(r"\d+", output) == ["0", "0", "2"]  # new, updated, unchanged


def test_good_file_loads_into_an_empty_database(db, tmp_path):
    path = tmp_path / "bevolking.csv"
    path.write_text(
        HEADER
        + "NL01,Nederland,,,,2024-01-01,17942942,CBS,H\n"
        + "PV23,Overijssel,PV23,,,2024-01-01,1189033,CBS,H\n"
        + "GM0177,Raalte,PV23,VR04,IJsselland,2024-01-01,38364,CBS,H\n",
        encoding="utf-8",
    )

    load(path)

    assert PopulationFigure.objects.count() == 3
    raalte = Area.objects.get(code="GM0177")
    assert raalte.parent.code == "VR04"
    assert raalte.parent.name == "IJsselland"
    assert raalte.province.code == "PV23"
    assert Area.objects.get(code="NL01").kind == Area.Kind.COUNTRY


def test_xlsx_file_loads(dataset, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "reference_date", "population", "source"])
    sheet.append(["GM0177", datetime.date(2025, 1, 1), 38600, "CBS"])
    path = tmp_path / "bevolking.xlsx"
    workbook.save(path)

    load(path)

    figure = PopulationFigure.objects.get(area__code="GM0177", reference_date=JAN_2025)
    assert figure.population == 38600
    assert figure.source.name == "CBS"


def test_cbs_statline_export_loads_through_the_command(dataset, tmp_path):
    path = tmp_path / "03759ned.csv"
    path.write_bytes(
        '"Regio\'s";"Perioden";"Bevolking op 1 januari (aantal)"\n"Raalte";"2025";"38700"\n'.encode("cp1252")
    )

    load(path)

    figure = PopulationFigure.objects.get(area__code="GM0177", reference_date=JAN_2025)
    assert figure.population == 38700
    assert figure.source.name == "CBS StatLine 03759ned"


@pytest.mark.parametrize(
    ("bad_line", "row", "field"),
    [
        ("GM0150,Deventer,PV23,VR04,IJsselland,2025-01-01,abc,CBS,H\n", 4, "population"),
        ("GM9999,,,,,2025-01-01,1000,CBS,H\n", 4, "name"),
        ("GM0150,Deventer,PV23,VR04,IJsselland,1 januari,104000,CBS,H\n", 4, "reference_date"),
    ],
)
def test_bad_file_raises_command_error_names_the_row_and_writes_nothing(
    dataset, tmp_path, bad_line, row, field
):
    path = tmp_path / "bevolking.csv"
    path.write_text(GOOD + bad_line, encoding="utf-8")
    before = snapshot()
    err = io.StringIO()

    with override("en"), pytest.raises(CommandError):
        call_command("load_populations", str(path), stdout=io.StringIO(), stderr=err)

    assert f"Row {row}, field '{field}'" in err.getvalue()
    assert snapshot() == before


def test_missing_file_raises_command_error(db, tmp_path):
    with pytest.raises(CommandError) as error:
        call_command("load_populations", str(tmp_path / "bestaat-niet.csv"), stdout=io.StringIO())
    assert "bestaat-niet.csv" in str(error.value)


def test_unreadable_file_raises_command_error(db, tmp_path):
    path = tmp_path / "bevolking.ods"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(CommandError):
        call_command("load_populations", str(path), stdout=io.StringIO())
    assert PopulationFigure.objects.count() == 0
