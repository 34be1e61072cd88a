"""The optimiser: the people and deadline levels solved exactly by HiGHS on a model of household classes, the
levels after them by CP-SAT; the components side by side in worker processes.

Every component goes through two stages; each stage is run for all components before the next starts:

1. *first levels* (:func:`_first_stage`): the longest prefix of ``options.objectives`` made of ``"people"`` and
   ``"deadline"`` (normally both) is one mixed-integer programme over classes of interchangeable households
   (:func:`_class_model`), with the two levels folded into one objective (:func:`_first_levels`), solved by HiGHS
   to a proven optimum. The solution is mapped back to households, the most urgent members of each class first
   (:func:`_housed`);
2. *later levels* (:func:`_later_stage`, normally only ``"fit"``): each class's places are first given to its
   members with the best fit (:func:`_best_fit_members`, a min-cost assignment that keeps people and deadline);
   then CP-SAT solves each level on the full model, a Boolean per (household, dwelling) pair
   (:func:`_build_full_model`), with every earlier level fixed to at least its value and the values so far as
   hint, within the time left (:func:`_full_step`).

Without a people or deadline level first, stage 1 only finds starting values and stage 2 solves every level.
"""

from __future__ import annotations

import math
import multiprocessing
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from itertools import compress

import highspy
from ortools.graph.python import min_cost_flow
from ortools.sat.python import cp_model

from regietafel.domain.matching.evaluation import check_ids, components, summarise
from regietafel.domain.matching.greedy import greedy_assignment
from regietafel.domain.matching.model import (
    LARGE_MODEL_PAIRS,
    LEVEL_TIME_SHARE,
    WASTE_WEIGHT,
    Dwelling,
    Household,
    LevelResult,
    Options,
    Result,
    Tie,
)
from regietafel.domain.matching.rules import deadline_weight, min_sharers, municipality_groups, tie_points

FIRST_LEVELS = ("people", "deadline")
"""The levels HiGHS solves when they come first in ``options.objectives`` (in either order, one or both)."""

Level = tuple[str, int, int, bool]  # name, objective, bound, optimal


@dataclass(frozen=True, slots=True)
class _Pair:
    """A dwelling allowed to a household (which one: ``_Component.owners``); one object for all households alike."""

    dwelling: int
    min_sharers: int
    shared: bool  # a single in a dwelling that allows sharing


def _component_pairs(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
) -> tuple[list[_Pair], list[int], _Classes, list[Mapping[int, int]]]:
    """Every allowed (household, dwelling) pair with its least number of sharers, household by household (so the
    pairs of a household are consecutive), the household of each pair, the classes of interchangeable households
    (:class:`_Classes`) and for each household the position of each of its dwellings among its pairs.

    The rules see of a household only its municipality, people, single status, accessibility need and rent limit,
    so the allowed dwellings (and the class) are worked out once for each combination of those."""
    by_municipality: dict[str, list[int]] = defaultdict(list)
    for di, dwelling in enumerate(dwellings):
        by_municipality[dwelling.municipality].append(di)
    known: dict[tuple[object, ...], tuple[list[_Pair], int | None, dict[int, int]]] = {}
    class_keys: dict[tuple[object, ...], int] = {}
    classes = _Classes([], [])
    pairs: list[_Pair] = []
    owners: list[int] = []
    positions: list[Mapping[int, int]] = []
    for hi, household in enumerate(households):
        key = (
            household.municipality,
            household.people,
            household.is_single,
            household.needs_accessible,
            household.max_rent,
        )
        if key not in known:
            allowed = groups.get(household.municipality, frozenset()) | {household.municipality}
            own = []
            for code in sorted(allowed):
                for di in by_municipality.get(code, ()):
                    dwelling = dwellings[di]
                    k = min_sharers(household, dwelling, options, groups)
                    if k is not None:
                        own.append(_Pair(di, k, household.is_single and dwelling.sharing_allowed))
            c = None
            if own:
                class_key = (
                    household.people,
                    household.is_single,
                    tuple((p.dwelling, p.min_sharers) for p in own),
                )
                c = class_keys.setdefault(class_key, len(classes.members))
                if c == len(classes.members):
                    classes.members.append([])
                    classes.pairs.append(list(range(len(pairs), len(pairs) + len(own))))
            known[key] = own, c, {p.dwelling: offset for offset, p in enumerate(own)}
        own, c, offsets = known[key]
        if c is not None:
            classes.members[c].append(hi)
        positions.append(offsets)
        pairs += own
        owners += [hi] * len(own)
    return pairs, owners, classes, positions


@dataclass
class _Classes:
    """Households of a component that are interchangeable for the hard rules: the same number of people, the
    same single status and the same allowed pairs (dwelling, least number of sharers). ``members[c]`` are the
    household indices of class ``c`` (in input order), ``pairs[c]`` the pair indices of its first member."""

    members: list[list[int]]
    pairs: list[list[int]]


