"""The Spreidingswet's cycle per municipality: the number at each stage (the state's indicative split, the
municipality's offer, the province's proposal, the minister's decision), the places realised against it over time,
and the incentive it brings. The province's proposal stage is the table's adopted distribution (agreed places)."""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regietafel.core.figures import Figure, SourceRef, combine
from regietafel.domain import money
from regietafel.domain.money import Quarter
from regietafel.reception.models import Cycle, Location, LocationObservation, Programme, Rate, ReceptionTask
from regietafel.regions.models import Area

Measure = ReceptionTask.Measure
STAGES = (
    (Measure.INDICATIVE_PLACES, gettext_lazy("Indicative (state)")),
    (Measure.OFFERED_PLACES, gettext_lazy("Offered (municipality)")),
    (Measure.AGREED_PLACES, gettext_lazy("Proposal (province)")),
    (Measure.DECIDED_PLACES, gettext_lazy("Decision (minister)")),
)
ASYLUM_KINDS = [kind for kind in Location.Kind.values if kind != Location.Kind.MUNICIPAL_UKRAINE]


@dataclass(frozen=True)
class CycleRow:
    municipality: Area
    stages: list[Figure]  # in the order of STAGES
    target: Figure  # the latest stage known: what realisation is measured against
    realised: list[Figure]  # places at each checkpoint
    incentive: Figure | None  # the cycle's incentive per place times the target (an estimate)
    incentive_low: Figure | None = (
        None  # without a set incentive: the lowest and highest rate times the target
    )
    incentive_high: Figure | None = None

    @property
    def labelled(self) -> list[tuple[str, Figure]]:
        return [(label, stage) for (_measure, label), stage in zip(STAGES, self.stages, strict=True)]

    @property
    def share(self) -> Figure:
        latest = self.realised[-1] if self.realised else Figure.unknown()
        if not (self.target.known and latest.known) or not self.target.value:
            return Figure.unknown()
        return combine(Fraction(latest.value, int(self.target.value)), latest, self.target)


def cycles(programme: str = Programme.ASYLUM) -> list[Cycle]:
    return list(Cycle.objects.filter(programme=programme).select_related("source").order_by("number"))


def stage_now(cycle: Cycle, today: datetime.date) -> str:
    """Where the cycle stands on ``today``, by its dates."""
    if today < cycle.starts_on:
        return _("not started")
    if cycle.proposal_due and today < cycle.proposal_due:
        return _("municipalities offer places; the province prepares its proposal")
    if cycle.decision_on is None or today < cycle.decision_on:
        return _("waiting for the minister's decision")
    if cycle.realise_by and today <= cycle.realise_by:
        return _("realising the places")
    return _("the deadline for the places has passed")


def checkpoints(cycle: Cycle, today: datetime.date) -> list[datetime.date]:
    """The dates realisation is read on: the end of each quarter from the cycle's start (the last four), the
    deadline, and today."""
    found = []
    quarter = Quarter.containing(cycle.starts_on)
    while quarter.end < today:
        found.append(quarter.end)
        quarter = quarter.next()
    found = found[-4:]
    if cycle.realise_by and cycle.realise_by < today and cycle.realise_by not in found:
        found.append(cycle.realise_by)
    found.append(today)
    return sorted(set(found))


def rows(
    cycle: Cycle, municipalities: list[Area], today: datetime.date | None = None
) -> tuple[list[datetime.date], list[CycleRow]]:
    today = today or timezone.localdate()
    dates = checkpoints(cycle, today)
    tasks: dict[tuple[int, str], ReceptionTask] = {}
    for task in (
        ReceptionTask.objects.filter(
            area__in=municipalities,
            programme=cycle.programme,
            cycle=cycle.number,
            measure__in=[stage for stage, _label in STAGES],
        )
        .select_related("source")
        .order_by("reference_date")
    ):
        tasks[(task.area_id, task.measure)] = task  # the latest of each
    locations = list(Location.objects.filter(municipality__in=municipalities, kind__in=ASYLUM_KINDS))
    observed: dict[int, list[LocationObservation]] = {}
    for observation in (
        LocationObservation.objects.filter(location__in=locations, reference_date__isnull=False)
        .select_related("source")
        .order_by("reference_date")
    ):
        observed.setdefault(observation.location_id, []).append(observation)
    incentives = sorted(
        rate.amount
        for rate in Rate.objects.filter(
            scheme=Rate.Scheme.DISTRIBUTION_INCENTIVE, valid_from__lte=cycle.starts_on
        )
    )
    cycle_ref = frozenset({SourceRef.of(cycle)})
    found = []
    for municipality in municipalities:
        stages = []
        for measure, _label in STAGES:
            task = tasks.get((municipality.pk, measure))
            stages.append(
                Figure(int(task.value), frozenset({SourceRef.of(task)}))
                if task
                else Figure.unknown(_("not known"))
            )
        target = next((stage for stage in reversed(stages) if stage.known), Figure.unknown())
        own = [location for location in locations if location.municipality_id == municipality.pk]
        realised = []
        for day in dates:
            places = sum(
                money.Places(
                    [(o.reference_date, o.capacity) for o in observed.get(location.pk, [])],
                    location.start_date,
                    location.end_date,
                ).on(day)
                for location in own
            )
            refs = frozenset(
                SourceRef.of(o)
                for location in own
                for o in observed.get(location.pk, [])
                if o.reference_date <= day
            )
            realised.append(Figure(places, refs) if refs else Figure(0, note=_("no location known")))
        incentive = low = high = None
        if target.known and cycle.incentive_per_place is not None:
            incentive = Figure(
                int(target.value * cycle.incentive_per_place), target.refs | cycle_ref, _("estimate")
            )
        elif target.known and incentives:
            low = combine(int(target.value * incentives[0]), target, note=_("estimate"))
            high = combine(int(target.value * incentives[-1]), target, note=_("estimate"))
        found.append(CycleRow(municipality, stages, target, realised, incentive, low, high))
    return dates, found
