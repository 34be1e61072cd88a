"""The distribution planner's changes and its one computation. Each changing function is one transaction.

``compute`` reads a scenario's inputs (populations on the key's date, the key's entries, the lines' realised places)
and applies ``domain.distribution``; nothing is stored until a scenario is adopted, so a changed key or offer is
reflected at once. ``adopt`` freezes the numbers on the scenario's lines and writes them as reception tasks
(agreed places and agreed places for minors), with the scenario and the adoption date as their source; the monitor
uses those as targets. From then on the scenario shows its frozen numbers, and the key it used can no longer
change (a changed policy is a new key). Edits carry the version the user saw; when someone else saved in between,
StaleEdit is raised and nothing is written.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from fractions import Fraction

from django.db import transaction
from django.db.models import F, Q
from django.utils import translation
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from regietafel.core.models import Confidence
from regietafel.core.sources import cite
from regietafel.core.versioning import locked
from regietafel.distribution.explain import explain
from regietafel.distribution.models import DistributionKey, KeyEntry, Scenario, ScenarioLine
from regietafel.distribution.results import Result, ResultLine
from regietafel.domain import distribution as plan_rules
from regietafel.reception.ledger import ASYLUM_KINDS
from regietafel.reception.models import Location, Programme, ReceptionTask
from regietafel.regions.models import Area, PopulationFigure


class PlanError(ValueError):
    pass


def municipalities_of(area: Area) -> list[Area]:
    """The municipalities within a country, province or region (or the municipality itself)."""
    if area.kind == Area.Kind.MUNICIPALITY:
        return [area]
    if area.kind == Area.Kind.COUNTRY:
        return list(Area.objects.municipalities().order_by("name"))
    return list(
        Area.objects.municipalities().filter(Q(parent=area) | Q(parent__parent=area)).order_by("name")
    )


def default_total(area: Area, programme: str, cycle: int | None = None) -> ReceptionTask | None:
    """The task that applies to the area: a province's task, a region's task or the national number."""
    measure = {
        Area.Kind.COUNTRY: ReceptionTask.Measure.NATIONAL_PLACES,
        Area.Kind.PROVINCE: ReceptionTask.Measure.PROVINCE_TASK,
        Area.Kind.REGION: ReceptionTask.Measure.REGIONAL_TASK,
    }.get(area.kind)
    if measure is None:
        return None
    tasks = ReceptionTask.objects.filter(area=area, programme=programme, measure=measure)
    if cycle is not None:
        tasks = tasks.filter(cycle=cycle)
    # NULLs last on every database (PostgreSQL puts them first in a descending order, SQLite last).
    return tasks.order_by(F("cycle").desc(nulls_last=True), "-reference_date").first()


def total_source(task: ReceptionTask) -> str:
    """How a scenario cites the task its total was taken from: measure, source and reference date."""
    reference = date_format(task.reference_date) if task.reference_date else ""
    return f"{task.get_measure_display()}: {task.source}, {reference}".strip(", ")


def realised_places(
    municipalities: list[Area], programme: str, on: datetime.date
) -> dict[int, tuple[int, bool]]:
    """Places of existing locations per municipality on a date: (capacity, any of it demo)."""
    kinds = [Location.Kind.MUNICIPAL_UKRAINE] if programme == Programme.UKRAINE else ASYLUM_KINDS
    found: dict[int, tuple[int, bool]] = {}
    for location in (
        Location.objects.filter(municipality__in=municipalities, kind__in=kinds)
        .exclude(start_date__gt=on)
        .exclude(end_date__lt=on)
    ):
        places, demo = found.get(location.municipality_id, (0, False))
        found[location.municipality_id] = (places + location.capacity, demo or location.is_demo)
    return found


def adopted_use(key: DistributionKey) -> Scenario | None:
    """An adopted scenario (current or superseded) that used the key: the key is then part of a decision."""
    return key.scenarios.filter(adopted_on__isnull=False).order_by("adopted_on").first()


# --- keys -----------------------------------------------------------------------------------------------------


@transaction.atomic
def save_key(
    key: DistributionKey | None,
    *,
    name: str,
    description: str,
    population_date: datetime.date,
    amv_share: Decimal,
    count_realised: bool,
    source: str,
    entries: dict[Area, tuple[Decimal, int, int | None]] | None = None,
    version: int | None = None,
) -> DistributionKey:
    """Create or change a key; ``entries`` (municipality: factor, minimum, maximum) replace those given."""
    if not PopulationFigure.objects.filter(
        reference_date=population_date, area__kind=Area.Kind.MUNICIPALITY, is_demo=False
    ).exists():
        raise PlanError(
            _("There are no population figures on %(date)s; load them first or choose another date.")
            % {"date": date_format(population_date)}
        )
    if DistributionKey.objects.filter(name=name).exclude(pk=key.pk if key else None).exists():
        raise PlanError(_("There is already a key called %(name)s.") % {"name": name})
    if key is None:
        key = DistributionKey()
    else:
        key = locked(DistributionKey, key.pk, version)
        used = adopted_use(key)
        if used is not None:
            raise PlanError(
                _(
                    "This key was used for the scenario “%(name)s”, adopted on %(date)s; its numbers are part of "
                    "that decision. Copy the key and change the copy."
                )
                % {"name": used.name, "date": date_format(used.adopted_on)}
            )
        key.version += 1
    key.name, key.description, key.population_date = name, description, population_date
    key.amv_share, key.count_realised, key.source = amv_share, count_realised, source
    key.save()
    for municipality, (factor, minimum, maximum) in (entries or {}).items():
        if maximum is not None and maximum < minimum:
            raise PlanError(
                _("%(municipality)s: the maximum (%(maximum)s) is below the minimum (%(minimum)s).")
                % {"municipality": municipality.name, "maximum": maximum, "minimum": minimum}
            )
        if factor == 1 and minimum == 0 and maximum is None:
            KeyEntry.objects.filter(key=key, municipality=municipality).delete()
        else:
            KeyEntry.objects.update_or_create(
                key=key,
                municipality=municipality,
                defaults={"factor": factor, "minimum": minimum, "maximum": maximum},
            )
    return key


@transaction.atomic
def copy_key(key: DistributionKey, *, name: str) -> DistributionKey:
    """A new key with the same rule and entries, to change where the original is part of a decision."""
    if DistributionKey.objects.filter(name=name).exists():
        raise PlanError(_("There is already a key called %(name)s.") % {"name": name})
    copy = DistributionKey.objects.create(
        name=name,
        description=key.description,
        population_date=key.population_date,
        amv_share=key.amv_share,
        count_realised=key.count_realised,
        source=key.source,
    )
    KeyEntry.objects.bulk_create(
        KeyEntry(
            key=copy,
            municipality_id=entry.municipality_id,
            factor=entry.factor,
            minimum=entry.minimum,
            maximum=entry.maximum,
        )
        for entry in key.entries.all()
    )
    return copy


# --- scenarios ------------------------------------------------------------------------------------------------


@transaction.atomic
def create_scenario(
    *,
    name: str,
    area: Area,
    programme: str,
    cycle: int | None,
    total: int,
    total_source: str,
    method: str,
    key: DistributionKey,
    realised_on: datetime.date,
    note: str = "",
    user=None,
) -> Scenario:
    municipalities = municipalities_of(area)
    if not municipalities:
        raise PlanError(_("%(area)s has no municipalities.") % {"area": area.name})
    scenario = Scenario.objects.create(
        name=name,
        area=area,
        programme=programme,
        cycle=cycle,
        total=total,
        total_source=total_source,
        method=method,
        key=key,
        realised_on=realised_on,
        note=note,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    _add_lines(scenario, municipalities)
    compute(scenario)  # refuse a scenario that cannot be computed, with the reason
    return scenario


def _add_lines(scenario: Scenario, municipalities: list[Area], offers: dict[int, int | None] | None = None):
    """One line per municipality, with the places of its locations open on the scenario's date."""
    realised = realised_places(municipalities, scenario.programme, scenario.realised_on)
    ScenarioLine.objects.bulk_create(
        ScenarioLine(
            scenario=scenario,
            municipality=municipality,
            realised=realised.get(municipality.pk, (0, False))[0],
            realised_is_demo=realised.get(municipality.pk, (0, False))[1],
            offer=(offers or {}).get(municipality.pk),
        )
        for municipality in municipalities
    )