@dataclass
class _Component:
    """One component with its pairs and the objectives over the variables of the full model.

    Variables ``0 .. len(pairs) - 1`` are the pairs (household in dwelling). After them, for each dwelling with
    sharing pairs, ``counts[d]`` are the positions of its indicators "exactly k singles share it"
    (k = 1 .. single_places); ``size`` variables in all. ``coefficients`` holds the objective over all variables of
    each level asked for, ``alone_fit`` the fit of each pair if its household lived there alone (when the fit was
    asked for), ``weights`` the :func:`deadline_weight` of each household, ``people_bound`` the best known bound of
    the people level (None until one is known).
    """

    households: list[Household]
    dwellings: list[Dwelling]
    pairs: list[_Pair]
    owners: list[int]
    classes: _Classes
    by_household: dict[int, range]
    by_dwelling: dict[int, list[int]]
    counts: dict[int, range]
    size: int
    coefficients: dict[str, list[int]]
    alone_fit: list[int]
    weights: list[int]
    offsets: list[Mapping[int, int]]
    people_bound: int | None = None

    def position(self, household: int, dwelling: int) -> int:
        """The index of the pair (household, dwelling) in ``pairs``."""
        own = self.by_household[household]
        return own.start + self.offsets[household][dwelling]

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
        return sum(compress(self.coefficients[name], values))

    def key(self, values: Sequence[int], names: Sequence[str]) -> tuple[int, ...]:
        return tuple(self.value(name, values) for name in names)

    def valid(self, values: Sequence[int]) -> bool:
        """Whether the pairs set in ``values`` meet every hard rule: a household in at most one dwelling, a dwelling
        with one household that does not share or with ``k`` singles, none of whom needs more than ``k`` sharers,
        and ``k`` at most its single places."""
        chosen = [i for i, v in enumerate(values[: len(self.pairs)]) if v]
        if len({self.owners[i] for i in chosen}) != len(chosen):
            return False
        housed = [self.pairs[i] for i in chosen]
        by_dwelling: dict[int, list[_Pair]] = defaultdict(list)
        for pair in housed:
            by_dwelling[pair.dwelling].append(pair)
        for di, own in by_dwelling.items():
            if any(not p.shared for p in own):
                if len(own) > 1:
                    return False
            elif len(own) > self.dwellings[di].single_places or any(p.min_sharers > len(own) for p in own):
                return False
        return True


