"""Generated demo figures for what is not public: monthly realisation, locations, occupancy.

Every record written here has is_demo=True and a source that says it was generated, so the UI marks it "demo"
and it never passes as a sourced figure. Where a sourced figure exists (Raalte's GOO places, its third-country
nationals), no demo figure is generated beside it.

The demo tells one story relative to the day it is loaded: monthly realisation runs from 2025 up to the last
complete month (dated the first of the month it is loaded in); a location is observed at its opening and again in
the month the demo is loaded. A half-year the realisation runs into without a public national number
gets a demo national number (the latest public one) and, where the population it needs is not public, a demo
population (the latest public one), so that the current half-year has targets and a forecast, all marked demo.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from regietafel.core.figures import DEMO_SOURCE
from regietafel.core.models import Confidence
from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation, NationalTarget, OpeningBalance
from regietafel.reception.models import Location, ThirdCountryNationalCount
from regietafel.regions.models import NATIONAL_CODE, Area, PopulationFigure

FIRST_HALF_YEAR = HalfYear(2025, 1)
# The Minister publishes a half-year's number at least 13 weeks before it starts (Huisvestingswet 2014 art. 29).
ANNOUNCED_AHEAD = datetime.timedelta(weeks=13)
MODELS = (
    HousingRealisation,
    OpeningBalance,
    Location,
    ThirdCountryNationalCount,
    NationalTarget,
    PopulationFigure,
)


def remove_demo() -> int:
    removed = 0
    for model in MODELS:
        removed += model.objects.filter(is_demo=True).delete()[0]
    return removed


def _months(today: datetime.date) -> list[datetime.date]:
    """Every month from the first demo half-year up to the last complete one before ``today``."""
    months, month = [], FIRST_HALF_YEAR.start
    while month < today.replace(day=1):
        months.append(month)
        month = (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return months


def _statutory_inputs(region: Area, months: list[datetime.date], demo: dict) -> tuple[int, int]:
    """Demo national numbers and populations for the half-years the realisation runs into where the public ones
    are missing: the latest public number and population, marked demo (never in place of a public figure)."""
    national = list(NationalTarget.objects.filter(is_demo=False).order_by("half_year", "revision"))
    if not national or not months:
        return 0, 0
    latest = national[-1]
    announced = {target.half_year for target in national}
    half_years = sorted({HalfYear.containing(month) for month in months})
    targets = [
        NationalTarget(
            half_year=str(half_year),
            revision=0,
            headline=latest.number,
            note=f"Demo: het landelijke aantal voor {half_year} is niet openbaar; hier het aantal van {latest.half_year}",
            **{**demo, "reference_date": half_year.start - ANNOUNCED_AHEAD},
        )
        for half_year in half_years
        if str(half_year) not in announced
    ]
    codes = [area.code for area in Area.objects.in_region(region)] + [NATIONAL_CODE]
    figures = list(
        PopulationFigure.objects.filter(area__code__in=codes, is_demo=False).select_related("area")
    )
    populations = []
    for day in sorted({half_year.population_reference_date() for half_year in half_years}):
        for code in codes:
            known = sorted((f for f in figures if f.area.code == code), key=lambda f: f.reference_date)
            if known and all(figure.reference_date != day for figure in known):
                populations.append(
                    PopulationFigure(
                        area=known[-1].area,
                        reference_date=day,
                        population=known[-1].population,
                        **{key: value for key, value in demo.items() if key != "reference_date"},
                    )
                )
    NationalTarget.objects.bulk_create(targets)
    PopulationFigure.objects.bulk_create(populations)
    return len(targets), len(populations)


def _opened(start: datetime.date, demo: dict) -> dict:
    """A demo location's fields: it opened on ``start`` and its figures are known from then on."""
    return {**demo, "start_date": start, "reference_date": start}


