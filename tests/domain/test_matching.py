"""Tests for regietafel.domain.matching: hand-made cases per rule plus hypothesis properties."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import replace
from decimal import Decimal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model
from scipy.optimize import linear_sum_assignment

from bench.assignment import (
    one_per_dwelling_costs,
    optimise_one_per_dwelling,
    solve_cost_matrix,
    without_sharing,
)
from regietafel.domain.matching import (
    OVERDUE_WEIGHT,
    Dwelling,
    Household,
    LevelResult,
    Options,
    Result,
    Tie,
    deadline_weight,
    evaluate,
    greedy,
    haversine_km,
    min_sharers,
    municipality_groups,
    optimise,
    people_relaxation_bound,
    tie_score,
    unmatched_reason,
)
from regietafel.domain.matching.optimiser import _first_levels, _prepare_component
from regietafel.domain.matching_instances import IJSSELLAND, generate

TODAY = datetime.date(2026, 1, 1)
LIMIT = Decimal("682.96")
YOUNG = Decimal("477.20")
RAALTE = (52.387, 6.275)
HEINO = (52.435, 6.233)


def day(offset: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=offset)


def options(**changes: object) -> Options:
    values: dict[str, object] = {"available_before": day(90), "today": TODAY, "time_limit_seconds": 10.0}
    values.update(changes)
    return Options(**values)  # type: ignore[arg-type]


def household(id: str, adults: int = 1, children: int = 0, **changes: object) -> Household:
    values: dict[str, object] = {
        "id": id,
        "municipality": "GM0177",
        "adults": adults,
        "children": children,
        "deadline": day(30),
        "max_rent": LIMIT,
    }
    values.update(changes)
    return Household(**values)  # type: ignore[arg-type]


def dwelling(
    id: str, rooms: int = 3, max_occupancy: int = 4, rent: str = "600", **changes: object
) -> Dwelling:
    values: dict[str, object] = {
        "id": id,
        "municipality": "GM0177",
        "place": "Raalte",
        "lat": RAALTE[0],
        "lon": RAALTE[1],
        "rooms": rooms,
        "max_occupancy": max_occupancy,
        "rent": Decimal(rent),
        "accessible": False,
        "available_on": day(10),
    }
    values.update(changes)
    return Dwelling(**values)  # type: ignore[arg-type]


def housed(result: Result) -> dict[str, str]:
    return {p.household_id: p.dwelling_id for p in result.proposals}


def violations(
    result: Result, households: list[Household], dwellings: list[Dwelling], opts: Options
) -> list[str]:
    """Every hard rule, checked independently of the module's own helpers."""
    by_h = {h.id: h for h in households}
    by_d = {d.id: d for d in dwellings}
    found = []
    ids = [p.household_id for p in result.proposals]
    if len(ids) != len(set(ids)):
        found.append("household housed twice")
    members: dict[str, list[Household]] = {}
    for p in result.proposals:
        h, d = by_h[p.household_id], by_d[p.dwelling_id]
        members.setdefault(d.id, []).append(h)
        if d.available_on > opts.available_before:
            found.append(f"{d.id} not available in time")
        if h.needs_accessible and not d.accessible:
            found.append(f"{h.id} needs an accessible dwelling")
        same_group = any(h.municipality in g and d.municipality in g for g in opts.redistribution)
        if d.municipality != h.municipality and not same_group:
            found.append(f"{h.id} outside its municipality")
    for p in result.proposals:
        others = {h.id for h in members[p.dwelling_id]} - {p.household_id}
        if set(p.shared_with) != others:
            found.append(f"{p.household_id}: shared_with {p.shared_with} != {sorted(others)}")
    for dwelling_id, group in members.items():
        d = by_d[dwelling_id]
        if sum(h.adults + h.children for h in group) > d.max_occupancy:
            found.append(f"{d.id} over occupancy")
        if len(group) > 1:
            if not d.sharing_allowed:
                found.append(f"{d.id} shared without permission")
            if any(h.adults != 1 or h.children or h.is_amv for h in group):
                found.append(f"{d.id} shared by a household that is not a single")
            if len(group) > d.rooms:
                found.append(f"{d.id} more singles than rooms")
        for h in group:
            if d.rent > len(group) * h.max_rent:
                found.append(f"{h.id}: rent share above limit in {d.id}")
    return found


