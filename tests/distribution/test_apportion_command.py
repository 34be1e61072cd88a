"""`regietafel apportion`: the contract CSV, the total exactly, and a clear error for a bad file."""

import csv
import io

import pytest
from django.core.management import CommandError, call_command

from regietafel.domain.apportionment import METHODS

# CBS, population on 1 January 2024 (as in src/regietafel/operations/data/populations.csv), with the NL01 row the
# statutory targets need and this command ignores.
POPULATIONS = [
    ("NL01", "Nederland", 17942942),
    ("GM0193", "Zwolle", 133141),
    ("GM0166", "Kampen", 56177),
    ("GM0177", "Raalte", 38364),
    ("GM0180", "Staphorst", 17739),
]


@pytest.fixture
def populations(tmp_path):
    path = tmp_path / "bevolking.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["code", "name", "population"])
        writer.writerows(POPULATIONS)
    return path


def run(*args) -> list[dict]:
    out = io.StringIO()
    call_command("apportion", *args, stdout=out)
    return list(csv.DictReader(io.StringIO(out.getvalue())))


@pytest.mark.parametrize("method", METHODS)
def test_prints_every_municipality_and_the_allocations_add_up_to_the_total(populations, method):
    rows = run("--total", "1000", "--method", method, "--populations", str(populations))
    assert list(rows[0]) == ["code", "name", "weight", "quota", "allocated"]
    assert [row["code"] for row in rows] == ["GM0193", "GM0166", "GM0177", "GM0180"]
    assert sum(int(row["allocated"]) for row in rows) == 1000
    zwolle = rows[0]
    # 1000 * 133141 / 245421 = 542.50043...
    assert (zwolle["weight"], zwolle["quota"]) == ("133141", "542.5004")


def test_hamilton_gives_the_largest_remainder_the_last_place(populations):
    rows = run("--total", "10", "--method", "hamilton", "--populations", str(populations))
    # Quotas 5.425, 2.289, 1.563, 0.723: floors 5+2+1+0 = 8; the remainders 0.723 and 0.563 get the two left.
    assert [int(row["allocated"]) for row in rows] == [5, 2, 2, 1]


def test_a_bad_population_names_the_row_and_the_field(tmp_path):
    path = tmp_path / "fout.csv"
    path.write_text("code,name,population\nGM0177,Raalte,veel\n", encoding="utf-8")
    with pytest.raises(CommandError, match="rij 2, veld 'population'"):
        run("--total", "10", "--method", "dhondt", "--populations", str(path))


def test_a_negative_total_is_refused(populations):
    with pytest.raises(CommandError, match="--total"):
        run("--total", "-1", "--method", "dhondt", "--populations", str(populations))
