"""Indicators as data: the starting set that `make run` loads, the command that lists them, and their three
tables (definitions, targets, values) importing like every other table: bad cells named, nothing partial."""

import csv
import io

import pytest
import tablib
from django.core.management import call_command
from django.db import IntegrityError, transaction

from regietafel.core.specs import get_spec
from regietafel.imports.services import ImportRejected, export, import_rows
from regietafel.indicators.dataset import ensure_domains
from regietafel.indicators.models import Domain, Indicator, Target, Value
from regietafel.reception.models import Location
from regietafel.regions.models import Area
from tests.support import IJSSELLAND

DEFINITION = [
    "code", "name", "explanation", "domain", "unit", "direction", "level", "periodicity",
    "good_threshold", "poor_threshold", "norm", "norm_source", "expected_source",
]  # fmt: skip
VALUE = ["indicator_code", "area_code", "location", "period", "value", "reference_date", "source"]


def table(headers, *rows) -> tablib.Dataset:
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append(row)
    return dataset


def errors(rejected) -> set[tuple[int, str]]:
    return {(error.row, error.field) for error in rejected.value.validation.errors}


def test_the_starting_set_covers_five_domains_explains_everything_and_claims_no_norm(dataset):
    indicators = list(Indicator.objects.select_related("domain"))
    assert len(indicators) == 10
    assert {i.domain.code for i in indicators} == {
        "reception_quality",
        "education",
        "care",
        "work",
        "guidance",
    }
    for indicator in indicators:
        assert len(indicator.explanation) > 100, indicator.code
        assert indicator.expected_source, indicator.code
        assert indicator.norm == "" and indicator.norm_source == "", indicator.code
        assert indicator.good_threshold is None and indicator.poor_threshold is None, indicator.code
    levels = {i.level for i in indicators}
    assert levels == {"municipality", "location", "region"}


def test_the_command_lists_code_name_domain_unit_direction_as_csv(dataset, capsys):
    call_command("indicators", "list", "--format", "csv")
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["code", "name", "domain", "unit", "direction"]
    assert [
        "WRK-24-MAANDEN",
        "Statushouders met betaald werk of studie na 24 maanden",
        "work",
        "percentage",
        "higher",
    ] in rows
    assert len(rows) == 11

    Indicator.objects.filter(code="WRK-24-MAANDEN").update(is_active=False)
    call_command("indicators", "list", "--format", "csv")
    assert "WRK-24-MAANDEN" not in capsys.readouterr().out
    call_command("indicators", "list", "--all", "--format", "csv")
    assert "WRK-24-MAANDEN" in capsys.readouterr().out


def test_the_database_refuses_a_norm_without_its_source(dataset):
    indicator = Indicator.objects.get(code="ZRG-HUISARTS")
    indicator.norm = "binnen 3 maanden"
    with pytest.raises(IntegrityError), transaction.atomic():
        indicator.save()


def test_a_new_indicator_imports_and_bad_definitions_are_named_by_row_and_field(dataset):
    spec = get_spec("indicators")
    good = ["ZRG-GGZ", "Wachttijd ggz", "Dagen tot de eerste afspraak.", "care", "days", "lower",
            "municipality", "quarter", "28", "56", "", "", "GGD"]  # fmt: skip
    unknown_domain = [*good[:3], "wonen", *good[4:]]
    wrong_way_round = [*good[:8], "56", "28", *good[10:]]
    norm_without_source = [*good[:10], "binnen 4 weken", "", good[12]]
    with pytest.raises(ImportRejected) as rejected:
        import_rows(spec, table(DEFINITION, good, unknown_domain, wrong_way_round, norm_without_source))
    assert errors(rejected) == {(3, "domain"), (4, "poor_threshold"), (5, "norm_source")}
    assert not Indicator.objects.filter(code="ZRG-GGZ").exists()

    import_rows(spec, table(DEFINITION, good))
    indicator = Indicator.objects.get(code="ZRG-GGZ")
    assert (indicator.domain.code, indicator.direction, str(indicator.good_threshold)) == (
        "care",
        "lower",
        "28.0000",
    )
    # An import changes the version, so an edit that started before it is refused (optimistic locking).
    version = indicator.version
    import_rows(spec, table(DEFINITION, [*good[:8], "21", *good[9:]]))
    indicator.refresh_from_db()
    assert indicator.good_threshold == 21 and indicator.version == version + 1


