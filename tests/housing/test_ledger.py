"""HousingLedger: statutory targets, revisions, carry-over and the demo flag of every figure."""

import datetime

import pytest
from django.db.models import Sum

from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.domain.targets import HalfYear, ScheduleStatus
from regietafel.housing.ledger import HousingLedger, half_year_span
from regietafel.housing.models import HousingRealisation, OpeningBalance, ReportedTarget
from regietafel.imports.services import import_rows
from regietafel.regions.models import Area
from tests.support import IJSSELLAND

H2024_1 = HalfYear(2024, 1)
H2025_1 = HalfYear(2025, 1)
H2025_2 = HalfYear(2025, 2)


@pytest.fixture
def region(db):
    return Area.objects.get(code="VR04")


@pytest.fixture
def raalte(db):
    return Area.objects.get(code="GM0177")


def ledger_of(region) -> HousingLedger:
    return HousingLedger(region)


def test_ledger_holds_the_eleven_municipalities_of_the_region(dataset, region):
    ledger = ledger_of(region)
    assert [m.name for m in ledger.municipalities] == IJSSELLAND


def test_statutory_target_raalte_2025_h2(dataset, region, raalte):
    statutory, population = ledger_of(region).statutory(raalte, H2025_2)

    # 13000 * 38364 / 17942942 = 27.8, rounded up (art. 29 lid 1).
    assert statutory.value == 28
    assert population.value == 38364
    sources = {ref.source for ref in statutory.refs}
    assert sources == {
        "Gemeente.nu, 'Faber verwacht dat achterstand bij huisvesten statushouders oploopt' (april 2025)",
        "CBS StatLine 85984NED",
    }


def test_statutory_target_raalte_2024_h1_uses_the_population_of_1_january_2023(dataset, region, raalte):
    statutory, population = ledger_of(region).statutory(raalte, H2024_1)

    assert statutory.value == 41
    assert population.value == 38498
    assert {ref.reference_date for ref in population.refs} == {datetime.date(2023, 1, 1)}


def test_the_statutory_target_is_computed_not_taken_from_the_published_one(dataset, region, raalte):
    ReportedTarget.objects.filter(municipality=raalte, period="2024-H1").update(target=99)
    statutory, _population = ledger_of(region).statutory(raalte, H2024_1)
    assert statutory.value == 41


def test_a_published_target_stands_in_without_population(dataset, region, raalte):
    # Raalte has no population on 1 January 2023 once that figure is gone; its published 41 stands in.
    raalte.populations.filter(reference_date=datetime.date(2023, 1, 1)).delete()
    ReportedTarget.objects.filter(municipality=raalte, period="2024-H1").update(target=40)

    statutory, population = ledger_of(region).statutory(raalte, H2024_1)

    assert statutory.value == 40
    assert not population.known
    assert {ref.source for ref in statutory.refs} == {
        "Gemeente Raalte, 'Tijdelijke huisvesting statushouders op Park Den Alerdinck' (raalte.nl)"
    }


def test_the_latest_revision_of_the_national_number_applies(dataset, region, raalte):
    ledger = ledger_of(region)

    assert ledger.national_target(H2025_1).value == 15000
    assert [t.headline for t in ledger.national_history["2025-H1"]] == [17700, 15000]
    # 15000 * 38364 / 17942942 = 32.07 -> 33; with 17700 it would be 38.
    assert ledger.statutory(raalte, H2025_1)[0].value == 33
    assert ledger.national_target(HalfYear(2023, 2)).value == 17600


def test_region_statutory_total_2025_h2(dataset, region):
    ledger = ledger_of(region)
    values = {m.code: ledger.statutory(m, H2025_2)[0].value for m in ledger.municipalities}
    assert values["GM0193"] == 97
    assert sum(values.values()) == 400


def test_unknown_national_number_gives_an_unknown_target(dataset, region, raalte):
    statutory, _population = ledger_of(region).statutory(raalte, HalfYear(2030, 1))
    assert not statutory.known


def test_half_years_run_from_2019_to_the_current_one_with_or_without_a_national_number(dataset, region):
    ledger = ledger_of(region)
    today = datetime.date.today()
    offered = ledger.half_years()
    assert offered[0] == HalfYear(2019, 1)
    assert offered[-1] == HalfYear.containing(today)
    assert all(later == earlier.next() for earlier, later in zip(offered, offered[1:], strict=False))
    # 2024-H2 has no national number in the data set, and is offered all the same.
    assert HalfYear(2024, 2) in offered and HalfYear(2024, 2) not in ledger.announced_half_years()
    assert [str(h) for h in half_year_span([HalfYear(2027, 1)], datetime.date(2025, 3, 1))][-3:] == [
        "2026-H1",
        "2026-H2",
        "2027-H1",
    ]


