"""Generated demo values for the indicators in use, so the region view and the pages have something to show.

Every value has is_demo=True and a source that says it was generated (the UI marks it "demo"); a place and period
with a sourced value gets no demo value beside it. Thresholds are not touched: the region sets those.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from regietafel.core.figures import DEMO_SOURCE
from regietafel.core.models import Confidence
from regietafel.core.sources import cite
from regietafel.domain import indicators as rules
from regietafel.indicators.models import Indicator, Value
from regietafel.reception.models import Location
from regietafel.regions.models import Area

# The periods a demo value is made for: the last complete ones before the day the demo is loaded.
PERIODS = {"month": 6, "quarter": 4, "half_year": 2}


def remove_demo() -> int:
    return Value.objects.filter(is_demo=True).delete()[0]


def _periods(periodicity: str, known_on: datetime.date) -> list[str]:
    period = rules.Period.containing(known_on - datetime.timedelta(days=1), periodicity)
    found = []
    for _ in range(PERIODS[periodicity]):
        found.append(str(period))
        period = period.previous()
    return list(reversed(found))


def _series(rng: random.Random, unit: str, count: int) -> list[float]:
    """A plausible walk: a start and small steps, within the unit's range."""
    low, high, step = {"percentage": (35, 98, 6), "days": (7, 120, 10), "score": (4, 9, 0.6)}.get(
        unit, (0, 50, 4)
    )
    value = rng.uniform(low, high)
    series = []
    for _ in range(count):
        value = min(high, max(low, value + rng.uniform(-step, step)))
        series.append(round(value, 1))
    return series


@transaction.atomic
def load_demo(
    region_code: str = "VR04", seed: int = 2025, today: datetime.date | None = None
) -> dict[str, int]:
    remove_demo()
    known_on = (today or timezone.localdate()).replace(day=1)
    rng = random.Random(seed)
    region = Area.objects.get(code=region_code)
    municipalities = list(Area.objects.in_region(region).order_by("code"))
    locations = list(Location.objects.filter(municipality__in=municipalities).order_by("pk"))
    demo = {
        "source": cite(DEMO_SOURCE.format(seed=seed), Confidence.LOW),
        "reference_date": known_on,
        "is_demo": True,
    }
    sourced = set(
        Value.objects.filter(is_demo=False).values_list("indicator_id", "area_id", "location_id", "period")
    )
    values = []
    for indicator in Indicator.objects.filter(is_active=True).order_by("code"):
        periods = _periods(indicator.periodicity, known_on)
        places = {
            Indicator.Level.MUNICIPALITY: [(m, None) for m in municipalities],
            Indicator.Level.REGION: [(region, None)],
            Indicator.Level.LOCATION: [(location.municipality, location) for location in locations],
        }[indicator.level]
        for area, location in places:
            for period, value in zip(periods, _series(rng, indicator.unit, len(periods)), strict=True):
                key = (indicator.pk, area.pk, location.pk if location else None, period)
                if key not in sourced:
                    values.append(
                        Value(
                            indicator=indicator,
                            area=area,
                            location=location,
                            period=period,
                            value=value,
                            **demo,
                        )
                    )
    Value.objects.bulk_create(values)
    return {"indicatorwaarden": len(values)}
