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
break a hard rule on their own are pruned before a model is built. Every component's people level has a cheap,
tight bound, the LP relaxation (:func:`people_relaxation_bound`), and is solved first for all components, on a
model that merges identical households; the deadline and fit levels follow in the time left (see :func:`optimise`).

**Past deadline** (``Result.past_deadline``, the same for the optimiser and :func:`greedy`): a household without a
proposal whose deadline lies before ``Options.available_before``. Every dwelling of this round is available by that
date; a household left out now can only be housed in a later round, after its deadline.
"""

from __future__ import annotations

import datetime
import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from ortools.graph.python import min_cost_flow
from ortools.linear_solver import pywraplp
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
"""How the time is shared out over the levels still to solve (time left unused flows on)."""
PEOPLE_GAP_LIMIT = 0.005
"""The search of a component's people level stops once ``(bound - objective) / objective`` is at most this; below
200 people that means only at the optimum. The level is then reported with that bound, not as optimal, and
improved further in the time left for the level."""
LARGE_MODEL_PAIRS = 10_000
"""Above this many pairs the full model is solved without symmetry detection and probing in presolve, which
would otherwise take all of a component's time."""


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
class _Classes:
    """Households of a component that are interchangeable for the people level: the same number of people, the
    same single status and the same allowed pairs (dwelling, least number of sharers). ``members[c]`` are the
    household indices of class ``c`` (in input order), ``pairs[c]`` the pair indices of its first member."""

    members: list[list[int]]
    pairs: list[list[int]]


def _people_classes(households: Sequence[Household], pairs: Sequence[_Pair]) -> _Classes:
    by_household: dict[int, list[int]] = defaultdict(list)
    for index, pair in enumerate(pairs):
        by_household[pair.household].append(index)
    keys: dict[tuple[object, ...], int] = {}
    classes = _Classes([], [])
    for hi, own in by_household.items():
        household = households[hi]
        key = (
            household.people,
            household.is_single,
            tuple((pairs[i].dwelling, pairs[i].min_sharers) for i in own),
        )
        if key not in keys:
            keys[key] = len(classes.members)
            classes.members.append([])
            classes.pairs.append(own)
        classes.members[keys[key]].append(hi)
    return classes