def test_the_default_half_year_is_the_latest_with_a_national_number_up_to_the_day(dataset, region):
    ledger = ledger_of(region)
    assert ledger.default_half_year(datetime.date(2025, 3, 15)) == H2025_1
    assert ledger.default_half_year(datetime.date(2027, 1, 1)) == H2025_2
    assert ledger.default_half_year(datetime.date(2021, 1, 1)) == HalfYear(2021, 1)
    assert ledger.default_half_year(datetime.date(2018, 1, 1)) is None


# Carry-over ----------------------------------------------------------------------------------------


def housed_in(municipality, half_year) -> int:
    return HousingRealisation.objects.filter(
        municipality=municipality, month__gte=half_year.start, month__lte=half_year.end
    ).aggregate(total=Sum("housed"))["total"]


def test_carry_over_rolls_into_the_next_half_year(demo, region):
    ledger = ledger_of(region)
    assert ledger.position_date(H2025_2) == datetime.date(2026, 1, 1)
    for municipality in ledger.municipalities:
        first = ledger.row(municipality, H2025_1)
        second = ledger.row(municipality, H2025_2)
        opening = OpeningBalance.objects.get(municipality=municipality, half_year="2025-H1")

        assert first.carry_over.value == opening.balance
        assert first.corrected.value == first.carry_over.value + first.target.value
        assert first.housed.value == housed_in(municipality, H2025_1)
        closing = first.corrected.value - first.housed.value
        assert second.carry_over.value == closing, municipality.name
        assert second.corrected.value == second.carry_over.value + second.target.value
        assert second.remaining.value == max(second.corrected.value - second.housed.value, 0)


def test_a_municipality_without_opening_balance_has_unknown_carry_over(demo, region, raalte):
    OpeningBalance.objects.filter(municipality=raalte).delete()
    ledger = ledger_of(region)

    row = ledger.row(raalte, H2025_2)
    other = ledger.row(Area.objects.get(code="GM0193"), H2025_2)

    assert not row.carry_over.known
    assert not row.corrected.known
    assert not row.missed.known
    assert row.target.value == 28
    assert row.remaining.value == max(28 - row.housed.value, 0)
    assert other.carry_over.known


def test_without_demo_data_carry_over_and_housed_are_unknown(dataset, region):
    ledger = ledger_of(region)
    for row in ledger.rows(H2025_2):
        assert row.statutory.known
        assert not row.carry_over.known
        assert not row.housed.known
        assert row.status is None


def test_demo_figures_are_marked_and_sourced_ones_are_not(demo, region, raalte):
    row = ledger_of(region).row(raalte, H2025_2)

    assert row.housed.is_demo is True
    assert row.housed_minors.is_demo is True
    assert row.carry_over.is_demo is True
    assert row.corrected.is_demo is True
    assert row.statutory.is_demo is False
    assert row.population.is_demo is False
    assert row.target.is_demo is False


def test_dataset_figures_are_not_demo(dataset, region, raalte):
    row = ledger_of(region).row(raalte, H2025_2)
    assert row.statutory.known
    assert row.statutory.is_demo is False
    assert row.population.is_demo is False


def _import(kind, text):
    return import_rows(get_spec(kind), read_table(text.encode(), f"{kind}.csv"))


def test_a_fully_sourced_chain(dataset, region, raalte):
    _import(
        "opening-balances",
        "municipality_code,half_year,balance,source\nGM0177,2025-H1,5,COA\n",
    )
    months = "\n".join(f"GM0177,2025-0{month},5,0,COA" for month in range(1, 7))
    _import(
        "realisation",
        "municipality_code,month,housed,housed_minors,source\n"
        + months
        + "\nGM0177,2025-07,6,1,COA\nGM0177,2025-08,4,0,COA\n",
    )
    ledger = ledger_of(region)

    first = ledger.row(raalte, H2025_1)
    second = ledger.row(raalte, H2025_2)

    # 2025-H1: 5 carried over + 33 = 38, housed 30, closing 8.
    assert (first.carry_over.value, first.corrected.value, first.housed.value) == (5, 38, 30)
    # 2025-H2: 8 + 28 = 36; two months reported (position on 1 September): 10 housed.
    assert ledger.position_date(H2025_2) == datetime.date(2025, 9, 1)
    assert (second.carry_over.value, second.corrected.value, second.housed.value) == (8, 36, 10)
    assert second.housed_minors.value == 1
    assert second.remaining.value == 26
    # Norm after 2 of 6 months: 36 * 2 / 6 = 12; 10 / 12 = 83% -> behind (below 90%, from 70%).
    assert second.norm_share.value * 100 == pytest.approx(83.33, abs=0.01)
    assert second.status == ScheduleStatus.BEHIND
    assert not any(
        figure.is_demo for figure in (second.carry_over, second.corrected, second.housed, second.norm_share)
    )
    # The other municipalities report nothing: their chain stops.
    assert not ledger.row(Area.objects.get(code="GM0193"), H2025_2).carry_over.known


def test_the_ledger_uses_a_fixed_number_of_queries(demo, region, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        ledger = HousingLedger(region)
        for half_year in ledger.half_years():
            ledger.rows(half_year)