# --- hard rules -----------------------------------------------------------------------------------------------


def test_occupancy() -> None:
    family = [household("F", adults=2, children=3)]
    assert optimise(family, [dwelling("W", max_occupancy=4)], options()).proposals == []
    assert housed(optimise(family, [dwelling("W", max_occupancy=5)], options())) == {"F": "W"}


def test_accessibility() -> None:
    households = [household("A", needs_accessible=True), household("B", adults=2)]
    dwellings = [dwelling("W1"), dwelling("W2", accessible=True)]
    result = optimise(households, dwellings, options())
    assert housed(result) == {"A": "W2", "B": "W1"}
    assert optimise(households[:1], dwellings[:1], options()).proposals == []


def test_rent_limit_alone() -> None:
    assert optimise([household("A")], [dwelling("W", rent="682.97")], options()).proposals == []
    assert housed(optimise([household("A")], [dwelling("W", rent="682.96")], options())) == {"A": "W"}


def test_shared_rent_is_split_equally() -> None:
    flex = dwelling("F", rooms=3, max_occupancy=3, rent="1500", sharing_allowed=True)
    assert min_sharers(household("S"), flex, options()) == 3  # 1500 / 2 = 750 > 682.96; 1500 / 3 = 500
    two = [household("S1"), household("S2")]
    assert optimise(two, [flex], options()).proposals == []
    three = [*two, household("S3")]
    result = optimise(three, [flex], options())
    assert housed(result) == {"S1": "F", "S2": "F", "S3": "F"}
    assert violations(result, three, [flex], options()) == []
    # a young single (limit 477.20) would pay 500: only in a fourth room (375 each)
    young = [*two, household("Y", max_rent=YOUNG)]
    assert optimise(young, [flex], options()).proposals == []
    flex4 = dwelling("F", rooms=4, max_occupancy=4, rent="1500", sharing_allowed=True)
    four = [*young, household("S4")]
    assert len(optimise(four, [flex4], options()).proposals) == 4


def test_availability() -> None:
    late = dwelling("W", available_on=day(91))
    assert optimise([household("A")], [late], options()).proposals == []
    assert housed(optimise([household("A")], [late], options(available_before=day(91)))) == {"A": "W"}


def test_municipality_and_redistribution() -> None:
    households = [household("A")]
    elsewhere = [dwelling("W", municipality="GM0193", place="Zwolle")]
    assert optimise(households, elsewhere, options()).proposals == []
    group = frozenset({frozenset({"GM0177", "GM0193"})})
    result = optimise(households, elsewhere, options(redistribution=group))
    assert housed(result) == {"A": "W"}
    codes = {r.code: r.params for r in result.proposals[0].reasons}
    assert codes["other_municipality"] == {"municipality": "GM0193", "own": "GM0177"}
    other_group = frozenset({frozenset({"GM0177", "GM0148"})})
    assert optimise(households, elsewhere, options(redistribution=other_group)).proposals == []


def test_only_singles_share() -> None:
    shared = [dwelling("W", rooms=3, max_occupancy=4, rent="600", sharing_allowed=True)]
    couple_and_single = [household("C", adults=2), household("S")]
    result = optimise(couple_and_single, shared, options())
    assert housed(result) == {"C": "W"}
    amv = household("M", adults=0, children=1, is_amv=True, max_rent=YOUNG)
    assert not amv.is_single
    result = optimise([amv, household("S")], [dwelling("W", rent="450", sharing_allowed=True)], options())
    assert len(result.proposals) == 1
    singles = [household("S1"), household("S2")]
    assert len(optimise(singles, [dwelling("W")], options()).proposals) == 1  # sharing not allowed
    assert len(optimise(singles, shared, options()).proposals) == 2


