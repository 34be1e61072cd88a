"""A scenario's numbers as computed now (``services.compute``): one line per municipality with its population, key
entry, outcome and explanation, and the numbers in the active locale."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils.formats import number_format

from regietafel.distribution.models import KeyEntry, Scenario, ScenarioLine
from regietafel.domain import distribution as plan_rules
from regietafel.domain.apportionment import MINIMUM
from regietafel.reception.models import ReceptionTask
from regietafel.regions.models import Area, PopulationFigure


def number(value: Fraction | int | Decimal, places: int = 0) -> str:
    """A number in the active locale (Dutch: 1.234,56), rounded half up to ``places`` decimals exactly."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    value = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return number_format(value, decimal_pos=places, use_l10n=True, force_grouping=True)


def percentage(value: Fraction, places: int = 2) -> str:
    return number(value * 100, places) + "%"


@dataclass
class ResultLine:
    municipality: Area
    population: PopulationFigure
    entry: KeyEntry | None
    line: ScenarioLine
    outcome: plan_rules.Line
    indicative: ReceptionTask | None
    explanation: list[str] = field(default_factory=list)

    @property
    def places(self) -> int:
        """The adopted number once the scenario is adopted (frozen), else the number computed now."""
        return self.outcome.places if self.line.adopted_places is None else self.line.adopted_places

    @property
    def minors(self) -> int:
        return self.outcome.minors if self.line.adopted_minors is None else self.line.adopted_minors

    @property
    def changed_since_adoption(self) -> bool:
        return self.line.adopted_places is not None and (
            self.outcome.places != self.line.adopted_places or self.outcome.minors != self.line.adopted_minors
        )

    @property
    def share_display(self) -> str:
        return percentage(self.outcome.share)

    @property
    def quota_display(self) -> str:
        return number(self.outcome.quota, 2)

    @property
    def indicative_places(self) -> int | None:
        return int(self.indicative.value) if self.indicative else None

    @property
    def difference_from_indicative(self) -> int | None:
        return None if self.indicative is None else self.places - int(self.indicative.value)

    @property
    def gap(self) -> int | None:
        """What the municipality's offer falls short of its proposal (negative: it offers more)."""
        return None if self.line.offer is None else self.places - self.line.offer


@dataclass
class Result:
    scenario: Scenario
    lines: list[ResultLine]
    population_total: int
    uses_demo: bool
    key_has_entries: bool = False
    # The share of the places for unaccompanied minors (0 outside the Spreidingswet).
    amv_share: Fraction = Fraction(0)
    # The task the total was checked against: the state's task for the area when the total equals it.
    total_is_task: bool = False
    # The area's own population when the municipalities known here add up to less (not every one is loaded).
    incomplete_area: PopulationFigure | None = None

    @property
    def places(self) -> int:
        return sum(line.places for line in self.lines)

    @property
    def minors(self) -> int:
        return sum(line.minors for line in self.lines)

    @property
    def offers(self) -> int | None:
        offers = [line.line.offer for line in self.lines]
        return None if any(offer is None for offer in offers) else sum(offers)

    @property
    def realised(self) -> int:
        return sum(line.line.realised for line in self.lines)

    @property
    def population_sources(self) -> list[str]:
        return sorted({line.population.source.name for line in self.lines})

    @property
    def realised_counted(self) -> bool:
        """Whether places already realised, counted first, decided any municipality's number."""
        return any(
            line.outcome.division.explanation.bound == MINIMUM and line.outcome.floor_from == "realised"
            for line in self.lines
        )

    @property
    def changed_since_adoption(self) -> list[Area]:
        """Municipalities whose number computed now differs from the adopted one (corrected populations)."""
        return [line.municipality for line in self.lines if line.changed_since_adoption]
