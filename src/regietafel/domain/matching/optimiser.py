"""The optimiser: CP-SAT, level by level (people, deadlines, fit), proven or with its gap."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from ortools.graph.python import min_cost_flow
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from regietafel.domain.matching.evaluation import check_ids, components, summarise
from regietafel.domain.matching.greedy import greedy_assignment
from regietafel.domain.matching.model import (
    LARGE_MODEL_PAIRS,
    LEVEL_TIME_SHARE,
    PEOPLE_GAP_LIMIT,
    WASTE_WEIGHT,
    Dwelling,
    Household,
    LevelResult,
    Options,
    Result,
)
from regietafel.domain.matching.rules import deadline_weight, min_sharers, municipality_groups, tie_score


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
    check_ids(households, dwellings)
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
    :func:`cost_matrix`): both are feasible, so every level has a good solution from the start."""
    pairs, households = component.pairs, component.households
    index = {(p.household, p.dwelling): i for i, p in enumerate(pairs)}
    status_quo = [index[pair] for pair in greedy_assignment(households, component.dwellings, options, groups)]
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
        flow = min_cost_assignment(len(households), len(component.dwellings), arcs)
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
    check_ids(households, dwellings)
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
