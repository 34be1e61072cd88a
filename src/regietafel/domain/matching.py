"""Matching status-holder households to dwellings: an optimiser with explained proposals, and the status quo.

Pure Python, no Django: stdlib plus OR-Tools (CP-SAT for the matching with sharing, min-cost flow for the special
case without sharing). Money is ``Decimal`` and compared exactly; distances are floats but enter the models only as
integers (units of 100 m).

**Hard rules** (a proposal breaking one is never made; :func:`feasible_alone` and :func:`min_sharers` state them):

- *municipality*: a household is housed in its own municipality, or in a municipality that shares a redistribution
  group with it (Huisvestingswet 2014 art. 29 lid 2; ``Options.redistribution``);
- *availability*: the dwelling is available on or before ``Options.available_before``;
- *accessibility*: a household that needs an accessible dwelling gets an accessible one;
- *occupancy*: the people in a dwelling are at most its ``max_occupancy``;
- *rent*: the rent is at most the household's ``max_rent``; in a shared dwelling each of the ``k`` sharers pays
  ``rent / k`` and that share must be at most each sharer's ``max_rent`` (checked exactly as
  ``rent <= k * max_rent``);
- *sharing*: only singles (1 adult, no children, not AMV) share, only in a dwelling with ``sharing_allowed``, at
  most one single per room and at most ``max_occupancy`` singles. A dwelling holds either one household that is not
  a single, or 1..min(rooms, max_occupancy) singles (a single alone counts as a household of one: any dwelling);
- each household gets at most one dwelling.

**Objectives**, solved lexicographically in the order of ``Options.objectives`` (all maximised):

- ``"people"``: the number of people housed;
- ``"deadline"``: the sum over housed households of :func:`deadline_weight` (earliest deadlines first, households
  already past their deadline on ``Options.today`` first of all);
- ``"fit"``: :func:`tie_score` of each housed household in its dwelling, minus ``WASTE_WEIGHT`` per unused place
  (see :data:`WASTE_WEIGHT` for the definition of unused places).

Each level is optimised with the earlier ones fixed to at least the value found (``>=``; for a proven optimum of
a maximisation that is the same as ``==``), so a later level's bound holds under those constraints. Each
component starts from the better of the status quo (:func:`greedy`) and the optimum without sharing (min-cost
flow, :func:`solve_cost_matrix`), so the optimiser never houses fewer people than either, even when out of time.

**Scale**: households and dwellings split into independent components (municipalities joined by redistribution
groups, transitively); each component is solved on its own and the objectives and bounds are summed. Pairs that
break a hard rule on their own are pruned before a model is built.

**Past deadline** (``Result.past_deadline``, the same for the optimiser and :func:`greedy`): a household without a
proposal whose deadline lies before ``Options.available_before``. Every dwelling of this round is available by that
date; a household left out now can only be housed in a later round, after its deadline.
"""

from __future__ import annotations

import datetime
import math
import time
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

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
"""How a component's time is shared out over the levels still to solve (time left unused flows on)."""


# --- input --------------------------------------------------------------------------------------------------------


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
    reproducible results. ``workers`` is the number of threads (CP-SAT workers, or components solved side by side);
    with 1 worker and no time limit reached the result is deterministic.
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
    """One objective level: the value reached, the best proven bound (>= objective) and whether it is optimal."""

    name: str
    objective: int
    bound: int
    optimal: bool

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


# --- rules --------------------------------------------------------------------------------------------------------


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in km (mean earth radius 6371.0 km)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(a)))


def deadline_weight(household: Household, today: datetime.date) -> int:
    """Weight of housing ``household`` in the ``"deadline"`` level (larger is more urgent).

    With ``days_left = (deadline - today).days``: ``OVERDUE_WEIGHT`` (366) when ``days_left < 0``, otherwise
    ``DEADLINE_HORIZON_DAYS + 1 - min(days_left, DEADLINE_HORIZON_DAYS)``: 183 when due today, one less per day
    later, and 1 from 182 days on. So an earlier deadline always weighs more, and housing one overdue household
    counts as much as housing two that are due today.
    """
    days_left = (household.deadline - today).days
    if days_left < 0:
        return OVERDUE_WEIGHT
    return DEADLINE_HORIZON_DAYS + 1 - min(days_left, DEADLINE_HORIZON_DAYS)


