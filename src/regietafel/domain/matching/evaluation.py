"""What every method shares: splitting into independent components, and summing up a set of proposals."""

from __future__ import annotations

import datetime
import time
from collections import defaultdict
from collections.abc import Mapping, Sequence

from regietafel.domain.matching.model import (
    OBJECTIVES,
    WASTE_WEIGHT,
    Dwelling,
    Household,
    LevelResult,
    Options,
    Proposal,
    Result,
)
from regietafel.domain.matching.rules import deadline_weight, reasons, tie_score


def check_ids(households: Sequence[Household], dwellings: Sequence[Dwelling]) -> None:
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


def summarise(
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


def pair_values(household: Household, dwelling: Dwelling, today: datetime.date) -> dict[str, int]:
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