def test_one_single_per_room() -> None:
    flex = [dwelling("F", rooms=2, max_occupancy=4, rent="600", sharing_allowed=True)]
    singles = [household(f"S{i}") for i in range(4)]
    result = optimise(singles, flex, options())
    assert len(result.proposals) == 2
    assert violations(result, singles, flex, options()) == []


def test_one_dwelling_per_household() -> None:
    result = optimise([household("A", adults=2)], [dwelling("W1"), dwelling("W2")], options())
    assert len(result.proposals) == 1


def test_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        household("X", adults=0, children=0)
    with pytest.raises(ValueError):
        options(objectives=("people", "speed"))
    with pytest.raises(ValueError):
        Tie("school", "Raalte", *RAALTE)
    with pytest.raises(ValueError):
        optimise([household("A"), household("A")], [dwelling("W")], options())


# --- objectives -----------------------------------------------------------------------------------------------


def test_deadline_weight() -> None:
    assert deadline_weight(household("A", deadline=day(-1)), TODAY) == OVERDUE_WEIGHT == 366
    assert deadline_weight(household("A", deadline=day(0)), TODAY) == 183
    assert deadline_weight(household("A", deadline=day(1)), TODAY) == 182
    assert deadline_weight(household("A", deadline=day(182)), TODAY) == 1
    assert deadline_weight(household("A", deadline=day(400)), TODAY) == 1


def test_lexicographic_people_before_deadline() -> None:
    urgent_single = household("S", deadline=day(-5))
    family = household("F", adults=2, children=1, deadline=day(60))
    one = [dwelling("W", rooms=3, max_occupancy=4)]
    result = optimise([urgent_single, family], one, options())
    assert housed(result) == {"F": "W"}
    assert [(lv.name, lv.objective, lv.optimal) for lv in result.levels][:2] == [
        ("people", 3, True),
        ("deadline", deadline_weight(family, TODAY), True),
    ]
    assert result.past_deadline == 1  # S is not housed and its deadline lies before available_before
    reordered = optimise([urgent_single, family], one, options(objectives=("deadline", "people", "fit")))
    assert housed(reordered) == {"S": "W"}
    assert (
        reordered.past_deadline == 1
    )  # F is left; its deadline (day 60) lies before available_before (day 90)
    deadline_first = options(objectives=("deadline", "people", "fit"), available_before=day(60))
    assert optimise([urgent_single, family], one, deadline_first).past_deadline == 0  # not before: day 60


def test_fit_prefers_nearby_ties_and_little_waste() -> None:
    worker = household("A", adults=2, ties=(Tie("work", "Heino", *HEINO),))
    near = dwelling("NEAR", place="Heino", lat=HEINO[0], lon=HEINO[1], max_occupancy=4)
    far = dwelling("FAR", municipality="GM0177", lat=52.30, lon=6.40, max_occupancy=4)
    assert housed(optimise([worker], [far, near], options())) == {"A": "NEAR"}
    assert tie_score(worker, near) == 250
    small, big = dwelling("SMALL", rooms=2, max_occupancy=2), dwelling("BIG", rooms=5, max_occupancy=7)
    assert housed(optimise([household("C", adults=2)], [big, small], options())) == {"C": "SMALL"}


def test_reasons_are_structured_and_correct() -> None:
    ties = (Tie("work", "Heino", *HEINO), Tie("family", "Groningen", 53.219, 6.566))
    singles = [
        household("S1", ties=ties, needs_accessible=True, deadline=day(-3)),
        household("S2"),
        household("S3"),
    ]
    flex = dwelling("F", rooms=3, max_occupancy=3, rent="1500", sharing_allowed=True, accessible=True)
    result = optimise(singles, [flex], options())
    first = next(p for p in result.proposals if p.household_id == "S1")
    assert first.shared_with == ("S2", "S3")
    reasons = {r.code: r.params for r in first.reasons}
    assert reasons["deadline"] == {"deadline": day(-3), "days_left": -3}
    assert reasons["size_fit"] == {"rooms": 3, "people": 1, "max_occupancy": 3, "unused": 0}
    km = round(haversine_km(*HEINO, *RAALTE), 1)
    assert 5.0 < km < 7.0
    assert [r.params for r in first.reasons if r.code == "tie_nearby"] == [
        {"kind": "work", "place": "Heino", "km": km}
    ]
    assert reasons["accessible"] == {}
    assert reasons["shared"] == {"with": 2, "total_rent": Decimal("1500")}
    assert reasons["rent_within_limit"] == {"rent": Decimal("500.00"), "limit": LIMIT}
    assert "other_municipality" not in reasons
    assert reasons["available"] == {"available_on": day(10), "before_deadline": False}


