"""Indicators in the regional monitor report and in the council letter, as of the report's date."""

import datetime

from django.utils import translation

from regietafel.core.specs import get_spec
from regietafel.domain.targets import HalfYear
from regietafel.imports.services import import_rows
from regietafel.indicators.models import Indicator
from regietafel.regions.models import Area
from regietafel.reports import monitor
from regietafel.reports.letters import build_letter
from tests.indicators.test_tables import VALUE, table
from tests.support import IJSSELLAND


def values(period: str, start: int) -> None:
    codes = dict(Area.objects.filter(name__in=IJSSELLAND, kind="municipality").values_list("name", "code"))
    rows = [
        ["ZRG-HUISARTS", codes[name], "", period, start + 4 * n, "", "GGD IJsselland"]
        for n, name in enumerate(IJSSELLAND)
    ]
    import_rows(get_spec("indicator-values"), table(VALUE, *rows))


def test_the_monitor_counts_municipalities_per_status_as_of_its_date(demo):
    values("2025-H1", 60)  # 60, 64, ... 100
    values("2026-H1", 90)  # not begun yet on the report's date below
    Indicator.objects.filter(code="ZRG-HUISARTS").update(good_threshold=90, poor_threshold=70)
    with translation.override("en"):
        report = monitor.build(Area.objects.get(code="VR04"), datetime.date(2025, 12, 31))
    row = next(row for row in report.indicators if row.indicator.code == "ZRG-HUISARTS")
    assert row.with_value.value == 11
    assert (row.counts["good"].value, row.counts["attention"].value, row.counts["poor"].value) == (3, 5, 3)
    assert any(ref.source == "GGD IJsselland" for ref in row.with_value.refs)
    work = next(row for row in report.indicators if row.indicator.code == "WRK-24-MAANDEN")
    assert work.with_value.value == 0 and work.counts["unknown"].value == 11


def test_the_letter_lists_the_municipality_indicators_with_status_and_source(demo):
    values("2025-H1", 60)
    Indicator.objects.filter(code="ZRG-HUISARTS").update(good_threshold=90, poor_threshold=70)
    zwolle = Area.objects.get(name="Zwolle")  # the eleventh: 100
    with translation.override("en"):
        letter = build_letter(zwolle, HalfYear(2025, 2), datetime.date(2025, 12, 31))
    section = next(section for section in letter.sections if section.heading == "Quality and access")
    sentence, facts = section.blocks
    assert (
        "1 indicator has a value for Zwolle" in sentence
        and "1 good, 0 asking for attention, 0 poor" in sentence
    )
    fact = facts.facts[0]
    assert fact.label == "Statushouders ingeschreven bij een huisarts"
    assert fact.value == "100% (2025-H1), good" and fact.source
    assert any(ref.source == "GGD IJsselland" for ref in letter.sources)


def test_without_values_the_letter_says_so(dataset):
    with translation.override("en"):
        letter = build_letter(Area.objects.get(name="Zwolle"), HalfYear(2025, 2), datetime.date(2025, 12, 31))
    section = next(section for section in letter.sections if section.heading == "Quality and access")
    assert section.blocks[0].startswith("No values are known yet")
