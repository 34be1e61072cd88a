"""Imports at the service level: validate, stage, apply and import_rows on CSV and XLSX files."""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.utils.translation import override

from regietafel.core.specs import all_specs, get_spec
from regietafel.core.tables import read_table
from regietafel.housing.models import HousingRealisation, NationalTarget
from regietafel.imports import services
from regietafel.imports.models import ImportBatch
from regietafel.reception.models import Location
from regietafel.regions.models import Area, PopulationFigure
from tests.support import (
    LOCATION_HEADER,
    NATIONAL_HEADER,
    POPULATION_HEADER,
    REALISATION_HEADER,
    csv_bytes,
    example_organisations,
    snapshot,
    xlsx_bytes,
)


def file_bytes(file_format, header, rows) -> tuple[str, bytes]:
    if file_format == "xlsx":
        return "upload.xlsx", xlsx_bytes(header, rows)
    return "upload.csv", csv_bytes(header, rows)


def run_import(kind, file_format, header, rows) -> dict[str, int]:
    name, content = file_bytes(file_format, header, rows)
    return services.import_rows(get_spec(kind), read_table(content, name))


JAN_2025 = datetime.date(2025, 1, 1)


@dataclass(frozen=True)
class Case:
    kind: str
    model: type
    header: list[str]
    rows: list[list]
    change: tuple[int, str, object]  # row index, column, new value
    read: Callable[[], object]  # the stored value of the changed cell

    def changed_rows(self) -> list[list]:
        index, column, value = self.change
        rows = [list(row) for row in self.rows]
        rows[index][self.header.index(column)] = value
        return rows


CASES = {
    "populations": Case(
        "populations",
        PopulationFigure,
        POPULATION_HEADER,
        [
            ["GM0177", "Raalte", "PV23", "VR04", "IJsselland", JAN_2025, 38600, "CBS StatLine 03759ned", "H"],
            [
                "GM0193",
                "Zwolle",
                "PV23",
                "VR04",
                "IJsselland",
                JAN_2025,
                134500,
                "CBS StatLine 03759ned",
                "H",
            ],
            [
                "GM0150",
                "Deventer",
                "PV23",
                "VR04",
                "IJsselland",
                JAN_2025,
                104000,
                "CBS StatLine 03759ned",
                "H",
            ],
        ],
        (0, "population", 38601),
        lambda: PopulationFigure.objects.get(area__code="GM0177", reference_date=JAN_2025).population,
    ),
    "realisation": Case(
        "realisation",
        HousingRealisation,
        REALISATION_HEADER,
        [
            ["GM0177", "2025-07", 5, 1, datetime.date(2025, 8, 1), "COA maandrapportage", "H"],
            ["GM0177", "2025-08", 4, 0, datetime.date(2025, 9, 1), "COA maandrapportage", "H"],
            ["GM0193", "2025-07", 12, 2, datetime.date(2025, 8, 1), "COA maandrapportage", "H"],
        ],
        (2, "housed", 13),
        lambda: (
            HousingRealisation.objects.get(
                municipality__code="GM0193", month=datetime.date(2025, 7, 1)
            ).housed
        ),
    ),
    "locations": Case(
        "locations",
        Location,
        LOCATION_HEADER,
        [
            ["GM0193", "azc Zwolle", "azc", 400, 380, datetime.date(2024, 1, 1), None, JAN_2025, "COA", "H"],
            [
                "GM0150",
                "Noodopvang Deventer",
                "noodopvang",
                120,
                100,
                datetime.date(2024, 3, 1),
                datetime.date(2026, 3, 1),
                JAN_2025,
                "COA",
                "H",
            ],
        ],
        (0, "capacity", 420),
        lambda: Location.objects.get(municipality__code="GM0193", name="azc Zwolle").capacity,
    ),
    "national-targets": Case(
        "national-targets",
        NationalTarget,
        NATIONAL_HEADER,
        [
            ["2026-H1", 0, 12000, None, "", datetime.date(2025, 10, 1), "Rijksoverheid", "H"],
            ["2026-H1", 1, 11000, 10900, "Verlaagd", datetime.date(2026, 3, 1), "Staatscourant", "H"],
        ],
        (0, "headline", 12500),
        lambda: NationalTarget.objects.get(half_year="2026-H1", revision=0).headline,
    ),
}
FORMATS = ["csv", "xlsx"]


