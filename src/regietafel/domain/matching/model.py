"""The matcher's input and output: households, dwellings, options, proposals, results; the constants."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

TIE_KINDS = frozenset({"work", "study", "family", "care"})
OBJECTIVES = ("people", "deadline", "fit")

DEADLINE_HORIZON_DAYS = 182
"""Deadlines this many days or more after ``today`` all weigh 1 (see :func:`deadline_weight`)."""
OVERDUE_WEIGHT = 2 * (DEADLINE_HORIZON_DAYS + 1)
"""Weight of a household already past its deadline: twice that of one due today."""
TIE_RADIUS_KM = 25
"""A tie farther away than this adds nothing to the fit and is not given as a reason."""
WASTE_WEIGHT = 20
"""Fit points lost per unused place (one fit point is a tie 100 m closer).

Unused places of a dwelling: ``max_occupancy - people`` when it holds one household that is not sharing, and
``min(rooms, max_occupancy) - k`` when ``k`` singles share it (only that many singles could ever live there).
"""
CENTS = Decimal("0.01")
LEVEL_TIME_SHARE = {"people": 2, "deadline": 1, "fit": 1}
"""How the time limit is shared out over the levels (see :func:`optimise`): the people and deadline levels,
solved by HiGHS, are normally proven long before their share is used; the levels after them (CP-SAT) get at most
their own share."""
LARGE_MODEL_PAIRS = 10_000
"""Above this many pairs the full model is solved without symmetry detection and probing in presolve, which
would otherwise take all of a component's time."""


@dataclass(frozen=True)
class Tie:
    """A reason for a household to live near a place: work, study, family or care."""

    kind: str
    place: str
    lat: float
    lon: float

    def __post_init__(self) -> None:
        if self.kind not in TIE_KINDS:
            raise ValueError(f"tie kind must be one of {sorted(TIE_KINDS)}, got {self.kind!r}")


@dataclass(frozen=True)
class Household:
    """A status-holder household linked by COA to ``municipality`` (deadline: link date + 10 weeks).

    ``max_rent`` is the housing-allowance rent limit of the household type, computed by the caller.
    """

    id: str
    municipality: str
    adults: int
    children: int
    deadline: datetime.date
    needs_accessible: bool = False
    is_amv: bool = False
    max_rent: Decimal = Decimal("682.96")
    ties: tuple[Tie, ...] = ()

    def __post_init__(self) -> None:
        if self.adults < 0 or self.children < 0 or self.adults + self.children == 0:
            raise ValueError(
                f"household {self.id}: needs at least one person, got {self.adults}+{self.children}"
            )

    @property
    def people(self) -> int:
        return self.adults + self.children

    @property
    def is_single(self) -> bool:
        """One adult, no children, not an unaccompanied minor: the only households that may share."""
        return self.adults == 1 and self.children == 0 and not self.is_amv


@dataclass(frozen=True)
class Dwelling:
    """A dwelling offered for status holders by a housing corporation or a (flex) project."""

    id: str
    municipality: str
    place: str
    lat: float
    lon: float
    rooms: int
    max_occupancy: int
    rent: Decimal
    accessible: bool
    available_on: datetime.date
    owner: str = ""
    sharing_allowed: bool = False

    def __post_init__(self) -> None:
        if self.rooms < 1 or self.max_occupancy < 1:
            raise ValueError(f"dwelling {self.id}: rooms and max_occupancy must be >= 1")
        if self.rent < 0:
            raise ValueError(f"dwelling {self.id}: rent must be >= 0")

    @property
    def single_places(self) -> int:
        """How many singles may share it: one per room, at most ``max_occupancy``; 1 without sharing."""
        return min(self.rooms, self.max_occupancy) if self.sharing_allowed else 1


@dataclass(frozen=True)
class Options:
    """What to match and how long to search.

    ``today`` (the day the deadlines are measured from) defaults to the real current date; pass it for
    reproducible results. ``workers`` is the number of processes solving components side by side (or, for a
    single component, of CP-SAT workers); with 1 worker everything runs in the calling process, and with no time
    limit reached the result is deterministic.
    """

    available_before: datetime.date
    today: datetime.date | None = None
    redistribution: frozenset[frozenset[str]] = frozenset()
    time_limit_seconds: float = 60.0
    objectives: tuple[str, ...] = OBJECTIVES
    workers: int = 1
    seed: int = 0

    def __post_init__(self) -> None:
        unknown = [name for name in self.objectives if name not in OBJECTIVES]
        if unknown or not self.objectives or len(set(self.objectives)) != len(self.objectives):
            raise ValueError(f"objectives must be distinct names from {OBJECTIVES}, got {self.objectives!r}")
        if self.workers < 1:
            raise ValueError(f"workers must be >= 1, got {self.workers}")
        if self.time_limit_seconds <= 0:
            raise ValueError(f"time_limit_seconds must be > 0, got {self.time_limit_seconds}")

    @property
    def reference_day(self) -> datetime.date:
        return self.today if self.today is not None else datetime.date.today()


# --- output -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One structured reason for a proposal; the web layer words it (codes and params: :func:`reasons`)."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class Proposal:
    household_id: str
    dwelling_id: str
    shared_with: tuple[str, ...] = ()
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class LevelResult:
    """One objective level: the value reached, the best proven bound (>= objective) and whether it is optimal;
    ``seconds``: when the level was done for every component, counted from the start of the run (0 when not
    measured; not compared)."""

    name: str
    objective: int
    bound: int
    optimal: bool
    seconds: float = field(default=0.0, compare=False)

    @property
    def gap(self) -> float:
        """Relative gap ``(bound - objective) / max(1, |bound|)``; 0 when optimal."""
        return (self.bound - self.objective) / max(1, abs(self.bound))


@dataclass(frozen=True)
class Result:
    """Proposals (in household input order) and figures.

    ``past_deadline``: households without a proposal whose deadline lies before ``available_before`` (module doc);
    ``housed_after_deadline``: households with a proposal whose dwelling becomes available after their deadline;
    ``status``: ``"optimal"`` (every level proven), ``"feasible"`` (a level has a gap) or ``"heuristic"`` (greedy);
    ``components``: the number of independent parts solved.
    """

    proposals: list[Proposal]
    levels: list[LevelResult]
    people_housed: int
    households_housed: int
    past_deadline: int
    housed_after_deadline: int
    seconds: float
    status: str
    components: int = 0
