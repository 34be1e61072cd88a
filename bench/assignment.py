"""One household per dwelling: cost matrices and a min-cost flow. Not the matcher (``regietafel.domain.matching``):
the reference it is measured and tested against when no home is shared (``bench/matching.py``,
``tests/domain/test_matching.py``)."""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from regietafel.domain.matching.evaluation import check_ids, components, evaluate, pair_values, summarise
from regietafel.domain.matching.model import Dwelling, Household, LevelResult, Options, Result
from regietafel.domain.matching.optimiser import min_cost_assignment
from regietafel.domain.matching.rules import feasible_alone, municipality_groups


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
    check_ids(households, dwellings)
    dwellings = without_sharing(dwellings)
    groups = municipality_groups(options)
    today = options.reference_day
    return [
        cost_matrix(part_households, part_dwellings, options, groups, today)
        for part_households, part_dwellings in components(households, dwellings, options)
    ]


def cost_matrix(
    households: Sequence[Household],
    dwellings: Sequence[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]],
    today: datetime.date,
) -> CostMatrix:
    """The :class:`CostMatrix` of one component; the dwellings must not allow sharing."""
    values: list[list[dict[str, int] | None]] = [
        [pair_values(h, d, today) if feasible_alone(h, d, options, groups) else None for d in dwellings]
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
    """Minimum-cost assignment of a :class:`CostMatrix` (``min_cost_assignment``): the (household id, dwelling id)
    pairs with flow."""
    arcs = [(i, j, cost) for i, row in enumerate(matrix.costs) for j, cost in enumerate(row) if cost < 0]
    return [
        (matrix.household_ids[i], matrix.dwelling_ids[j])
        for i, j in min_cost_assignment(len(matrix.household_ids), len(matrix.dwelling_ids), arcs)
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
    return summarise(households, dwellings, assignment, options, levels, started, "optimal", len(matrices))