def tie_distances(household: Household, dwelling: Dwelling) -> list[tuple[Tie, float]]:
    """Each tie of the household with its distance in km to the dwelling."""
    return [(tie, haversine_km(tie.lat, tie.lon, dwelling.lat, dwelling.lon)) for tie in household.ties]


def tie_score(household: Household, dwelling: Dwelling) -> int:
    """Fit points for ties: per tie ``max(0, 10 * TIE_RADIUS_KM - round(10 * km))``, i.e. 250 at 0 km down to 0 at
    25 km and beyond, in units of 100 m; summed over the household's ties (kinds weigh the same)."""
    return sum(max(0, 10 * TIE_RADIUS_KM - round(10 * km)) for _tie, km in tie_distances(household, dwelling))


def municipality_groups(options: Options) -> dict[str, frozenset[str]]:
    """For each municipality in a redistribution group, every municipality it may house households in."""
    allowed: dict[str, set[str]] = defaultdict(set)
    for group in options.redistribution:
        for code in group:
            allowed[code] |= group
    return {code: frozenset(codes) for code, codes in allowed.items()}


def may_use_municipality(
    household: Household, dwelling: Dwelling, groups: Mapping[str, frozenset[str]]
) -> bool:
    return dwelling.municipality == household.municipality or dwelling.municipality in groups.get(
        household.municipality, ()
    )


def feasible_alone(
    household: Household,
    dwelling: Dwelling,
    options: Options,
    groups: Mapping[str, frozenset[str]] | None = None,
) -> bool:
    """Whether ``household`` may live in ``dwelling`` as its only household (every hard rule but sharing)."""
    groups = municipality_groups(options) if groups is None else groups
    return (
        dwelling.available_on <= options.available_before
        and may_use_municipality(household, dwelling, groups)
        and (dwelling.accessible or not household.needs_accessible)
        and household.people <= dwelling.max_occupancy
        and dwelling.rent <= household.max_rent
    )


def min_sharers(
    household: Household,
    dwelling: Dwelling,
    options: Options,
    groups: Mapping[str, frozenset[str]] | None = None,
) -> int | None:
    """Fewest singles (``household`` included) that must share ``dwelling`` for it to be allowed, or None.

    For a household that is not a single, or a dwelling without sharing, this is 1 when :func:`feasible_alone`
    holds. For a single in a dwelling that allows sharing it is the least ``k`` with ``rent <= k * max_rent``,
    provided ``k <= dwelling.single_places`` and the other rules hold.
    """
    groups = municipality_groups(options) if groups is None else groups
    if not (household.is_single and dwelling.sharing_allowed):
        return 1 if feasible_alone(household, dwelling, options, groups) else None
    if (
        dwelling.available_on > options.available_before
        or not may_use_municipality(household, dwelling, groups)
        or (household.needs_accessible and not dwelling.accessible)
        or household.max_rent <= 0
    ):
        return None
    k = max(1, math.ceil(dwelling.rent / household.max_rent))
    while k * household.max_rent < dwelling.rent:
        k += 1
    while k > 1 and (k - 1) * household.max_rent >= dwelling.rent:
        k -= 1
    return k if k <= dwelling.single_places else None


def rent_share(dwelling: Dwelling, sharers: int) -> Decimal:
    """Rent per sharer, rounded half up to cents (for display; the rule itself is checked exactly)."""
    return (dwelling.rent / sharers).quantize(CENTS, rounding=ROUND_HALF_UP)