# --- greedy and the special case without sharing -------------------------------------------------------------


def test_first_come_first_served_is_worse_here() -> None:
    households = [household("S", deadline=day(0)), household("F", adults=2, children=2, deadline=day(10))]
    dwellings = [
        dwelling("HOUSE", rooms=4, max_occupancy=6, available_on=day(1)),
        dwelling("STUDIO", rooms=1, max_occupancy=1, rent="450", available_on=day(2)),
    ]
    status_quo = greedy(households, dwellings, options())
    assert housed(status_quo) == {"S": "HOUSE"}
    assert status_quo.people_housed == 1
    assert status_quo.status == "heuristic"
    result = optimise(households, dwellings, options())
    assert housed(result) == {"F": "HOUSE", "S": "STUDIO"}
    assert result.people_housed == 5
    assert result.past_deadline == 0 and status_quo.past_deadline == 1


def test_greedy_fills_a_flex_unit_and_lets_go_of_singles_it_cannot_afford() -> None:
    flex = dwelling("F", rooms=3, max_occupancy=3, rent="1500", sharing_allowed=True)
    three = [
        household("S1", deadline=day(1)),
        household("S2", deadline=day(2)),
        household("S3", deadline=day(3)),
    ]
    assert housed(greedy(three, [flex], options())) == {"S1": "F", "S2": "F", "S3": "F"}
    assert greedy(three[:2], [flex], options()).proposals == []


def test_without_sharing_cp_sat_matches_min_cost_flow_and_scipy() -> None:
    households, dwellings = generate(60, 40, ["GM0177", "GM0175"], seed=7, start=TODAY)
    dwellings = without_sharing(dwellings)
    opts = options(available_before=day(182), workers=1)
    exact = optimise_one_per_dwelling(households, dwellings, opts)
    cp_sat = optimise(households, dwellings, opts)
    assert cp_sat.status == "optimal"
    assert [(lv.objective, lv.bound) for lv in cp_sat.levels] == [
        (lv.objective, lv.bound) for lv in exact.levels
    ]
    for matrix in one_per_dwelling_costs(households, dwellings, opts):
        costs = np.array(matrix.costs, dtype=np.float64)
        rows, columns = linear_sum_assignment(costs)
        assert int(costs[rows, columns].sum()) == matrix.total(solve_cost_matrix(matrix))
        assert matrix.total((h, d) for h, d in housed(cp_sat).items() if h in matrix.household_ids) == (
            matrix.total(solve_cost_matrix(matrix))
        )
    assert violations(exact, households, dwellings, opts) == []


# --- properties -----------------------------------------------------------------------------------------------


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[Household], list[Dwelling], Options]:
    codes = ["GM0177", "GM0175"]
    households = []
    for index in range(draw(st.integers(0, 5))):
        kind = draw(st.sampled_from(["single", "single", "couple", "family", "amv"]))
        adults, children = {"single": (1, 0), "couple": (2, 0), "family": (2, 3), "amv": (0, 1)}[kind]
        households.append(
            household(
                f"H{index}",
                adults=adults,
                children=children,
                municipality=draw(st.sampled_from(codes)),
                deadline=day(draw(st.integers(-20, 120))),
                needs_accessible=draw(st.booleans()),
                is_amv=kind == "amv",
                max_rent=draw(st.sampled_from([YOUNG, LIMIT, Decimal("731.93")])),
                ties=(Tie("work", "Heino", *HEINO),) if draw(st.booleans()) else (),
            )
        )
    dwellings = []
    for index in range(draw(st.integers(0, 4))):
        rooms = draw(st.integers(1, 4))
        dwellings.append(
            dwelling(
                f"W{index}",
                rooms=rooms,
                max_occupancy=draw(st.integers(1, 6)),
                rent=str(draw(st.integers(400, 1600))),
                municipality=draw(st.sampled_from(codes)),
                accessible=draw(st.booleans()),
                available_on=day(draw(st.integers(0, 120))),
                sharing_allowed=draw(st.booleans()),
                lat=draw(st.floats(52.3, 52.5)),
            )
        )
    redistribution = frozenset({frozenset(codes)}) if draw(st.booleans()) else frozenset()
    return households, dwellings, options(redistribution=redistribution, workers=1)