# Good files ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("kind", list(CASES))
def test_preview_validates_every_row_and_writes_nothing(dataset, user, kind, file_format):
    case = CASES[kind]
    spec = get_spec(kind)
    before = snapshot()
    name, content = file_bytes(file_format, case.header, case.rows)

    validation = services.validate(spec, read_table(content, name))
    batch, staged = services.stage(spec, name, content, user)

    assert validation.is_valid, [str(error) for error in validation.errors]
    assert validation.counts() == {"create": len(case.rows), "update": 0, "unchanged": 0}
    assert [row.row for row in validation.rows] == list(range(2, len(case.rows) + 2))
    assert staged.counts() == validation.counts()
    assert batch.status == ImportBatch.Status.STAGED
    assert batch.kind == kind
    assert batch.created_by == user
    assert batch.summary["counts"] == validation.counts()
    assert batch.summary["errors"] == []
    assert snapshot() == before


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("kind", list(CASES))
def test_import_writes_all_rows_then_reimport_is_unchanged_and_a_change_updates(dataset, kind, file_format):
    case = CASES[kind]
    before = case.model.objects.count()

    first = run_import(kind, file_format, case.header, case.rows)
    assert first == {"create": len(case.rows), "update": 0, "unchanged": 0}
    assert case.model.objects.count() == before + len(case.rows)

    again = run_import(kind, file_format, case.header, case.rows)
    assert again == {"create": 0, "update": 0, "unchanged": len(case.rows)}
    assert case.model.objects.count() == before + len(case.rows)  # no duplicates

    changed = run_import(kind, file_format, case.header, case.changed_rows())
    assert changed == {"create": 0, "update": 1, "unchanged": len(case.rows) - 1}
    assert case.model.objects.count() == before + len(case.rows)
    assert case.read() == case.change[2]


@pytest.mark.parametrize("kind", list(CASES))
def test_stage_then_apply_writes_the_checked_file_once(dataset, user, kind):
    case = CASES[kind]
    spec = get_spec(kind)
    before = case.model.objects.count()
    name, content = file_bytes("csv", case.header, case.rows)
    batch, _validation = services.stage(spec, name, content, user)

    counts = services.apply(spec, batch)

    batch.refresh_from_db()
    assert counts == {"create": len(case.rows), "update": 0, "unchanged": 0}
    assert batch.status == ImportBatch.Status.APPLIED
    assert batch.applied_at is not None
    assert case.model.objects.count() == before + len(case.rows)
    with pytest.raises(services.ImportRejected):
        services.apply(spec, batch)
    assert case.model.objects.count() == before + len(case.rows)


def test_population_counts_distinguish_new_updated_and_unchanged_rows(dataset):
    rows = [
        # New: no figure on 1 January 2025 yet.
        ["GM0177", "Raalte", "PV23", "VR04", "IJsselland", JAN_2025, 38600, "CBS StatLine 03759ned", "H"],
        ["GM0193", "Zwolle", "PV23", "VR04", "IJsselland", JAN_2025, 134500, "CBS StatLine 03759ned", "H"],
        # Updated: the embedded data set has 56177.
        [
            "GM0166",
            "Kampen",
            "PV23",
            "VR04",
            "IJsselland",
            datetime.date(2024, 1, 1),
            56178,
            "CBS StatLine 85984NED",
            "H",
        ],
        # Exactly as in the embedded data set.
        [
            "GM0150",
            "Deventer",
            "PV23",
            "VR04",
            "IJsselland",
            datetime.date(2024, 1, 1),
            103405,
            "CBS StatLine 85984NED",
            "H",
        ],
    ]
    before = PopulationFigure.objects.count()

    counts = run_import("populations", "csv", POPULATION_HEADER, rows)

    assert counts == {"create": 2, "update": 1, "unchanged": 1}
    assert PopulationFigure.objects.count() == before + 2
    kampen = PopulationFigure.objects.get(area__code="GM0166", reference_date=datetime.date(2024, 1, 1))
    assert kampen.population == 56178
    assert kampen.is_demo is False