def reasons(household: Household, dwelling: Dwelling, sharers: int, options: Options) -> tuple[Reason, ...]:
    """The structured reasons for housing ``household`` in ``dwelling`` with ``sharers`` singles (1: alone).

    Codes and params, in this order:

    - ``deadline``: ``deadline`` (date), ``days_left`` (int, negative when overdue on ``today``);
    - ``size_fit``: ``rooms``, ``people`` (of the household), ``max_occupancy``, ``unused`` (places left unused);
    - ``tie_nearby`` (one per tie within ``TIE_RADIUS_KM``, nearest first): ``kind``, ``place``, ``km`` (float,
      1 decimal);
    - ``accessible`` (only when the household needs it): no params;
    - ``shared`` (only when shared): ``with`` (number of other singles), ``total_rent`` (Decimal);
    - ``rent_within_limit``: ``rent`` (the household's share, Decimal in cents), ``limit`` (its max_rent);
    - ``other_municipality`` (only when outside the own municipality): ``municipality`` (CBS code of the
      dwelling), ``own`` (the household's);
    - ``available``: ``available_on`` (date), ``before_deadline`` (bool).
    """
    today = options.reference_day
    singles_mode = household.is_single and dwelling.sharing_allowed
    unused = dwelling.single_places - sharers if singles_mode else dwelling.max_occupancy - household.people
    result = [
        Reason("deadline", {"deadline": household.deadline, "days_left": (household.deadline - today).days}),
        Reason(
            "size_fit",
            {
                "rooms": dwelling.rooms,
                "people": household.people,
                "max_occupancy": dwelling.max_occupancy,
                "unused": unused,
            },
        ),
    ]
    near = sorted(
        ((km, tie) for tie, km in tie_distances(household, dwelling) if km <= TIE_RADIUS_KM),
        key=lambda x: x[0],
    )
    result += [
        Reason("tie_nearby", {"kind": tie.kind, "place": tie.place, "km": round(km, 1)}) for km, tie in near
    ]
    if household.needs_accessible:
        result.append(Reason("accessible", {}))
    if sharers > 1:
        result.append(Reason("shared", {"with": sharers - 1, "total_rent": dwelling.rent}))
    result.append(
        Reason("rent_within_limit", {"rent": rent_share(dwelling, sharers), "limit": household.max_rent})
    )
    if dwelling.municipality != household.municipality:
        result.append(
            Reason(
                "other_municipality", {"municipality": dwelling.municipality, "own": household.municipality}
            )
        )
    result.append(
        Reason(
            "available",
            {
                "available_on": dwelling.available_on,
                "before_deadline": dwelling.available_on <= household.deadline,
            },
        )
    )
    return tuple(result)


# --- shared plumbing ----------------------------------------------------------------------------------------------


def _check_ids(households: Sequence[Household], dwellings: Sequence[Dwelling]) -> None:
    if len({h.id for h in households}) != len(households):
        raise ValueError("household ids must be unique")
    if len({d.id for d in dwellings}) != len(dwellings):
        raise ValueError("dwelling ids must be unique")


def components(
    households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options
) -> list[tuple[list[Household], list[Dwelling]]]:
    """Independent parts: municipalities joined (transitively) by redistribution groups, with their households and
    the dwellings available in time. Parts without households or without dwellings are left out."""
    parent: dict[str, str] = {}

    def find(code: str) -> str:
        parent.setdefault(code, code)
        while parent[code] != code:
            parent[code] = parent[parent[code]]
            code = parent[code]
        return code

    for group in options.redistribution:
        codes = sorted(group)
        for code in codes[1:]:
            root_a, root_b = find(codes[0]), find(code)
            if root_a != root_b:
                parent[max(root_a, root_b)] = min(root_a, root_b)
    by_root_h: dict[str, list[Household]] = defaultdict(list)
    by_root_d: dict[str, list[Dwelling]] = defaultdict(list)
    for household in households:
        by_root_h[find(household.municipality)].append(household)
    for dwelling in dwellings:
        if dwelling.available_on <= options.available_before:
            by_root_d[find(dwelling.municipality)].append(dwelling)
    return [(by_root_h[root], by_root_d[root]) for root in sorted(by_root_h) if by_root_d.get(root)]


def _summarise(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    assignment: Mapping[str, str],
    options: Options,
    levels: list[LevelResult],
    started: float,
    status: str,
    parts: int,
) -> Result:
    """Proposals with reasons and the counts, from a household id -> dwelling id assignment."""
    by_id = {h.id: h for h in households}
    dwelling_by_id = {d.id: d for d in dwellings}
    occupants: dict[str, list[str]] = defaultdict(list)
    for household_id, dwelling_id in assignment.items():
        occupants[dwelling_id].append(household_id)
    proposals = []
    for household in households:
        dwelling_id = assignment.get(household.id)
        if dwelling_id is None:
            continue
        dwelling = dwelling_by_id[dwelling_id]
        others = tuple(sorted(other for other in occupants[dwelling_id] if other != household.id))
        proposals.append(
            Proposal(
                household.id, dwelling_id, others, reasons(household, dwelling, len(others) + 1, options)
            )
        )
    housed = [by_id[household_id] for household_id in assignment]
    late = sum(1 for h in housed if dwelling_by_id[assignment[h.id]].available_on > h.deadline)
    past = sum(1 for h in households if h.id not in assignment and h.deadline < options.available_before)
    return Result(
        proposals=proposals,
        levels=levels,
        people_housed=sum(h.people for h in housed),
        households_housed=len(housed),
        past_deadline=past,
        housed_after_deadline=late,
        seconds=time.perf_counter() - started,
        status=status,
        components=parts,
    )


