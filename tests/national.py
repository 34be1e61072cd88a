"""A generated national data set for the roll-up tests: 342 municipalities in 25 regions in 12 provinces.

Overijssel (PV23) holds the embedded data set's two real regions, IJsselland (VR04, 11 municipalities) and Twente
(VR05, 14); 23 generated regions in 11 generated provinces hold the other 317. Every municipality gets a population
on 1 January 2024 where it has none, and a monthly realisation for 2025; all generated figures are demo.
"""

import datetime
import random

from regietafel.core.sources import cite
from regietafel.housing.models import HousingRealisation
from regietafel.regions.models import Area, PopulationFigure

MUNICIPALITIES = 342
REGIONS = 25
PROVINCES = 12
SOURCE = "gegenereerd voor de optel-tests"


def generate(seed: int = 7) -> Area:
    """The country, after the embedded data set is loaded; returns it."""
    rng = random.Random(seed)
    source = cite(SOURCE, "M")
    country = Area.objects.get(code="NL01")
    overijssel = Area.objects.get(code="PV23")
    provinces = [overijssel] + [
        Area.objects.create(
            code=f"PV{90 + n}", name=f"Provincie {n:02d}", kind=Area.Kind.PROVINCE, parent=country
        )
        for n in range(1, PROVINCES)
    ]
    known = Area.objects.in_region(country).count()
    generated_regions = [
        Area.objects.create(
            code=f"VR{60 + n}", name=f"Regio {n:02d}", kind=Area.Kind.REGION, parent=provinces[1 + n % 11]
        )
        for n in range(REGIONS - 2)
    ]
    Area.objects.bulk_create(
        Area(
            code=f"GM9{n:03d}",
            name=f"Gemeente {n:03d}",
            kind=Area.Kind.MUNICIPALITY,
            parent=generated_regions[n % len(generated_regions)],
        )
        for n in range(MUNICIPALITIES - known)
    )
    municipalities = list(Area.objects.in_region(country))
    assert len(municipalities) == MUNICIPALITIES
    day = datetime.date(2024, 1, 1)
    counted = set(PopulationFigure.objects.filter(reference_date=day).values_list("area_id", flat=True))
    PopulationFigure.objects.bulk_create(
        PopulationFigure(
            area=area, reference_date=day, population=rng.randint(5_000, 150_000), source=source, is_demo=True
        )
        for area in municipalities
        if area.pk not in counted
    )
    HousingRealisation.objects.bulk_create(
        HousingRealisation(
            municipality=area,
            month=datetime.date(2025, month, 1),
            housed=rng.randint(0, 12),
            source=source,
            is_demo=True,
        )
        for area in municipalities
        for month in range(1, 13)
    )
    return country