def brute_force_levels(
    households: list[Household], dwellings: list[Dwelling], opts: Options
) -> tuple[int, ...]:
    """The lexicographic optimum of ``opts.objectives`` over every assignment that breaks no hard rule (by
    :func:`violations`), valued by :func:`evaluate`."""
    best = tuple(0 for _ in opts.objectives)
    for choice in itertools.product([None, *dwellings], repeat=len(households)):
        proposals = []
        for h, d in zip(households, choice, strict=True):
            if d is not None:
                others = tuple(o.id for o, e in zip(households, choice, strict=True) if e is d and o is not h)
                proposals.append(
                    type("P", (), {"household_id": h.id, "dwelling_id": d.id, "shared_with": others})
                )
        fake = Result(proposals, [], 0, 0, 0, 0, 0.0, "")  # type: ignore[arg-type]
        if not violations(fake, households, dwellings, opts):
            assignment = {h.id: d.id for h, d in zip(households, choice, strict=True) if d is not None}
            values = evaluate(households, dwellings, assignment, opts)
            best = max(best, tuple(values[name] for name in opts.objectives))
    return best


def brute_force_people(households: list[Household], dwellings: list[Dwelling], opts: Options) -> int:
    return brute_force_levels(households, dwellings, replace(opts, objectives=("people",)))[0]


@settings(max_examples=60, deadline=None)
@given(instances())
def test_properties_of_the_optimiser(instance: tuple[list[Household], list[Dwelling], Options]) -> None:
    households, dwellings, opts = instance
    result = optimise(households, dwellings, opts)
    assert violations(result, households, dwellings, opts) == []
    status_quo = greedy(households, dwellings, opts)
    assert violations(status_quo, households, dwellings, opts) == []
    assert result.people_housed >= status_quo.people_housed
    assert result.people_housed >= optimise_one_per_dwelling(households, dwellings, opts).people_housed
    assert result.people_housed == brute_force_people(households, dwellings, opts)
    assert result.status == "optimal"
    for level in result.levels:
        assert level.optimal and level.bound >= level.objective and level.gap == 0
    values = evaluate(households, dwellings, housed(result), opts)
    assert [lv.objective for lv in result.levels] == [values[name] for name in opts.objectives]
    assert result.people_housed == sum(h.people for h in households if h.id in housed(result))
    unhoused_late = [
        h for h in households if h.id not in housed(result) and h.deadline < opts.available_before
    ]
    assert result.past_deadline == len(unhoused_late)


@settings(max_examples=40, deadline=None)
@given(instances(), st.permutations(["people", "deadline", "fit"]), st.integers(1, 3))
def test_every_order_of_objectives_reaches_the_brute_force_optimum(
    instance: tuple[list[Household], list[Dwelling], Options], order: list[str], count: int
) -> None:
    """HiGHS solves the leading people and deadline levels, CP-SAT the rest (or all of them when the fit comes
    first): whatever the order and subset, the levels are the exact lexicographic optimum, proven."""
    households, dwellings, opts = instance
    opts = replace(opts, objectives=tuple(order[:count]))
    result = optimise(households, dwellings, opts)
    assert violations(result, households, dwellings, opts) == []
    assert tuple(level.objective for level in result.levels) == brute_force_levels(
        households, dwellings, opts
    )
    assert [level.name for level in result.levels] == list(opts.objectives)
    assert result.status == "optimal"
    assert all(level.optimal and level.bound == level.objective for level in result.levels)