@transaction.atomic
def copy_scenario(scenario: Scenario, *, name: str, method: str, key: DistributionKey, user=None) -> Scenario:
    """A new scenario with the same area, total and offers, and another method or key.

    Its lines are the area's municipalities now, with the places of existing locations counted again on the same
    date, so a copy of an older scenario reflects municipal mergers and corrected locations.
    """
    municipalities = municipalities_of(scenario.area)
    if not municipalities:
        raise PlanError(_("%(area)s has no municipalities.") % {"area": scenario.area.name})
    copy = Scenario.objects.create(
        name=name,
        area=scenario.area,
        programme=scenario.programme,
        cycle=scenario.cycle,
        total=scenario.total,
        total_source=scenario.total_source,
        method=method,
        key=key,
        realised_on=scenario.realised_on,
        note=scenario.note,
        created_by=user if user is not None and user.is_authenticated else None,
    )
    _add_lines(copy, municipalities, {line.municipality_id: line.offer for line in scenario.lines.all()})
    compute(copy)
    return copy


@transaction.atomic
def save_offers(scenario: Scenario, offers: dict[int, int | None], version: int | None) -> Scenario:
    """Record the offers per municipality (line id: places or None); refused once the scenario is adopted."""
    current = locked(Scenario, scenario.pk, version)
    if current.adopted_on is not None:
        raise PlanError(_("This scenario has been adopted; its offers can no longer change."))
    lines = {line.pk: line for line in current.lines.all()}
    changed = []
    for pk, offer in offers.items():
        line = lines.get(pk)
        if line is None:
            raise PlanError(_("A municipality in this form is not part of the scenario."))
        if line.offer != offer:
            line.offer = offer
            changed.append(line)
    ScenarioLine.objects.bulk_update(changed, ["offer"])
    current.version += 1
    current.save(update_fields=["version", "updated_at"])
    return current


