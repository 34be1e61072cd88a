"""Apportionment: dividing a whole number of places over units in proportion to their weights.

Pure domain rules: no Django, no floating point in any decision. Totals, seats and bounds are ``int``;
weights, quotas, remainders and divisors are ``fractions.Fraction``. The Spreidingswet distribution planner
uses this to divide, say, 96,000 asylum reception places over 342 municipalities, or a province's 6,325
over its municipalities, by population or another weight. "Seat" below means one place.

Methods
-------

``quota`` is ``total * weight / sum(weights)``: the exact, usually fractional, proportional share.

- ``hamilton`` (largest remainder, Hare quota): every unit gets the floor of its quota; the seats left
  over go one each to the units with the largest remainders. It satisfies the **quota rule**
  (``floor(quota) <= seats <= ceil(quota)``) but is **not house monotone**: adding one seat to the total
  can cost a unit a seat (the Alabama paradox), and it is not population monotone either.
- The three **divisor methods** find one common divisor ``d`` and round every quotient ``weight / d``
  with a method-specific rule; ``d`` is chosen so that the rounded quotients add up to the total. They
  are all **house monotone** (no Alabama paradox) and population monotone, but may **violate the quota
  rule** (a unit can end up more than one seat away from its quota). Rounding up happens at a signpost
  ``s(k)`` between ``k`` and ``k + 1`` seats:

  - ``dhondt`` (Jefferson): ``s(k) = k + 1`` (round down). Favours large units; a large unit can get
    more than ``ceil(quota)``.
  - ``sainte-lague`` (Webster): ``s(k) = k + 1/2`` (round half up). Unbiased between large and small
    units.
  - ``huntington-hill`` (equal proportions): ``s(k) = sqrt(k * (k + 1))``, the geometric mean. Slightly
    favours small units. Because ``s(0) = 0`` every unit with a positive weight gets at least one seat
    as soon as the total is at least the number of such units. Signposts are irrational; they are
    compared exactly through squares (``q >= sqrt(k(k+1))`` iff ``q * q >= k * (k + 1)``), never with a
    floating-point square root.

  Equivalently, a divisor method hands out seats one at a time, each to the unit with the highest
  priority ``weight / s(seats it has)``. The result here is exactly that sequential result, but computed
  fast: an initial divisor places almost every seat at once, and a heap over the units adds or removes
  the last few by exact comparison of priorities.

Bounds
------

A unit may carry a ``minimum`` and a ``maximum``. It never gets fewer than its minimum or more than its
maximum; the rest is divided among the other units by the same method. In words: units whose share
would cross a bound are fixed at that bound and the remainder is shared among the free units, until
stable. Exactly:

- Hamilton: the *bounded quota* of a unit is ``clamp(t * weight, minimum, maximum)`` with one common
  factor ``t`` chosen so that the bounded quotas add up to the total (found exactly from the sorted
  breakpoints ``minimum / weight`` and ``maximum / weight``); Hamilton's floor-and-remainder step then
  runs on the bounded quotas. Without bounds the bounded quota is the quota.
- Divisor methods: ``clamp(round(weight / d), minimum, maximum)`` with one common divisor ``d``; that
  is the sequential method starting every unit at its minimum and never giving a seat beyond a maximum.

A unit with weight zero receives its minimum and nothing more. Infeasible input raises ``ValueError``
with a message naming the problem.

Ties
----

When two units have an exactly equal claim to the last seat (equal remainders for Hamilton, equal
priorities for the divisor methods), the **larger weight** wins, then the **lower code**
(alphabetically). The tie-break is a fixed total order on claims that does not depend on the total or
on the order of the input, so the result is deterministic, independent of input order, and the divisor
methods stay house monotone even with ties. Each unit in a tie that decided a seat carries
``tie_broken=True`` in its explanation.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

HAMILTON = "hamilton"
SAINTE_LAGUE = "sainte-lague"
DHONDT = "dhondt"
HUNTINGTON_HILL = "huntington-hill"
METHODS = (HAMILTON, SAINTE_LAGUE, DHONDT, HUNTINGTON_HILL)
DIVISOR_METHODS = (SAINTE_LAGUE, DHONDT, HUNTINGTON_HILL)

MINIMUM = "minimum"
MAXIMUM = "maximum"

_HALF = Fraction(1, 2)
_REFINEMENTS = 8


@dataclass(frozen=True)
class Unit:
    """A unit to receive seats: a municipality, say, with its population as ``weight``.

    ``weight`` is an ``int`` or a ``Fraction`` (never a float), at least 0. ``minimum`` and ``maximum``
    (``None``: no maximum) bound the seats the unit may get.
    """

    code: str
    weight: Fraction | int
    minimum: int = 0
    maximum: int | None = None

    def __post_init__(self) -> None:
        if isinstance(self.weight, bool) or not isinstance(self.weight, int | Fraction):
            raise TypeError(f"weight of {self.code!r} must be an int or a Fraction, got {self.weight!r}")
        for name, value in (("minimum", self.minimum), ("maximum", self.maximum)):
            if isinstance(value, bool) or not isinstance(value, int | None):
                raise TypeError(f"{name} of {self.code!r} must be an int, got {value!r}")
        if self.weight < 0:
            raise ValueError(f"weight of {self.code!r} must be >= 0, got {self.weight}")
        if self.minimum < 0:
            raise ValueError(f"minimum of {self.code!r} must be >= 0, got {self.minimum}")
        if self.maximum is not None and self.maximum < self.minimum:
            raise ValueError(
                f"maximum of {self.code!r} ({self.maximum}) is below its minimum ({self.minimum})"
            )


@dataclass(frozen=True)
class Explanation:
    """Why a unit got its seats: pure data, to be worded by the user interface.

    Common to all methods:

    - ``bound``: ``"minimum"`` or ``"maximum"`` when that bound, not the method, decided the seats;
    - ``tie_broken``: the unit took part in an exact tie for a seat, decided by the tie-break (larger
      weight, then lower code).

    Hamilton only (else ``None``): ``bounded_quota`` (the quota after bounds; equal to the quota without
    them), its ``floor`` and ``remainder``, the ``remainder_rank`` (1 = largest remainder, ties broken)
    and whether the unit got an ``extra_seat`` for its remainder.

    Divisor methods only (else ``None``): the common ``divisor`` ``d``, the unrounded ``quotient``
    ``weight / d`` and that quotient ``rounded`` by the method's rule (before bounds and the tie-break).
    With that divisor ``rounded`` equals the seats, except for a ``bound`` or a lost tie (then one more).
    ``divisor`` is ``None`` when no seat was contested (all seats came from minimums).
    """

    method: str
    bound: str | None = None
    tie_broken: bool = False
    bounded_quota: Fraction | None = None
    floor: int | None = None
    remainder: Fraction | None = None
    remainder_rank: int | None = None
    extra_seat: bool | None = None
    divisor: Fraction | None = None
    quotient: Fraction | None = None
    rounded: int | None = None


@dataclass(frozen=True)
class Share:
    """The outcome for one unit: its exact ``quota`` (``total * weight / sum(weights)``, 0 when all weights
    are 0), the seats ``allocated`` and why."""

    code: str
    weight: Fraction
    quota: Fraction
    allocated: int
    explanation: Explanation


def apportion(units: Sequence[Unit], total: int, method: str) -> list[Share]:
    """Divide ``total`` seats over ``units`` by ``method`` (one of ``METHODS``); shares in input order.

    Properties: the allocations add up to ``total`` exactly; every unit gets between its minimum and
    maximum; the result per code does not depend on the order of ``units``. Without bounds Hamilton keeps
    every unit within ``floor(quota)`` and ``ceil(quota)``, and the divisor methods never give a unit fewer
    seats when ``total`` grows.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: expected one of {', '.join(METHODS)}")
    if isinstance(total, bool) or not isinstance(total, int):
        raise TypeError(f"total must be an int, got {total!r}")
    if total < 0:
        raise ValueError(f"total must be >= 0, got {total}")
    _check_units(units, total)
    weights = [Fraction(unit.weight) for unit in units]
    weight_sum = sum(weights, Fraction(0))
    quotas = [total * w / weight_sum if weight_sum else Fraction(0) for w in weights]
    ranks = _code_ranks(units)
    if method == HAMILTON:
        seats, explanations = _hamilton(units, weights, ranks, total)
    else:
        seats, explanations = _divisor(units, weights, ranks, total, method)
    return [
        Share(unit.code, w, q, a, e)
        for unit, w, q, a, e in zip(units, weights, quotas, seats, explanations, strict=True)
    ]