def exact_people_then_deadline(
    households: list[Household], dwellings: list[Dwelling], opts: Options
) -> tuple[int, int]:
    """An independent exact check: a CP-SAT model with a Boolean per household and dwelling (no classes), solved
    to optimality for the people housed, then for the deadline weight with the people fixed."""
    model = cp_model.CpModel()
    pairs: dict[tuple[int, int], tuple[cp_model.IntVar, int]] = {}
    for hi, h in enumerate(households):
        for di, d in enumerate(dwellings):
            least = min_sharers(h, d, opts)
            if least is not None:
                pairs[hi, di] = model.new_bool_var(f"x{hi}_{di}"), least
    for hi in range(len(households)):
        model.add_at_most_one(x for (h, _d), (x, _m) in pairs.items() if h == hi)
    for di, d in enumerate(dwellings):
        own = [(households[h], x, m) for (h, e), (x, m) in pairs.items() if e == di]
        if not d.sharing_allowed:
            model.add_at_most_one(x for _h, x, _m in own)
            continue
        sharing = [(x, m) for h, x, m in own if h.is_single]
        alone = [x for h, x, _m in own if not h.is_single]
        exactly = [model.new_bool_var(f"k{di}_{k}") for k in range(1, d.single_places + 1)]
        model.add(sum(x for x, _m in sharing) == sum(k * y for k, y in enumerate(exactly, 1)))
        for x, m in sharing:
            model.add(sum(exactly[m - 1 :]) >= x)
        model.add_at_most_one([*alone, *exactly])
    people = sum(households[h].people * x for (h, _d), (x, _m) in pairs.items())
    deadline = sum(deadline_weight(households[h], TODAY) * x for (h, _d), (x, _m) in pairs.items())
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    model.maximize(people)
    assert solver.solve(model) == cp_model.OPTIMAL
    most = round(solver.objective_value)
    model.add(people == most)
    model.maximize(deadline)
    assert solver.solve(model) == cp_model.OPTIMAL
    return most, round(solver.objective_value)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_people_and_deadline_equal_an_independent_exact_model(seed: int) -> None:
    """Generated instances (sharing, accessibility, rent limits, two municipalities that may share their homes):
    the class model's proven optimum of both levels is that of a model over every household and dwelling."""
    households, dwellings = generate(36, 26, ["GM0177", "GM0175"], seed=seed, start=TODAY)
    redistribution = frozenset({frozenset({"GM0177", "GM0175"})}) if seed % 2 else frozenset()
    opts = options(
        available_before=day(182), redistribution=redistribution, objectives=("people", "deadline")
    )
    result = optimise(households, dwellings, opts)
    assert [(lv.name, lv.objective, lv.bound, lv.optimal) for lv in result.levels] == [
        (name, value, value, True)
        for name, value in zip(
            ("people", "deadline"), exact_people_then_deadline(households, dwellings, opts), strict=True
        )
    ]
    assert result.status == "optimal"
    assert violations(result, households, dwellings, opts) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_generated_instances_break_no_rule_and_state_each_level(workers: int) -> None:
    """Many components (11 municipalities), solved in this process or in worker processes: no proposal breaks a
    hard rule, people and deadline are proven, and each level states its objective, bound and status truthfully."""
    households, dwellings = generate(500, 360, list(IJSSELLAND), seed=11, start=TODAY)
    opts = options(available_before=day(182), time_limit_seconds=30.0, workers=workers)
    result = optimise(households, dwellings, opts)
    assert violations(result, households, dwellings, opts) == []
    assert result.components == 11
    people, deadline, fit = result.levels
    assert (people.name, deadline.name, fit.name) == ("people", "deadline", "fit")
    assert people.optimal and deadline.optimal
    assert people.bound == people.objective and deadline.bound == deadline.objective
    assert fit.bound >= fit.objective and fit.optimal == (fit.bound == fit.objective)
    assert result.status == ("optimal" if fit.optimal else "feasible")
    assert 0 < people.seconds <= deadline.seconds <= fit.seconds <= result.seconds
    values = evaluate(households, dwellings, housed(result), opts)
    assert [level.objective for level in result.levels] == [values[name] for name in opts.objectives]
    assert result.people_housed >= greedy(households, dwellings, opts).people_housed
    assert people.objective <= people_relaxation_bound(households, dwellings, opts)