def _people_relaxation(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    pairs: Sequence[_Pair],
    classes: _Classes | None = None,
) -> int:
    """Upper bound on the people housed in one component: the LP relaxation of the ``"people"`` level.

    Households with the same number of people, the same single status and the same allowed pairs (dwelling,
    least number of sharers) are interchangeable for this level; they form a class ``c`` of ``n_c`` households.
    ``p_c`` is their number of people, ``s_d`` the ``single_places`` of dwelling ``d`` and ``m_cd`` the least
    number of sharers for ``c`` in ``d`` (:func:`min_sharers`). The LP, all variables continuous::

        maximise   sum p_c x_cd
        x_cd in [0, 1]                 for each allowed pair where c does not share (it would live alone in d)
        x_cd in [0, min(n_c, s_d)]     for each allowed pair where c shares (a single, d allows sharing)
        y_dk in [0, 1]                 for each dwelling d with sharing pairs, k = 1 .. s_d
        (C) sum_d x_cd                                               <= n_c  for each class c
        (D) sum_{c not sharing} x_cd + sum_k y_dk                    <= 1    for each dwelling d
        (S) sum_{c sharing} x_cd - sum_k k y_dk                      <= 0    for each d with sharing pairs
        (M) sum_{c sharing, m_cd >= m} x_cd - sum_{k >= m} k y_dk    <= 0    for each such d and m > 1 among m_cd

    *Why every assignment meeting the hard rules is a point of this LP with the same value* (so the LP maximum
    bounds the people level from above): let ``x_cd`` be the number of households of class ``c`` in ``d`` and
    ``y_dk = 1`` exactly when ``k`` singles share ``d``. The objective is then the people housed. (C): a household
    gets at most one dwelling. (D): a dwelling holds either one household that is not sharing or singles, and at
    most one ``y_dk`` is 1. (S) holds with equality. (M): a single needing ``m_cd`` sharers lives in ``d`` only
    when ``k >= m_cd`` singles do, so the singles with ``m_cd >= m`` are there only if ``k >= m``, and they are at
    most ``k``. The variable bounds: a household that does not share is alone in its dwelling; at most ``s_d``
    singles share ``d``.

    *Why the number returned bounds the LP maximum, whatever the solver's accuracy*: write the rows as
    ``A x <= b`` and the bounds as ``0 <= x <= u``. For any ``w >= 0`` and any feasible ``x``,
    ``c.x = w.Ax + (c - A^T w).x <= w.b + sum_j u_j max(0, (c - A^T w)_j)`` (weak duality with a box). GLOP's row
    duals, clipped to ``>= 0``, give such a ``w``; with exact duals the right-hand side equals the LP maximum. The
    people housed are an integer, so the floor of that value (plus 1e-6 against float rounding) is the bound.

    *When it is exact*: without sharing pairs there are no ``y``, (S) and (M), and every ``x_cd`` has a
    coefficient 1 in one row (C) and one row (D): the incidence matrix of a bipartite graph, totally unimodular,
    with integer right-hand sides and bounds. The LP optimum is then integral, i.e. an assignment of whole
    households (members of a class are interchangeable), and the bound equals the optimum.
    """
    if not pairs:
        return 0
    classes = _people_classes(households, pairs) if classes is None else classes
    members = [[pairs[i] for i in own] for own in classes.pairs]
    sizes = [len(m) for m in classes.members]
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:  # pragma: no cover - GLOP ships with OR-Tools
        return sum(households[hi].people for own in classes.members for hi in own)
    infinity = solver.infinity()
    rows: list[pywraplp.Constraint] = []
    rhs: list[int] = []
    # columns: (variable, objective coefficient, upper bound, [(row, coefficient)])
    columns: list[tuple[pywraplp.Variable, int, int, list[tuple[int, int]]]] = []

    def row(bound: int) -> int:
        rows.append(solver.Constraint(-infinity, bound))
        rhs.append(bound)
        return len(rows) - 1

    def column(gain: int, upper: int, entries: list[tuple[int, int]]) -> None:
        variable = solver.NumVar(0, upper, "")
        for r, a in entries:
            rows[r].SetCoefficient(variable, a)
        columns.append((variable, gain, upper, entries))

    dwelling_rows: dict[int, int] = {}
    sharing_rows: dict[int, int] = {}
    least_rows: dict[int, dict[int, int]] = {}  # d -> m -> row (M)
    for own in members:
        for pair in own:
            di = pair.dwelling
            if di not in dwelling_rows:
                dwelling_rows[di] = row(1)
            if pair.shared:
                if di not in sharing_rows:
                    sharing_rows[di] = row(0)
                    least_rows[di] = {}
                if pair.min_sharers > 1 and pair.min_sharers not in least_rows[di]:
                    least_rows[di][pair.min_sharers] = row(0)
    objective = solver.Objective()
    for c, own in enumerate(members):
        class_row = row(sizes[c])
        people = households[own[0].household].people
        for pair in own:
            di = pair.dwelling
            if pair.shared:
                entries = [(class_row, 1), (sharing_rows[di], 1)]
                entries += [(r, 1) for m, r in least_rows[di].items() if pair.min_sharers >= m]
                column(1, min(sizes[c], dwellings[di].single_places), entries)
            else:
                column(people, 1, [(class_row, 1), (dwelling_rows[di], 1)])
    for di, sharing_row in sharing_rows.items():
        for k in range(1, dwellings[di].single_places + 1):
            entries = [(dwelling_rows[di], 1), (sharing_row, -k)]
            entries += [(r, -k) for m, r in least_rows[di].items() if k >= m]
            column(0, 1, entries)
    for variable, gain, _upper, _entries in columns:
        if gain:
            objective.SetCoefficient(variable, gain)
    objective.SetMaximization()
    solved = solver.Solve() in (pywraplp.Solver.OPTIMAL, pywraplp.Solver.FEASIBLE)
    duals = [max(0.0, r.dual_value()) if solved else 0.0 for r in rows]
    bound = sum(w * b for w, b in zip(duals, rhs, strict=True))
    for _variable, gain, upper, entries in columns:
        reduced = gain - sum(a * duals[r] for r, a in entries)
        if reduced > 0:
            bound += upper * reduced
    return math.floor(bound + 1e-6)