@transaction.atomic
def delete_scenario(scenario: Scenario, version: int | None) -> None:
    """Delete a draft; an adopted (or superseded) scenario is the record of a decision and stays."""
    current = locked(Scenario, scenario.pk, version)
    if current.adopted_on is not None:
        raise PlanError(_("An adopted scenario is the record of a decision and cannot be deleted."))
    current.delete()


def _indicative(municipalities: list[Area], programme: str, cycle: int | None) -> dict[int, ReceptionTask]:
    tasks = ReceptionTask.objects.filter(
        area__in=municipalities, programme=programme, measure=ReceptionTask.Measure.INDICATIVE_PLACES
    )
    if cycle is not None:
        tasks = tasks.filter(cycle=cycle)
    found = {}
    for task in tasks.order_by("reference_date"):
        found[task.area_id] = task
    return found


def compute(scenario: Scenario) -> Result:
    """The scenario's numbers now, with a Dutch explanation per municipality; PlanError when it cannot be done."""
    key = scenario.key
    lines = list(scenario.lines.select_related("municipality").order_by("municipality__name"))
    municipalities = [line.municipality for line in lines]
    populations = {
        figure.area_id: figure
        for figure in PopulationFigure.objects.filter(
            area__in=municipalities, reference_date=key.population_date, is_demo=False
        )
    }
    missing = [m.name for m in municipalities if m.pk not in populations]
    if missing:
        raise PlanError(
            _("No population on %(date)s for %(names)s.")
            % {"date": date_format(key.population_date), "names": ", ".join(missing)}
        )
    entries = {entry.municipality_id: entry for entry in key.entries.filter(municipality__in=municipalities)}
    inputs = []
    for line in lines:
        entry = entries.get(line.municipality_id)
        inputs.append(
            plan_rules.Municipality(
                line.municipality.code,
                populations[line.municipality_id].population,
                Fraction(entry.factor) if entry else Fraction(1),
                entry.minimum if entry else 0,
                entry.maximum if entry else None,
                line.realised,
            )
        )
    # The share for unaccompanied minors is a Spreidingswet rule: other programmes have no such split.
    amv_share = Fraction(key.amv_share) if scenario.programme == Programme.ASYLUM else Fraction(0)
    try:
        outcomes = plan_rules.plan(inputs, scenario.total, scenario.method, amv_share, key.count_realised)
    except plan_rules.Infeasible as exc:
        raise PlanError(_infeasible_message(exc, {m.code: m for m in municipalities})) from exc
    indicative = _indicative(municipalities, scenario.programme, scenario.cycle)
    population_total = sum(populations[m.pk].population for m in municipalities)
    result_lines = [
        ResultLine(
            line.municipality,
            populations[line.municipality_id],
            entries.get(line.municipality_id),
            line,
            outcome,
            indicative.get(line.municipality_id),
        )
        for line, outcome in zip(lines, outcomes, strict=True)
    ]
    result = Result(
        scenario,
        result_lines,
        population_total,
        uses_demo=key.count_realised and any(line.realised_is_demo and line.realised for line in lines),
        key_has_entries=bool(entries),
        amv_share=amv_share,
    )
    task = default_total(scenario.area, scenario.programme, scenario.cycle)
    result.total_is_task = task is not None and task.value == scenario.total
    area_population = PopulationFigure.objects.filter(
        area=scenario.area, reference_date=key.population_date, is_demo=False
    ).first()
    if area_population is not None and area_population.population != population_total:
        result.incomplete_area = area_population
    for line in result_lines:
        line.explanation = explain(result, line)
    return result


