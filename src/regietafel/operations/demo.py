"""Generated demo figures for what is not public: monthly realisation, locations, occupancy.

Every record written here has is_demo=True and a source that says it was generated, so the UI labels it
"voorbeelddata" and it never passes as a sourced figure. Where a sourced figure exists (Raalte's GOO
places, its third-country nationals), no demo figure is generated beside it.
"""

import datetime
import random

from django.db import transaction

from regietafel.core.figures import DEMO_REFERENCE_DATE, DEMO_SOURCE
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation, OpeningBalance
from regietafel.reception.models import Location, ThirdCountryNationalCount
from regietafel.regions.models import Area

FIRST_HALF_YEAR = HalfYear(2025, 1)
LAST_HALF_YEAR = HalfYear(2025, 2)


def remove_demo() -> int:
    removed = 0
    for model in (HousingRealisation, OpeningBalance, Location, ThirdCountryNationalCount):
        removed += model.objects.filter(is_demo=True).delete()[0]
    return removed


@transaction.atomic
def load_demo(region_code: str = "VR04", seed: int = 2025) -> dict[str, int]:
    """Replace the demo figures of a region by freshly generated ones (same seed, same figures)."""
    remove_demo()
    rng = random.Random(seed)
    region = Area.objects.get(code=region_code)
    ledger = HousingLedger(region)
    source = DEMO_SOURCE.format(seed=seed)
    demo = {"source": source, "reference_date": DEMO_REFERENCE_DATE, "is_demo": True, "confidence": "L"}
    sourced_goo = set(
        Location.objects.filter(kind=Location.Kind.MUNICIPAL_UKRAINE, is_demo=False).values_list(
            "municipality_id", flat=True
        )
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
        half_year = FIRST_HALF_YEAR
        while half_year <= LAST_HALF_YEAR:
            target = ledger.target(municipality, half_year)
            monthly = (target.value if target.known else base) / 6 * pace
            for month in half_year.months():
                housed = max(0, round(rng.gauss(monthly, max(monthly * 0.4, 0.5))))
                minors = sum(1 for _ in range(housed) if rng.random() < 0.06)
                realisations.append(
                    HousingRealisation(
                        municipality=municipality, month=month, housed=housed, housed_minors=minors, **demo
                    )
                )
            half_year = half_year.next()
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
                    start_date=datetime.date(2024, rng.randint(1, 12), 1),
                    **demo,
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
                    start_date=datetime.date(2024, rng.randint(1, 12), 1),
                    **demo,
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
                    start_date=datetime.date(2022, rng.randint(3, 12), 1),
                    **demo,
                )
            )
        if municipality.pk not in sourced_tcn:
            counts.append(
                ThirdCountryNationalCount(municipality=municipality, count=rng.randint(0, 4), **demo)
            )
    OpeningBalance.objects.bulk_create(balances)
    HousingRealisation.objects.bulk_create(realisations)
    Location.objects.bulk_create(locations)
    ThirdCountryNationalCount.objects.bulk_create(counts)
    return {
        "beginsaldi": len(balances),
        "maandcijfers huisvesting": len(realisations),
        "locaties": len(locations),
        "tellingen derdelanders": len(counts),
    }
