"""What the indicator pages read: each place's latest value per indicator, its status and trend, with its source."""

import datetime
from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property

from django.db.models import QuerySet

from regietafel.core.figures import Figure, SourceRef, combine
from regietafel.domain import indicators as rules
from regietafel.indicators.models import Indicator, Value
from regietafel.regions.models import Area


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


def _readings(
    indicators: list[Indicator], values: QuerySet, on: datetime.date | None
) -> dict[tuple, Reading]:
    """The latest two values per indicator and place of ``values`` (already narrowed to what the user may see),
    as readings keyed by (indicator id, location id or ("area", area id)); ``on``: of periods begun by then."""
    by_id = {indicator.pk: indicator for indicator in indicators}
    latest: dict[tuple, list[Value]] = {}
    for value in values.filter(indicator__in=indicators).order_by("indicator", "area", "location", "-period"):
        if on is not None and _start(value, by_id[value.indicator_id]) > on:
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


@dataclass
class SummaryRow:
    """One indicator across a region: how many municipalities are in each status, and the region's own value."""

    indicator: Indicator
    counts: dict[str, Figure] = field(default_factory=dict)  # municipalities per status, citing their values
    with_value: Figure = field(
        default_factory=Figure.unknown
    )  # municipalities with a value, citing their sources
    region: Reading | None = None


class IndicatorLedger:
    """The indicators of one region's places as of a date (a ``core.figures.Reader``): each place's latest reading,
    its status and trend. ``values`` is always already narrowed to what the user may see."""

    def __init__(self, region: Area, on: datetime.date | None = None):
        """``on``: of the periods begun by that date; None: as of now."""
        self.region = region
        self.on = on

    @cached_property
    def municipalities(self) -> list[Area]:
        return list(Area.objects.in_region(self.region).order_by("name"))

    def readings(self, indicators: list[Indicator], values: QuerySet) -> dict[tuple, Reading]:
        """The latest reading per indicator and place of the region (the region, its municipalities, their
        locations), keyed by (indicator id, ``place_key``)."""
        return _readings(indicators, values.filter(area__in=[self.region, *self.municipalities]), self.on)

    def for_place(
        self, values: QuerySet, level: str, area_id: int | None = None, location_id: int | None = None
    ) -> list[Reading]:
        """Every indicator in use at ``level`` with this place's latest reading (unknown where there is none), in
        the order of their domains."""
        indicators = list(Indicator.objects.filter(level=level, is_active=True).select_related("domain"))
        place = (
            values.filter(location_id=location_id)
            if location_id
            else values.filter(area_id=area_id, location=None)
        )
        found = _readings(indicators, place, self.on)
        key = place_key(area_id, location_id)
        return [found.get((indicator.pk, key)) or unknown(indicator) for indicator in indicators]

    def summary(self, values: QuerySet) -> list[SummaryRow]:
        """The indicators in use at municipality or region level across the region, for a region's report."""
        indicators = list(
            Indicator.objects.filter(
                is_active=True, level__in=[Indicator.Level.MUNICIPALITY, Indicator.Level.REGION]
            ).select_related("domain")
        )
        found = self.readings(indicators, values)
        rows = []
        for indicator in indicators:
            row = SummaryRow(indicator)
            if indicator.level == Indicator.Level.REGION:
                row.region = found.get((indicator.pk, place_key(self.region.pk))) or unknown(indicator)
            else:
                # Each count cites the values it counts (a count of demo values is demo); a municipality
                # without a value counts as unknown and cites nothing.
                by_status: dict[str, list[Figure]] = {status.value: [] for status in rules.Status}
                missing = 0
                for municipality in self.municipalities:
                    reading = found.get((indicator.pk, place_key(municipality.pk)))
                    if reading is None:
                        missing += 1
                    else:
                        by_status[reading.status.value].append(reading.figure)
                row.counts = {
                    status: combine(len(figures) + (missing if status == "unknown" else 0), *figures)
                    for status, figures in by_status.items()
                }
                present = [figure for figures in by_status.values() for figure in figures]
                row.with_value = combine(len(present), *present)
            rows.append(row)
        return rows
