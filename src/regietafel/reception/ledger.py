"""Reception places per municipality of a region: asylum (Spreidingswet), minors, and displaced Ukrainians."""

import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.db.models import F
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regietafel.core.figures import Figure, SourceRef, combine
from regietafel.domain.targets import HalfYear, ScheduleStatus, Thresholds
from regietafel.housing.ledger import thresholds
from regietafel.reception.models import (
    Location,
    LocationObservation,
    Programme,
    ReceptionTask,
    ThirdCountryNationalCount,
)
from regietafel.regions.models import NATIONAL_CODE, Area

ASYLUM_KINDS = [
    Location.Kind.AZC,
    Location.Kind.EMERGENCY,
    Location.Kind.CRISIS_EMERGENCY,
    Location.Kind.MINORS_SMALL_SCALE,
]


@dataclass
class ReceptionRow:
    municipality: Area
    task: Figure
    capacity: Figure
    occupancy: Figure
    share: Figure
    status: ScheduleStatus | None
    extra: Figure  # asylum: places for minors; Ukraine: third-country nationals
    agreed: bool = (
        False  # the task is the number the table agreed (an adopted scenario), not the indicative one
    )


def _status(capacity: Figure, task: Figure, limits: Thresholds) -> tuple[Figure, ScheduleStatus | None]:
    if not (capacity.known and task.known) or task.value == 0:
        return Figure.unknown(), None
    # Exact, like the housing figures: 0.7 as a float lies just below the 7/10 threshold.
    share = combine(Fraction(capacity.value) / Fraction(task.value), capacity, task)
    if share.value >= limits.behind_below:
        return share, ScheduleStatus.ON_SCHEDULE
    if share.value >= limits.far_behind_below:
        return share, ScheduleStatus.BEHIND
    return share, ScheduleStatus.FAR_BEHIND


def last_known(records, on: datetime.date) -> str:
    """ "last known: 1 August 2023" when the oldest of the records a figure sums is dated before the half-year of
    ``on`` (a figure older than the period it is shown for says so); else nothing."""
    dates = [record.reference_date for record in records if record.reference_date is not None]
    if not dates or min(dates) >= HalfYear.containing(on).start:
        return ""
    return _("last known: %(date)s") % {"date": date_format(min(dates), "j F Y")}


def _sum(locations: list[Location], attribute: str, on: datetime.date) -> Figure:
    if not locations:
        return Figure.unknown(_("No locations known."))
    values = [getattr(location, attribute) for location in locations]
    if any(value is None for value in values):
        return Figure.unknown(_("Not reported for every location."))
    refs = frozenset(SourceRef.of(location) for location in locations)
    return Figure(sum(values), refs, last_known(locations, on))


def _as_observed(location: Location, observation: LocationObservation) -> Location:
    """The location with the figures of ``observation`` (in memory only: the reader's view on its date)."""
    for name in ("capacity", "occupancy", "reference_date", "source", "is_demo"):
        setattr(location, name, getattr(observation, name))
    return location


