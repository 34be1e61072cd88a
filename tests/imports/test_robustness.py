"""Robustness gate: any file, for every importable table, ends in a clear error or a correct import.

Hypothesis builds files from rows that import (the table's own export, or its template) with cells swapped for the
things spreadsheets and people produce: grouped thousands ("1.234"), Excel serial dates, formulas, empty rows,
stray spaces, control characters, other scripts, huge numbers. They are written as CSV (comma, semicolon or tab;
UTF-8 with or without BOM, UTF-16, Windows-1252) or as a workbook. Whatever comes in, staging and confirming it
never raises, every error names its row, and a refused file writes nothing; an accepted one is stored as checked
(importing it again changes nothing).
"""

import csv
import io
import os
import zipfile

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regietafel.core.specs import all_specs, get_spec
from regietafel.core.tables import TableError, read_table, write_table
from regietafel.housing.periods import PeriodLocked
from regietafel.imports import services
from regietafel.imports.models import ImportBatch
from regietafel.regions.models import Area
from tests.imports.strategies import encoded
from tests.support import example_organisations

EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "25"))
SPECS = [spec.key for spec in all_specs()]

NASTY = [
    "",
    " ",
    "1.234",
    "1.234.567",
    "12,5",
    "1 234",
    "-1",
    "=SUM(A1:A3)",
    '=HYPERLINK("https://example.invalid","x")',
    "+31 6 1234",
    "@A1",
    "45292",
    "45292.5",
    "2025-03",
    "03-2025",
    "31-12-2025",
    "2025-02-30",
    "2025-H3",
    "gm0193 ",
    "GM9999",
    "VR04",
    "NL01",
    "true",
    "ja",
    "X",
    "\x00",
    "\x1b[31m",
    "٣",
    "１２３",
    "9" * 40,
    "1e3",
    "NaN",
    "'=1+1",
    "Zwolle;Kampen",
    'quote " inside',
    "line\nbreak",
]
cells = st.one_of(st.sampled_from(NASTY), st.text(max_size=20), st.integers(-(10**15), 10**15).map(str))


def seed_rows(spec) -> list[dict]:
    """Rows that import: what is stored (exported as its import reads it, demo marks cleared), else the template's
    rows."""
    example_organisations()
    stored = list(spec.queryset().order_by("pk")[:20])
    rows = [spec.row(record) for record in stored] or [dict(row) for row in spec.example_rows]
    return [{**row, "is_demo": ""} if "is_demo" in row else row for row in rows]


@st.composite
def files(draw, spec, seeds: list[dict]):
    """Half of the files are clean rows in another order, format and encoding; the other half is mangled."""
    mangled = draw(st.booleans())
    header = list(draw(st.permutations(list(spec.columns))))
    if mangled:
        header = [name for name in header if draw(st.integers(0, 9)) > 0]  # now and then a column is missing
        if draw(st.booleans()):
            header.append(draw(st.sampled_from(["extra", "Opmerking", " source ", ""])))
    picked = draw(st.lists(st.sampled_from(range(len(seeds))), unique=True, max_size=6)) if seeds else []
    rows = []
    for index in picked:
        if draw(st.integers(0, 5)) == 0:
            rows.append(["" for _ in header])  # an empty row
        base = seeds[index]
        row = []
        for name in header:
            value = base.get(name, "")
            if mangled and draw(st.integers(0, 3)) == 0:
                value = draw(cells)
            row.append("" if value is None else value)
        rows.append(row)
    if mangled and draw(st.booleans()):
        rows.append([draw(cells) for _ in header])
    return draw(encoded(header, rows))


def snapshot() -> dict:
    models = {spec.model for spec in all_specs()} | {Area}
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in models}


