"""Carry-over runs on into a half-year without realisation yet, and stops, with its reason, at a real gap."""

import datetime

from django.utils.translation import override

from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import NationalTarget, OpeningBalance
from regietafel.regions.models import Area, PopulationFigure


def raalte_row(half_year: HalfYear):
    ledger = HousingLedger(Area.objects.get(code="VR04"))
    return ledger, ledger.row(Area.objects.get(code="GM0177"), half_year)


def test_a_new_half_year_starts_from_the_previous_closing_balance(demo):
    NationalTarget.objects.create(
        half_year="2026-H1",
        revision=0,
        headline=12000,
        source=cite("test", "H"),
        reference_date=datetime.date(2025, 9, 1),
    )
    for code, population in (("GM0177", 38400), ("NL01", 18000000)):
        PopulationFigure.objects.create(
            area=Area.objects.get(code=code),
            reference_date=datetime.date(2025, 1, 1),
            population=population,
            source=cite("test", "H"),
        )
    _, previous = raalte_row(HalfYear(2025, 2))
    _, row = raalte_row(HalfYear(2026, 1))
    closing = previous.corrected.value - previous.housed.value
    assert row.carry_over.value == closing
    assert row.target.value == 26  # 12000 * 38400 / 18000000 = 25.6, rounded up
    assert row.corrected.value == closing + 26
    assert not row.housed.known


def test_a_missing_target_on_the_way_names_the_half_year(demo):
    OpeningBalance.objects.filter(municipality__code="GM0177").update(half_year="2024-H2")
    with override("en"):
        _, row = raalte_row(HalfYear(2025, 1))
    assert not row.carry_over.known
    assert row.carry_over.note == "No target known for 2024-H2."


def test_without_an_opening_balance_the_carry_over_is_unknown(dataset):
    with override("en"):
        _, row = raalte_row(HalfYear(2025, 2))
    assert row.carry_over.note == "No opening balance known."
    assert row.statutory.value == 28