def people_relaxation_bound(
    households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options
) -> int:
    """Upper bound on the people any proposal can house: the LP relaxation of the ``"people"`` level, summed over
    the components (see :func:`_people_relaxation` for the LP and the proof). Exact when no dwelling allows
    sharing."""
    _check_ids(households, dwellings)
    groups = municipality_groups(options)
    return sum(
        _people_relaxation(
            part_households,
            part_dwellings,
            _component_pairs(part_households, part_dwellings, options, groups),
        )
        for part_households, part_dwellings in components(households, dwellings, options)
    )


@dataclass
class _Component:
    """One component ready for CP-SAT.

    Variables ``0 .. len(pairs) - 1`` are the pairs (household in dwelling). After them, for each dwelling with
    sharing pairs, ``counts[d]`` are the positions of its indicators "exactly k singles share it"
    (k = 1 .. single_places). ``coefficients`` holds each level's objective over all variables, ``start`` the
    starting solution (0/1 per variable), ``people_bound`` the LP bound of the people level.
    """

    households: list[Household]
    dwellings: list[Dwelling]
    pairs: list[_Pair]
    by_household: dict[int, list[int]]
    by_dwelling: dict[int, list[int]]
    counts: dict[int, range]
    coefficients: dict[str, list[int]]
    start: list[int]
    people_bound: int
    classes: _Classes

    def complete(self, housed: Iterable[int]) -> list[int]:
        """0/1 values of every variable for the pairs ``housed`` (indices into ``pairs``)."""
        values = [0] * len(self.pairs)
        for i in housed:
            values[i] = 1
        for di, positions in self.counts.items():
            k = sum(values[i] for i in self.by_dwelling[di] if self.pairs[i].shared)
            values += [int(k == n) for n in range(1, len(positions) + 1)]
        return values

    def value(self, name: str, values: Sequence[int]) -> int:
        return sum(c * v for c, v in zip(self.coefficients[name], values, strict=True) if v)


