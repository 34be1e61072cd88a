"""Where each municipality of a region stands on housing status holders, read from the database once.

The rules come from regietafel.domain.targets; this module only gathers the figures they need and keeps
the sources of every number (see regietafel.core.figures).
"""

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import NamedTuple

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from regietafel.core.figures import Figure, SourceRef, combine
from regietafel.core.models import Source
from regietafel.domain.targets import (
    HalfYear,
    Position,
    ScheduleStatus,
    Thresholds,
    carry_over,
    consecutive_missed,
    norm_share,
    schedule_status,
    statutory_target,
)
from regietafel.housing.models import (
    Agreement,
    HousingRealisation,
    NationalTarget,
    OpeningBalance,
    ReportedTarget,
)
from regietafel.regions.models import NATIONAL_CODE, Area, PopulationFigure


def thresholds(area: Area | None = None) -> Thresholds:
    """The monitoring thresholds of ``area`` (a region's own, where its beheerder set them), else the settings'."""
    behind = settings.REGIETAFEL_BEHIND_BELOW
    far_behind = settings.REGIETAFEL_FAR_BEHIND_BELOW
    if area is not None and area.behind_below_percent is not None:
        behind = Fraction(area.behind_below_percent, 100)
    if area is not None and area.far_behind_below_percent is not None:
        far_behind = Fraction(area.far_behind_below_percent, 100)
    return Thresholds(behind_below=behind, far_behind_below=min(far_behind, behind))


# The first half-year whose figures the product shows: the national numbers are public from 2019 on (the answer to
# parliamentary questions 2024Z12156). A national number stored for an earlier half-year extends the history back.
HISTORY_STARTS = HalfYear(2019, 1)


def half_year_span(announced: Iterable[HalfYear], on: datetime.date | None = None) -> list[HalfYear]:
    """Every half-year a page offers, oldest first: from 2019-H1 up to the one running on ``on`` (today when None),
    and on to the latest half-year with a national number announced ahead. A half-year without a national number
    is in the list all the same: its page says which inputs are not yet known."""
    announced = sorted(announced)
    current = HalfYear.containing(on or timezone.localdate())
    first = min([HISTORY_STARTS, *announced[:1]])
    last = max([current, *announced[-1:]])
    return HalfYear.span(first, last)


def announced_half_years() -> list[HalfYear]:
    """Half-years with a national number, oldest first (one small query, without loading a ledger)."""
    texts = NationalTarget.objects.order_by().values_list("half_year", flat=True).distinct()
    return sorted(HalfYear.parse(text) for text in texts)


def known_half_years(on: datetime.date | None = None) -> list[HalfYear]:
    """The half-years a page offers: see ``half_year_span``."""
    return half_year_span(announced_half_years(), on)


def default_half_year(half_years: list[HalfYear], today: datetime.date) -> HalfYear | None:
    """The half-year a page shows when none is asked for: the latest one with a national number, up to now."""
    current = HalfYear.containing(today)
    candidates = [half_year for half_year in half_years if half_year <= current]
    return candidates[-1] if candidates else None


def known_on(record, on: datetime.date | None) -> bool:
    """Whether a dated record (a national number, a published target) was known on ``on`` (None: now). A record
    whose source states no date counts as known: leaving it out would hide a number that was in force."""
    return on is None or record.reference_date is None or record.reference_date <= on


class Housed(NamedTuple):
    """One month's realisation of one municipality, as the ledger reads it."""

    month: datetime.date
    housed: int
    housed_minors: int
    ref: SourceRef


