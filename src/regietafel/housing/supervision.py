"""Supervision of the housing task: where each municipality stands on its province's ladder, and what the misses
propose (``domain.supervision``). A person records what the province decided (``place``); nothing moves by itself."""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from regietafel.core.figures import Figure, SourceRef
from regietafel.core.sources import cite
from regietafel.domain import supervision
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import SupervisionPlacement, SupervisionStep
from regietafel.regions.models import Area


class SupervisionError(ValueError):
    pass


@dataclass(frozen=True)
class SupervisionRow:
    municipality: Area
    province: Area | None
    ladder: list[SupervisionStep]
    history: list[SupervisionPlacement]  # newest first
    missed: Figure  # consecutive completed half-years with the target not met
    proposal: SupervisionStep | None = None
    escalates: bool = False

    @property
    def current(self) -> SupervisionPlacement | None:
        return self.history[0] if self.history else None

    @property
    def step(self) -> SupervisionStep | None:
        return self.current.step if self.current else None

    @property
    def proposal_figure(self) -> Figure:
        """The proposal as a conclusion of the misses: it carries their sources, and their demo marker."""
        return Figure(self.proposal.order if self.proposal else None, self.missed.refs)

    @property
    def placement_ref(self) -> Figure:
        """The current step as a figure citing the province's letter or decision."""
        if self.current is None:
            return Figure.unknown()
        return Figure(self.current.step.order, frozenset({SourceRef.of(self.current)}))


def rows(
    ledger: HousingLedger,
    half_year: HalfYear | None,
    municipalities: list[Area] | None = None,
    missed: dict[int, Figure] | None = None,
) -> list[SupervisionRow]:
    """The supervision row of each municipality (default: the ledger's), as the misses stand at ``half_year``;
    two queries whatever the number of municipalities (three where their regions are not loaded). ``missed``: the misses per municipality id where a page has
    them already (its housing table), so the ledger does not count them again."""
    municipalities = ledger.municipalities if municipalities is None else municipalities
    province_of = _provinces(municipalities)
    ladders: dict[int, list[SupervisionStep]] = {}
    provinces: dict[int, Area] = {}
    steps = SupervisionStep.objects.filter(province_id__in=set(province_of.values())).select_related(
        "province", "source"
    )
    for step in steps.order_by("order"):
        ladders.setdefault(step.province_id, []).append(step)
        provinces[step.province_id] = step.province
    history: dict[int, list[SupervisionPlacement]] = {}
    placements = SupervisionPlacement.objects.filter(municipality__in=municipalities)
    if ledger.on is not None:  # as it stood on that date: later decisions are left out
        placements = placements.filter(since__lte=ledger.on)
    for placement in placements.select_related("step", "source").order_by("-since", "-id"):
        history.setdefault(placement.municipality_id, []).append(placement)
    found = []
    for municipality in municipalities:
        province = provinces.get(province_of.get(municipality.pk))
        ladder = ladders.get(province.pk, []) if province else []
        placements = history.get(municipality.pk, [])
        if missed is not None and municipality.pk in missed:
            misses = missed[municipality.pk]
        else:
            misses = ledger.row(municipality, half_year).missed if half_year else Figure.unknown()
        proposal, escalates = None, False
        if ladder and misses.known:
            steps = [supervision.Step(step.order, step.threshold) for step in ladder]
            current = placements[0].step.order if placements else None
            proposed = supervision.propose(steps, current, int(misses.value))
            if proposed is not None:
                proposal = next(step for step in ladder if step.order == proposed.order)
                escalates = proposed.escalates
        found.append(SupervisionRow(municipality, province, ladder, placements, misses, proposal, escalates))
    return found


def _provinces(municipalities: list[Area]) -> dict[int, int | None]:
    """The province id of each municipality (through its region); no query where their regions are loaded."""
    parent = Area._meta.get_field("parent")
    regions = {m.parent_id: m.parent for m in municipalities if parent.is_cached(m) and m.parent is not None}
    missing = {m.parent_id for m in municipalities if m.parent_id and m.parent_id not in regions}
    if missing:
        regions.update({area.pk: area for area in Area.objects.filter(pk__in=missing)})
    return {m.pk: regions[m.parent_id].parent_id if m.parent_id in regions else None for m in municipalities}


def on_a_step(found: list[SupervisionRow]) -> list[SupervisionRow]:
    """The rows to mention in a summary: above the ladder's first step, or with a proposal."""
    return [
        row
        for row in found
        if row.proposal is not None or (row.step is not None and row.step.order > row.ladder[0].order)
    ]


@transaction.atomic
def place(
    municipality: Area,
    step: SupervisionStep,
    since: datetime.date,
    occasion: str,
    source: str,
    note: str = "",
    reference_date: datetime.date | None = None,
    user=None,
) -> SupervisionPlacement:
    """Record the province's decision: from ``since`` the municipality is on ``step``. One decision per day; a
    step of another province's ladder is refused."""
    if step.province_id != getattr(municipality.province, "pk", None):
        raise SupervisionError(_("The step belongs to another province's ladder."))
    if (
        SupervisionPlacement.objects.select_for_update()
        .filter(municipality=municipality, since=since)
        .exists()
    ):
        raise SupervisionError(
            _("A decision on this date is already recorded for %(name)s.") % {"name": municipality.name}
        )
    return SupervisionPlacement.objects.create(
        municipality=municipality,
        step=step,
        since=since,
        occasion=occasion,
        note=note,
        source=cite(source),
        reference_date=reference_date or since,
        decided_by=user if getattr(user, "is_authenticated", False) else None,
    )