@pytest.mark.parametrize("kind", SPECS)
def test_any_file_ends_in_a_clear_error_or_a_correct_import(demo, user, kind):
    spec = get_spec(kind)
    seeds = seed_rows(spec)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(upload=files(spec, seeds))
    def check(upload):
        # Every example starts from the same stored data, so that a failure replays on its own.
        with transaction.atomic():
            try_file(*upload)
            transaction.set_rollback(True)

    def try_file(content, filename):
        before = snapshot()
        batch, validation = services.stage(spec, filename, content, user, services.Guard(user))
        if not validation.is_valid:
            assert batch.status == ImportBatch.Status.REJECTED
            for error in validation.errors:
                assert error.row >= 1 and error.message
                assert error.field == "" or error.field in spec.columns, error
            assert snapshot() == before
            return
        try:
            services.apply(
                spec, batch, validation.fingerprint(), services.Guard(user, reason="robuustheidstest")
            )
        except (services.ImportRejected, PeriodLocked) as refused:
            assert str(refused)
            assert snapshot() == before
            return
        again = services.validate(spec, read_table(content, filename))
        assert again.is_valid, again.errors
        assert again.counts()["create"] == again.counts()["update"] == 0, again.counts()

    check()


def bomb(unpacked_mb: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<row>" + b" " * (unpacked_mb * 1024 * 1024))
    return buffer.getvalue()


def test_a_zip_bomb_is_refused_before_it_is_opened(dataset, user):
    content = bomb(60)
    assert len(content) < 200_000
    batch, validation = services.stage(get_spec("realisation"), "bom.xlsx", content, user)
    assert batch.status == ImportBatch.Status.REJECTED
    assert "60 MB" in str(validation.errors[0])


@pytest.mark.parametrize(
    "content",
    [b"\x81\x8d\x8f\x90\x9d", b"\xff\xfemunicipality_code\n", b"\x00\x01\x02" * 100, os.urandom(2000)],
    ids=["undefined-cp1252", "broken-utf16", "binary", "random"],
)
def test_bytes_that_are_no_text_get_a_clear_error(dataset, user, content):
    batch, validation = services.stage(get_spec("realisation"), "bestand.csv", content, user)
    assert not validation.is_valid and validation.errors[0].row == 1
    assert batch.status == ImportBatch.Status.REJECTED


def test_a_file_over_the_size_limit_is_refused_unread(logged_in, dataset, settings):
    settings.IMPORT_MAX_BYTES = 1024 * 1024
    upload = io.BytesIO(b"municipality_code,month,housed,source\n" + b"GM0193,2025-01,1,x\n" * 70_000)
    upload.name = "groot.csv"
    response = logged_in.post("/import/realisation/", {"file": upload})
    assert response.status_code == 200
    assert "mag hoogstens 1 MB zijn" in response.content.decode()
    assert not ImportBatch.objects.exists()
    with pytest.raises(TableError):
        read_table(upload.getvalue(), "groot.csv")


def test_excel_unicode_text_and_grouped_thousands_import(dataset):
    text = "code\tname\treference_date\tpopulation\tsource\nGM0193\tZwolle\t2030-01-01\t131.000\tCBS\n"
    counts = services.import_rows(get_spec("populations"), read_table(text.encode("utf-16"), "zwolle.txt"))
    assert counts["create"] == 1
    assert Area.objects.get(code="GM0193").populations.get(reference_date="2030-01-01").population == 131_000


@given(value=st.text(max_size=30))
@settings(max_examples=300, deadline=None)
def test_exported_csv_keeps_any_text_as_text_and_imports_it_again(value):
    exported = write_table(["value"], [{"value": value}], "csv")
    cell = next(csv.reader(io.StringIO(exported.decode("utf-8").split("\n", 1)[1])), [""])
    if cell and len(cell[0]) > 1 and cell[0][:1] in ("=", "+", "-", "@", "\t", "\r"):
        assert cell[0].lstrip("+-").replace(".", "", 1).replace(",", "", 1).isdigit()
    if value.strip():
        assert read_table(exported, "export.csv")[0][0] == value
