"""The row limit is checked while a file is read, not after (issue 21, hole 8: a workbook was parsed whole before
its 100,000 rows were counted). Both formats stop at the first data row past ``IMPORT_MAX_ROWS``."""

import itertools

import pytest
from django.utils import translation

from regietafel.core import tables
from regietafel.core.tables import TableError, read_table
from tests.support import csv_bytes, xlsx_bytes

HEADER = ["municipality_code", "month", "housed"]


def rows(count: int) -> list[list]:
    return [["GM0177", f"2025-{month % 12 + 1:02d}", month] for month in range(count)]


@pytest.mark.parametrize(("name", "make"), [("f.csv", csv_bytes), ("f.xlsx", xlsx_bytes)])
def test_a_file_at_the_limit_is_read_and_one_row_more_is_refused_naming_the_limit(settings, name, make):
    settings.IMPORT_MAX_ROWS = 20
    assert len(read_table(make(HEADER, rows(20)), name)) == 20
    with translation.override("en"), pytest.raises(TableError, match="more than 20 rows"):
        read_table(make(HEADER, rows(21)), name)


def test_rows_without_a_value_do_not_count(settings):
    settings.IMPORT_MAX_ROWS = 3
    dataset = read_table(xlsx_bytes(HEADER, [*rows(3), ["", "", ""], [None, None, None]]), "f.xlsx")
    assert len(dataset) == 5  # kept, so that row numbers stay those of the sheet; the import skips them


def test_reading_stops_at_the_limit_however_long_the_file_is(settings):
    """An endless source of rows ends in a refusal: nothing after the limit is read."""
    settings.IMPORT_MAX_ROWS = 1000
    endless = itertools.chain([HEADER], ([f"GM{n:04d}", "2025-01", n] for n in itertools.count()))
    read = []

    def counted():
        for row in endless:
            read.append(row)
            yield row

    with translation.override("en"), pytest.raises(TableError, match="more than 1000 rows"):
        tables._dataset(counted(), skip_empty=False)
    assert len(read) == 1 + 1000 + 1  # the header, the rows allowed, and the one that was too many