def test_definitions_export_and_import_again_unchanged(dataset):
    spec = get_spec("indicators")
    exported = tablib.Dataset().load(export(spec, "csv").decode("utf-8-sig"), format="csv")
    assert import_rows(spec, exported) == {"create": 0, "update": 0, "unchanged": 10}


def test_values_for_the_eleven_municipalities_import_with_their_source(dataset):
    codes = dict(Area.objects.filter(name__in=IJSSELLAND, kind="municipality").values_list("name", "code"))
    rows = [
        ["WRK-24-MAANDEN", codes[name], "", "2025-h1", 30 + n, "2025-06-30", "gemeente"]
        for n, name in enumerate(IJSSELLAND)
    ]
    counts = import_rows(get_spec("indicator-values"), table(VALUE, *rows))
    assert counts["create"] == 11
    stored = Value.objects.get(indicator__code="WRK-24-MAANDEN", area__code=codes["Zwolle"])
    assert (stored.period, stored.value, stored.source.name, stored.is_demo) == (
        "2025-H1",
        40,
        "gemeente",
        False,
    )
    # Exported and imported again: nothing changes.
    spec = get_spec("indicator-values")
    exported = tablib.Dataset().load(export(spec, "csv").decode("utf-8-sig"), format="csv")
    assert import_rows(spec, exported) == {"create": 0, "update": 0, "unchanged": 11}


def test_a_value_must_fit_its_indicator(dataset):
    location = Location.objects.select_related("municipality").first()
    rows = [
        [
            "WRK-24-MAANDEN",
            "VR04",
            "",
            "2025-H1",
            30,
            "",
            "gemeente",
        ],  # a region for a municipality indicator
        [
            "WRK-24-MAANDEN",
            "GM0193",
            "",
            "2025-Q1",
            30,
            "",
            "gemeente",
        ],  # a quarter for a half-year indicator
        ["WRK-24-MAANDEN", "GM0193", "", "2025-H1", -5, "", "gemeente"],  # a negative percentage
        ["OPV-BEZETTING", "GM0193", "", "2025-03", 95, "", "COA"],  # a location indicator without a location
        ["ONBEKEND", "GM0193", "", "2025-H1", 30, "", "gemeente"],  # no such indicator
        ["OPV-BEZETTING", location.municipality.code, location.name, "2025-03", 95, "", "COA"],  # good
    ]
    with pytest.raises(ImportRejected) as rejected:
        import_rows(get_spec("indicator-values"), table(VALUE, *rows))
    assert errors(rejected) == {
        (2, "area_code"),
        (3, "period"),
        (4, "value"),
        (5, "location"),
        (6, "indicator_code"),
    }
    assert not Value.objects.exists()

    import_rows(get_spec("indicator-values"), table(VALUE, rows[-1]))
    assert Value.objects.get().location == location


def test_targets_per_period_with_their_source(dataset):
    headers = ["indicator_code", "period", "value", "reference_date", "source"]
    import_rows(
        get_spec("indicator-targets"), table(headers, ["ZRG-HUISARTS", "2025-H2", 95, "", "regietafel"])
    )
    assert Target.objects.get().value == 95
    with pytest.raises(ImportRejected) as rejected:
        import_rows(get_spec("indicator-targets"), table(headers, ["ZRG-HUISARTS", "2025-13", 95, "", "x"]))
    assert errors(rejected) == {(2, "period")}


def test_the_domains_are_made_once_and_a_region_may_rename_or_add_one(dataset):
    Domain.objects.filter(code="guidance").update(name="Begeleiding")
    Domain.objects.create(code="housing_quality", name="Kwaliteit van huisvesting", position=6)
    assert ensure_domains() == 0
    assert Domain.objects.count() == 6 and Domain.objects.get(code="guidance").name == "Begeleiding"