def _prepare_component(
    households: list[Household],
    dwellings: list[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
) -> _Component:
    today = options.reference_day
    pairs = _component_pairs(households, dwellings, options, groups)
    by_household: dict[int, list[int]] = defaultdict(list)
    by_dwelling: dict[int, list[int]] = defaultdict(list)
    for index, pair in enumerate(pairs):
        by_household[pair.household].append(index)
        by_dwelling[pair.dwelling].append(index)
    weights = [deadline_weight(h, today) for h in households]
    people = [households[p.household].people for p in pairs]
    ties = [tie_score(households[p.household], dwellings[p.dwelling]) for p in pairs]
    waste = [WASTE_WEIGHT * (dwellings[p.dwelling].max_occupancy - people[i]) for i, p in enumerate(pairs)]
    coefficients = {
        "people": list(people),
        "deadline": [weights[p.household] for p in pairs],
        "fit": [ties[i] - (0 if p.shared else waste[i]) for i, p in enumerate(pairs)],
    }
    counts: dict[int, range] = {}
    size = len(pairs)
    for di, indices in by_dwelling.items():
        if any(pairs[i].shared for i in indices):
            places = dwellings[di].single_places
            counts[di] = range(size, size + places)
            size += places
            coefficients["people"] += [0] * places
            coefficients["deadline"] += [0] * places
            # unused places of a shared dwelling: counted once, for the dwelling
            coefficients["fit"] += [-WASTE_WEIGHT * (places - k) for k in range(1, places + 1)]
    component = _Component(
        households,
        dwellings,
        pairs,
        by_household,
        by_dwelling,
        counts,
        coefficients,
        [],
        0,
        _people_classes(households, pairs),
    )
    component.start = _starting_values(component, options, groups, ties, waste)
    component.people_bound = _people_relaxation(households, dwellings, pairs, component.classes)
    return component


def _starting_values(
    component: _Component,
    options: Options,
    groups: Mapping[str, frozenset[str]],
    ties: Sequence[int],
    waste: Sequence[int],
) -> list[int]:
    """The better (lexicographically) of the status quo and the optimum without sharing (min-cost flow on the
    pairs where a household may live alone, each dwelling taken as not allowing sharing, as in
    :func:`_cost_matrix`): both are feasible, so every level has a good solution from the start."""
    pairs, households = component.pairs, component.households
    index = {(p.household, p.dwelling): i for i, p in enumerate(pairs)}
    status_quo = [
        index[pair] for pair in _greedy_assignment(households, component.dwellings, options, groups)
    ]
    candidates = [status_quo]
    alone = [i for i, p in enumerate(pairs) if p.min_sharers == 1]
    parts = {
        "people": [component.coefficients["people"][i] for i in alone],
        "deadline": [component.coefficients["deadline"][i] for i in alone],
        "fit": [ties[i] - waste[i] for i in alone],
    }
    ranges = dict.fromkeys(options.objectives, 0)
    for name in options.objectives:
        best: dict[int, int] = defaultdict(int)
        for position, i in enumerate(alone):
            hi = pairs[i].household
            best[hi] = max(best[hi], abs(parts[name][position]))
        ranges[name] = sum(best.values())
    multipliers = [1] * len(options.objectives)
    for position in range(len(options.objectives) - 2, -1, -1):
        multipliers[position] = multipliers[position + 1] * (2 * ranges[options.objectives[position + 1]] + 1)
    if sum(m * ranges[name] for m, name in zip(multipliers, options.objectives, strict=True)) < 2**53:
        arcs = []
        for position, i in enumerate(alone):
            cost = -sum(
                m * parts[name][position] for m, name in zip(multipliers, options.objectives, strict=True)
            )
            if cost < 0:
                arcs.append((pairs[i].household, pairs[i].dwelling, cost))
        flow = _min_cost_assignment(len(households), len(component.dwellings), arcs)
        candidates.append([index[pair] for pair in flow])

    def key(values: list[int]) -> tuple[int, ...]:
        return tuple(component.value(name, values) for name in options.objectives)

    return max((component.complete(housed) for housed in candidates), key=key)


@dataclass
class _Progress:
    """One component on its way through the levels: the best values so far, the levels done and, once a level
    needs it, the full CP-SAT model (one variable per pair or sharer count) with its objective expressions."""

    component: _Component
    values: list[int]
    levels: list[tuple[str, int, int, bool]] = field(default_factory=list)
    model: cp_model.CpModel | None = None
    variables: list[cp_model.IntVar] = field(default_factory=list)
    expressions: dict[str, cp_model.LinearExpr] = field(default_factory=dict)

    def key(self, values: list[int], objectives: Sequence[str]) -> tuple[int, ...]:
        return tuple(self.component.value(name, values) for name in objectives)

    def outcome(self) -> tuple[dict[str, str], list[tuple[str, int, int, bool]]]:
        """The assignment and the levels of the final values; a later level may have raised an earlier objective
        above its fixed value, which stays within that level's bound."""
        component = self.component
        assignment = {
            component.households[p.household].id: component.dwellings[p.dwelling].id
            for p, v in zip(component.pairs, self.values, strict=False)
            if v
        }
        final = []
        for name, _objective, bound, optimal in self.levels:
            value = component.value(name, self.values)
            final.append((name, value, max(bound, value), optimal))
        return assignment, final


def _fallback_bound(component: _Component, name: str) -> int:
    """Each household (and shared dwelling) at its best pair; for people: also the LP bound."""
    coefficients = component.coefficients[name]
    bound = sum(
        max(0, *(coefficients[i] for i in indices))
        for indices in [*component.by_household.values(), *component.counts.values()]
    )
    return min(bound, component.people_bound) if name == "people" else bound


def _solve_people(
    progress: _Progress, options: Options, seconds: float, cp_workers: int, gap: float
) -> tuple[list[int] | None, int]:
    """The people level on the model aggregated over :class:`_Classes`: the integer version of the LP of
    :func:`_people_relaxation` with (S) as an equality. It is exact: from an integer solution, give each class's
    dwellings (``x_cd`` of them) to that many distinct members (any member may use any pair of its class); a
    dwelling then holds one household that does not share or exactly ``k`` singles, and by (M) none of those needs
    more than ``k`` sharers. Far smaller than the full model and free of the symmetry between identical
    households, it is what makes large components tractable. Members are housed most urgent first
    (:func:`deadline_weight`), a good start for the deadline level. The search starts from ``progress.values``
    and stops at the relative ``gap``.

    Returns the values (full model) of the best solution found, or None, and the proven bound (at most the LP
    bound).
    """
    component = progress.component
    pairs, dwellings, classes = component.pairs, component.dwellings, component.classes
    model = cp_model.CpModel()
    columns: list[tuple[int, int, cp_model.IntVar]] = []  # (class, dwelling, variable)
    whole: dict[int, list[cp_model.IntVar]] = defaultdict(list)
    shared: dict[int, list[tuple[cp_model.IntVar, int]]] = defaultdict(list)
    people = []
    for c, own in enumerate(classes.pairs):
        size = len(classes.members[c])
        row = []
        for i in own:
            pair = pairs[i]
            if pair.shared:
                variable = model.new_int_var(0, min(size, dwellings[pair.dwelling].single_places), "")
                shared[pair.dwelling].append((variable, pair.min_sharers))
                people.append(1)
            else:
                variable = model.new_bool_var("")
                whole[pair.dwelling].append(variable)
                people.append(component.households[pair.household].people)
            row.append(variable)
            columns.append((c, pair.dwelling, variable))
        if len(row) > 1:
            model.add(cp_model.LinearExpr.sum(row) <= size)
    sharers: dict[int, list[cp_model.IntVar]] = {}
    for di in sorted({*whole, *shared}):
        counts = []
        if di in shared:
            counts = sharers[di] = [model.new_bool_var("") for _ in range(dwellings[di].single_places)]
            model.add(
                cp_model.LinearExpr.sum([v for v, _m in shared[di]])
                == cp_model.LinearExpr.weighted_sum(counts, range(1, len(counts) + 1))
            )
            for least in sorted({m for _v, m in shared[di] if m > 1}):
                model.add(
                    cp_model.LinearExpr.sum([v for v, m in shared[di] if m >= least])
                    <= cp_model.LinearExpr.weighted_sum(counts[least - 1 :], range(least, len(counts) + 1))
                )
        if len(whole[di]) + len(counts) > 1:
            model.add_at_most_one(whole[di] + counts)
    objective = cp_model.LinearExpr.weighted_sum([v for _c, _d, v in columns], people)
    model.add(objective <= component.people_bound)
    model.maximize(objective)
    # hint: the current values, counted per class and dwelling
    class_of = {hi: c for c, own in enumerate(classes.members) for hi in own}
    housed: dict[tuple[int, int], int] = defaultdict(int)
    for i, pair in enumerate(pairs):
        if progress.values[i]:
            housed[class_of[pair.household], pair.dwelling] += 1
    for c, di, variable in columns:
        model.add_hint(variable, housed.get((c, di), 0))
    for di, counts in sharers.items():
        for variable, position in zip(counts, component.counts[di], strict=True):
            model.add_hint(variable, progress.values[position])
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = cp_workers
    solver.parameters.random_seed = options.seed
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.relative_gap_limit = gap
    solver.parameters.symmetry_level = 0  # classes already merge the identical households
    status = solver.solve(model)
    bound = component.people_bound
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None, bound
    # valid even when the search stopped at the gap limit (CP-SAT then says OPTIMAL: not trusted here)
    bound = min(bound, math.floor(solver.best_objective_bound + 1e-6))
    today = options.reference_day
    queues = [
        sorted(own, key=lambda hi: (-deadline_weight(component.households[hi], today), hi))[::-1]
        for own in classes.members
    ]
    index = {(p.household, p.dwelling): i for i, p in enumerate(pairs)}
    chosen = []
    for c, di, variable in columns:
        for _ in range(solver.value(variable)):
            chosen.append(index[queues[c].pop(), di])
    return component.complete(chosen), bound


def _people_step(progress: _Progress, options: Options, seconds: float, cp_workers: int, gap: float) -> None:
    """Solve (or improve) the people level as the first level, on the aggregated model (:func:`_solve_people`).

    Proven without search when the values reach the LP bound; otherwise the bound is CP-SAT's (at most the LP
    bound), and the level is optimal only when the objective reaches it."""
    component = progress.component
    before = component.value("people", progress.values)
    bound = progress.levels[0][2] if progress.levels else component.people_bound
    if before < bound and seconds > 0 and component.pairs:
        found, proven = _solve_people(progress, options, seconds, cp_workers, gap)
        bound = min(bound, proven)
        if found is not None and progress.key(found, options.objectives) > progress.key(
            progress.values, options.objectives
        ):
            progress.values = found
    objective = component.value("people", progress.values)
    bound = max(bound, objective)
    progress.levels[:1] = [("people", objective, bound, objective >= bound)]


def _build_full_model(progress: _Progress, options: Options) -> None:
    """The full model: a Boolean per pair and per sharer count, the hard rules, the people level at most its LP
    bound (valid: every solution meets it) and each level done at least at its objective."""
    component = progress.component
    pairs = component.pairs
    model = progress.model = cp_model.CpModel()
    variables = progress.variables = [model.new_bool_var("") for _ in component.coefficients["people"]]
    for own in component.by_household.values():
        if len(own) > 1:
            model.add_at_most_one(variables[i] for i in own)
    for di, own in component.by_dwelling.items():
        whole = [variables[i] for i in own if not pairs[i].shared]
        if di in component.counts:
            shared = [i for i in own if pairs[i].shared]
            counts = [variables[i] for i in component.counts[di]]
            model.add(
                cp_model.LinearExpr.sum([variables[i] for i in shared])
                == cp_model.LinearExpr.weighted_sum(counts, range(1, len(counts) + 1))
            )
            for i in shared:
                if pairs[i].min_sharers > 1:
                    model.add(cp_model.LinearExpr.sum(counts[pairs[i].min_sharers - 1 :]) >= variables[i])
            whole += counts
        if len(whole) > 1:
            model.add_at_most_one(whole)
    progress.expressions = {
        name: cp_model.LinearExpr.weighted_sum(variables, component.coefficients[name])
        for name in options.objectives
    }
    model.add(progress.expressions["people"] <= component.people_bound)
    for name, objective, _bound, _optimal in progress.levels:
        model.add(progress.expressions[name] >= objective)


def _full_step(progress: _Progress, options: Options, seconds: float, cp_workers: int) -> None:
    """Solve the next level of ``progress`` on the full model within ``seconds`` (none: keep the values and
    report :func:`_fallback_bound`), then fix it to at least its objective."""
    component = progress.component
    position = len(progress.levels)
    name = options.objectives[position]
    before = component.value(name, progress.values)
    if not component.pairs:
        progress.levels.append((name, 0, 0, True))
        return
    if name == "people" and before >= component.people_bound:  # the values are optimal: no search needed
        progress.levels.append((name, before, before, True))
    elif seconds <= 0:  # out of time: keep the values, report the fallback bound
        progress.levels.append((name, before, max(before, _fallback_bound(component, name)), False))
        return
    else:
        if progress.model is None:
            _build_full_model(progress, options)
        assert progress.model is not None
        model, variables = progress.model, progress.variables
        indices = [v.index for v in variables]
        model.clear_hints()
        model.proto.solution_hint.vars.extend(indices)
        model.proto.solution_hint.values.extend(progress.values)
        model.clear_objective()  # maximise: CP-SAT minimises the negated sum, scaled by -1
        used = [(i, c) for i, c in zip(indices, component.coefficients[name], strict=True) if c]
        model.proto.objective.vars.extend(i for i, _c in used)
        model.proto.objective.coeffs.extend(-c for _i, c in used)
        model.proto.objective.scaling_factor = -1.0
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = cp_workers
        solver.parameters.random_seed = options.seed
        solver.parameters.max_time_in_seconds = max(0.05, seconds)
        # More cuts close the later levels (with earlier objectives as constraints) far sooner; level one, close
        # to an assignment problem, is faster without them.
        solver.parameters.linearization_level = 1 if position == 0 else 2
        solver.parameters.relative_gap_limit = PEOPLE_GAP_LIMIT if name == "people" else 0.0
        if len(component.pairs) > LARGE_MODEL_PAIRS:  # presolve would take the whole time
            solver.parameters.symmetry_level = 0
            solver.parameters.cp_model_probing_level = 0
        status = solver.solve(model)
        bound = _fallback_bound(component, name)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            found = [int(solver.boolean_value(var)) for var in variables]
            if component.value(name, found) >= before:
                progress.values = found  # else keep the values (they meet every constraint so far)
            # valid even when the search stopped at the gap limit (CP-SAT then says OPTIMAL: not trusted here)
            bound = min(bound, math.floor(solver.best_objective_bound + 1e-6))
        objective = component.value(name, progress.values)
        bound = max(bound, objective)
        progress.levels.append((name, objective, bound, objective >= bound))
    if progress.model is not None:
        progress.model.add(progress.expressions[name] >= progress.levels[-1][1])


def optimise(households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options) -> Result:
    """Propose dwellings for households: lexicographic optimum of ``options.objectives`` under the hard rules.

    Level by level, every component is solved with CP-SAT, the largest first, side by side when there are
    several (one CP-SAT worker each) or one at a time with ``options.workers`` CP-SAT workers. The time (up to
    90 % of the limit) is shared out over the levels by :data:`LEVEL_TIME_SHARE` and within a level over the
    components in proportion to their size among those not yet done; time unused flows on.

    A component starts from the better of the status quo and the optimum without sharing. Its people level has
    the LP relaxation as bound (:func:`people_relaxation_bound`), so every component has a meaningful bound even
    when out of time. As the first level it is solved on a model aggregated over identical households, first to a
    relative gap of :data:`PEOPLE_GAP_LIMIT` for all components, then, in the time left for the level, towards the
    optimum. Per level the result gives the summed objective and bound; ``optimal`` when every component proved
    it.
    """
    started = time.perf_counter()
    _check_ids(households, dwellings)
    groups = municipality_groups(options)
    parts = components(households, dwellings, options)
    parallel = min(options.workers, len(parts))
    cp_workers = max(1, options.workers // max(1, len(parts)))
    end = started + 0.9 * options.time_limit_seconds  # 10 %: building the result
    progress: list[_Progress | None] = [None] * len(parts)
    weights = [len(h) * len(d) for h, d in parts]
    order = sorted(range(len(parts)), key=lambda i: -weights[i])

    def phase(items: list[int], until: float, work: Callable[[int, float], None]) -> None:
        """Run ``work(component, seconds)`` for ``items``, the largest first, each given the time left before
        ``until`` in proportion to its weight among the items not yet done."""
        lock = threading.Lock()
        unfinished = [sum(weights[i] for i in items)]

        def run(index: int) -> None:
            with lock:
                share = weights[index] / max(1, unfinished[0])
            left = until - time.perf_counter()
            work(index, min(left, left * parallel * share))
            with lock:
                unfinished[0] -= weights[index]

        if parallel > 1 and len(items) > 1:
            with ThreadPoolExecutor(max_workers=parallel) as pool:
                list(pool.map(run, items))
        else:
            for index in items:
                run(index)

    def until(position: int) -> float:
        now = time.perf_counter()
        shares = [LEVEL_TIME_SHARE[name] for name in options.objectives[position:]]
        return now + max(0.0, end - now) * shares[0] / sum(shares)

    def first(index: int, seconds: float) -> None:
        begun = time.perf_counter()
        component = _prepare_component(*parts[index], options, groups)
        progress[index] = state = _Progress(component, component.start)
        seconds -= time.perf_counter() - begun
        if options.objectives[0] == "people":
            _people_step(state, options, seconds, cp_workers, PEOPLE_GAP_LIMIT)
        else:
            _full_step(state, options, seconds, cp_workers)

    people_until = until(0)
    phase(order, people_until, first)
    states = [state for state in progress if state is not None]
    weights = [max(1, len(state.component.pairs)) for state in states]
    order = sorted(range(len(states)), key=lambda i: -weights[i])
    if options.objectives[0] == "people":
        open_gaps = [i for i in order if not states[i].levels[0][3]]
        phase(open_gaps, people_until, lambda i, s: _people_step(states[i], options, s, cp_workers, 0.0))
    for position in range(1, len(options.objectives)):
        phase(order, until(position), lambda i, s: _full_step(states[i], options, s, cp_workers))
    assignment: dict[str, str] = {}
    totals = {name: [0, 0, True] for name in options.objectives}
    for state in states:
        part_assignment, part_levels = state.outcome()
        assignment.update(part_assignment)
        for name, objective, bound, optimal in part_levels:
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
    arcs = [(i, j, cost) for i, row in enumerate(matrix.costs) for j, cost in enumerate(row) if cost < 0]
    return [
        (matrix.household_ids[i], matrix.dwelling_ids[j])
        for i, j in _min_cost_assignment(len(matrix.household_ids), len(matrix.dwelling_ids), arcs)
    ]


def _min_cost_assignment(n: int, m: int, arcs: Sequence[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment of ``n`` households to ``m`` dwellings over ``arcs`` (household, dwelling, cost <
    0), each at most once, by min-cost flow (network: see :func:`solve_cost_matrix`); the (household, dwelling)
    pairs with flow."""
    if n == 0:
        return []
    flow = min_cost_flow.SimpleMinCostFlow()
    source, sink = n + m, n + m + 1
    tails = [source] * n + list(range(n)) + [i for i, _j, _c in arcs] + [n + j for j in range(m)]
    heads = list(range(n)) + [sink] * n + [n + j for _i, j, _c in arcs] + [sink] * m
    costs = [0] * (2 * n) + [c for _i, _j, c in arcs] + [0] * m
    flow.add_arcs_with_capacity_and_unit_cost(tails, heads, [1] * len(tails), costs)
    flow.set_node_supply(source, n)
    flow.set_node_supply(sink, -n)
    status = flow.solve()
    if status != flow.OPTIMAL:
        raise RuntimeError(f"min-cost flow failed with status {status}")
    first = 2 * n
    return [
        (arcs[arc - first][0], arcs[arc - first][1])
        for arc in range(first, first + len(arcs))
        if flow.flow(arc)
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
