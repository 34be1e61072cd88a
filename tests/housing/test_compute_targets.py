"""`regietafel compute-targets`: statutory targets as CSV, from the database or from a file."""

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regietafel.regions.models import Area

RAALTE_2024_H1 = "GM0177,Raalte,38498,2023-01-01,41"


def compute(*args) -> str:
    out = io.StringIO()
    call_command("compute_targets", *args, stdout=out)
    return out.getvalue()


def rows_by_code(output: str) -> dict[str, dict]:
    return {row["code"]: row for row in csv.DictReader(io.StringIO(output))}


def test_raalte_2024_h1_from_the_dataset(dataset):
    output = compute("--half-year", "2024-H1", "--national", "18750")

    lines = output.splitlines()
    assert lines[0] == "code,name,population,reference_date,target"
    assert RAALTE_2024_H1 in lines
    # Kampen also has a population on 1 January 2023: 18750 * 55616 / 17811291 = 58.5, rounded up.
    assert "GM0166,Kampen,55616,2023-01-01,59" in lines


def test_one_row_per_municipality_in_code_order(dataset):
    output = compute("--half-year", "2024-H1", "--national", "18750")
    codes = [row["code"] for row in csv.DictReader(io.StringIO(output))]
    assert codes == sorted(Area.objects.municipalities().values_list("code", flat=True))


def test_municipalities_without_population_are_listed_with_a_warning(dataset, capsys):
    output = compute("--half-year", "2024-H1", "--national", "18750")

    zwolle = rows_by_code(output)["GM0193"]
    assert (zwolle["population"], zwolle["target"]) == ("", "")
    assert zwolle["reference_date"] == "2023-01-01"
    warning = capsys.readouterr().err
    assert "GM0193 Zwolle" in warning
    assert "GM0177" not in warning


def test_the_stored_national_number_is_used_by_default(dataset):
    output = compute("--half-year", "2024-H1")
    assert RAALTE_2024_H1 in output.splitlines()


def test_the_latest_revision_is_the_default_national_number(dataset):
    output = compute("--half-year", "2025-H1")
    # 15000 (revision 1), not 17700: 15000 * 38364 / 17942942 = 32.07, rounded up.
    assert "GM0177,Raalte,38364,2024-01-01,33" in output.splitlines()


def test_targets_from_a_population_file(db, tmp_path):
    path = tmp_path / "bevolking.csv"
    path.write_text(
        "code,name,population\nNL01,Nederland,17811291\nGM0177,Raalte,38498\nGM0193,Zwolle,131000\n",
        encoding="utf-8",
    )

    output = compute("--half-year", "2024-H1", "--national", "18750", "--populations", str(path))

    assert output.splitlines() == [
        "code,name,population,reference_date,target",
        RAALTE_2024_H1,
        "GM0193,Zwolle,131000,2023-01-01,138",
    ]


def test_targets_from_an_xlsx_population_file_with_national_population_given(db, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["code", "name", "population"])
    sheet.append(["GM0177", "Raalte", 38498])
    path = tmp_path / "bevolking.xlsx"
    workbook.save(path)

    output = compute(
        "--half-year",
        "2024-H1",
        "--national",
        "18750",
        "--populations",
        str(path),
        "--national-population",
        "17811291",
    )

    assert output.splitlines()[1:] == [RAALTE_2024_H1]


@pytest.mark.parametrize("value", ["abc", "-5", ""])
def test_a_bad_population_in_the_file_names_the_row(db, tmp_path, value):
    path = tmp_path / "bevolking.csv"
    path.write_text(
        f"code,name,population\nNL01,Nederland,17811291\nGM0177,Raalte,{value}\nGM0193,Zwolle,131000\n",
        encoding="utf-8",
    )

    with pytest.raises(CommandError) as error:
        compute("--half-year", "2024-H1", "--national", "18750", "--populations", str(path))

    message = str(error.value)
    assert " 3," in message  # the header is row 1, Raalte row 3
    assert "'population'" in message
    assert f"'{value}'" in message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("code,name,inwoners\nGM0177,Raalte,38498\n", "population"),
        ("code,name,population\nGM0177,Raalte,38498\n", "NL01"),
    ],
    ids=["without-the-population-column", "without-a-national-population"],
)
def test_an_incomplete_population_file_stops_the_command(db, tmp_path, content, fragment):
    path = tmp_path / "bevolking.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(CommandError) as error:
        compute("--half-year", "2024-H1", "--national", "18750", "--populations", str(path))
    assert fragment in str(error.value)


@pytest.mark.parametrize(
    "args",
    [
        ["--half-year", "2024-H3", "--national", "18750"],
        ["--half-year", "2030-H1"],  # no national number stored
        ["--half-year", "2024-H1", "--national", "-1"],
    ],
)
def test_invalid_arguments_raise_command_error(dataset, args):
    with pytest.raises(CommandError):
        compute(*args)