def test_population_import_creates_a_new_area_with_its_region(db):
    rows = [
        ["PV23", "Overijssel", "PV23", "", "", JAN_2025, 1190000, "CBS", "H"],
        ["GM0177", "Raalte", "PV23", "VR04", "IJsselland", JAN_2025, 38600, "CBS", "H"],
    ]

    counts = run_import("populations", "csv", POPULATION_HEADER, rows)

    assert counts == {"create": 2, "update": 0, "unchanged": 0}
    raalte = Area.objects.get(code="GM0177")
    assert raalte.kind == Area.Kind.MUNICIPALITY
    assert raalte.parent.code == "VR04"
    assert raalte.parent.kind == Area.Kind.REGION
    assert raalte.parent.parent.code == "PV23"
    assert raalte.province.code == "PV23"


# One bad row: a clear message and nothing written -------------------------------------------------

GOOD_POPULATION = ["GM0177", "Raalte", "PV23", "VR04", "IJsselland", JAN_2025, 38600, "CBS", "H"]
GOOD_POPULATION_UPDATE = [
    "GM0166",
    "Kampen",
    "PV23",
    "VR04",
    "IJsselland",
    datetime.date(2024, 1, 1),
    56178,
    "CBS StatLine 85984NED",
    "H",
]
GOOD_REALISATION = ["GM0177", "2025-07", 5, 1, datetime.date(2025, 8, 1), "COA", "H"]
GOOD_LOCATION = ["GM0193", "azc Zwolle", "azc", 400, 380, None, None, JAN_2025, "COA", "H"]
OTHER_LOCATION = ["GM0150", "azc Deventer", "azc", 300, 280, None, None, JAN_2025, "COA", "H"]