def _check_units(units: Sequence[Unit], total: int) -> None:
    duplicates = sorted(code for code, count in Counter(unit.code for unit in units).items() if count > 1)
    if duplicates:
        raise ValueError(f"duplicate unit codes: {', '.join(duplicates)}")
    minimum_sum = sum(unit.minimum for unit in units)
    if minimum_sum > total:
        raise ValueError(f"minimums add up to {minimum_sum}, more than the total {total}")
    if all(unit.maximum is not None for unit in units):
        maximum_sum = sum(unit.maximum for unit in units if unit.maximum is not None)
        if maximum_sum < total:
            raise ValueError(f"maximums add up to {maximum_sum}, less than the total {total}")
    capacity = _capacity(units)
    if capacity is not None and capacity < total:
        raise ValueError(
            f"cannot place {total}: units with weight zero get only their minimum, so at most "
            f"{capacity} can be placed"
        )


def _capacity(units: Sequence[Unit]) -> int | None:
    """The most seats that can be placed (``None``: no limit): weight-zero units take only their minimum."""
    capacity = 0
    for unit in units:
        if unit.weight == 0:
            capacity += unit.minimum
        elif unit.maximum is None:
            return None
        else:
            capacity += unit.maximum
    return capacity


def _code_ranks(units: Sequence[Unit]) -> list[int]:
    """Position of each unit's code in alphabetical order: the last tie-breaker."""
    order = sorted(range(len(units)), key=lambda i: units[i].code)
    ranks = [0] * len(units)
    for rank, i in enumerate(order):
        ranks[i] = rank
    return ranks