def _infeasible_message(exc: plan_rules.Infeasible, by_code: dict[str, Area]) -> str:
    name = by_code[exc.code].name if exc.code in by_code else ""
    n = {
        k: number_format(v, force_grouping=True) if isinstance(v, int) else v for k, v in exc.numbers.items()
    }
    messages = {
        plan_rules.NEGATIVE_TOTAL: _("The total must be 0 or more."),
        plan_rules.NO_MUNICIPALITIES: _("There are no municipalities to divide over."),
        plan_rules.BAD_SHARE: _("The share for minors must be between 0% and 100%."),
        plan_rules.BAD_FACTOR: _("%(name)s: the factor must be 0 or more."),
        plan_rules.MINIMUM_ABOVE_MAXIMUM: _(
            "%(name)s: the minimum (%(minimum)s) is above the maximum (%(maximum)s)."
        ),
        plan_rules.REALISED_ABOVE_MAXIMUM: _(
            "%(name)s: the %(realised)s places already realised are more than its maximum (%(maximum)s)."
        ),
        plan_rules.MINIMUMS_ABOVE_TOTAL: _(
            "The minimums and the places already realised add up to %(minimums)s, more than the total of "
            "%(total)s. Raise the total or lower a minimum."
        ),
        plan_rules.MAXIMUMS_BELOW_TOTAL: _(
            "At most %(maximums)s places fit within the maximums, fewer than the total of %(total)s. Raise a "
            "maximum or lower the total."
        ),
        plan_rules.NO_WEIGHT: _(
            "No municipality has a weight (population times factor above 0), so only the minimums "
            "(%(minimums)s) can be given out, not the total of %(total)s. Factor 0: %(names)s."
        ),
    }
    names = ", ".join(by_code[code].name for code in exc.numbers.get("codes", ()) if code in by_code)
    return messages[exc.reason] % {"name": name, **n, "names": names or "-"}


@transaction.atomic
def adopt(
    scenario: Scenario,
    *,
    on: datetime.date,
    note: str,
    user,
    version: int | None,
    key_version: int | None,
) -> Scenario:
    """Adopt the scenario: freeze its numbers and write them as the municipalities' agreed places.

    The scenario and its key must still be as the user saw them (``version``, ``key_version``). An earlier
    adopted scenario for the same area, programme and cycle is marked superseded; the new decision cannot be
    dated before it. The superseded scenario keeps its frozen numbers, and its tasks stay as history unless the
    new decision has the same date (then the monitor's task for that date is the new one).
    """
    current = locked(Scenario, scenario.pk, version)
    if current.adopted_on is not None:
        raise PlanError(_("This scenario has already been adopted."))
    locked(DistributionKey, current.key_id, key_version)
    earlier = list(
        Scenario.objects.select_for_update()
        .filter(
            area=current.area,
            programme=current.programme,
            cycle=current.cycle,
            adopted_on__isnull=False,
            superseded_on__isnull=True,
        )
        .exclude(pk=current.pk)
    )
    for other in earlier:
        if on < other.adopted_on:
            raise PlanError(
                _(
                    "The scenario “%(name)s” was adopted on %(date)s for the same area, programme and cycle; "
                    "a decision that replaces it cannot be dated before it."
                )
                % {"name": other.name, "date": date_format(other.adopted_on)}
            )
    result = compute(current)
    Scenario.objects.filter(pk__in=[other.pk for other in earlier]).update(superseded_on=on)
    with translation.override("nl"):
        source = _("Regietafel: scenario %(name)s, adopted on %(date)s") % {
            "name": current.name,
            "date": date_format(on, "j F Y"),
        }
    for line in result.lines:
        line.line.adopted_places = line.outcome.places
        line.line.adopted_minors = line.outcome.minors
        for measure, value in (
            (ReceptionTask.Measure.AGREED_PLACES, line.outcome.places),
            (ReceptionTask.Measure.AGREED_MINOR_PLACES, line.outcome.minors),
        ):
            ReceptionTask.objects.update_or_create(
                area=line.municipality,
                programme=current.programme,
                measure=measure,
                cycle=current.cycle,
                reference_date=on,
                defaults={
                    "value": value,
                    "source": cite(source[:300], Confidence.HIGH),
                    "note": note[:300],
                    "is_demo": result.uses_demo,
                },
            )
    ScenarioLine.objects.bulk_update(
        [line.line for line in result.lines], ["adopted_places", "adopted_minors"]
    )
    current.adopted_on = on
    current.adopted_by = user if user is not None and user.is_authenticated else None
    current.adopted_note = note
    current.version += 1
    current.save()
    return current