BAD_FILES = {
    # id: (kind, header, rows, row number of the error, field, part of the message)
    "population-not-a-number": (
        "populations",
        POPULATION_HEADER,
        [
            GOOD_POPULATION,
            GOOD_POPULATION_UPDATE,
            ["GM0150", "Deventer", "PV23", "VR04", "IJsselland", JAN_2025, "abc", "CBS", "H"],
        ],
        4,
        "population",
        "whole number",
    ),
    "population-negative": (
        "populations",
        POPULATION_HEADER,
        [
            GOOD_POPULATION,
            ["GM0150", "Deventer", "", "", "", JAN_2025, -5, "CBS", "H"],
            GOOD_POPULATION_UPDATE,
        ],
        3,
        "population",
        "greater than or equal to 0",
    ),
    "population-unknown-area-without-name": (
        "populations",
        POPULATION_HEADER,
        [GOOD_POPULATION, ["GM9999", "", "", "", "", JAN_2025, 1000, "CBS", "H"]],
        3,
        "name",
        "GM9999",
    ),
    "population-not-a-cbs-code": (
        "populations",
        POPULATION_HEADER,
        [GOOD_POPULATION, ["Raalte", "Raalte", "", "", "", JAN_2025, 1000, "CBS", "H"]],
        3,
        "code",
        "RAALTE",
    ),
    "population-is-demo": (
        "populations",
        [*POPULATION_HEADER, "is_demo"],
        [[*GOOD_POPULATION, "false"], [*GOOD_POPULATION_UPDATE, "true"]],
        3,
        "is_demo",
        "Demo data cannot be imported",
    ),
    "realisation-unknown-municipality": (
        "realisation",
        REALISATION_HEADER,
        [
            GOOD_REALISATION,
            ["GM9999", "2025-07", 3, 0, JAN_2025, "COA", "H"],
            GOOD_REALISATION[:1] + ["2025-08", 2, 0, JAN_2025, "COA", "H"],
        ],
        3,
        "municipality_code",
        "GM9999",
    ),
    "realisation-region-is-not-a-municipality": (
        "realisation",
        REALISATION_HEADER,
        [GOOD_REALISATION, ["VR04", "2025-07", 3, 0, JAN_2025, "COA", "H"]],
        3,
        "municipality_code",
        "VR04",
    ),
    "realisation-minors-more-than-housed": (
        "realisation",
        REALISATION_HEADER,
        [
            GOOD_REALISATION,
            ["GM0193", "2025-07", 12, 2, JAN_2025, "COA", "H"],
            ["GM0150", "2025-07", 2, 3, JAN_2025, "COA", "H"],
        ],
        4,
        "housed_minors",
        "more than the number housed",
    ),
    "realisation-bad-month": (
        "realisation",
        REALISATION_HEADER,
        [GOOD_REALISATION, ["GM0193", "juli", 12, 2, JAN_2025, "COA", "H"]],
        3,
        "month",
        "valid date",
    ),
    "national-target-half-year-h3": (
        "national-targets",
        NATIONAL_HEADER,
        [
            ["2026-H1", 0, 12000, None, "", JAN_2025, "Rijksoverheid", "H"],
            ["2024-H3", 0, 15000, None, "", JAN_2025, "Rijksoverheid", "H"],
        ],
        3,
        "half_year",
        "2024-H1 or 2024-H2",
    ),
    "national-target-bad-confidence": (
        "national-targets",
        NATIONAL_HEADER,
        [
            ["2026-H1", 0, 12000, None, "", JAN_2025, "Rijksoverheid", "X"],
            ["2026-H2", 0, 12000, None, "", JAN_2025, "Rijksoverheid", "H"],
        ],
        2,
        "confidence",
        "X",
    ),
    "location-duplicate-key": (
        "locations",
        LOCATION_HEADER,
        [GOOD_LOCATION, OTHER_LOCATION, [*GOOD_LOCATION[:3], 410, 390, None, None, JAN_2025, "COA", "H"]],
        4,
        "",
        "row 2",
    ),
    "location-unknown-kind": (
        "locations",
        LOCATION_HEADER,
        [GOOD_LOCATION, ["GM0150", "Hotel Deventer", "hotel", 40, 30, None, None, JAN_2025, "COA", "H"]],
        3,
        "kind",
        "hotel",
    ),
    "location-ends-before-it-starts": (
        "locations",
        LOCATION_HEADER,
        [
            GOOD_LOCATION,
            [
                "GM0150",
                "azc Deventer",
                "azc",
                300,
                280,
                datetime.date(2025, 1, 1),
                datetime.date(2024, 1, 1),
                JAN_2025,
                "COA",
                "H",
            ],
        ],
        3,
        "end_date",
        "before the start date",
    ),
    "location-missing-source": (
        "locations",
        LOCATION_HEADER,
        [GOOD_LOCATION, ["GM0150", "azc Deventer", "azc", 300, 280, None, None, JAN_2025, "", "H"]],
        3,
        "source",
        "required",
    ),
}


def _assert_single_error(errors, row, field, fragment):
    assert len(errors) == 1, [str(error) for error in errors]
    error = errors[0]
    assert (error.row, error.field) == (row, field)
    assert fragment in error.message
    text = str(error)
    assert f"Row {row}" in text
    if field:
        assert f"'{field}'" in text
    assert fragment in text


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("case_id", list(BAD_FILES))
def test_one_bad_row_names_row_field_and_problem_and_nothing_is_written(dataset, case_id, file_format):
    kind, header, rows, row, field, fragment = BAD_FILES[case_id]
    before = snapshot()

    with override("en"), pytest.raises(services.ImportRejected) as rejected:
        run_import(kind, file_format, header, rows)

    with override("en"):
        _assert_single_error(rejected.value.validation.errors, row, field, fragment)
        assert f"Row {row}" in str(rejected.value)
    assert snapshot() == before