# --- Hamilton ---------------------------------------------------------------------------------------


def _level(units: Sequence[Unit], weights: list[Fraction], total: int) -> Fraction:
    """The factor ``t >= 0`` for which ``sum(clamp(t * weight, minimum, maximum)) == total``.

    The sum is continuous and non-decreasing in ``t``; it is linear between the breakpoints
    ``minimum / weight`` (the unit starts to grow) and ``maximum / weight`` (it stops), so sorting them
    finds ``t`` exactly. Feasibility has been checked, so the level exists.
    """
    value = Fraction(sum(unit.minimum for unit in units))
    if value == total:
        return Fraction(0)
    events: list[tuple[Fraction, Fraction]] = []
    for unit, w in zip(units, weights, strict=True):
        if w:
            events.append((unit.minimum / w, w))
            if unit.maximum is not None:
                events.append((unit.maximum / w, -w))
    events.sort(key=lambda event: event[0])
    at = Fraction(0)
    slope = Fraction(0)
    for where, change in events:
        reach = value + slope * (where - at)
        if slope and reach >= total:
            return at + (total - value) / slope
        value, at = reach, where
        slope += change
    return at + (total - value) / slope


def _hamilton(
    units: Sequence[Unit], weights: list[Fraction], ranks: list[int], total: int
) -> tuple[list[int], list[Explanation]]:
    level = _level(units, weights, total)
    bounded: list[Fraction] = []
    bounds: list[str | None] = []
    for unit, w in zip(units, weights, strict=True):
        share = level * w
        if share < unit.minimum:
            bounded.append(Fraction(unit.minimum))
            bounds.append(MINIMUM)
        elif unit.maximum is not None and share > unit.maximum:
            bounded.append(Fraction(unit.maximum))
            bounds.append(MAXIMUM)
        else:
            bounded.append(share)
            bounds.append(None)
    floors = [math.floor(q) for q in bounded]
    remainders = [q - f for q, f in zip(bounded, floors, strict=True)]
    left = total - sum(floors)
    # Largest remainder first; ties: larger weight, then lower code. Since the remainders add up to
    # ``left`` and each is below 1, the first ``left`` all have a positive remainder (so no bound is hit).
    order = sorted(range(len(units)), key=lambda i: (-remainders[i], -weights[i], ranks[i]))
    rank_of = {i: r for r, i in enumerate(order, start=1)}
    cut = remainders[order[left - 1]] if 0 < left < len(order) else None
    tie = cut is not None and remainders[order[left]] == cut
    seats = []
    explanations = []
    for i in range(len(units)):
        extra = rank_of[i] <= left
        seats.append(floors[i] + extra)
        explanations.append(
            Explanation(
                method=HAMILTON,
                bound=bounds[i],
                tie_broken=tie and remainders[i] == cut,
                bounded_quota=bounded[i],
                floor=floors[i],
                remainder=remainders[i],
                remainder_rank=rank_of[i],
                extra_seat=extra,
            )
        )
    return seats, explanations


