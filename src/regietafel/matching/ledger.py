"""The pipeline in figures: per municipality, people waiting, people offered a home, homes available, and the
forecast of the balance at the end of the half-year (``domain.forecast``). Aggregates only: counts, never persons.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from regietafel.core.figures import Figure, SourceRef, combine
from regietafel.domain.forecast import Forecast, forecast
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.matching.models import Dwelling
from regietafel.matching.pipeline import PIPELINE_SOURCE
from regietafel.persons.models import Household
from regietafel.regions.models import Area


@dataclass
class PipelineRow:
    municipality: Area
    waiting: int  # people in linked households without an offer
    committed: int  # people in households offered a home or who accepted one
    supply: int  # places (maximum occupancy) in homes available before the end of the half-year
    past_deadline: int  # households waiting past their deadline
    forecast: Forecast | None
    balance: Figure  # expected balance at the end of the half-year
    best: Figure
    worst: Figure


class PipelineLedger:
    """The pipeline of one region on a date (a ``core.figures.Reader``): per municipality the people waiting and
    offered a home, the homes available, and the forecast of the half-year's end from the housing figures."""

    def __init__(self, region: Area, on: datetime.date | None = None, housing: HousingLedger | None = None):
        """``on``: the day the pipeline is read (None: today); ``housing``: the region's housing figures when the
        caller has them already."""
        self.region = region
        self.on = on or timezone.localdate()
        self.housing = housing or HousingLedger(region, on)

    def rows(self, half_year: HalfYear) -> list[PipelineRow]:
        """One row per municipality of the region, read in a fixed number of queries."""
        ledger, today = self.housing, self.on
        municipalities = ledger.municipalities
        ids = [m.pk for m in municipalities]
        people = F("adults") + F("children")
        deadline_before = today - datetime.timedelta(weeks=settings.REGIETAFEL_HOUSING_DEADLINE_WEEKS)
        counts = {
            row["municipality"]: row
            for row in Household.objects.filter(municipality_id__in=ids)
            .values("municipality")
            .annotate(
                waiting=Sum(people, filter=Q(status=Household.Status.LINKED), default=0),
                committed=Sum(
                    people,
                    filter=Q(status__in=[Household.Status.OFFERED, Household.Status.ACCEPTED]),
                    default=0,
                ),
                past=Count("pk", filter=Q(status=Household.Status.LINKED, linked_on__lt=deadline_before)),
                demo=Count("pk", filter=Q(is_demo=True)),
            )
        }
        supply = {
            row["municipality"]: row
            for row in Dwelling.objects.filter(
                municipality_id__in=ids, status=Dwelling.Status.AVAILABLE, available_on__lte=half_year.end
            )
            .values("municipality")
            .annotate(places=Sum("max_occupancy"), demo=Count("pk", filter=Q(is_demo=True)))
        }
        position = ledger.position_date(half_year)
        months_left = 6 - half_year.months_elapsed(position)
        rows = []
        for municipality in municipalities:
            count = counts.get(municipality.pk, {})
            places = supply.get(municipality.pk, {})
            pipeline = SourceRef(PIPELINE_SOURCE, today, bool(count.get("demo") or places.get("demo")))
            row = ledger.row(municipality, half_year)
            target = row.corrected if row.corrected.known else row.target
            housed = row.housed if row.housed.known else Figure(0, frozenset())
            result = None
            balance = best = worst = Figure.unknown(str(target.note or ""))
            if target.known:
                recent = [
                    record.housed for record in ledger.realisation[municipality.pk] if record.month < position
                ]
                result = forecast(
                    target=target.value,
                    housed=housed.value,
                    months_left=months_left,
                    recent_months=recent,
                    committed=count.get("committed", 0),
                    waiting=count.get("waiting", 0),
                    supply=places.get("places") or 0,
                )
                base = combine(None, target, housed, Figure(None, frozenset({pipeline})))
                balance = Figure(result.balance_expected, base.refs)
                best = Figure(result.balance_best, base.refs)
                worst = Figure(result.balance_worst, base.refs)
            rows.append(
                PipelineRow(
                    municipality=municipality,
                    waiting=count.get("waiting", 0),
                    committed=count.get("committed", 0),
                    supply=places.get("places") or 0,
                    past_deadline=count.get("past", 0),
                    forecast=result,
                    balance=balance,
                    best=best,
                    worst=worst,
                )
            )
        return rows
