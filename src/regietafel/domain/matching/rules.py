"""The hard rules and the scores of one household in one dwelling."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal

from regietafel.domain.matching.model import (
    CENTS,
    DEADLINE_HORIZON_DAYS,
    OVERDUE_WEIGHT,
    TIE_RADIUS_KM,
    Dwelling,
    Household,
    Options,
    Reason,
    Tie,
)


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


def tie_points(tie: Tie, dwelling: Dwelling) -> int:
    """Fit points for one tie: ``max(0, 10 * TIE_RADIUS_KM - round(10 * km))``, i.e. 250 at 0 km down to 0 at
    25 km and beyond, in units of 100 m."""
    return max(0, 10 * TIE_RADIUS_KM - round(10 * haversine_km(tie.lat, tie.lon, dwelling.lat, dwelling.lon)))


def tie_score(household: Household, dwelling: Dwelling) -> int:
    """Fit points for ties: :func:`tie_points` summed over the household's ties (kinds weigh the same)."""
    return sum(tie_points(tie, dwelling) for tie in household.ties)


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


def unmatched_reason(
    household: Household,
    dwellings: Sequence[Dwelling],
    options: Options,
    groups: Mapping[str, frozenset[str]] | None = None,
) -> Reason:
    """Why ``household`` got no proposal: the first hard rule, in the order of the module's list, that leaves none
    of ``dwellings`` (those allowed by the rules before it are counted in ``homes``), or ``taken`` when some home
    was allowed and went to other households (the objectives put them first).

    Codes and params: ``no_home_in_municipality`` (``municipality``); ``none_available_in_time`` (``before``);
    ``none_accessible``; ``none_large_enough`` (``people``, ``largest``: the highest occupancy of the homes
    left); ``rent_above_limit`` (``limit``, ``lowest``: the lowest rent left); ``taken`` (``homes``: the homes the
    household could have had). Every code but ``taken`` also has ``homes``: how many passed the rules before."""
    groups = municipality_groups(options) if groups is None else groups
    single_sharing = household.is_single
    steps: list[tuple[str, Callable[[Dwelling], bool]]] = [
        ("no_home_in_municipality", lambda d: may_use_municipality(household, d, groups)),
        ("none_available_in_time", lambda d: d.available_on <= options.available_before),
        ("none_accessible", lambda d: d.accessible or not household.needs_accessible),
        (
            "none_large_enough",
            lambda d: household.people <= d.max_occupancy or (single_sharing and d.sharing_allowed),
        ),
        ("rent_above_limit", lambda d: min_sharers(household, d, options, groups) is not None),
    ]
    left = list(dwellings)
    for code, allowed in steps:
        kept = [dwelling for dwelling in left if allowed(dwelling)]
        if kept:
            left = kept
            continue
        params: dict = {"homes": len(left)}
        if code == "no_home_in_municipality":
            params["municipality"] = household.municipality
        elif code == "none_available_in_time":
            params["before"] = options.available_before
        elif code == "none_large_enough":
            params |= {"people": household.people, "largest": max(d.max_occupancy for d in left)}
        elif code == "rent_above_limit":
            params |= {"limit": household.max_rent, "lowest": min(d.rent for d in left)}
        return Reason(code, params)
    return Reason("taken", {"homes": len(left)})