# --- Divisor methods --------------------------------------------------------------------------------
#
# A claim is (unit i, seat number k >= 0): the unit's claim to its (k+1)-th seat, with priority
# weight / s(k). A claim's key orders claims best first: (tier, -priority, -weight, code rank), where tier
# 0 marks Huntington-Hill's infinite first-seat priority; for Huntington-Hill the priority in the key is
# squared (weight**2 / (k(k+1))), which orders the same and stays rational. The allocation is the set of
# the best claims: every unit's claims below its minimum, then the best (total - sum(minimums)) claims
# with minimum <= k < maximum.

Key = tuple[int, Fraction, Fraction, int]


def _key(method: str, w: Fraction, k: int, rank: int) -> Key:
    if method == DHONDT:
        return (1, -w / (k + 1), -w, rank)
    if method == SAINTE_LAGUE:
        return (1, -2 * w / (2 * k + 1), -w, rank)
    if k == 0:
        return (0, Fraction(0), -w, rank)
    return (1, -w * w / (k * (k + 1)), -w, rank)


def _worst_first(key: Key) -> Key:
    tier, priority, weight, rank = key
    return (-tier, -priority, -weight, -rank)


def _rounded(method: str, w: Fraction, d: Fraction) -> int:
    """Seats for quotient ``w / d`` by the method's rounding: the number of claims with priority >= d."""
    if not w:
        return 0
    q = w / d
    if method == DHONDT:
        return math.floor(q)
    if method == SAINTE_LAGUE:
        return math.floor(q + _HALF)
    k = math.floor(q)  # q >= sqrt(k(k+1)) iff q * q >= k(k+1); for k >= 1 never equal, k(k+1) is no square
    return k + 1 if k * (k + 1) <= q * q else k


def _clamp(value: int, unit: Unit) -> int:
    value = max(value, unit.minimum)
    return value if unit.maximum is None else min(value, unit.maximum)


def _initial(
    units: Sequence[Unit], weights: list[Fraction], claimants: list[int], total: int, method: str
) -> list[int]:
    """Seats at a divisor close to the final one: all claims with priority >= d, for a good guess of d.

    Whatever d is, this set is a prefix of the claim order, so correcting it seat by seat stays exact;
    a good d only makes the correction short. The guess shares the seats of the units not pinned at a
    bound in proportion to their weight, and is refined a few times when bounds pin many units.
    """
    seats = [unit.minimum for unit in units]
    base = total - (sum(seats) - sum(seats[i] for i in claimants))  # seats for the claimants together
    bias = _HALF if method == DHONDT else Fraction(0)  # D'Hondt rounds down: about half a seat per unit
    free, target = claimants, base
    for _ in range(_REFINEMENTS):
        weight = sum((weights[i] for i in free), Fraction(0))
        d = weight / (target + bias * len(free))
        raw = {i: _rounded(method, weights[i], d) for i in claimants}
        for i in claimants:
            seats[i] = _clamp(raw[i], units[i])
        if abs(total - sum(seats)) <= len(claimants):
            break
        free = [i for i in claimants if seats[i] == raw[i]]
        target = base - sum(seats[i] for i in claimants if seats[i] != raw[i])
        if not free or target <= 0:
            break
    return seats