def _pair_values(household: Household, dwelling: Dwelling, today: datetime.date) -> dict[str, int]:
    """Per-pair parts of the objectives, for a household alone in the dwelling."""
    return {
        "people": household.people,
        "deadline": deadline_weight(household, today),
        "fit": tie_score(household, dwelling) - WASTE_WEIGHT * (dwelling.max_occupancy - household.people),
    }


def evaluate(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    assignment: Mapping[str, str],
    options: Options,
) -> dict[str, int]:
    """The value of each objective for a household id -> dwelling id assignment (as the optimiser counts it)."""
    by_id = {h.id: h for h in households}
    dwelling_by_id = {d.id: d for d in dwellings}
    today = options.reference_day
    occupants: dict[str, list[Household]] = defaultdict(list)
    for household_id, dwelling_id in assignment.items():
        occupants[dwelling_id].append(by_id[household_id])
    values = dict.fromkeys(OBJECTIVES, 0)
    for dwelling_id, members in occupants.items():
        dwelling = dwelling_by_id[dwelling_id]
        shared = dwelling.sharing_allowed and all(m.is_single for m in members)
        capacity = dwelling.single_places if shared else dwelling.max_occupancy
        people = sum(m.people for m in members)
        values["people"] += people
        values["deadline"] += sum(deadline_weight(m, today) for m in members)
        values["fit"] += sum(tie_score(m, dwelling) for m in members) - WASTE_WEIGHT * (capacity - people)
    return values


# --- the optimiser (CP-SAT) ---------------------------------------------------------------------------------------


@dataclass
class _Pair:
    household: int
    dwelling: int
    min_sharers: int
    shared: bool  # a single in a dwelling that allows sharing


def _component_pairs(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
) -> list[_Pair]:
    pairs = []
    by_municipality: dict[str, list[int]] = defaultdict(list)
    for di, dwelling in enumerate(dwellings):
        by_municipality[dwelling.municipality].append(di)
    for hi, household in enumerate(households):
        allowed = groups.get(household.municipality, frozenset()) | {household.municipality}
        for code in sorted(allowed):
            for di in by_municipality.get(code, ()):
                dwelling = dwellings[di]
                k = min_sharers(household, dwelling, options, groups)
                if k is not None:
                    pairs.append(_Pair(hi, di, k, household.is_single and dwelling.sharing_allowed))
    return pairs


@dataclass
class _ComponentOutcome:
    assignment: dict[str, str]
    levels: list[tuple[str, int, int, bool]]