@dataclass
class MissingInputs:
    """What a half-year's statutory targets still need (Huisvestingswet 2014 art. 29 lid 1)."""

    half_year: HalfYear
    population_date: datetime.date
    national_missing: bool  # no national number (vg)
    national_population_missing: bool  # no population of the Netherlands on the population date (iN)
    municipalities: list[Area]  # without a population on that date (iG)
    standing_in: list[Area]  # of those, with a published target that stands in
    national_demo: bool = False  # present only as a generated demo figure (``regietafel load-demo``)
    national_population_demo: bool = False
    demo_populations: list[Area] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every statutory input is there and public (a demo input stands in only for the demo)."""
        missing = self.national_missing or self.national_population_missing or self.municipalities
        demo = self.national_demo or self.national_population_demo or self.demo_populations
        return not (missing or demo)


class CarryOverUnknown(Exception):
    """The carry-over cannot be computed; the message says why."""


@dataclass
class HousingRow:
    municipality: Area
    population: Figure
    statutory: Figure
    published: Figure  # published by the municipality or the state, for the half-year or its whole year
    agreed: Figure
    target: Figure  # agreed when there is an agreement, else statutory
    carry_over: Figure
    corrected: Figure
    housed: Figure
    housed_minors: Figure
    remaining: Figure
    norm_share: Figure
    status: ScheduleStatus | None
    basis: Figure  # what the status was judged from: the (corrected) target and the number housed
    missed: Figure


class HousingLedger:
    """All housing figures of one region, loaded in a fixed number of queries (a ``core.figures.Reader``)."""

    def __init__(
        self, region: Area, on: datetime.date | None = None, municipalities: list[Area] | None = None
    ):
        """``on``: read the position as it was on that date (months after it are left out); None: as of now.
        ``municipalities``: read only these of the region (a municipality's page); the position date is still the
        region's."""
        self.region = region
        self.on = on
        self.thresholds = thresholds(region)
        self.municipalities = (
            municipalities
            if municipalities is not None
            else list(Area.objects.in_region(region).select_related("parent").order_by("name"))
        )
        # What ``housed`` found, per municipality, half-year and cut-off: every carry-over chain asks again for the
        # half-years before it, and a page with several half-years asks for many chains.
        self._housed: dict[tuple, tuple[Figure, Figure]] = {}
        ids = [m.pk for m in self.municipalities]
        self.populations: dict[tuple[str, datetime.date], PopulationFigure] = {
            (figure.area.code, figure.reference_date): figure
            for figure in PopulationFigure.objects.filter(
                area__code__in=[m.code for m in self.municipalities] + [NATIONAL_CODE]
            ).select_related("area")
        }
        self.national: dict[str, NationalTarget] = {}
        self.national_history: dict[str, list[NationalTarget]] = defaultdict(list)
        for target in NationalTarget.objects.order_by("half_year", "revision"):
            if not known_on(target, on):
                continue
            self.national[target.half_year] = target  # the highest revision known on ``on`` applies
            self.national_history[target.half_year].append(target)
        # Published targets per (municipality, period), every revision known on ``on``, oldest first.
        self.reported: dict[tuple[int, str], list[ReportedTarget]] = defaultdict(list)
        for target in ReportedTarget.objects.filter(municipality_id__in=ids).order_by("period", "revision"):
            if known_on(target, on):
                self.reported[(target.municipality_id, target.period)].append(target)
        # Agreements are a region's (art. 29 lid 2): a province's or the nation's ledger holds each region's own.
        region_ids = {m.parent_id for m in self.municipalities}
        self.regional_agreements: dict[tuple[int, str], Agreement] = {
            (agreement.region_id, agreement.half_year): agreement
            for agreement in Agreement.objects.filter(region_id__in=region_ids).prefetch_related("targets")
            if on is None or agreement.agreed_on <= on
        }
        self.agreements: dict[str, Agreement] = {
            half_year: agreement
            for (region_id, half_year), agreement in self.regional_agreements.items()
            if region_id == region.pk
        }
        # A municipality's status is judged by its own region's thresholds, on a province's page as on the region's.
        self.region_thresholds: dict[int, Thresholds] = {
            m.parent_id: thresholds(m.parent) for m in self.municipalities if m.parent is not None
        }
        self.openings: dict[int, list[OpeningBalance]] = defaultdict(list)
        for balance in OpeningBalance.objects.filter(municipality_id__in=ids).order_by("half_year"):
            self.openings[balance.municipality_id].append(balance)
        # The months reported, as light records (a region's history is thousands of them: model instances would
        # cost more than everything else on the page).
        self.realisation: dict[int, list[Housed]] = defaultdict(list)
        realisation = HousingRealisation.objects.order_by()
        if on is not None:
            realisation = realisation.filter(month__lte=on)
        rows = list(
            realisation.filter(municipality_id__in=ids)
            .order_by("month")
            .values_list(
                "municipality_id",
                "month",
                "housed",
                "housed_minors",
                "source_id",
                "reference_date",
                "is_demo",
            )
        )
        sources = {source.pk: source for source in Source.objects.filter(pk__in={row[4] for row in rows})}
        refs: dict[tuple, SourceRef] = {}
        for municipality_id, month, housed, minors, source_id, reference_date, is_demo in rows:
            ref = refs.get((source_id, reference_date, is_demo))
            if ref is None:
                source = sources[source_id]
                ref = refs[(source_id, reference_date, is_demo)] = SourceRef(
                    source.name, reference_date, is_demo, source.pk, source.published, source.confidence
                )
            self.realisation[municipality_id].append(Housed(month, housed, minors, ref))
        # The months any municipality of the region reported: where the region's position stands.
        if municipalities is None:
            self.months = sorted({row[1] for row in rows})
        else:
            region_ids = Area.objects.in_region(region).values("pk")
            self.months = sorted(
                realisation.filter(municipality_id__in=region_ids).values_list("month", flat=True).distinct()
            )
        self._positions: dict[HalfYear, datetime.date] = {}

    # Periods -------------------------------------------------------------------------------------------

    def half_years(self) -> list[HalfYear]:
        """Every half-year from 2019-H1 up to now (``half_year_span``), oldest first."""
        return half_year_span((HalfYear.parse(text) for text in self.national), self.on)

    def announced_half_years(self) -> list[HalfYear]:
        """Half-years with a national number, oldest first."""
        return sorted(HalfYear.parse(text) for text in self.national)

    def default_half_year(self, today: datetime.date) -> HalfYear | None:
        return default_half_year(self.announced_half_years(), today)

    def position_date(self, half_year: HalfYear) -> datetime.date:
        """COA reports the position on the 1st of a month: the month after the last one reported."""
        if half_year not in self._positions:
            months = [month for month in self.months if half_year.start <= month <= half_year.end]
            self._positions[half_year] = (
                (max(months).replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
                if months
                else half_year.start
            )
        return self._positions[half_year]

    # Figures -------------------------------------------------------------------------------------------

    def national_target(self, half_year: HalfYear) -> Figure:
        target = self.national.get(str(half_year))
        if target is None:
            return Figure.unknown(_("No national number for %(half_year)s.") % {"half_year": half_year})
        return Figure(target.number, frozenset({SourceRef.of(target)}))

    def population(self, code: str, day: datetime.date) -> Figure:
        figure = self.populations.get((code, day))
        if figure is None:
            return Figure.unknown(_("No population on %(date)s.") % {"date": day.strftime("%d-%m-%Y")})
        return Figure(figure.population, frozenset({SourceRef.of(figure)}))

    def statutory(self, municipality: Area, half_year: HalfYear) -> tuple[Figure, Figure]:
        """The statutory target (Huisvestingswet 2014 art. 29 lid 1) and the population it used.

        Without the population on the reference date, a target published for the municipality stands in,
        with its own source.
        """
        day = half_year.population_reference_date()
        population = self.population(municipality.code, day)
        national = self.national_target(half_year)
        national_population = self.population(NATIONAL_CODE, day)
        if population.known and national.known and national_population.known:
            value = statutory_target(national.value, population.value, national_population.value)
            return combine(value, national, population, national_population), population
        reported = self.reported.get((municipality.pk, str(half_year)))
        if reported:
            return Figure(
                reported[-1].target, frozenset({SourceRef.of(reported[-1])}), _("published target")
            ), population
        return Figure.unknown(national.note or population.note or national_population.note), population

    def published(self, municipality: Area, period: str) -> Figure:
        """A target the municipality or the state published for ``period`` (a half-year, or a year as "2023"):
        the latest revision, carrying the sources of every revision; its note names the earlier numbers."""
        revisions = self.reported.get((municipality.pk, period), [])
        if not revisions:
            return Figure.unknown()
        note = ""
        if len(revisions) > 1:
            note = _("revised; first %(numbers)s") % {
                "numbers": ", ".join(str(revision.target) for revision in revisions[:-1])
            }
        return Figure(revisions[-1].target, frozenset(SourceRef.of(r) for r in revisions), note)

    def published_for(self, municipality: Area, half_year: HalfYear) -> Figure:
        """The published target that covers ``half_year``: its own, else the one for its whole year (noted so)."""
        own = self.published(municipality, str(half_year))
        if own.known:
            return own
        year = self.published(municipality, str(half_year.year))
        if not year.known:
            return year
        whole = _("for the whole of %(year)s") % {"year": half_year.year}
        return Figure(year.value, year.refs, f"{whole}; {year.note}" if year.note else whole)

    def missing_inputs(self, half_year: HalfYear) -> MissingInputs:
        """Which statutory inputs of ``half_year`` are not in the database (none is ever estimated)."""
        day = half_year.population_reference_date()
        without = [m for m in self.municipalities if (m.code, day) not in self.populations]
        return MissingInputs(
            half_year=half_year,
            population_date=day,
            national_missing=str(half_year) not in self.national,
            national_population_missing=(NATIONAL_CODE, day) not in self.populations,
            municipalities=without,
            standing_in=[m for m in without if self.reported.get((m.pk, str(half_year)))],
            national_demo=str(half_year) in self.national and self.national[str(half_year)].is_demo,
            national_population_demo=self.populations.get((NATIONAL_CODE, day)) is not None
            and self.populations[(NATIONAL_CODE, day)].is_demo,
            demo_populations=[
                m
                for m in self.municipalities
                if (m.code, day) in self.populations and self.populations[(m.code, day)].is_demo
            ],
        )

    def agreed(self, municipality: Area, half_year: HalfYear) -> Figure:
        agreement = self.regional_agreements.get((municipality.parent_id, str(half_year)))
        if agreement is None:
            return Figure.unknown()
        for agreed in agreement.targets.all():
            if agreed.municipality_id == municipality.pk:
                ref = SourceRef(agreement.source, agreement.agreed_on, False)
                return Figure(agreed.target, frozenset({ref}))
        return Figure.unknown()

    def target(self, municipality: Area, half_year: HalfYear) -> Figure:
        agreed = self.agreed(municipality, half_year)
        return agreed if agreed.known else self.statutory(municipality, half_year)[0]

    def housed(
        self, municipality: Area, half_year: HalfYear, until: datetime.date | None = None
    ) -> tuple[Figure, Figure]:
        """Status holders housed, and of whom unaccompanied minors, in the months of the half-year before ``until``."""
        key = (municipality.pk, half_year, until)
        if key not in self._housed:
            self._housed[key] = self._count_housed(municipality, half_year, until)
        return self._housed[key]

    def _count_housed(
        self, municipality: Area, half_year: HalfYear, until: datetime.date | None
    ) -> tuple[Figure, Figure]:
        records = [
            record
            for record in self.realisation[municipality.pk]
            if half_year.start <= record.month <= half_year.end and (until is None or record.month < until)
        ]
        if not records:
            missing = Figure.unknown(_("No realisation reported."))
            return missing, missing
        refs = frozenset(record.ref for record in records)
        return (
            Figure(sum(record.housed for record in records), refs),
            Figure(sum(record.housed_minors for record in records), refs),
        )

    def chain(self, municipality: Area, half_year: HalfYear) -> tuple[list[Position], Figure]:
        """Carry-over from the latest opening balance up to and including ``half_year``.

        Raises CarryOverUnknown when no opening balance is known or a target or realisation on the way is
        missing: a guessed carry-over would be a made-up figure.
        """
        openings = [b for b in self.openings[municipality.pk] if HalfYear.parse(b.half_year) <= half_year]
        if not openings:
            raise CarryOverUnknown(_("No opening balance known."))
        opening = openings[-1]
        figures = [Figure(opening.balance, frozenset({SourceRef.of(opening)}))]
        periods = []
        current = HalfYear.parse(opening.half_year)
        until = self.position_date(half_year)
        while current <= half_year:
            target = self.target(municipality, current)
            if not target.known:
                raise CarryOverUnknown(_("No target known for %(half_year)s.") % {"half_year": current})
            housed, _minors = self.housed(municipality, current, until if current == half_year else None)
            if not housed.known and current != half_year:
                raise CarryOverUnknown(
                    _("No realisation reported for %(half_year)s.") % {"half_year": current}
                )
            if not housed.known:
                housed = Figure(0, frozenset(), housed.note)
            figures += [target, housed]
            periods.append((current, target.value, housed.value))
            current = current.next()
        return carry_over(opening.balance, periods), combine(None, *figures)

    def row(self, municipality: Area, half_year: HalfYear) -> HousingRow:
        statutory, population = self.statutory(municipality, half_year)
        agreed = self.agreed(municipality, half_year)
        target = agreed if agreed.known else statutory
        position_date = self.position_date(half_year)
        housed, minors = self.housed(municipality, half_year, position_date)
        months = half_year.months_elapsed(position_date)
        try:
            positions, sources = self.chain(municipality, half_year)
        except CarryOverUnknown as unknown:
            carry = corrected = Figure.unknown(str(unknown))
            remaining = (
                combine(max(target.value - housed.value, 0), target, housed, note=_("without carry-over"))
                if target.known and housed.known
                else Figure.unknown()
            )
            missed = Figure.unknown()
        else:
            current = positions[-1]
            carry = Figure(current.opening_balance, sources.refs)
            corrected = Figure(current.corrected_target, sources.refs)
            remaining = Figure(current.remaining, sources.refs)
            completed = positions if months == 6 else positions[:-1]
            missed = Figure(consecutive_missed(completed), sources.refs)
        base = corrected if corrected.known else target
        share, status, basis = Figure.unknown(), None, Figure.unknown()
        if base.known and housed.known:
            basis = combine(None, base, housed)
            limits = self.region_thresholds.get(municipality.parent_id, self.thresholds)
            value = norm_share(housed.value, base.value, months, limits)
            share = (
                combine(value, base, housed) if value is not None else Figure.unknown(_("nothing due yet"))
            )
            status = schedule_status(housed.value, base.value, months, limits)
        return HousingRow(
            municipality=municipality,
            population=population,
            statutory=statutory,
            published=self.published_for(municipality, half_year),
            agreed=agreed,
            target=target,
            carry_over=carry,
            corrected=corrected,
            housed=housed,
            housed_minors=minors,
            remaining=remaining,
            norm_share=share,
            status=status,
            basis=basis,
            missed=missed,
        )

    def rows(self, half_year: HalfYear) -> list[HousingRow]:
        return [self.row(municipality, half_year) for municipality in self.municipalities]