@pytest.mark.parametrize("case_id", ["population-not-a-number", "realisation-unknown-municipality"])
def test_staging_a_bad_file_rejects_the_batch_and_apply_refuses_it(dataset, user, case_id):
    kind, header, rows, row, field, fragment = BAD_FILES[case_id]
    spec = get_spec(kind)
    name, content = file_bytes("csv", header, rows)
    before = snapshot()

    with override("en"):
        batch, validation = services.stage(spec, name, content, user)
        _assert_single_error(validation.errors, row, field, fragment)

    assert batch.status == ImportBatch.Status.REJECTED
    assert len(batch.summary["errors"]) == 1
    assert f"Row {row}" in batch.summary["errors"][0]
    with pytest.raises(services.ImportRejected):
        services.apply(spec, batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert snapshot() == before


@pytest.mark.parametrize(
    ("kind", "header", "missing"),
    [
        ("realisation", [c for c in REALISATION_HEADER if c != "housed"], "housed"),
        ("populations", [c for c in POPULATION_HEADER if c != "reference_date"], "reference_date"),
        ("national-targets", [c for c in NATIONAL_HEADER if c != "source"], "source"),
    ],
)
def test_a_missing_required_column_is_reported_on_the_header_row(dataset, kind, header, missing):
    full = {
        "realisation": (REALISATION_HEADER, GOOD_REALISATION),
        "populations": (POPULATION_HEADER, GOOD_POPULATION),
        "national-targets": (
            NATIONAL_HEADER,
            ["2026-H1", 0, 12000, None, "", JAN_2025, "Rijksoverheid", "H"],
        ),
    }[kind]
    row = [value for column, value in zip(full[0], full[1], strict=True) if column != missing]
    before = snapshot()

    with override("en"), pytest.raises(services.ImportRejected) as rejected:
        run_import(kind, "csv", header, [row])

    with override("en"):
        _assert_single_error(rejected.value.validation.errors, 1, missing, "missing")
    assert snapshot() == before


def test_unknown_columns_are_ignored_with_a_warning(dataset):
    header = [*REALISATION_HEADER, "opmerking"]
    content = csv_bytes(header, [[*GOOD_REALISATION, "iets"]])

    with override("en"):
        validation = services.validate(get_spec("realisation"), read_table(content, "x.csv"))

    assert validation.is_valid
    assert [str(warning) for warning in validation.warnings if "opmerking" in warning] == [
        "Columns ignored: opmerking."
    ]


def test_a_file_without_data_rows_is_rejected(dataset):
    before = snapshot()
    with pytest.raises(services.ImportRejected) as rejected:
        run_import("realisation", "csv", REALISATION_HEADER, [])
    assert rejected.value.validation.errors[0].row == 2
    assert snapshot() == before


def test_empty_lines_are_skipped(dataset):
    content = csv_bytes(
        REALISATION_HEADER, [GOOD_REALISATION, [""] * 7, ["GM0193", "2025-07", 3, 0, "", "COA", ""]]
    )
    counts = services.import_rows(get_spec("realisation"), read_table(content, "x.csv"))
    assert counts == {"create": 2, "update": 0, "unchanged": 0}


def test_import_refuses_when_the_stored_data_differs_from_the_confirmed_preview(dataset):
    case = CASES["locations"]
    name, content = file_bytes("csv", case.header, case.rows)
    spec = get_spec("locations")
    confirmed = services.validate(spec, read_table(content, name)).fingerprint()
    before = snapshot()

    with override("en"), pytest.raises(services.ImportRejected) as rejected:
        services.import_rows(spec, read_table(content, name), "0" * 64)

    assert [(error.row, error.field) for error in rejected.value.validation.errors] == [(1, "")]
    assert snapshot() == before
    counts = services.import_rows(spec, read_table(content, name), confirmed)
    assert counts == {"create": 2, "update": 0, "unchanged": 0}


UNKNOWN_PROVINCE = [
    GOOD_POPULATION,
    ["GM0999", "Nieuwdorp", "PV99", "VR04", "IJsselland", JAN_2025, 1000, "CBS", "H"],
]


def test_an_unknown_province_code_writes_nothing(dataset):
    before = snapshot()
    with pytest.raises(services.ImportRejected) as rejected:
        run_import("populations", "csv", POPULATION_HEADER, UNKNOWN_PROVINCE)
    assert [error.row for error in rejected.value.validation.errors] == [3]
    assert snapshot() == before


def test_the_preview_already_reports_an_unknown_province_code(dataset):
    """The preview promises what confirming does: a row that cannot be written must fail the check."""
    _name, content = file_bytes("csv", POPULATION_HEADER, UNKNOWN_PROVINCE)

    validation = services.validate(get_spec("populations"), read_table(content, "bevolking.csv"))

    assert not validation.is_valid
    assert [error.row for error in validation.errors] == [3]


# Encodings and separators -------------------------------------------------------------------------


def test_semicolon_separated_csv_is_read(dataset):
    content = csv_bytes(
        LOCATION_HEADER,
        [
            [
                "GM0193",
                "Opvang Zwolle, tijdelijk",
                "noodopvang",
                80,
                75,
                "2025-01-01",
                "",
                JAN_2025,
                "COA",
                "H",
            ]
        ],
        delimiter=";",
    )

    counts = services.import_rows(get_spec("locations"), read_table(content, "locaties.csv"))

    assert counts == {"create": 1, "update": 0, "unchanged": 0}
    location = Location.objects.get(municipality__code="GM0193")
    assert location.name == "Opvang Zwolle, tijdelijk"
    assert location.capacity == 80
    assert location.start_date == datetime.date(2025, 1, 1)


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_windows_1252_csv_is_read(dataset, delimiter):
    content = csv_bytes(
        LOCATION_HEADER,
        [
            [
                "GM0150",
                "Noodopvang Café De Zwaan",
                "noodopvang",
                60,
                50,
                "",
                "",
                JAN_2025,
                "Gemeente Deventer",
                "M",
            ]
        ],
        delimiter=delimiter,
        encoding="cp1252",
    )
    with pytest.raises(UnicodeDecodeError):
        content.decode("utf-8")

    counts = services.import_rows(get_spec("locations"), read_table(content, "locaties.csv"))

    assert counts == {"create": 1, "update": 0, "unchanged": 0}
    location = Location.objects.get(municipality__code="GM0150")
    assert location.name == "Noodopvang Café De Zwaan"
    assert location.confidence == "M"


def test_utf8_csv_with_byte_order_mark_is_read(dataset):
    content = csv_bytes(REALISATION_HEADER, [GOOD_REALISATION], encoding="utf-8-sig")
    assert content.startswith(b"\xef\xbb\xbf")

    counts = services.import_rows(get_spec("realisation"), read_table(content, "x.csv"))

    assert counts == {"create": 1, "update": 0, "unchanged": 0}
    assert HousingRealisation.objects.get().housed == 5


# CBS StatLine --------------------------------------------------------------------------------------

STATLINE = (
    '"Regio\'s";"Perioden";"Bevolking op 1 januari (aantal)"\n'
    '"Nederland";"2023";"17811291"\n'
    '"Raalte";"2023";"38498"\n'
    '"Zwolle";"2023";"131000"\n'
)
OPEN_DATA = (
    "ID;RegioS;Perioden;BevolkingOp1Januari_1\n"
    "0;NL01    ;2023JJ00;17811291\n"
    "1;GM0177  ;2023JJ00;38498\n"
    "2;GM0193  ;2023JJ00;131000\n"
)
CBS_FILES = {"statline": STATLINE, "open-data": OPEN_DATA}
JAN_2023 = datetime.date(2023, 1, 1)


@pytest.mark.parametrize("layout", list(CBS_FILES))
def test_cbs_export_loads_populations_on_1_january_with_the_cbs_source(dataset, layout):
    content = CBS_FILES[layout].encode("utf-8")
    before = PopulationFigure.objects.count()

    counts = services.import_rows(get_spec("populations"), read_table(content, "03759ned.csv"))

    # Raalte and the Netherlands have a 2023 figure from another source already; Zwolle has none.
    assert counts == {"create": 1, "update": 2, "unchanged": 0}
    assert PopulationFigure.objects.count() == before + 1
    expected = {"NL01": 17811291, "GM0177": 38498, "GM0193": 131000}
    for code, population in expected.items():
        figure = PopulationFigure.objects.get(area__code=code, reference_date=JAN_2023)
        assert figure.population == population
        assert figure.source.name == "CBS StatLine 03759ned"
        assert figure.confidence == "H"
        assert figure.is_demo is False
    assert Area.objects.get(code="GM0177").name == "Raalte"  # the blank name does not overwrite it


def test_cbs_export_keeps_only_the_totals_of_a_breakdown(dataset):
    content = (
        b'"Geslacht";"Regio\'s";"Perioden";"Bevolking op 1 januari (aantal)"\n'
        b'"Totaal mannen en vrouwen";"Raalte";"2023";"38498"\n'
        b'"Mannen";"Raalte";"2023";"19300"\n'
        b'"Vrouwen";"Raalte";"2023";"19198"\n'
    )

    counts = services.import_rows(get_spec("populations"), read_table(content, "03759ned.csv"))

    assert sum(counts.values()) == 1
    assert PopulationFigure.objects.get(area__code="GM0177", reference_date=JAN_2023).population == 38498


def test_cbs_export_with_an_unknown_region_name_names_the_row(dataset):
    content = (STATLINE + '"Atlantis";"2023";"1000"\n').encode()
    before = snapshot()

    with override("en"), pytest.raises(services.ImportRejected) as rejected:
        services.import_rows(get_spec("populations"), read_table(content, "03759ned.csv"))

    errors = rejected.value.validation.errors
    assert [error.row for error in errors] == [5]
    assert snapshot() == before


@pytest.mark.parametrize("layout", list(CBS_FILES))
def test_reimporting_the_same_cbs_export_changes_nothing(dataset, layout):
    """The second import of an identical CBS file must report every row unchanged, not updated."""
    content = CBS_FILES[layout].encode("utf-8")
    spec = get_spec("populations")
    services.import_rows(spec, read_table(content, "03759ned.csv"))

    again = services.import_rows(spec, read_table(content, "03759ned.csv"))

    assert again == {"create": 0, "update": 0, "unchanged": 3}


def test_reimporting_a_population_file_without_the_optional_columns_changes_nothing(dataset):
    header = ["code", "reference_date", "population", "source"]
    rows = [["GM0177", JAN_2025, 38600, "CBS"], ["GM0193", JAN_2025, 134500, "CBS"]]
    assert run_import("populations", "csv", header, rows)["create"] == 2

    again = run_import("populations", "csv", header, rows)

    assert again == {"create": 0, "update": 0, "unchanged": 2}


# Export, import again ------------------------------------------------------------------------------


@pytest.fixture
def sourced_monthly_figures(demo):
    """Sourced realisation and an opening balance beside the demo ones, so every table has sourced rows."""
    run_import(
        "realisation",
        "csv",
        REALISATION_HEADER,
        [
            ["GM0177", "2024-11", 6, 1, datetime.date(2024, 12, 1), "COA maandrapportage", "H"],
            ["GM0193", "2024-12", 15, 0, datetime.date(2025, 1, 1), "COA maandrapportage", "H"],
        ],
    )
    run_import(
        "opening-balances",
        "csv",
        ["municipality_code", "half_year", "balance", "reference_date", "source", "confidence"],
        [["GM0177", "2024-H2", 3, datetime.date(2024, 7, 1), "COA", "H"]],
    )
    example_organisations()
    for key in ("supervision-placements", "corporation-agreements", "signals"):
        spec = get_spec(key)
        services.import_rows(
            spec,
            read_table(services.template(spec, "csv", for_systems=True), f"{key}.csv"),
        )
    run_import(
        "dwellings",
        "csv",
        ["municipality_code", "code", "place", "kind", "rooms", "max_occupancy", "rent", "accessible"]
        + ["available_on", "owner", "sharing_allowed", "reference_date", "source", "confidence"],
        [
            ["GM0177", "SW-1", "Heino", "flex", 4, 4, "980,00", "ja", datetime.date(2025, 1, 15)]
            + ["Salland Wonen", "ja", datetime.date(2024, 12, 1), "Salland Wonen", "H"]
        ],
    )
    run_import(
        "households",
        "csv",
        ["municipality_code", "v_number", "linked_on", "adults", "children", "member_ages", "is_amv", "nidos"]
        + ["needs_accessible", "needs_medical", "ties"],
        [
            [
                "GM0177",
                "1234567890",
                datetime.date(2024, 10, 1),
                1,
                1,
                "30, 3",
                "nee",
                "nee",
                "ja",
                "nee",
                "werk: Heino",
            ]
        ],
    )
    run_import(
        "indicator-targets",
        "csv",
        ["indicator_code", "period", "value", "reference_date", "source", "confidence"],
        [["ZRG-HUISARTS", "2025-H2", "95", None, "Regietafel IJsselland", "H"]],
    )
    run_import(
        "indicator-values",
        "csv",
        [
            "indicator_code",
            "area_code",
            "location",
            "period",
            "value",
            "reference_date",
            "source",
            "confidence",
        ],
        [
            [
                "ZRG-HUISARTS",
                "GM0177",
                None,
                "2025-H1",
                "81,5",
                datetime.date(2025, 7, 1),
                "gemeente Raalte",
                "H",
            ],
            ["AMV-VOOGD-OP-TIJD", "VR04", None, "2025-Q2", "90", None, "Nidos", "H"],
        ],
    )


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("kind", [spec.key for spec in all_specs()])
def test_export_of_sourced_rows_imports_again_as_all_unchanged(sourced_monthly_figures, kind, file_format):
    spec = get_spec(kind)
    # Sourced figures without the demo ones; a table of definitions (the indicators) has no demo rows.
    queryset = spec.queryset()
    has_demo = any(field.name == "is_demo" for field in spec.model._meta.get_fields())
    sourced = queryset.filter(is_demo=False) if has_demo else queryset
    number = sourced.count()
    assert number > 0
    content = services.export(spec, file_format, sourced)
    before = snapshot()

    counts = services.import_rows(spec, read_table(content, f"{kind}.{file_format}"))

    assert counts == {"create": 0, "update": 0, "unchanged": number}
    assert snapshot() == before


@pytest.mark.parametrize("file_format", FORMATS)
@pytest.mark.parametrize("kind", ["realisation", "opening-balances", "locations", "third-country-nationals"])
def test_export_with_demo_rows_is_refused_on_import(sourced_monthly_figures, kind, file_format):
    spec = get_spec(kind)
    demo_rows = spec.queryset().filter(is_demo=True).count()
    assert demo_rows > 0
    content = services.export(spec, file_format)
    before = snapshot()

    with override("en"), pytest.raises(services.ImportRejected) as rejected:
        services.import_rows(spec, read_table(content, f"{kind}.{file_format}"))

    errors = rejected.value.validation.errors
    assert len(errors) == demo_rows
    assert {error.field for error in errors} == {"Demogegevens"}  # the column as the (Dutch) export names it
    with override("en"):
        assert "Demo data cannot be imported" in str(rejected.value)
    assert snapshot() == before


def test_export_marks_demo_rows(sourced_monthly_figures):
    content = services.export(get_spec("realisation"), "csv", for_systems=True).decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(content)))
    flags = {(row["municipality_code"], row["month"]): row["is_demo"] for row in rows}
    assert flags[("GM0177", "2024-11-01")] == "false"
    assert flags[("GM0177", "2025-01-01")] == "true"
    assert len(rows) == HousingRealisation.objects.count()


# Templates -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", [spec.key for spec in all_specs()])
def test_template_rows_pass_validation(dataset, kind):
    spec = get_spec(kind)
    example_organisations()
    content = services.template(spec, "csv")
    table = read_table(content, "template.csv")
    assert [spec.reading().column(header) for header in table.headers] == spec.columns
    if spec.example_rows:
        validation = services.validate(spec, table)
        assert validation.is_valid, [str(error) for error in validation.errors]
        assert len(validation.rows) == len(spec.example_rows)
