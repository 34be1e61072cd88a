"""A generated national data set for the benchmarks: 342 municipalities in one region, 8 half-years of figures.

Everything here is generated (``is_demo``, source "gegenereerd voor make bench") and lives only in the benchmark's
scratch database, beside the embedded IJsselland data set, whose national numbers and national population it uses:
the generated populations add up to roughly the real national one, so the statutory targets come out at a
realistic size. Per municipality: a population on 1 January of 2021-2024, an opening balance for 2022-H1 and a
monthly realisation for every month of 2022-2025 (342 x 48 = 16,416 rows).
"""

import datetime
import random

from django.db import transaction

from regietafel.core.sources import cite
from regietafel.housing.models import HousingRealisation, OpeningBalance
from regietafel.regions.models import Area, PopulationFigure

MUNICIPALITIES = 342
REGION_CODE = "BR01"
SOURCE = "gegenereerd voor make bench"
NATIONAL_POPULATION = 17_900_000
YEARS = range(2022, 2026)


def months() -> list[datetime.date]:
    return [datetime.date(year, month, 1) for year in YEARS for month in range(1, 13)]


def generate(seed: int = 1) -> Area:
    """Create the region and its figures (once per scratch database); returns the region."""
    rng = random.Random(seed)
    with transaction.atomic():
        region = Area.objects.create(
            code=REGION_CODE, name="Benchmark: 342 gegenereerde gemeenten", kind=Area.Kind.REGION
        )
        municipalities = Area.objects.bulk_create(
            Area(code=f"BM{n:04d}", name=f"Benchgemeente {n:03d}", kind=Area.Kind.MUNICIPALITY, parent=region)
            for n in range(1, MUNICIPALITIES + 1)
        )
        # A long tail like the real one: a few cities, many small municipalities.
        weights = [rng.lognormvariate(0, 0.9) for _ in municipalities]
        scale = NATIONAL_POPULATION / sum(weights)
        sizes = {
            area.code: max(1000, round(weight * scale))
            for area, weight in zip(municipalities, weights, strict=True)
        }
        PopulationFigure.objects.bulk_create(
            PopulationFigure(
                area=area,
                reference_date=datetime.date(year, 1, 1),
                population=round(sizes[area.code] * (1 + 0.004 * (year - 2021))),
                source=cite(SOURCE, "H"),
                is_demo=True,
            )
            for area in municipalities
            for year in range(2021, 2025)
        )
        OpeningBalance.objects.bulk_create(
            OpeningBalance(
                municipality=area,
                half_year="2022-H1",
                balance=rng.randint(-5, 30),
                source=cite(SOURCE, "H"),
                is_demo=True,
            )
            for area in municipalities
        )
        housed = {
            (area.code, month): round(sizes[area.code] / 10_000 * rng.uniform(0.5, 1.5))
            for area in municipalities
            for month in months()
        }
        HousingRealisation.objects.bulk_create(
            (
                HousingRealisation(
                    municipality=area,
                    month=month,
                    housed=housed[area.code, month],
                    housed_minors=min(housed[area.code, month], rng.randint(0, 2)),
                    reference_date=month,
                    source=cite(SOURCE, "H"),
                    is_demo=True,
                )
                for area in municipalities
                for month in months()
            ),
            batch_size=2000,
        )
    return region