def _divisor(
    units: Sequence[Unit], weights: list[Fraction], ranks: list[int], total: int, method: str
) -> tuple[list[int], list[Explanation]]:
    claimants = [
        i
        for i, unit in enumerate(units)
        if weights[i] and (unit.maximum is None or unit.maximum > unit.minimum)
    ]
    if total == sum(unit.minimum for unit in units):
        return [unit.minimum for unit in units], [
            Explanation(method=method, bound=MINIMUM if unit.minimum else None) for unit in units
        ]
    seats = _initial(units, weights, claimants, total, method)

    def claim(i: int, k: int) -> Key:
        return _key(method, weights[i], k, ranks[i])

    def can_gain(i: int) -> bool:
        return units[i].maximum is None or seats[i] < units[i].maximum

    missing = total - sum(seats)
    if missing > 0:
        gains = [(claim(i, seats[i]), i) for i in claimants if can_gain(i)]
        heapq.heapify(gains)
        for _ in range(missing):
            _, i = heapq.heappop(gains)
            seats[i] += 1
            if can_gain(i):
                heapq.heappush(gains, (claim(i, seats[i]), i))
    elif missing < 0:
        losses = [(_worst_first(claim(i, seats[i] - 1)), i) for i in claimants if seats[i] > units[i].minimum]
        heapq.heapify(losses)
        for _ in range(-missing):
            _, i = heapq.heappop(losses)
            seats[i] -= 1
            if seats[i] > units[i].minimum:
                heapq.heappush(losses, (_worst_first(claim(i, seats[i] - 1)), i))

    # The boundary: the worst claim granted and the claims refused within the bounds.
    granted = {i: claim(i, seats[i] - 1) for i in claimants if seats[i] > units[i].minimum}
    refused = {i: claim(i, seats[i]) for i in claimants if can_gain(i)}
    worst = max(granted.values())
    tie = any(key[:2] == worst[:2] for key in refused.values())
    nearby = [claim(i, seats[i] + j) for i, w in enumerate(weights) if w for j in (0, 1)]
    d = _boundary_divisor(method, worst, nearby)
    explanations = []
    for i, (unit, w) in enumerate(zip(units, weights, strict=True)):
        rounded = _rounded(method, w, d)
        if seats[i] == unit.minimum and rounded < unit.minimum:
            bound = MINIMUM
        elif unit.maximum is not None and seats[i] == unit.maximum and rounded > unit.maximum:
            bound = MAXIMUM
        else:
            bound = None
        in_tie = tie and any(i in keys and keys[i][:2] == worst[:2] for keys in (granted, refused))
        explanations.append(
            Explanation(
                method=method, bound=bound, tie_broken=in_tie, divisor=d, quotient=w / d, rounded=rounded
            )
        )
    return seats, explanations


def _boundary_divisor(method: str, worst: Key, nearby: list[Key]) -> Fraction:
    """A rational divisor ``d`` at or just below the priority of the last seat granted (``worst``).

    For D'Hondt and Sainte-Laguë ``d`` is that priority itself: the quotient of the last seat. Huntington-Hill
    priorities are square roots, so there ``d`` is the shortest decimal above every priority in ``nearby``
    (each unit's next two claims) that is strictly below the last seat's, and at most the last seat's. Either
    way every quotient ``weight / d`` rounds to the seats given, except for a bound or a lost tie.
    """
    if method != HUNTINGTON_HILL:
        return -worst[1]
    high = None if worst[0] == 0 else -worst[1]  # squared; None: infinite
    below = [-key[1] for key in nearby if key[0] == 1 and (high is None or -key[1] < high)]
    low = max(below, default=Fraction(0))  # squared
    if high is None:
        return Fraction(math.isqrt(math.floor(low)) + 1)
    scale = 1
    while True:
        d = Fraction(math.isqrt(math.floor(high * scale * scale)), scale)
        if d * d > low:
            return d
        scale *= 10
