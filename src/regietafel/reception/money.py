"""Expected reimbursement for municipal reception of displaced Ukrainians, per municipality and quarter, from the
places of its GOO locations through time and the BOOO rates (``domain.money``): estimates, and marked so."""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from regietafel.core.figures import Figure, SourceRef
from regietafel.domain import money
from regietafel.domain.money import Quarter
from regietafel.reception.models import Location, LocationObservation, Rate
from regietafel.regions.models import Area


@dataclass(frozen=True)
class QuarterEstimate:
    quarter: Quarter
    place_days: Figure
    amount: Figure  # euros, rounded; an estimate


def last_quarters(today: datetime.date, count: int = 4) -> list[Quarter]:
    quarters = [Quarter.containing(today)]
    while len(quarters) < count:
        quarters.insert(0, quarters[0].previous())
    return quarters


def rates(scheme: str = Rate.Scheme.UKRAINE_PLACE_DAY) -> list[Rate]:
    return list(
        Rate.objects.filter(scheme=scheme).select_related("source").order_by("valid_from", "condition")
    )


def _applying(booo: list[Rate], quarter: Quarter) -> list[Rate]:
    """The rates that apply on some day of the quarter: each from its date until the next one's."""
    found = []
    for index, rate in enumerate(booo):
        following = booo[index + 1].valid_from if index + 1 < len(booo) else None
        if rate.valid_from <= quarter.end and (following is None or following > quarter.start):
            found.append(rate)
    return found


def estimates(municipalities: list[Area], quarters: list[Quarter]) -> dict[int, list[QuarterEstimate]]:
    """Per municipality id, one estimate per quarter; three queries in all."""
    booo = rates()
    rate_pairs = [(rate.valid_from, rate.amount) for rate in booo]
    locations = list(
        Location.objects.filter(municipality__in=municipalities, kind=Location.Kind.MUNICIPAL_UKRAINE)
    )
    observed: dict[int, list[LocationObservation]] = {}
    for observation in (
        LocationObservation.objects.filter(location__in=locations, reference_date__isnull=False)
        .select_related("source")
        .order_by("reference_date")
    ):
        observed.setdefault(observation.location_id, []).append(observation)
    found: dict[int, list[QuarterEstimate]] = {}
    for municipality in municipalities:
        own = [location for location in locations if location.municipality_id == municipality.pk]
        rows = []
        for quarter in quarters:
            places = [
                money.Places(
                    [(o.reference_date, o.capacity) for o in observed.get(location.pk, [])],
                    location.start_date,
                    location.end_date,
                )
                for location in own
            ]
            result = money.estimate(places, rate_pairs, quarter.start, quarter.end)
            used = frozenset(
                SourceRef.of(o)
                for location in own
                for o in observed.get(location.pk, [])
                if o.reference_date <= quarter.end
            )
            applied = frozenset(SourceRef.of(rate) for rate in _applying(booo, quarter))
            note = _("estimate")
            if result.days_without_rate:
                note = _("estimate; %(days)s days without a known rate") % {"days": result.days_without_rate}
            if not own:
                days = Figure(0, note=_("no municipal places"))
                amount = Figure(0, note=_("no municipal places"))
            else:
                days = Figure(result.place_days, used)
                amount = Figure(int(result.amount.quantize(Decimal(1), ROUND_HALF_UP)), used | applied, note)
            rows.append(QuarterEstimate(quarter, days, amount))
        found[municipality.pk] = rows
    return found
