"""What the indicator pages read: each place's latest value per indicator, its status and trend, with its source."""

import datetime
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import QuerySet

from regietafel.core.figures import Figure, SourceRef, combine
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


def readings(
    indicators: list[Indicator], values: QuerySet, until: datetime.date | None = None
) -> dict[tuple, Reading]:
    """The latest two values per indicator and place of ``values`` (already narrowed to what the user may see),
    as readings keyed by (indicator id, location id or ("area", area id)); ``until``: of periods begun by then."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    latest: dict[tuple, list[Value]] = {}
    for value in values.filter(indicator__in=indicators).order_by("indicator", "area", "location", "-period"):
        if until is not None and _start(value, by_id[value.indicator_id]) > until:
            continue
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


def _start(value: Value, indicator: Indicator) -> datetime.date:
    try:
        return rules.Period.parse(value.period, indicator.periodicity).start
    except ValueError:  # a period stored before its indicator's periodicity was changed
        return datetime.date.max


def unknown(indicator: Indicator) -> Reading:
    return Reading(
        indicator, Figure.unknown(), "", rules.Status.UNKNOWN, rules.Trend.UNKNOWN, Figure.unknown()
    )


def for_place(
    values: QuerySet,
    level: str,
    area_id: int | None = None,
    location_id: int | None = None,
    until: datetime.date | None = None,
) -> list:
    """Every indicator in use at ``level`` with this place's latest reading (unknown where there is none), in
    the order of their domains; ``values`` is already narrowed to what the user may see; ``until``: of periods
    begun by then."""
    indicators = list(Indicator.objects.filter(level=level, is_active=True).select_related("domain"))
    place = (
        values.filter(location_id=location_id)
        if location_id
        else values.filter(area_id=area_id, location=None)
    )
    found = readings(indicators, place, until)
    key = place_key(area_id, location_id)
    return [found.get((indicator.pk, key)) or unknown(indicator) for indicator in indicators]


@dataclass
class SummaryRow:
    """One indicator across a region: how many municipalities are in each status, and the region's own value."""

    indicator: Indicator
    counts: dict[str, int] = field(default_factory=dict)  # municipalities per status
    with_value: Figure = field(
        default_factory=Figure.unknown
    )  # municipalities with a value, citing their sources
    region: Reading | None = None


def region_summary(region, municipalities: list, values: QuerySet, until: datetime.date) -> list[SummaryRow]:
    """The indicators in use at municipality or region level, as of ``until``, for a region's report."""
    indicators = list(
        Indicator.objects.filter(
            is_active=True, level__in=[Indicator.Level.MUNICIPALITY, Indicator.Level.REGION]
        ).select_related("domain")
    )
    found = readings(indicators, values.filter(area__in=[region, *municipalities]), until)
    rows = []
    for indicator in indicators:
        row = SummaryRow(indicator, {status.value: 0 for status in rules.Status})
        if indicator.level == Indicator.Level.REGION:
            row.region = found.get((indicator.pk, place_key(region.pk))) or unknown(indicator)
        else:
            present = []
            for municipality in municipalities:
                reading = found.get((indicator.pk, place_key(municipality.pk)))
                row.counts["unknown" if reading is None else reading.status.value] += 1
                if reading is not None:
                    present.append(reading.figure)
            row.with_value = combine(len(present), *present)
        rows.append(row)
    return rows