class ReceptionLedger:
    """Reception tasks, locations and third-country nationals of one region on a date (a ``core.figures.Reader``)."""

    def __init__(
        self, region: Area, on: datetime.date | None = None, municipalities: list[Area] | None = None
    ):
        """``on``: the locations running and the tasks known on that date; None: today. ``municipalities``: read
        only these of the region (a municipality's page)."""
        on = on or timezone.localdate()
        self.region = region
        self.on = on
        self.thresholds = thresholds(region)
        self.municipalities = (
            municipalities
            if municipalities is not None
            else list(Area.objects.in_region(region).order_by("name"))
        )
        ids = [m.pk for m in self.municipalities]
        # Running on ``on`` and known by then: each location as its latest observation up to ``on`` gave it; a
        # location observed only later was not known on that date.
        running = (
            Location.objects.filter(municipality_id__in=ids)
            .exclude(start_date__gt=on)
            .exclude(end_date__lt=on)
            .select_related("municipality")
        )
        latest: dict[int, LocationObservation] = {}
        for observation in (
            LocationObservation.objects.filter(location__in=running)
            .exclude(reference_date__gt=on)
            .order_by(F("reference_date").asc(nulls_first=True))
        ):
            latest[observation.location_id] = observation
        self.locations = [
            _as_observed(location, latest[location.pk]) for location in running if location.pk in latest
        ]
        codes = [m.code for m in self.municipalities] + [region.code, NATIONAL_CODE]
        province = region.province
        if province:
            codes.append(province.code)
        # Latest cycle first, then the latest reference date: the figure that applies now.
        self.tasks: dict[tuple[str, str, str], ReceptionTask] = {}
        for task in (
            ReceptionTask.objects.filter(area__code__in=codes)
            .select_related("area")
            # A task without a cycle or date sorts first on every database (PostgreSQL would put NULLs last).
            .order_by(F("cycle").asc(nulls_first=True), F("reference_date").asc(nulls_first=True))
        ):
            if task.reference_date is None or task.reference_date <= on:
                self.tasks[(task.area.code, task.programme, task.measure)] = task
        self.third_country: dict[int, ThirdCountryNationalCount] = {}
        for count in ThirdCountryNationalCount.objects.filter(
            municipality_id__in=ids,
            reference_date__lte=on,
            status=ThirdCountryNationalCount.Status.IN_RECEPTION,
        ).order_by("reference_date"):
            self.third_country[count.municipality_id] = count

    def task(self, code: str, programme: str, measure: str) -> Figure:
        task = self.tasks.get((code, programme, measure))
        if task is None:
            return Figure.unknown(_("No task known."))
        value = int(task.value) if task.value == task.value.to_integral_value() else task.value
        return Figure(value, frozenset({SourceRef.of(task)}), task.note)

    def _of(self, municipality: Area, kinds) -> list[Location]:
        return [loc for loc in self.locations if loc.municipality_id == municipality.pk and loc.kind in kinds]

    def _agreed(self, municipality: Area, programme: str) -> ReceptionTask | None:
        """The places the table agreed (an adopted scenario), unless an indicative split of a later cycle came."""
        agreed = self.tasks.get((municipality.code, programme, ReceptionTask.Measure.AGREED_PLACES))
        indicative = self.tasks.get((municipality.code, programme, ReceptionTask.Measure.INDICATIVE_PLACES))
        if agreed is None or (indicative is not None and (indicative.cycle or 0) > (agreed.cycle or 0)):
            return None
        return agreed

    def municipal_task(self, municipality: Area, programme: str = Programme.ASYLUM) -> Figure:
        """A municipality's task: its agreed places where the table adopted a distribution, else the state's
        indicative places (asylum) or nothing (Ukraine)."""
        if self._agreed(municipality, programme) is not None:
            return self.task(municipality.code, programme, ReceptionTask.Measure.AGREED_PLACES)
        if programme == Programme.ASYLUM:
            return self.task(municipality.code, programme, ReceptionTask.Measure.INDICATIVE_PLACES)
        return Figure.unknown(_("No task known."))

    def minor_places_task(self, municipality: Area) -> Figure:
        agreed = self._agreed(municipality, Programme.ASYLUM)
        minors = self.tasks.get(
            (municipality.code, Programme.ASYLUM, ReceptionTask.Measure.AGREED_MINOR_PLACES)
        )
        if agreed is not None and minors is not None and minors.cycle == agreed.cycle:
            return self.task(municipality.code, Programme.ASYLUM, ReceptionTask.Measure.AGREED_MINOR_PLACES)
        places = self.task(municipality.code, Programme.ASYLUM, ReceptionTask.Measure.INDICATIVE_PLACES)
        share = self.task(NATIONAL_CODE, Programme.ASYLUM, ReceptionTask.Measure.MINOR_SHARE)
        if not (places.known and share.known):
            return Figure.unknown()
        return combine(math.ceil(Decimal(places.value) * Decimal(share.value)), places, share)

    def asylum_rows(self) -> list[ReceptionRow]:
        rows = []
        for municipality in self.municipalities:
            locations = self._of(municipality, ASYLUM_KINDS)
            task = self.municipal_task(municipality)
            capacity = _sum(locations, "capacity", self.on)
            share, status = _status(capacity, task, self.thresholds)
            minor_locations = [loc for loc in locations if loc.kind == Location.Kind.MINORS_SMALL_SCALE]
            # Known locations without places for minors mean zero such places, not an unknown number.
            minors = (
                _sum(minor_locations, "capacity", self.on)
                if minor_locations or not locations
                else Figure(0, frozenset(SourceRef.of(loc) for loc in locations))
            )
            rows.append(
                ReceptionRow(
                    municipality,
                    task,
                    capacity,
                    _sum(locations, "occupancy", self.on),
                    share,
                    status,
                    minors,
                    agreed=self._agreed(municipality, Programme.ASYLUM) is not None,
                )
            )
        return rows

    def minors_rows(self) -> list[ReceptionRow]:
        rows = []
        for municipality in self.municipalities:
            locations = self._of(municipality, [Location.Kind.MINORS_SMALL_SCALE])
            task = self.minor_places_task(municipality)
            capacity = _sum(locations, "capacity", self.on)
            share, status = _status(capacity, task, self.thresholds)
            rows.append(
                ReceptionRow(
                    municipality,
                    task,
                    capacity,
                    _sum(locations, "occupancy", self.on),
                    share,
                    status,
                    Figure.unknown(),
                )
            )
        return rows

    def ukraine_rows(self) -> list[ReceptionRow]:
        rows = []
        for municipality in self.municipalities:
            locations = self._of(municipality, [Location.Kind.MUNICIPAL_UKRAINE])
            count = self.third_country.get(municipality.pk)
            third = (
                Figure(count.count, frozenset({SourceRef.of(count)}), last_known([count], self.on))
                if count
                else Figure.unknown(_("Not reported."))
            )
            task = self.municipal_task(municipality, Programme.UKRAINE)
            capacity = _sum(locations, "capacity", self.on)
            share = _status(capacity, task, self.thresholds)[0]
            rows.append(
                ReceptionRow(
                    municipality,
                    task,
                    capacity,
                    _sum(locations, "occupancy", self.on),
                    share,
                    None,
                    third,
                )
            )
        return rows

    def municipality_locations(self, municipality: Area) -> list[Location]:
        return [loc for loc in self.locations if loc.municipality_id == municipality.pk]
