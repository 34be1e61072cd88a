"""The status quo: first come, first served."""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Mapping, Sequence

from regietafel.domain.matching.evaluation import check_ids, evaluate, summarise
from regietafel.domain.matching.model import Dwelling, Household, LevelResult, Options, Result
from regietafel.domain.matching.rules import feasible_alone, min_sharers, municipality_groups


def greedy_assignment(
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
    check_ids(households, dwellings)
    groups = municipality_groups(options)
    pairs = greedy_assignment(households, dwellings, options, groups)
    assignment = {households[hi].id: dwellings[di].id for hi, di in pairs}
    values = evaluate(households, dwellings, assignment, options)
    levels = [LevelResult(name, values[name], values[name], False) for name in options.objectives]
    return summarise(households, dwellings, assignment, options, levels, started, "heuristic", 0)