def _prepare_component(
    households: list[Household],
    dwellings: list[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
    names: Sequence[str],
) -> _Component:
    """The pairs, classes and variables of a component, with the coefficients of the levels ``names``."""
    pairs, owners, classes, offsets = _component_pairs(households, dwellings, options, groups)
    by_household: dict[int, range] = {}
    by_dwelling: dict[int, list[int]] = defaultdict(list)
    start = 0
    for hi, own in enumerate(offsets):
        if own:
            by_household[hi] = range(start, start + len(own))
            start += len(own)
    for index, pair in enumerate(pairs):
        by_dwelling[pair.dwelling].append(index)
    weights = [deadline_weight(h, options.reference_day) for h in households]
    coefficients: dict[str, list[int]] = {}
    people = [h.people for h in households]
    if "people" in names:
        coefficients["people"] = [people[hi] for hi in owners]
    if "deadline" in names:
        coefficients["deadline"] = [weights[hi] for hi in owners]
    alone_fit = []
    if "fit" in names:
        points: dict[tuple[float, float, int], int] = {}  # many households have ties to the same places

        def tie(one: Tie, di: int) -> int:
            key = (one.lat, one.lon, di)
            if key not in points:
                points[key] = tie_points(one, dwellings[di])
            return points[key]

        ties = [
            sum(tie(t, p.dwelling) for t in households[hi].ties) for hi, p in zip(owners, pairs, strict=True)
        ]
        alone_fit = [
            ties[i] - WASTE_WEIGHT * (dwellings[p.dwelling].max_occupancy - people[hi])
            for i, (hi, p) in enumerate(zip(owners, pairs, strict=True))
        ]
        coefficients["fit"] = [ties[i] if p.shared else alone_fit[i] for i, p in enumerate(pairs)]
    counts: dict[int, range] = {}
    size = len(pairs)
    for di, indices in by_dwelling.items():
        if any(pairs[i].shared for i in indices):
            places = dwellings[di].single_places
            counts[di] = range(size, size + places)
            size += places
            for name, row in coefficients.items():
                # the unused places of a shared dwelling count once, for the dwelling
                row += [-WASTE_WEIGHT * (places - k) if name == "fit" else 0 for k in range(1, places + 1)]
    return _Component(
        households,
        dwellings,
        pairs,
        owners,
        classes,
        by_household,
        by_dwelling,
        counts,
        size,
        coefficients,
        alone_fit,
        weights,
        offsets,
    )


def _status_quo(component: _Component, options: Options, groups: Mapping[str, frozenset[str]]) -> list[int]:
    """First come, first served (:func:`greedy_assignment`) as values of the full model."""
    pairs = greedy_assignment(component.households, component.dwellings, options, groups)
    return component.complete(component.position(*pair) for pair in pairs)


def _starting_values(
    component: _Component, options: Options, groups: Mapping[str, frozenset[str]]
) -> list[int]:
    """For CP-SAT from the first level on: the better (lexicographically) of the status quo and the optimum
    without sharing (min-cost flow on the pairs where a household may live alone, each dwelling taken as not
    allowing sharing). Both are feasible, so every level has a good solution from the start."""
    pairs, names = component.pairs, options.objectives
    candidates = [_status_quo(component, options, groups)]
    alone = [i for i, p in enumerate(pairs) if p.min_sharers == 1]
    parts = {
        name: [(component.alone_fit if name == "fit" else component.coefficients[name])[i] for i in alone]
        for name in names
    }
    ranges = dict.fromkeys(names, 0)
    for name in names:
        best: dict[int, int] = defaultdict(int)
        for position, i in enumerate(alone):
            hi = component.owners[i]
            best[hi] = max(best[hi], abs(parts[name][position]))
        ranges[name] = sum(best.values())
    multipliers = [1] * len(names)
    for position in range(len(names) - 2, -1, -1):
        multipliers[position] = multipliers[position + 1] * (2 * ranges[names[position + 1]] + 1)
    if sum(m * ranges[name] for m, name in zip(multipliers, names, strict=True)) < 2**53:
        arcs = []
        for position, i in enumerate(alone):
            cost = -sum(m * parts[name][position] for m, name in zip(multipliers, names, strict=True))
            if cost < 0:
                arcs.append((component.owners[i], pairs[i].dwelling, cost))
        flow = min_cost_assignment(len(component.households), len(component.dwellings), arcs)
        candidates.append(component.complete(component.position(*pair) for pair in flow))
    return max(candidates, key=lambda values: component.key(values, names))


# --- the first levels: HiGHS on the class model -------------------------------------------------------------------


@dataclass
class _ClassModel:
    """The model of :func:`_class_model` as plain lists (columns in compressed sparse column form).

    ``cells`` are the first columns, ``x_cd`` as (class, dwelling); ``sharers[d]`` the columns ``y_dk``
    (k = 1 .. single_places); ``buckets[c]`` the columns ``z_cw`` of class ``c`` as (weight, column), heaviest
    first (none without the deadline level); ``costs`` each level's objective per column."""

    cells: list[tuple[int, int]] = field(default_factory=list)
    sharers: dict[int, list[int]] = field(default_factory=dict)
    buckets: list[list[tuple[int, int]]] = field(default_factory=list)
    costs: dict[str, list[int]] = field(default_factory=lambda: {"people": [], "deadline": []})
    upper: list[int] = field(default_factory=list)
    integer: list[bool] = field(default_factory=list)
    starts: list[int] = field(default_factory=lambda: [0])
    rows: list[int] = field(default_factory=list)
    values: list[int] = field(default_factory=list)
    row_lower: list[float] = field(default_factory=list)
    row_upper: list[float] = field(default_factory=list)

    def row(self, lower: float, upper: float) -> int:
        self.row_lower.append(lower)
        self.row_upper.append(upper)
        return len(self.row_lower) - 1

    def column(
        self, upper: int, integer: bool, entries: list[tuple[int, int]], people: int = 0, deadline: int = 0
    ) -> int:
        self.costs["people"].append(people)
        self.costs["deadline"].append(deadline)
        self.upper.append(upper)
        self.integer.append(integer)
        for row, value in entries:
            self.rows.append(row)
            self.values.append(value)
        self.starts.append(len(self.rows))
        return len(self.upper) - 1

    def objective(self, multipliers: Mapping[str, int]) -> list[int]:
        return [
            sum(multipliers[name] * self.costs[name][j] for name in multipliers)
            for j in range(len(self.upper))
        ]

    def highs(self, objective: Sequence[int], integral: bool, seconds: float, seed: int) -> highspy.Highs:
        """A HiGHS instance (one thread, silent) holding this model, maximising ``objective``."""
        lp = highspy.HighsLp()
        lp.num_col_ = len(self.upper)
        lp.num_row_ = len(self.row_lower)
        lp.sense_ = highspy.ObjSense.kMaximize
        lp.col_cost_ = [float(c) for c in objective]
        lp.col_lower_ = [0.0] * len(self.upper)
        lp.col_upper_ = [float(u) for u in self.upper]
        lp.row_lower_ = self.row_lower
        lp.row_upper_ = self.row_upper
        lp.a_matrix_.format_ = highspy.MatrixFormat.kColwise
        lp.a_matrix_.start_ = self.starts
        lp.a_matrix_.index_ = self.rows
        lp.a_matrix_.value_ = [float(v) for v in self.values]
        if integral:
            kinds = (highspy.HighsVarType.kContinuous, highspy.HighsVarType.kInteger)
            lp.integrality_ = [kinds[i] for i in self.integer]
        solver = highspy.Highs()
        for option, value in {
            "output_flag": False,
            "threads": 1,
            "random_seed": seed,
            "time_limit": max(0.0, seconds),
            "mip_rel_gap": 0.0,
            # The class model is small and solved at the root: presolve and the feasibility jump heuristic took
            # more time than they saved.
            "presolve": "off",
            "mip_heuristic_run_feasibility_jump": False,
        }.items():
            solver.setOptionValue(option, value)
        solver.passModel(lp)
        return solver

    def dual_bound(self, objective: Sequence[int], duals: Sequence[float]) -> float:
        """``max objective.x`` over the box and rows is at most ``sum_i y_i side_i + sum_j max_x (c - A^T y)_j x_j``
        for any row multipliers ``y`` (weak duality), where ``side_i`` is the row's upper side for ``y_i > 0`` and
        its lower side for ``y_i < 0``; a ``y_i`` whose side is infinite is taken as 0. Valid whatever the
        accuracy (or sign convention) of the duals given."""
        y = [
            w if math.isfinite(self.row_upper[i] if w > 0 else self.row_lower[i]) else 0.0
            for i, w in enumerate(duals)
        ]
        bound = sum(w * (self.row_upper[i] if w > 0 else self.row_lower[i]) for i, w in enumerate(y) if w)
        for j, cost in enumerate(objective):
            reduced = cost - sum(
                y[self.rows[e]] * self.values[e] for e in range(self.starts[j], self.starts[j + 1])
            )
            bound += max(0.0, reduced * self.upper[j])
        return bound


def _class_model(component: _Component, names: Sequence[str]) -> _ClassModel:
    """The hard rules over classes of interchangeable households (:class:`_Classes`), for the levels ``names``.

    Class ``c`` has ``n_c`` members of ``p_c`` people each; ``s_d`` is the ``single_places`` of dwelling ``d``,
    ``m_cd`` the least number of sharers for ``c`` in ``d`` (:func:`min_sharers`), ``n_cw`` the number of members
    of ``c`` with deadline weight ``w`` (:func:`deadline_weight`)::

        people   = sum p_c x_cd        deadline = sum w z_cw
        x_cd in 0..1                   for each allowed pair where c does not share (it would live alone in d)
        x_cd in 0..min(n_c, s_d)       for each allowed pair where c shares (a single, d allows sharing)
        y_dk in 0..1                   for each dwelling d with sharing pairs, k = 1 .. s_d
        z_cw in [0, n_cw], continuous  for each class c and weight w among its members (deadline level only)
        (C) sum_d x_cd = sum_w z_cw                                        for each class c
            (sum_d x_cd <= n_c without the deadline level)
        (D) sum_{c not sharing} x_cd + sum_k y_dk                    <= 1  for each dwelling d
        (S) sum_{c sharing} x_cd - sum_k k y_dk                      =  0  for each d with sharing pairs
        (M) sum_{c sharing, m_cd >= m} x_cd - sum_{k >= m} k y_dk    <= 0  for each such d and m > 1 among m_cd

    *Exact*: take ``x_cd`` as the number of members of ``c`` in ``d`` and ``y_dk = 1`` exactly when ``k`` singles
    share ``d``; then (C) houses each household at most once, (D) puts one household that does not share or a
    group of singles in a dwelling, (S) counts the singles, and by (M) none of them needs more sharers than there
    are. Conversely, from integer ``x`` and ``y`` meeting the rows, give each class's ``x_cd`` places to that many
    distinct members (any member may use any pair of its class): every hard rule holds. For given integer ``x``,
    the best ``z`` fills the heaviest weights of each class first (a fractional knapsack with unit sizes), so the
    deadline level is the sum of the ``sum_d x_cd`` heaviest weights of each class: the value of housing its most
    urgent members, which is what the mapping back does (:func:`_housed`). So integer ``x``, ``y`` with
    continuous ``z`` give the exact optimum of both levels; the relaxation of all of them is the LP bound
    (:func:`people_relaxation_bound`). Far smaller than the full model (13 or so classes instead of hundreds of
    households in a municipality) and free of the symmetry between identical households.
    """
    households, dwellings, pairs, classes = (
        component.households,
        component.dwellings,
        component.pairs,
        component.classes,
    )
    model = _ClassModel()
    infinity = highspy.kHighsInf
    dwelling_rows: dict[int, int] = {}
    sharing_rows: dict[int, int] = {}
    least_rows: dict[int, dict[int, int]] = {}  # d -> m -> row (M)
    for own in classes.pairs:
        for i in own:
            pair = pairs[i]
            di = pair.dwelling
            if di not in dwelling_rows:
                dwelling_rows[di] = model.row(-infinity, 1)
            if pair.shared:
                if di not in sharing_rows:
                    sharing_rows[di] = model.row(0, 0)
                    least_rows[di] = {}
                if pair.min_sharers > 1 and pair.min_sharers not in least_rows[di]:
                    least_rows[di][pair.min_sharers] = model.row(-infinity, 0)
    deadline = "deadline" in names
    class_rows = [model.row(0, 0) if deadline else model.row(-infinity, len(m)) for m in classes.members]
    for c, own in enumerate(classes.pairs):
        size = len(classes.members[c])
        people = households[classes.members[c][0]].people
        for i in own:
            pair = pairs[i]
            di = pair.dwelling
            if pair.shared:
                entries = [(class_rows[c], 1), (sharing_rows[di], 1)]
                entries += [(r, 1) for m, r in least_rows[di].items() if pair.min_sharers >= m]
                model.column(min(size, dwellings[di].single_places), True, entries, people=1)
            else:
                model.column(1, True, [(class_rows[c], 1), (dwelling_rows[di], 1)], people=people)
            model.cells.append((c, di))
    for di, sharing_row in sharing_rows.items():
        model.sharers[di] = []
        for k in range(1, dwellings[di].single_places + 1):
            entries = [(dwelling_rows[di], 1), (sharing_row, -k)]
            entries += [(r, -k) for m, r in least_rows[di].items() if k >= m]
            model.sharers[di].append(model.column(1, True, entries))
    for c, members in enumerate(classes.members):
        weights = Counter(component.weights[hi] for hi in members) if deadline else Counter()
        model.buckets.append(
            [
                (w, model.column(n, False, [(class_rows[c], -1)], deadline=w))
                for w, n in sorted(weights.items(), reverse=True)
            ]
        )
    return model


def _housed(component: _Component, cells: Sequence[tuple[int, int]], counts: Sequence[int]) -> list[int]:
    """The pairs (indices) of a class-model solution: ``counts[j]`` members of class ``c`` in dwelling ``d`` for
    ``cells[j] = (c, d)``, given to the most urgent members of each class first (then in input order)."""
    slots: dict[int, list[int]] = defaultdict(list)
    for (c, di), n in zip(cells, counts, strict=True):
        slots[c] += [di] * n
    housed = []
    for c, dwellings in slots.items():
        members = sorted(component.classes.members[c], key=lambda hi: (-component.weights[hi], hi))
        if len(dwellings) > len(members):
            raise ValueError(f"class {c}: {len(dwellings)} places for {len(members)} households")
        housed += [component.position(hi, di) for hi, di in zip(members, dwellings, strict=False)]
    return housed


def _first_levels(
    component: _Component,
    names: Sequence[str],
    options: Options,
    seconds: float,
    groups: Mapping[str, frozenset[str]],
) -> tuple[list[int], list[Level]]:
    """Solve the levels ``names`` (one or both of :data:`FIRST_LEVELS`, the first one first) on the class model
    with HiGHS within ``seconds``. Returns the values (full model) and each level's (name, objective, bound,
    optimal).

    One objective ``sum_l multiplier_l * level_l``: the first level's multiplier is one more than the largest
    possible total of the second (every household of a class housed), so no gain in the second level makes up for
    one unit less of the first. For HiGHS's dual bound ``B`` of that objective (integral: ``floor(B + 1e-6)``),
    every solution has ``first <= B // multiplier``, and under ``first >= f`` (the value found)
    ``second <= B - multiplier * f``. A level is optimal when its objective reaches its bound; both are then proven
    together. When a level is not proven (out of time), the status quo (:func:`_status_quo`) is kept instead if
    it is better, with the same bounds."""
    model = _class_model(component, names)
    largest = {
        "people": sum(component.households[hi].people for own in component.classes.members for hi in own),
        "deadline": sum(component.weights[hi] for own in component.classes.members for hi in own),
    }
    multipliers = dict.fromkeys(names, 1)
    if len(names) == 2:
        multipliers[names[0]] = largest[names[1]] + 1
    solver = model.highs(model.objective(multipliers), True, seconds, options.seed)
    solver.run()
    info = solver.getInfo()
    values = component.complete([])  # nobody housed: meets every rule
    if info.primal_solution_status == highspy.SolutionStatus.kSolutionStatusFeasible:
        found = solver.getSolution().col_value
        candidate = component.complete(
            _housed(component, model.cells, [round(found[j]) for j in range(len(model.cells))])
        )
        if component.valid(candidate):
            values = candidate
    bound = info.mip_dual_bound
    combined = math.floor(bound + 1e-6) if math.isfinite(bound) else None

    def levels_of(values: list[int]) -> list[Level]:
        found = component.key(values, names)
        levels: list[Level] = []
        for position, name in enumerate(names):
            level_bound = largest[name]
            if combined is not None:
                earlier = sum(multipliers[n] * found[p] for p, n in enumerate(names[:position]))
                level_bound = min(level_bound, (combined - earlier) // multipliers[name])
            level_bound = max(level_bound, found[position])
            optimal = found[position] == level_bound and all(level[3] for level in levels)
            levels.append((name, found[position], level_bound, optimal))
        return levels

    levels = levels_of(values)
    if not all(level[3] for level in levels):
        start = _status_quo(component, options, groups)
        if component.key(start, names) > component.key(values, names):
            values, levels = start, levels_of(start)
    return values, levels


def _people_relaxation(component: _Component) -> int:
    """Upper bound on the people housed in one component: the LP relaxation of the class model
    (:func:`_class_model` for the people level, every variable continuous), made safe by
    :meth:`_ClassModel.dual_bound` and rounded down (people are whole)."""
    if not component.pairs:
        return 0
    model = _class_model(component, ("people",))
    objective = model.objective({"people": 1})
    solver = model.highs(objective, False, math.inf, 0)
    solver.run()
    duals = list(solver.getSolution().row_dual)
    if len(duals) != len(model.row_lower):
        duals = [0.0] * len(model.row_lower)
    bound = min(model.dual_bound(objective, duals), model.dual_bound(objective, [-w for w in duals]))
    return math.floor(bound + 1e-6)


def people_relaxation_bound(
    households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options
) -> int:
    """Upper bound on the people any proposal can house: the LP relaxation of the class model, summed over the
    components (see :func:`_class_model` and :func:`_people_relaxation`).

    *Exact without sharing*: there are then no ``y``, (S) and (M), and every ``x_cd`` has a coefficient 1 in one
    row (C) and one row (D): the incidence matrix of a bipartite graph, totally unimodular, with integer right-hand
    sides and bounds. The LP optimum is then integral, i.e. an assignment of whole households."""
    check_ids(households, dwellings)
    groups = municipality_groups(options)
    return sum(
        _people_relaxation(_prepare_component(part_households, part_dwellings, options, groups, ()))
        for part_households, part_dwellings in components(households, dwellings, options)
    )


# --- the later levels: CP-SAT on the full model -------------------------------------------------------------------


@dataclass
class _Progress:
    """One component on its way through the levels: the best values so far, the levels done and, once a level
    needs it, the full CP-SAT model (one variable per pair or sharer count) with its objective expressions."""

    component: _Component
    values: list[int]
    levels: list[Level] = field(default_factory=list)
    model: cp_model.CpModel | None = None
    variables: list[cp_model.IntVar] = field(default_factory=list)
    expressions: dict[str, cp_model.LinearExpr] = field(default_factory=dict)

    def outcome(self) -> _Stage:
        """The pairs and the levels of the final values; a later level may have raised an earlier objective
        above its fixed value, which stays within that level's bound."""
        component = self.component
        housed = [
            (hi, p.dwelling)
            for p, hi, v in zip(component.pairs, component.owners, self.values, strict=False)
            if v
        ]
        final = []
        for name, _objective, bound, optimal in self.levels:
            value = component.value(name, self.values)
            final.append((name, value, max(bound, value), optimal))
        return _Stage(housed, final, len(component.pairs), component.people_bound)


def _fallback_bound(component: _Component, name: str) -> int:
    """Each household (and shared dwelling) at its best pair; for people: also the best known bound."""
    coefficients = component.coefficients[name]
    bound = sum(
        max(0, *(coefficients[i] for i in indices))
        for indices in [*component.by_household.values(), *component.counts.values()]
    )
    if name == "people" and component.people_bound is not None:
        return min(bound, component.people_bound)
    return bound


def _best_fit_members(component: _Component, values: Sequence[int], deadline: bool) -> list[int]:
    """``values`` with each class's places (the same dwellings) given to its members so that the fit is largest; a
    min-cost assignment per class. People and every hard rule stay as they were: members of a class are
    interchangeable for the rules, and so are its places. With ``deadline`` (a level already done) the deadline
    level is at least what it was: the places go to the most urgent members, the fit deciding only among those as
    urgent as the least urgent one housed."""
    class_of = {hi: c for c, own in enumerate(component.classes.members) for hi in own}
    places: dict[int, list[int]] = defaultdict(list)
    for pair, hi, value in zip(component.pairs, component.owners, values, strict=False):
        if value:
            places[class_of[hi]].append(pair.dwelling)
    fit, weights = component.coefficients["fit"], component.weights
    housed = []
    for c, dwellings in places.items():
        members = sorted(component.classes.members[c], key=lambda hi: -weights[hi])
        least = weights[members[len(dwellings) - 1]] if deadline else 0
        candidates = [hi for hi in members if weights[hi] >= least]
        scores = [[fit[component.position(hi, di)] for di in dwellings] for hi in candidates]
        low = min(min(row) for row in scores)
        spread = max(max(row) for row in scores) - low + 1
        # every cost < 0, so all places are taken; "sure" outweighs any difference in fit over all places
        sure = len(dwellings) * spread + 1
        arcs = [
            (h, p, -((sure if deadline and weights[hi] > least else 0) + scores[h][p] - low + 1))
            for h, hi in enumerate(candidates)
            for p in range(len(dwellings))
        ]
        for h, p in min_cost_assignment(len(candidates), len(dwellings), arcs):
            housed.append(component.position(candidates[h], dwellings[p]))
    return component.complete(housed)


def _build_full_model(progress: _Progress, options: Options) -> None:
    """The full model: a Boolean per pair and per sharer count, the hard rules, the people level at most its best
    known bound (valid: every solution meets it) and each level done at least at its objective."""
    component = progress.component
    pairs = component.pairs
    model = progress.model = cp_model.CpModel()
    variables = progress.variables = [model.new_bool_var("") for _ in range(component.size)]
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
    if "people" in progress.expressions and component.people_bound is not None:
        model.add(progress.expressions["people"] <= component.people_bound)
    for name, objective, _bound, _optimal in progress.levels:
        model.add(progress.expressions[name] >= objective)


def _full_step(progress: _Progress, options: Options, seconds: float, cp_workers: int) -> None:
    """Solve the next level of ``progress`` on the full model within ``seconds``, building the model included
    (none: keep the values and report :func:`_fallback_bound`), then fix it to at least its objective."""
    begun = time.monotonic()
    component = progress.component
    position = len(progress.levels)
    name = options.objectives[position]
    before = component.value(name, progress.values)
    if not component.pairs:
        progress.levels.append((name, 0, 0, True))
        return
    if seconds <= 0:  # out of time: keep the values, report the fallback bound
        progress.levels.append((name, before, max(before, _fallback_bound(component, name)), False))
        return
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
    solver.parameters.max_time_in_seconds = max(0.05, seconds - (time.monotonic() - begun))
    # More cuts close the later levels (with earlier objectives as constraints) far sooner; a first level, close
    # to an assignment problem, is faster without them.
    solver.parameters.linearization_level = 1 if position == 0 else 2
    if len(component.pairs) > LARGE_MODEL_PAIRS:  # presolve would take the whole time
        solver.parameters.symmetry_level = 0
        solver.parameters.cp_model_probing_level = 0
    status = solver.solve(model)
    bound = _fallback_bound(component, name)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        found = [int(solver.boolean_value(var)) for var in variables]
        if component.value(name, found) >= before:
            progress.values = found  # else keep the values (they meet every constraint so far)
        bound = min(bound, math.floor(solver.best_objective_bound + 1e-6))
    objective = component.value(name, progress.values)
    bound = max(bound, objective)
    progress.levels.append((name, objective, bound, objective >= bound))
    progress.model.add(progress.expressions[name] >= objective)


# --- the stages, per component ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Stage:
    """What a stage hands on: the housed pairs as (household, dwelling) indices within the component, the levels
    done, the number of pairs (the weight of the component in the next stage) and the people bound, if known."""

    housed: list[tuple[int, int]]
    levels: list[Level]
    pairs: int
    people_bound: int | None


def _first_names(objectives: Sequence[str]) -> tuple[str, ...]:
    """The leading levels of ``objectives`` that HiGHS solves: the longest prefix within :data:`FIRST_LEVELS`."""
    names: list[str] = []
    for name in objectives:
        if name not in FIRST_LEVELS:
            break
        names.append(name)
    return tuple(names)


def _first_stage(
    households: list[Household],
    dwellings: list[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
    allowance: _Allowance,
) -> _Stage:
    """Prepare a component and solve its first levels (:func:`_first_levels`) within its ``allowance``. Without
    first levels, only the starting values for CP-SAT (:func:`_starting_values`) and the LP bound of the people
    level (if it is a level) are worked out."""
    seconds = allowance.seconds()
    begun = time.monotonic()
    names = _first_names(options.objectives)
    component = _prepare_component(households, dwellings, options, groups, names or options.objectives)
    levels: list[Level] = []
    if not component.pairs:
        values = component.complete([])
        levels = [(name, 0, 0, True) for name in names]
    elif names:
        # at least 0.05 s, in which a small component is solved even when the time is up
        seconds = max(0.05, seconds - (time.monotonic() - begun))
        values, levels = _first_levels(component, names, options, seconds, groups)
    else:
        values = _starting_values(component, options, groups)
    if "people" in names:
        component.people_bound = levels[names.index("people")][2]
    elif "people" in options.objectives:
        component.people_bound = _people_relaxation(component)
    return _Progress(component, values, levels).outcome()


def _later_stage(
    households: list[Household],
    dwellings: list[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
    first: _Stage,
    allowance: _Allowance,
    cp_workers: int,
) -> _Stage:
    """Solve the levels after the first stage's with CP-SAT (:func:`_full_step`), starting from its values, within
    its ``allowance``, shared over those levels by :data:`LEVEL_TIME_SHARE` (time unused flows on)."""
    seconds = allowance.seconds()
    begun = time.monotonic()
    component = _prepare_component(households, dwellings, options, groups, options.objectives)
    component.people_bound = first.people_bound
    values = component.complete(component.position(*pair) for pair in first.housed)
    if options.objectives[len(first.levels)] == "fit":
        values = _best_fit_members(component, values, "deadline" in options.objectives[: len(first.levels)])
    progress = _Progress(component, values, list(first.levels))
    for position in range(len(first.levels), len(options.objectives)):
        shares = [LEVEL_TIME_SHARE[name] for name in options.objectives[position:]]
        left = seconds - (time.monotonic() - begun)
        _full_step(progress, options, left * shares[0] / sum(shares), cp_workers)
    return progress.outcome()


@dataclass(frozen=True)
class _Allowance:
    """The time a component may take: its ``fraction`` of the time left before ``until`` (``time.time()``, the same
    clock in every process) when it starts, at most all of it."""

    until: float
    fraction: float

    def seconds(self) -> float:
        left = self.until - time.time()
        return max(0.0, min(left, left * self.fraction))


def _pool(processes: int) -> ProcessPoolExecutor:
    """Worker processes started afresh (``"spawn"``): safe whatever threads this process runs, and their CPU time
    counts as this process's children's. Their arguments are pickled; like any use of ``"spawn"``, a script
    calling :func:`optimise` with several workers needs the ``if __name__ == "__main__":`` guard."""
    return ProcessPoolExecutor(processes, mp_context=multiprocessing.get_context("spawn"))


def _phase(
    pool: ProcessPoolExecutor | None,
    parallel: int,
    order: Sequence[int],
    weights: Sequence[int],
    until: float,
    function: Callable[..., _Stage],
    arguments: Callable[[int, _Allowance], tuple[object, ...]],
) -> list[_Stage]:
    """``function(*arguments(i, allowance))`` for every component ``i``, in ``order``, in ``pool`` (or here, one
    after the other, without one). Each is allowed the time left before ``until`` in proportion to its weight
    among those not started before it, times ``parallel``; time one leaves unused flows on to those after it."""
    allowances: dict[int, _Allowance] = {}
    left = sum(weights)
    for i in order:
        allowances[i] = _Allowance(until, parallel * weights[i] / max(1, left))
        left -= weights[i]
    if pool is None:
        results = {i: function(*arguments(i, allowances[i])) for i in order}
        return [results[i] for i in range(len(weights))]
    futures = {i: pool.submit(function, *arguments(i, allowances[i])) for i in order}
    return [futures[i].result() for i in range(len(weights))]


def optimise(households: Sequence[Household], dwellings: Sequence[Dwelling], options: Options) -> Result:
    """Propose dwellings for households: lexicographic optimum of ``options.objectives`` under the hard rules.

    Every component goes through two stages (module doc). First the leading people and deadline levels are
    solved exactly by HiGHS on the class model (:func:`_first_levels`). Then the levels after them (normally the
    fit) are solved by CP-SAT on the full model, hinted with that solution and with the earlier levels fixed to at
    least their values. When the objectives do not start with people or deadline, the first stage only finds the
    starting values (the better of the status quo and the optimum without sharing) and the people level's LP
    bound, and CP-SAT solves every level.

    Time: 90 % of ``options.time_limit_seconds`` (the rest: building the result) is shared over the levels by
    :data:`LEVEL_TIME_SHARE`. The first stage may use the share of its levels; the second stage at most the share
    of its own levels, counted from when it starts, so that time the first stage left unused is not spent on the
    fit level, which is rarely proven for large components. In the first stage the largest components go first,
    each given time in proportion to its size among those not yet started; in the second the smallest go first,
    each given an equal share of the time left, most of which they leave to the large ones at the end. With
    ``options.workers`` above 1 and several components, the components are solved in that many processes (one
    HiGHS or CP-SAT thread each, see :func:`_pool`); with one worker, one after the other in this process,
    deterministically. Per level the result gives the summed objective and bound, ``optimal`` when every component
    proved it, and the time by which every component had it.
    """
    started = time.perf_counter()
    clock = time.time()
    check_ids(households, dwellings)
    groups = municipality_groups(options)
    parts = components(households, dwellings, options)
    budget = 0.9 * options.time_limit_seconds
    shares = [LEVEL_TIME_SHARE[name] for name in options.objectives]
    first_share = sum(shares[: len(_first_names(options.objectives))]) / sum(shares)
    parallel = min(options.workers, len(parts))
    cp_workers = max(1, options.workers // max(1, parallel))
    pool = _pool(parallel) if parallel > 1 else None
    try:
        # HiGHS: the largest first (so that the processes end together), time in proportion to the size
        sizes = [len(h) * len(d) for h, d in parts]
        firsts = _phase(
            pool,
            parallel,
            sorted(range(len(parts)), key=lambda i: (-sizes[i], i)),
            sizes,
            clock + budget * first_share,
            _first_stage,
            lambda i, allowance: (*parts[i], options, groups, allowance),
        )
        stages = firsts
        done = dict.fromkeys(options.objectives, time.perf_counter() - started)
        if any(len(stage.levels) < len(options.objectives) for stage in firsts):
            # CP-SAT: the smallest first, as many are proven in far less than an equal share of the time, which
            # then goes to the largest, proven rarely if ever
            stages = _phase(
                pool,
                parallel,
                sorted(range(len(parts)), key=lambda i: (firsts[i].pairs, i)),
                [1] * len(parts),
                min(clock + budget, time.time() + budget * (1 - first_share)),
                _later_stage,
                lambda i, allowance: (*parts[i], options, groups, firsts[i], allowance, cp_workers),
            )
            for name in options.objectives[len(_first_names(options.objectives)) :]:
                done[name] = time.perf_counter() - started
    finally:
        if pool is not None:
            pool.shutdown()
    assignment: dict[str, str] = {}
    totals = {name: [0, 0, True] for name in options.objectives}
    for (part_households, part_dwellings), stage in zip(parts, stages, strict=True):
        for hi, di in stage.housed:
            assignment[part_households[hi].id] = part_dwellings[di].id
        for name, objective, bound, optimal in stage.levels:
            totals[name][0] += objective
            totals[name][1] += bound
            totals[name][2] = totals[name][2] and optimal
    levels = [
        LevelResult(name, int(o), int(b), bool(opt), round(done[name], 3))
        for name, (o, b, opt) in totals.items()
    ]
    status = "optimal" if all(level.optimal for level in levels) else "feasible"
    return summarise(households, dwellings, assignment, options, levels, started, status, len(parts))


def min_cost_assignment(n: int, m: int, arcs: Sequence[tuple[int, int, int]]) -> list[tuple[int, int]]:
    """Minimum-cost assignment of ``n`` households to ``m`` dwellings over ``arcs`` (household, dwelling, cost <
    0), each at most once, by OR-Tools' min-cost flow; the (household, dwelling) pairs with flow.

    Network: source -> each household (capacity 1) -> each dwelling with a negative cost (capacity 1) -> sink,
    plus household -> sink at cost 0 (not housed), so every household's unit of flow reaches the sink."""
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
