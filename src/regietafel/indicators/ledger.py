"""What the indicator pages read: each place's latest value per indicator, its status and trend, with its source."""

from dataclasses import dataclass
from fractions import Fraction

from django.db.models import QuerySet

from regietafel.core.figures import Figure, SourceRef
from regietafel.domain import indicators as rules
from regietafel.indicators.models import Indicator, Value


@dataclass(frozen=True)
class Reading:
    """An indicator's latest value for one place, compared with the period before and with the thresholds."""

    indicator: Indicator
    figure: Figure
    period: str
    status: rules.Status
    trend: rules.Trend
    previous: Figure

    @property
    def known(self) -> bool:
        return self.figure.known


def figure(value: Value | None) -> Figure:
    if value is None:
        return Figure.unknown()
    number = value.value
    shown = int(number) if number == number.to_integral_value() else Fraction(number)
    return Figure(shown, frozenset({SourceRef.of(value)}))


def place_key(area_id: int | None = None, location_id: int | None = None):
    """A place: a reception location, or (for municipality and region values) an area."""
    return location_id or ("area", area_id)


def _key(value: Value) -> tuple:
    return (value.indicator_id, place_key(value.area_id, value.location_id))


def readings(indicators: list[Indicator], values: QuerySet) -> dict[tuple, Reading]:
    """The latest two values per indicator and place of ``values`` (already narrowed to what the user may see),
    as readings keyed by (indicator id, location id or ("area", area id))."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    latest: dict[tuple, list[Value]] = {}
    for value in values.filter(indicator__in=indicators).order_by("indicator", "area", "location", "-period"):
        found = latest.setdefault(_key(value), [])
        if len(found) < 2:
            found.append(value)
    result = {}
    for key, (current, *before) in latest.items():
        indicator = by_id[current.indicator_id]
        previous = before[0] if before else None
        result[key] = Reading(
            indicator=indicator,
            figure=figure(current),
            period=current.period,
            status=indicator.status(current.value),
            trend=rules.trend(previous.value if previous else None, current.value, indicator.direction),
            previous=figure(previous),
        )
    return result


def unknown(indicator: Indicator) -> Reading:
    return Reading(
        indicator, Figure.unknown(), "", rules.Status.UNKNOWN, rules.Trend.UNKNOWN, Figure.unknown()
    )


def for_place(
    values: QuerySet, level: str, area_id: int | None = None, location_id: int | None = None
) -> list:
    """Every indicator in use at ``level`` with this place's latest reading (unknown where there is none), in
    the order of their domains; ``values`` is already narrowed to what the user may see."""
    indicators = list(Indicator.objects.filter(level=level, is_active=True).select_related("domain"))
    place = (
        values.filter(location_id=location_id)
        if location_id
        else values.filter(area_id=area_id, location=None)
    )
    found = readings(indicators, place)
    key = place_key(area_id, location_id)
    return [found.get((indicator.pk, key)) or unknown(indicator) for indicator in indicators]