@transaction.atomic
def load_demo(
    region_code: str = "VR04", seed: int = 2025, today: datetime.date | None = None
) -> dict[str, int]:
    """Replace the demo figures of a region by freshly generated ones (same seed and day, same figures)."""
    remove_demo()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    region = Area.objects.get(code=region_code)
    source = DEMO_SOURCE.format(seed=seed)
    demo = {"source": cite(source, Confidence.LOW), "reference_date": today.replace(day=1), "is_demo": True}
    months = _months(today)
    national, populations = _statutory_inputs(region, months, demo)
    ledger = HousingLedger(region)
    sourced_goo = set(
        Location.objects.filter(kind=Location.Kind.MUNICIPAL_UKRAINE, is_demo=False).values_list(
            "municipality_id", flat=True
        )
    )
    sourced_months = set(
        HousingRealisation.objects.filter(is_demo=False).values_list("municipality_id", "month")
    )
    sourced_tcn = set(
        ThirdCountryNationalCount.objects.filter(is_demo=False).values_list("municipality_id", flat=True)
    )
    balances, realisations, locations, counts = [], [], [], []
    for municipality in ledger.municipalities:
        # A steady "pace" per municipality makes some ahead and some behind, as in real regions.
        pace = rng.uniform(0.55, 1.2)
        first_target = ledger.target(municipality, FIRST_HALF_YEAR)
        base = first_target.value if first_target.known else 10
        balances.append(
            OpeningBalance(
                municipality=municipality,
                half_year=str(FIRST_HALF_YEAR),
                balance=round(base * rng.uniform(-0.2, 0.6)),
                **demo,
            )
        )
        for month in months:
            target = ledger.target(municipality, HalfYear.containing(month))
            monthly = (target.value if target.known else base) / 6 * pace
            housed = max(0, round(rng.gauss(monthly, max(monthly * 0.4, 0.5))))
            minors = sum(1 for _ in range(housed) if rng.random() < 0.06)
            if (municipality.pk, month) in sourced_months:
                continue  # a real figure for the month stands; no demo figure beside it
            realisations.append(
                HousingRealisation(
                    municipality=municipality, month=month, housed=housed, housed_minors=minors, **demo
                )
            )
        population = ledger.population(municipality.code, datetime.date(2024, 1, 1)).value or 20000
        places = round(population * rng.uniform(0.004, 0.008))
        if rng.random() < 0.7:
            kind = (
                Location.Kind.AZC
                if population > 50000
                else rng.choice([Location.Kind.AZC, Location.Kind.EMERGENCY])
            )
            locations.append(
                Location(
                    municipality=municipality,
                    name=f"Voorbeeldlocatie {kind} {municipality.name}",
                    kind=kind,
                    capacity=places,
                    occupancy=round(places * rng.uniform(0.75, 1.0)),
                    **_opened(datetime.date(2024, rng.randint(1, 12), 1), demo),
                )
            )
        if rng.random() < 0.5:
            capacity = rng.choice([8, 12, 16, 24])
            locations.append(
                Location(
                    municipality=municipality,
                    name=f"Voorbeeldlocatie AMV {municipality.name}",
                    kind=Location.Kind.MINORS_SMALL_SCALE,
                    capacity=capacity,
                    occupancy=rng.randint(capacity // 2, capacity),
                    **_opened(datetime.date(2024, rng.randint(1, 12), 1), demo),
                )
            )
        if municipality.pk not in sourced_goo:
            capacity = round(population * rng.uniform(0.004, 0.009))
            locations.append(
                Location(
                    municipality=municipality,
                    name=f"Voorbeeldlocatie GOO {municipality.name}",
                    kind=Location.Kind.MUNICIPAL_UKRAINE,
                    capacity=capacity,
                    occupancy=round(capacity * rng.uniform(0.7, 0.98)),
                    **_opened(datetime.date(2022, rng.randint(3, 12), 1), demo),
                )
            )
        if municipality.pk not in sourced_tcn:
            counts.append(
                ThirdCountryNationalCount(municipality=municipality, count=rng.randint(0, 4), **demo)
            )
    OpeningBalance.objects.bulk_create(balances)
    HousingRealisation.objects.bulk_create(realisations)
    # Each demo location is observed at its opening and again this month (its current occupancy), from a generator of
    # its own so that the figures above do not depend on how many observations there are.
    now = random.Random(seed + 1)
    for location in Location.objects.bulk_create(locations):
        location.observe()
        location.occupancy = min(location.capacity, round(location.capacity * now.uniform(0.7, 1.0)))
        location.reference_date = demo["reference_date"]
        location.save()
    ThirdCountryNationalCount.objects.bulk_create(counts)
    return {
        "landelijke aantallen (demo, niet openbaar)": national,
        "inwonertallen (demo, niet openbaar)": populations,
        "beginsaldi": len(balances),
        "maandcijfers huisvesting": len(realisations),
        "locaties": len(locations),
        "tellingen derdelanders": len(counts),
    }