def _solve_component(
    households: list[Household],
    dwellings: list[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
    seconds: float,
    cp_workers: int,
    deadline: float,
) -> _ComponentOutcome:
    started = time.perf_counter()
    today = options.reference_day
    pairs = _component_pairs(households, dwellings, options, groups)
    if not pairs:
        return _ComponentOutcome({}, [(name, 0, 0, True) for name in options.objectives])
    model = cp_model.CpModel()
    z = [model.new_bool_var(f"z{p.household}_{p.dwelling}") for p in pairs]
    by_household: dict[int, list[int]] = defaultdict(list)
    by_dwelling: dict[int, list[int]] = defaultdict(list)
    for index, pair in enumerate(pairs):
        by_household[pair.household].append(index)
        by_dwelling[pair.dwelling].append(index)
    for indices in by_household.values():
        if len(indices) > 1:
            model.add_at_most_one(z[i] for i in indices)
    people = [households[p.household].people for p in pairs]
    coefficients = {
        "people": people,
        "deadline": [deadline_weight(households[p.household], today) for p in pairs],
        "fit": [
            tie_score(households[p.household], dwellings[p.dwelling])
            - (0 if p.shared else WASTE_WEIGHT * (dwellings[p.dwelling].max_occupancy - people[i]))
            for i, p in enumerate(pairs)
        ],
    }
    # A dwelling shared by singles: exactly one of sharers[k] (k = 1..places) is 1 when k singles live there.
    variables = list(z)
    sharers: dict[int, list[cp_model.IntVar]] = {}
    positions: dict[int, range] = {}  # where each dwelling's sharers[k] sit in ``variables``
    for di, indices in by_dwelling.items():
        dwelling = dwellings[di]
        whole = [z[i] for i in indices if not pairs[i].shared]
        shared = [i for i in indices if pairs[i].shared]
        if shared:
            counts = sharers[di] = [
                model.new_bool_var(f"n{di}_{k}") for k in range(1, dwelling.single_places + 1)
            ]
            model.add(
                cp_model.LinearExpr.sum([z[i] for i in shared])
                == cp_model.LinearExpr.weighted_sum(counts, range(1, len(counts) + 1))
            )
            for i in shared:
                if pairs[i].min_sharers > 1:
                    model.add(cp_model.LinearExpr.sum(counts[pairs[i].min_sharers - 1 :]) >= z[i])
            whole += counts
            positions[di] = range(len(variables), len(variables) + len(counts))
            variables += counts
            coefficients["people"] += [0] * len(counts)
            coefficients["deadline"] += [0] * len(counts)
            # unused places of a shared dwelling: counted once, for the dwelling
            coefficients["fit"] += [-WASTE_WEIGHT * (len(counts) - k) for k in range(1, len(counts) + 1)]
        if len(whole) > 1:
            model.add_at_most_one(whole)

    # Start from the better (lexicographically) of the status quo and the optimum without sharing (min-cost flow):
    # both are feasible, so every level has a good solution from the start.
    start = _starting_assignment(households, dwellings, options, groups, today)
    values = [int((p.household, p.dwelling) in start) for p in pairs]
    for di, counts in sharers.items():
        k = sum(values[i] for i in by_dwelling[di] if pairs[i].shared)
        values += [int(k == n) for n in range(1, len(counts) + 1)]

    def _fallback_bound(name: str) -> int:
        """Each household (and shared dwelling) at its best pair; for people also: what the dwellings hold."""
        bound = sum(
            max(0, *(coefficients[name][i] for i in indices))
            for indices in [*by_household.values(), *positions.values()]
        )
        if name == "people":
            held = sum(
                max(dwellings[di].single_places if pairs[i].shared else people[i] for i in indices)
                for di, indices in by_dwelling.items()
            )
            bound = min(bound, held)
        return bound

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = cp_workers
    solver.parameters.random_seed = options.seed
    levels: list[tuple[str, int, int, bool]] = []
    for position, name in enumerate(options.objectives):
        expression = cp_model.LinearExpr.weighted_sum(variables, coefficients[name])
        model.clear_hints()
        for var, value in zip(variables, values, strict=True):
            model.add_hint(var, value)
        model.maximize(expression)
        remaining = min(seconds - (time.perf_counter() - started), deadline - time.perf_counter())
        if remaining <= 0:  # out of time: keep the start, report the fallback bound
            objective = sum(c * v for c, v in zip(coefficients[name], values, strict=True))
            levels.append((name, objective, _fallback_bound(name), False))
            continue
        share = LEVEL_TIME_SHARE[name] / sum(LEVEL_TIME_SHARE[n] for n in options.objectives[position:])
        solver.parameters.max_time_in_seconds = max(0.05, remaining * share)
        # More cuts close the later levels (with earlier objectives as constraints) far sooner; level one, close
        # to an assignment problem, is faster without them.
        solver.parameters.linearization_level = 1 if position == 0 else 2
        before = sum(c * v for c, v in zip(coefficients[name], values, strict=True))
        status = solver.solve(model)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = [int(solver.boolean_value(var)) for var in variables]
            if sum(c * v for c, v in zip(coefficients[name], found, strict=True)) >= before:
                values = found  # else keep the start (it meets every constraint so far)
        objective = sum(c * v for c, v in zip(coefficients[name], values, strict=True))
        optimal = status == cp_model.OPTIMAL
        if optimal:
            bound = objective
        elif status == cp_model.FEASIBLE:
            bound = max(objective, math.floor(solver.best_objective_bound + 1e-6))
        else:  # no solution in time (the start is kept): the solver's bound, or the fallback
            bound = _fallback_bound(name)
            if math.isfinite(solver.best_objective_bound):
                bound = max(objective, min(bound, math.floor(solver.best_objective_bound + 1e-6)))
        levels.append((name, objective, bound, optimal))
        model.add(expression >= objective)
    assignment = {
        households[p.household].id: dwellings[p.dwelling].id for p, v in zip(pairs, values, strict=False) if v
    }
    # Report the final solution; a later level may have raised an earlier objective above its fixed value, which
    # stays within that level's bound.
    final = [
        (name, sum(c * v for c, v in zip(coefficients[name], values, strict=True)), bound, optimal)
        for name, _objective, bound, optimal in levels
    ]
    return _ComponentOutcome(assignment, final)


def _starting_assignment(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
    today: datetime.date,
) -> set[tuple[int, int]]:
    status_quo = _greedy_assignment(households, dwellings, options, groups)
    household_index = {h.id: i for i, h in enumerate(households)}
    dwelling_index = {d.id: j for j, d in enumerate(dwellings)}
    matrix = _cost_matrix(households, without_sharing(dwellings), options, groups, today)
    no_sharing = [(household_index[h], dwelling_index[d]) for h, d in solve_cost_matrix(matrix)]

    def key(pairs: list[tuple[int, int]]) -> tuple[int, ...]:
        values = evaluate(
            households, dwellings, {households[h].id: dwellings[d].id for h, d in pairs}, options
        )
        return tuple(values[name] for name in options.objectives)

    return set(max(status_quo, no_sharing, key=key))


def optimise(households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options) -> Result:
    """Propose dwellings for households: lexicographic optimum of ``options.objectives`` under the hard rules.

    Components are solved with CP-SAT, side by side when there are several (one CP-SAT worker each) or one at a
    time with ``options.workers`` CP-SAT workers. The time limit is shared out over the components in proportion
    to their number of households and dwellings, and within a component over the levels still to solve.
    Per level the result gives the summed objective and bound; ``optimal`` when every component proved it.
    """
    started = time.perf_counter()
    _check_ids(households, dwellings)
    groups = municipality_groups(options)
    parts = components(households, dwellings, options)
    sizes = [len(h) * len(d) for h, d in parts]
    total = sum(sizes) or 1
    parallel = min(options.workers, len(parts))
    cp_workers = max(1, options.workers // max(1, len(parts)))
    budget = options.time_limit_seconds * 0.9 - (time.perf_counter() - started)  # 10 %: building the result

    def run(index: int) -> _ComponentOutcome:
        share = budget * parallel * sizes[index] / total
        households_part, dwellings_part = parts[index]
        return _solve_component(
            households_part,
            dwellings_part,
            options,
            groups,
            max(0.2, share),
            cp_workers,
            started + 0.9 * options.time_limit_seconds,
        )

    order = sorted(range(len(parts)), key=lambda i: -sizes[i])
    if parallel > 1:
        with ThreadPoolExecutor(max_workers=parallel) as pool:
            outcomes = dict(zip(order, pool.map(run, order), strict=True))
    else:
        outcomes = {i: run(i) for i in order}
    assignment: dict[str, str] = {}
    totals = {name: [0, 0, True] for name in options.objectives}
    for i in range(len(parts)):
        assignment.update(outcomes[i].assignment)
        for name, objective, bound, optimal in outcomes[i].levels:
            totals[name][0] += objective
            totals[name][1] += bound
            totals[name][2] = totals[name][2] and optimal
    levels = [LevelResult(name, int(o), int(b), bool(opt)) for name, (o, b, opt) in totals.items()]
    status = "optimal" if all(level.optimal for level in levels) else "feasible"
    return _summarise(households, dwellings, assignment, options, levels, started, status, len(parts))


# --- the status quo -----------------------------------------------------------------------------------------------


def _greedy_assignment(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
) -> list[tuple[int, int]]:
    """First come, first served, as index pairs (see :func:`greedy`)."""
    by_municipality: dict[str, list[int]] = defaultdict(list)
    for di in sorted(range(len(dwellings)), key=lambda i: (dwellings[i].available_on, dwellings[i].id)):
        if dwellings[di].available_on <= options.available_before:
            by_municipality[dwellings[di].municipality].append(di)
    sharers: dict[int, list[tuple[int, int]]] = defaultdict(list)  # dwelling -> (household, min sharers)
    whole: dict[int, int] = {}  # dwelling -> the one household that is not sharing
    for hi in sorted(range(len(households)), key=lambda i: (households[i].deadline, households[i].id)):
        household = households[hi]
        allowed = sorted(groups.get(household.municipality, frozenset()) | {household.municipality})
        candidates = [di for code in allowed for di in by_municipality.get(code, ())]
        if len(allowed) > 1:
            candidates.sort(key=lambda i: (dwellings[i].available_on, dwellings[i].id))
        for di in candidates:
            dwelling = dwellings[di]
            if di in whole:
                continue
            if household.is_single and dwelling.sharing_allowed:
                k = min_sharers(household, dwelling, options, groups)
                if k is None or len(sharers[di]) >= dwelling.single_places:
                    continue
                sharers[di].append((hi, k))
                break
            if not sharers[di] and feasible_alone(household, dwelling, options, groups):
                whole[di] = hi
                break
    result = [(hi, di) for di, hi in whole.items()]
    for di, members in sharers.items():
        # Singles whose share stays above their limit with the singles found leave again, the last one first.
        while any(k > len(members) for _hi, k in members):
            last = max(i for i, (_hi, k) in enumerate(members) if k > len(members))
            members.pop(last)
        result += [(hi, di) for hi, _k in members]
    return sorted(result)


def greedy(households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options) -> Result:
    """The status quo, first come first served, under the same hard rules as :func:`optimise`.

    Households in order of deadline (= link date + 10 weeks), then id, each take the first dwelling, in order of
    availability date then id, that they may move into given the households already placed: an empty dwelling
    they may have alone, or, for a single, a dwelling that allows sharing, holds no other kind of household, has
    a room left and whose rent would be within the single's limit once enough singles share it (at most one per
    room). When everyone has had a turn, singles whose share stays above their limit with the singles actually
    found leave their shared dwelling again, the last one placed first, until the rule holds for all (they are
    not placed elsewhere). ``levels`` holds the objectives of the result, with ``bound = objective`` and
    ``optimal=False`` (nothing is proven).
    """
    started = time.perf_counter()
    _check_ids(households, dwellings)
    groups = municipality_groups(options)
    pairs = _greedy_assignment(households, dwellings, options, groups)
    assignment = {households[hi].id: dwellings[di].id for hi, di in pairs}
    values = evaluate(households, dwellings, assignment, options)
    levels = [LevelResult(name, values[name], values[name], False) for name in options.objectives]
    return _summarise(households, dwellings, assignment, options, levels, started, "heuristic", 0)


# --- one household per dwelling: cost matrices and min-cost flow -------------------------------------------------


@dataclass(frozen=True)
class CostMatrix:
    """Costs of one component when every dwelling takes at most one household (no sharing).

    ``costs[i][j]`` is ``-sum(multipliers[name] * value[name])`` over ``objectives`` for household ``i`` alone in
    dwelling ``j`` when that is allowed (:func:`feasible_alone`), and 0 when it is not (0 = not housed). The
    multipliers make the weighted sum lexicographic: each is larger than twice the largest possible total of all
    later levels. A minimum-cost assignment (rectangular, e.g. ``scipy.optimize.linear_sum_assignment``) is thus a
    lexicographic optimum, once pairs with cost 0 are dropped. Costs stay below 2**53, exact as float64.
    """

    household_ids: tuple[str, ...]
    dwelling_ids: tuple[str, ...]
    costs: list[list[int]]
    objectives: tuple[str, ...]
    multipliers: tuple[int, ...]

    def total(self, pairs: Iterable[tuple[str, str]]) -> int:
        """Summed cost of (household id, dwelling id) pairs."""
        rows = {h: i for i, h in enumerate(self.household_ids)}
        columns = {d: j for j, d in enumerate(self.dwelling_ids)}
        return sum(self.costs[rows[h]][columns[d]] for h, d in pairs)


def without_sharing(dwellings: Iterable[Dwelling]) -> list[Dwelling]:
    """The dwellings with ``sharing_allowed`` switched off: the special case of one household per dwelling."""
    return [replace(d, sharing_allowed=False) if d.sharing_allowed else d for d in dwellings]


def one_per_dwelling_costs(
    households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options
) -> list[CostMatrix]:
    """One :class:`CostMatrix` per component (see :func:`components`); every dwelling is taken as not allowing
    sharing (:func:`without_sharing`)."""
    _check_ids(households, dwellings)
    dwellings = without_sharing(dwellings)
    groups = municipality_groups(options)
    today = options.reference_day
    return [
        _cost_matrix(part_households, part_dwellings, options, groups, today)
        for part_households, part_dwellings in components(households, dwellings, options)
    ]


def _cost_matrix(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
    today: datetime.date,
) -> CostMatrix:
    """The :class:`CostMatrix` of one component; the dwellings must not allow sharing."""
    values: list[list[dict[str, int] | None]] = [
        [_pair_values(h, d, today) if feasible_alone(h, d, options, groups) else None for d in dwellings]
        for h in households
    ]
    ranges = {
        name: sum(max((abs(v[name]) for v in row if v is not None), default=0) for row in values)
        for name in options.objectives
    }
    multipliers = [1] * len(options.objectives)
    for position in range(len(options.objectives) - 2, -1, -1):
        later = options.objectives[position + 1]
        multipliers[position] = multipliers[position + 1] * (2 * ranges[later] + 1)
    largest = sum(m * ranges[name] for m, name in zip(multipliers, options.objectives, strict=True))
    if largest >= 2**53:
        raise ValueError("component too large for an exact lexicographic cost matrix")
    costs = [
        [
            0
            if v is None
            else -sum(m * v[name] for m, name in zip(multipliers, options.objectives, strict=True))
            for v in row
        ]
        for row in values
    ]
    return CostMatrix(
        tuple(h.id for h in households),
        tuple(d.id for d in dwellings),
        costs,
        options.objectives,
        tuple(multipliers),
    )


def solve_cost_matrix(matrix: CostMatrix) -> list[tuple[str, str]]:
    """Minimum-cost assignment of a :class:`CostMatrix` with OR-Tools' min-cost flow (``SimpleMinCostFlow``).

    Network: source -> each household (capacity 1) -> each dwelling with a negative cost (capacity 1) -> sink,
    plus household -> sink at cost 0 (not housed), so every household's unit of flow reaches the sink. Returns the
    (household id, dwelling id) pairs with flow.
    """
    n, m = len(matrix.household_ids), len(matrix.dwelling_ids)
    if n == 0:
        return []
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + m, n + m + 1
    tails, heads, capacities, costs = [], [], [], []
    for i in range(n):
        tails.append(source)
        heads.append(i)
        capacities.append(1)
        costs.append(0)
        tails.append(i)
        heads.append(sink)
        capacities.append(1)
        costs.append(0)
        for j, cost in enumerate(matrix.costs[i]):
            if cost < 0:
                tails.append(i)
                heads.append(n + j)
                capacities.append(1)
                costs.append(cost)
    for j in range(m):
        tails.append(n + j)
        heads.append(sink)
        capacities.append(1)
        costs.append(0)
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    return [
        (matrix.household_ids[flow.tail(arc)], matrix.dwelling_ids[flow.head(arc) - n])
        for arc in range(flow.num_arcs())
        if flow.flow(arc) and flow.tail(arc) < n and n <= flow.head(arc) < n + m
    ]


def optimise_one_per_dwelling(
    households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options
) -> Result:
    """The lexicographic optimum when no dwelling is shared (each takes at most one household), proven by min-cost
    flow on :func:`one_per_dwelling_costs`; every level is optimal and its bound equals its objective."""
    started = time.perf_counter()
    dwellings = without_sharing(dwellings)
    matrices = one_per_dwelling_costs(households, dwellings, options)
    assignment = {h: d for matrix in matrices for h, d in solve_cost_matrix(matrix)}
    values = evaluate(households, dwellings, assignment, options)
    levels = [LevelResult(name, values[name], values[name], True) for name in options.objectives]
    return _summarise(households, dwellings, assignment, options, levels, started, "optimal", len(matrices))