def test_out_of_time_the_first_levels_keep_the_status_quo_with_honest_bounds() -> None:
    """HiGHS given no time finds nothing: the status quo is kept, and the levels say they are not proven."""
    households, dwellings = generate(120, 90, ["GM0177"], seed=4, start=TODAY)
    opts = options(available_before=day(182))
    groups = municipality_groups(opts)
    component = _prepare_component(households, dwellings, opts, groups, ("people", "deadline"))
    values, levels = _first_levels(component, ("people", "deadline"), opts, 0.0, groups)
    assignment = {
        households[hi].id: dwellings[pair.dwelling].id
        for pair, hi, value in zip(component.pairs, component.owners, values, strict=False)
        if value
    }
    status_quo = greedy(households, dwellings, opts)
    assert assignment == housed(status_quo)
    solved = optimise(households, dwellings, replace(opts, objectives=("people", "deadline"))).levels
    for (name, objective, bound, optimal), level in zip(levels, solved, strict=True):
        assert name == level.name and not optimal
        assert objective == evaluate(households, dwellings, assignment, opts)[name]
        assert bound >= level.objective  # the proven optimum
    assert levels[0][1] < solved[0].objective


def test_one_worker_and_two_workers_agree_on_the_proven_levels() -> None:
    households, dwellings = generate(200, 150, list(IJSSELLAND)[:4], seed=2, start=TODAY)
    opts = options(available_before=day(182), objectives=("deadline", "people"))
    alone = optimise(households, dwellings, opts)
    side_by_side = optimise(households, dwellings, replace(opts, workers=2))
    assert alone.levels == side_by_side.levels
    assert alone.status == side_by_side.status == "optimal"
    assert housed(alone) == housed(side_by_side)  # the same model and solver settings per component


@settings(max_examples=60, deadline=None)
@given(instances())
def test_a_household_without_a_proposal_has_the_reason_the_rules_give(
    instance: tuple[list[Household], list[Dwelling], Options],
) -> None:
    """'taken' only when some home was allowed; any other reason only when no home passes the rules up to it."""
    households, dwellings, opts = instance
    proposed = housed(optimise(households, dwellings, opts))
    for household in households:
        if household.id in proposed:
            continue
        reason = unmatched_reason(household, dwellings, opts)
        allowed = [d for d in dwellings if min_sharers(household, d, opts) is not None]
        if reason.code == "taken":
            assert allowed and reason.params["homes"] == len(allowed)
        else:
            assert not allowed, (household, reason)
        if reason.code == "none_large_enough":
            assert reason.params["largest"] < household.people
        if reason.code == "rent_above_limit":
            assert reason.params["lowest"] > household.max_rent or household.is_single


def test_the_first_rule_that_leaves_no_home_is_the_reason() -> None:
    opts = options()
    family = household("F", adults=2, children=5)
    assert unmatched_reason(family, [dwelling("D", max_occupancy=4)], opts).code == "none_large_enough"
    assert unmatched_reason(family, [], opts).code == "no_home_in_municipality"
    elsewhere = dwelling("E", municipality="GM0166", max_occupancy=9)
    assert unmatched_reason(family, [elsewhere], opts).code == "no_home_in_municipality"
    late = dwelling("L", max_occupancy=9, available_on=day(200))
    assert unmatched_reason(family, [late], opts).code == "none_available_in_time"
    dear = dwelling("R", max_occupancy=9, rent="900")
    reason = unmatched_reason(family, [dear], opts)
    assert reason.code == "rent_above_limit" and reason.params["lowest"] == Decimal("900")
    needs = household("A", needs_accessible=True)
    assert unmatched_reason(needs, [dwelling("D")], opts).code == "none_accessible"
    assert unmatched_reason(household("S"), [dwelling("D")], opts).code == "taken"


