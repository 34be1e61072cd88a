"""ReceptionLedger: as-of date, the task that applies, asylum, minors and Ukraine rows, and their sources."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from regietafel.core.figures import SourceRef
from regietafel.core.sources import cite
from regietafel.domain.targets import ScheduleStatus
from regietafel.housing.ledger import thresholds
from regietafel.reception.ledger import ReceptionLedger
from regietafel.reception.models import Location, Programme, ReceptionTask, ThirdCountryNationalCount
from regietafel.regions.models import Area

pytestmark = pytest.mark.django_db

ON = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2024, 1, 31)
AFTER = datetime.date(2025, 9, 1)

Kind = Location.Kind
Measure = ReceptionTask.Measure


@pytest.fixture(autouse=True)
def pinned_thresholds(settings):
    """The default thresholds (90% and 70%), whatever the environment says."""
    settings.REGIETAFEL_BEHIND_BELOW = Fraction(9, 10)
    settings.REGIETAFEL_FAR_BEHIND_BELOW = Fraction(7, 10)


@pytest.fixture
def region(db):
    """A small region with three municipalities, in a province, in the country."""
    country, _created = Area.objects.get_or_create(
        code="NL01", defaults={"name": "Nederland", "kind": Area.Kind.COUNTRY}
    )
    province = Area.objects.create(code="PV99", name="Testprovincie", kind=Area.Kind.PROVINCE, parent=country)
    region = Area.objects.create(code="VR99", name="Testregio", kind=Area.Kind.REGION, parent=province)
    for code, name in [("GM9901", "Aadorp"), ("GM9902", "Beekdorp"), ("GM9903", "Cedorp")]:
        Area.objects.create(code=code, name=name, kind=Area.Kind.MUNICIPALITY, parent=region)
    return region


@pytest.fixture
def aadorp(region):
    return Area.objects.get(code="GM9901")


@pytest.fixture
def beekdorp(region):
    return Area.objects.get(code="GM9902")


def location(municipality, name, capacity, kind=Kind.AZC, occupancy=None, **fields) -> Location:
    fields.setdefault("reference_date", BEFORE)
    return Location.objects.create(
        municipality=municipality,
        name=name,
        kind=kind,
        capacity=capacity,
        occupancy=occupancy,
        source=cite(f"COA locatie {name}", "H"),
        **fields,
    )


def task(area, measure, value, programme=Programme.ASYLUM, cycle=1, reference_date=BEFORE, source=None):
    return ReceptionTask.objects.create(
        area=area,
        programme=programme,
        measure=measure,
        cycle=cycle,
        value=Decimal(str(value)),
        reference_date=reference_date,
        source=cite(source or f"{measure} {value} ({reference_date})", "H"),
    )


def third_country(municipality, count, reference_date):
    return ThirdCountryNationalCount.objects.create(
        municipality=municipality,
        count=count,
        reference_date=reference_date,
        source=cite(f"Telling {reference_date}", "H"),
    )


def row_of(rows, municipality):
    (row,) = [row for row in rows if row.municipality == municipality]
    return row


def capacity_of(region, municipality, on=ON) -> int | None:
    return row_of(ReceptionLedger(region, on).asylum_rows(), municipality).capacity.value


# As-of date ----------------------------------------------------------------------------------------


def test_the_ledger_holds_the_municipalities_of_the_region_by_name(region):
    ledger = ReceptionLedger(region, ON)
    assert [m.name for m in ledger.municipalities] == ["Aadorp", "Beekdorp", "Cedorp"]


def test_a_location_that_opens_after_the_date_is_not_counted(aadorp, region):
    location(aadorp, "Lopend", 40, start_date=datetime.date(2024, 1, 1))
    location(aadorp, "Nieuw", 100, start_date=ON + datetime.timedelta(days=1))

    assert capacity_of(region, aadorp) == 40
    assert capacity_of(region, aadorp, on=AFTER) == 140


def test_a_location_that_closed_before_the_date_is_not_counted(aadorp, region):
    location(aadorp, "Lopend", 40)
    location(aadorp, "Gesloten", 50, start_date=BEFORE, end_date=ON - datetime.timedelta(days=1))

    assert capacity_of(region, aadorp) == 40
    assert capacity_of(region, aadorp, on=BEFORE) == 90


@pytest.mark.parametrize(
    "start, end",
    [(None, None), (BEFORE, None), (None, AFTER), (BEFORE, AFTER), (ON, ON)],
)
def test_a_location_running_on_the_date_is_counted(aadorp, region, start, end):
    location(aadorp, "Lopend", 40, start_date=start, end_date=end)

    ledger = ReceptionLedger(region, ON)

    assert [loc.name for loc in ledger.municipality_locations(aadorp)] == ["Lopend"]
    assert row_of(ledger.asylum_rows(), aadorp).capacity.value == 40


# The task that applies -----------------------------------------------------------------------------


def test_a_task_dated_after_the_date_is_ignored(aadorp, region):
    task(aadorp, Measure.INDICATIVE_PLACES, 200, reference_date=BEFORE)
    task(aadorp, Measure.INDICATIVE_PLACES, 250, reference_date=AFTER)

    figure = ReceptionLedger(region, ON).municipal_task(aadorp)

    assert figure.value == 200
    assert {ref.reference_date for ref in figure.refs} == {BEFORE}
    assert ReceptionLedger(region, AFTER).municipal_task(aadorp).value == 250


def test_the_latest_task_on_or_before_the_date_applies(aadorp, region):
    task(aadorp, Measure.INDICATIVE_PLACES, 200, reference_date=BEFORE)
    task(aadorp, Measure.INDICATIVE_PLACES, 220, reference_date=ON)
    task(aadorp, Measure.INDICATIVE_PLACES, 250, reference_date=AFTER)

    figure = ReceptionLedger(region, ON).municipal_task(aadorp)

    assert figure.value == 220
    assert figure.refs == {SourceRef("indicative_places 220 (2025-07-01)", ON)}


def test_a_municipality_without_a_task_has_an_unknown_task(aadorp, region):
    figure = ReceptionLedger(region, ON).municipal_task(aadorp)
    assert not figure.known
    assert figure.refs == frozenset()


def test_the_national_and_provincial_tasks_of_the_public_data_follow_the_date(dataset):
    vr04 = Area.objects.get(code="VR04")

    now = ReceptionLedger(vr04, ON)
    later = ReceptionLedger(vr04, datetime.date(2026, 3, 1))

    # The second cycle's national number is dated 1 February 2026.
    assert now.task("NL01", Programme.ASYLUM, Measure.NATIONAL_PLACES).value == 96000
    assert later.task("NL01", Programme.ASYLUM, Measure.NATIONAL_PLACES).value == 88000
    assert now.task("PV23", Programme.ASYLUM, Measure.PROVINCE_TASK).value == 6325
    assert now.task("VR04", Programme.UKRAINE, Measure.REGIONAL_TASK).value == 2000


# Agreed or indicative ------------------------------------------------------------------------------


def test_agreed_places_take_precedence_over_indicative_places(aadorp, region):
    task(aadorp, Measure.INDICATIVE_PLACES, 200, source="COA indicatief")
    task(aadorp, Measure.AGREED_PLACES, 180, source="Regietafel besluit")

    ledger = ReceptionLedger(region, ON)
    figure = ledger.municipal_task(aadorp)
    row = row_of(ledger.asylum_rows(), aadorp)

    assert figure.value == 180
    assert {ref.source for ref in figure.refs} == {"Regietafel besluit"}
    assert row.task.value == 180
    assert row.agreed is True


def test_an_indicative_task_of_a_later_cycle_overrides_the_agreed_places(aadorp, region):
    task(aadorp, Measure.AGREED_PLACES, 180, cycle=1, source="Regietafel besluit")
    task(aadorp, Measure.INDICATIVE_PLACES, 150, cycle=2, source="COA tweede cyclus")

    ledger = ReceptionLedger(region, ON)
    figure = ledger.municipal_task(aadorp)

    assert figure.value == 150
    assert {ref.source for ref in figure.refs} == {"COA tweede cyclus"}
    assert row_of(ledger.asylum_rows(), aadorp).agreed is False


def test_agreed_places_dated_after_the_date_do_not_apply_yet(aadorp, region):
    task(aadorp, Measure.INDICATIVE_PLACES, 200)
    task(aadorp, Measure.AGREED_PLACES, 180, reference_date=AFTER)

    assert ReceptionLedger(region, ON).municipal_task(aadorp).value == 200
    assert ReceptionLedger(region, AFTER).municipal_task(aadorp).value == 180


def test_the_ukraine_task_is_the_agreed_places_and_otherwise_unknown(aadorp, beekdorp, region):
    task(aadorp, Measure.AGREED_PLACES, 120, programme=Programme.UKRAINE, cycle=None)
    task(beekdorp, Measure.INDICATIVE_PLACES, 90, programme=Programme.UKRAINE, cycle=None)

    ledger = ReceptionLedger(region, ON)

    assert ledger.municipal_task(aadorp, Programme.UKRAINE).value == 120
    assert not ledger.municipal_task(beekdorp, Programme.UKRAINE).known


# Asylum rows ---------------------------------------------------------------------------------------


def test_asylum_capacity_sums_the_asylum_locations_only(aadorp, region):
    location(aadorp, "Azc", 100, occupancy=90)
    location(aadorp, "Sporthal", 50, kind=Kind.EMERGENCY, occupancy=45)
    location(aadorp, "Paviljoen", 20, kind=Kind.CRISIS_EMERGENCY, occupancy=20)
    location(aadorp, "Amv-huis", 10, kind=Kind.MINORS_SMALL_SCALE, occupancy=8)
    location(aadorp, "Oekraine", 300, kind=Kind.MUNICIPAL_UKRAINE, occupancy=250)
    task(aadorp, Measure.INDICATIVE_PLACES, 200)

    row = row_of(ReceptionLedger(region, ON).asylum_rows(), aadorp)

    assert row.capacity.value == 180
    assert row.occupancy.value == 163
    assert row.extra.value == 10
    # 180 / 200 = 90%: on schedule from 90%.
    assert row.share.value == pytest.approx(0.9)
    assert row.status == ScheduleStatus.ON_SCHEDULE


@pytest.mark.parametrize(
    "capacity, status",
    [
        (250, ScheduleStatus.ON_SCHEDULE),
        (180, ScheduleStatus.ON_SCHEDULE),
        (179, ScheduleStatus.BEHIND),
        (141, ScheduleStatus.BEHIND),
        (139, ScheduleStatus.FAR_BEHIND),
        (0, ScheduleStatus.FAR_BEHIND),
    ],
)
def test_the_asylum_status_compares_capacity_with_the_task(aadorp, region, capacity, status):
    assert (thresholds().behind_below, thresholds().far_behind_below) == (Fraction(9, 10), Fraction(7, 10))
    location(aadorp, "Azc", capacity)
    task(aadorp, Measure.INDICATIVE_PLACES, 200)

    row = row_of(ReceptionLedger(region, ON).asylum_rows(), aadorp)

    assert row.share.value == pytest.approx(capacity / 200)
    assert row.status == status


def test_the_asylum_status_follows_the_configured_thresholds(aadorp, region, settings):
    settings.REGIETAFEL_BEHIND_BELOW = Fraction(1, 2)
    settings.REGIETAFEL_FAR_BEHIND_BELOW = Fraction(1, 4)
    location(aadorp, "Azc", 60)
    task(aadorp, Measure.INDICATIVE_PLACES, 200)

    # 30%: far behind under 70%, only behind once the limits are 50% and 25%.
    assert row_of(ReceptionLedger(region, ON).asylum_rows(), aadorp).status == ScheduleStatus.BEHIND


def test_exactly_seventy_percent_is_behind_not_far_behind(aadorp, region):
    location(aadorp, "Azc", 7)
    task(aadorp, Measure.INDICATIVE_PLACES, 10)

    assert row_of(ReceptionLedger(region, ON).asylum_rows(), aadorp).status == ScheduleStatus.BEHIND


def test_without_a_task_share_and_status_are_unknown(aadorp, region):
    location(aadorp, "Azc", 100)

    row = row_of(ReceptionLedger(region, ON).asylum_rows(), aadorp)

    assert row.capacity.value == 100
    assert not row.task.known
    assert not row.share.known
    assert row.status is None


def test_a_task_of_zero_places_gives_no_share(aadorp, region):
    location(aadorp, "Azc", 100)
    task(aadorp, Measure.INDICATIVE_PLACES, 0)

    row = row_of(ReceptionLedger(region, ON).asylum_rows(), aadorp)

    assert row.task.value == 0
    assert not row.share.known
    assert row.status is None


def test_a_municipality_with_locations_but_none_for_minors_has_zero_minor_places(aadorp, beekdorp, region):
    location(aadorp, "Azc", 100)
    location(aadorp, "Sporthal", 50, kind=Kind.EMERGENCY)

    rows = ReceptionLedger(region, ON).asylum_rows()
    with_locations, without = row_of(rows, aadorp), row_of(rows, beekdorp)

    assert with_locations.extra.value == 0
    assert with_locations.extra.refs == {
        SourceRef("COA locatie Azc", BEFORE),
        SourceRef("COA locatie Sporthal", BEFORE),
    }
    assert not without.extra.known
    assert not without.capacity.known


def test_occupancy_is_unknown_when_one_location_does_not_report_it(aadorp, region):
    location(aadorp, "Azc", 100, occupancy=90)
    location(aadorp, "Sporthal", 50, kind=Kind.EMERGENCY, occupancy=None)

    row = row_of(ReceptionLedger(region, ON).asylum_rows(), aadorp)

    assert row.capacity.value == 150
    assert not row.occupancy.known


# Minors --------------------------------------------------------------------------------------------


def test_the_minor_places_task_is_the_indicative_places_times_the_national_share_rounded_up(dataset):
    vr04 = Area.objects.get(code="VR04")
    ledger = ReceptionLedger(vr04, ON)
    raalte, zwolle = Area.objects.get(code="GM0177"), Area.objects.get(code="GM0193")

    raalte_task = ledger.minor_places_task(raalte)

    # 233 * 0.085 = 19.8 -> 20; 717 * 0.085 = 60.9 -> 61.
    assert raalte_task.value == 20
    assert ledger.minor_places_task(zwolle).value == 61
    assert {ref.source for ref in raalte_task.refs} == {
        "Gemeente Raalte, 'Gemeente Raalte roept samenleving op om mee te denken over opvang van asielzoekers' (16 mei 2024)",
        "COA, 'Provinciale en gemeentelijke verdeling van opvangplekken' (coa.nl)",
    }


def test_the_minor_places_task_of_a_small_region(aadorp, region):
    nl = Area.objects.get(code="NL01")
    task(aadorp, Measure.INDICATIVE_PLACES, 100)
    task(nl, Measure.MINOR_SHARE, "0.085")

    ledger = ReceptionLedger(region, ON)
    row = row_of(ledger.minors_rows(), aadorp)

    # 100 * 0.085 = 8.5 -> 9; no small-scale location: capacity unknown.
    assert ledger.minor_places_task(aadorp).value == 9
    assert row.task.value == 9
    assert not row.capacity.known
    assert row.status is None


def test_the_minor_places_task_is_unknown_without_the_national_share(aadorp, region):
    task(aadorp, Measure.INDICATIVE_PLACES, 100)
    assert not ReceptionLedger(region, ON).minor_places_task(aadorp).known


def test_agreed_minor_places_of_the_agreed_cycle_take_precedence(aadorp, region):
    nl = Area.objects.get(code="NL01")
    task(aadorp, Measure.INDICATIVE_PLACES, 100)
    task(nl, Measure.MINOR_SHARE, "0.085")
    task(aadorp, Measure.AGREED_PLACES, 120)
    task(aadorp, Measure.AGREED_MINOR_PLACES, 15, source="Regietafel amv-besluit")
    location(aadorp, "Amv-huis", 12, kind=Kind.MINORS_SMALL_SCALE, occupancy=10)

    ledger = ReceptionLedger(region, ON)
    row = row_of(ledger.minors_rows(), aadorp)

    assert row.task.value == 15
    assert {ref.source for ref in row.task.refs} == {"Regietafel amv-besluit"}
    assert (row.capacity.value, row.occupancy.value) == (12, 10)
    # 12 / 15 = 80%: behind.
    assert row.status == ScheduleStatus.BEHIND


# Ukraine -------------------------------------------------------------------------------------------


def test_the_latest_third_country_count_on_or_before_the_date_applies(aadorp, beekdorp, region):
    third_country(aadorp, 1, BEFORE)
    third_country(aadorp, 4, ON)
    third_country(aadorp, 9, AFTER)
    third_country(beekdorp, 3, AFTER)

    rows = ReceptionLedger(region, ON).ukraine_rows()
    aadorp_count, beekdorp_count = row_of(rows, aadorp).extra, row_of(rows, beekdorp).extra

    assert aadorp_count.value == 4
    assert aadorp_count.refs == {SourceRef("Telling 2025-07-01", ON)}
    assert not beekdorp_count.known


def test_ukraine_rows_count_municipal_reception_only(aadorp, region):
    location(aadorp, "Goo", 120, kind=Kind.MUNICIPAL_UKRAINE, occupancy=100)
    location(aadorp, "Azc", 300)
    task(aadorp, Measure.AGREED_PLACES, 150, programme=Programme.UKRAINE, cycle=None)

    row = row_of(ReceptionLedger(region, ON).ukraine_rows(), aadorp)

    assert (row.capacity.value, row.occupancy.value, row.task.value) == (120, 100, 150)
    assert row.share.value == pytest.approx(0.8)
    assert row.status is None


def test_raalte_ukraine_row_in_the_public_data(dataset):
    raalte = Area.objects.get(code="GM0177")
    row = row_of(ReceptionLedger(Area.objects.get(code="VR04"), ON).ukraine_rows(), raalte)

    assert row.capacity.value == 265
    assert row.extra.value == 1
    assert not row.task.known
    assert not row.share.known


# Sources -------------------------------------------------------------------------------------------


def test_the_capacity_cites_every_location_it_sums(aadorp, region):
    location(aadorp, "Azc", 100, reference_date=datetime.date(2025, 1, 1))
    location(aadorp, "Sporthal", 50, kind=Kind.EMERGENCY, reference_date=datetime.date(2025, 2, 1))
    location(aadorp, "Amv-huis", 10, kind=Kind.MINORS_SMALL_SCALE, is_demo=True)
    location(aadorp, "Goo", 300, kind=Kind.MUNICIPAL_UKRAINE)
    task(aadorp, Measure.INDICATIVE_PLACES, 200, source="COA indicatief")

    row = row_of(ReceptionLedger(region, ON).asylum_rows(), aadorp)

    locations = {
        SourceRef("COA locatie Azc", datetime.date(2025, 1, 1)),
        SourceRef("COA locatie Sporthal", datetime.date(2025, 2, 1)),
        SourceRef("COA locatie Amv-huis", BEFORE, is_demo=True),
    }
    assert row.capacity.value == 160
    assert row.capacity.refs == locations
    assert row.capacity.is_demo is True
    # The share is made from the capacity and the task: it cites both.
    assert row.share.refs == locations | {SourceRef("COA indicatief", BEFORE)}
    assert row.task.is_demo is False