@settings(max_examples=15, deadline=None)
@given(instances())
def test_deterministic_with_one_worker(instance: tuple[list[Household], list[Dwelling], Options]) -> None:
    households, dwellings, opts = instance
    first, second = optimise(households, dwellings, opts), optimise(households, dwellings, opts)
    assert first.proposals == second.proposals
    assert first.levels == second.levels


@settings(max_examples=60, deadline=None)
@given(instances())
def test_relaxation_bounds_the_people_housed(
    instance: tuple[list[Household], list[Dwelling], Options],
) -> None:
    households, dwellings, opts = instance
    assert people_relaxation_bound(households, dwellings, opts) >= brute_force_people(
        households, dwellings, opts
    )
    # without sharing the LP is a transportation problem (totally unimodular): the bound is the optimum
    alone = without_sharing(dwellings)
    assert people_relaxation_bound(households, alone, opts) == brute_force_people(households, alone, opts)


def test_relaxation_with_sharing_can_be_loose_but_valid() -> None:
    # Two singles and a flex unit that needs three sharers: nobody can live there, but the LP houses both with
    # two thirds of "three share it"; CP-SAT proves 0.
    flex = dwelling("F", rooms=3, max_occupancy=3, rent="1500", sharing_allowed=True)
    two = [household("S1"), household("S2")]
    assert people_relaxation_bound(two, [flex], options()) == 2
    assert optimise(two, [flex], options()).levels[0] == LevelResult("people", 0, 0, True)
    three = [*two, household("S3")]
    assert people_relaxation_bound(three, [flex], options()) == 3


def test_bounds_are_honest_when_time_is_short() -> None:
    """Whatever the solver reaches in a short time (the machine may be busy: how far it gets is the benchmark's
    business, bench/), what it reports is true: a valid matching, at least the status quo, and bounds that hold."""
    households, dwellings = generate(400, 260, list(IJSSELLAND), seed=5, start=TODAY)
    opts = options(available_before=day(182), time_limit_seconds=2.0, workers=2)
    result = optimise(households, dwellings, opts)
    assert violations(result, households, dwellings, opts) == []
    assert result.people_housed >= greedy(households, dwellings, opts).people_housed
    people = result.levels[0]
    assert people.objective == result.people_housed
    assert people.objective <= people.bound <= people_relaxation_bound(households, dwellings, opts)
    assert people.gap >= 0 and (people.gap == 0) == (people.bound == people.objective)
    values = evaluate(households, dwellings, housed(result), opts)
    for level in result.levels:
        assert level.objective == values[level.name]
        assert level.bound >= level.objective
        if level.optimal:
            assert level.bound == level.objective


# --- generated instances --------------------------------------------------------------------------------------


def test_generate_is_deterministic_and_realistic() -> None:
    households, dwellings = generate(400, 300, list(IJSSELLAND), seed=3, start=TODAY)
    again = generate(400, 300, list(IJSSELLAND), seed=3, start=TODAY)
    assert (households, dwellings) == again
    assert generate(400, 300, list(IJSSELLAND), seed=4, start=TODAY) != again
    assert len(households) == 400 and len(dwellings) == 300
    singles = sum(h.is_single for h in households)
    assert 0.3 * 400 < singles < 0.6 * 400
    assert any(h.people >= 6 for h in households)
    assert any(h.is_amv for h in households) and any(h.needs_accessible for h in households)
    assert any(h.deadline < TODAY for h in households)
    assert {d.rooms for d in dwellings} == {1, 2, 3, 4, 5, 6}
    assert any(d.sharing_allowed for d in dwellings)
    assert all(TODAY <= d.available_on <= day(182) for d in dwellings)
    assert {h.municipality for h in households} <= set(IJSSELLAND)
    codes = {h.municipality for h in generate(50, 10, 5, seed=1, start=TODAY)[0]}
    assert codes <= {f"GM{9001 + i}" for i in range(5)}
