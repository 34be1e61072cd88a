"""A distribution key applied to a total: the Spreidingswet planner's arithmetic. Pure Python, no Django.

A *key* turns municipalities into weights and bounds; this module applies it and hands the division to
``domain.apportionment``. The rules, in order:

1. **Weight.** ``population * factor``. The factor is 1 by default; a key may set another per municipality
   (for example a socio-economic score). A factor of 0 takes a municipality out of the division (it keeps
   only its minimum).
2. **Places already realised count first.** When the key says so, the places a municipality already has
   (existing locations) are its lower bound: it never gets fewer, and only the rest of the total is divided
   over the others. A municipality's own minimum, when higher, wins.
3. **Minimum and maximum** per municipality bound its number; see ``apportionment`` for how a bound frees
   or takes places from the others.
4. **The division** by the chosen method; totals are exact.
5. **AMV share.** ``round(total * amv_share)`` places (half up) are for unaccompanied minors. They are
   divided over the municipalities in proportion to the places each received, by largest remainder
   (Hamilton) and never more than a municipality's places, so they too add up exactly.

Infeasible input raises ``Infeasible`` with a ``reason`` (one of the constants below), the municipality's
code where one is to blame, and the numbers involved, so the user interface can word it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from regietafel.domain.apportionment import HAMILTON, Share, Unit, apportion

NEGATIVE_TOTAL = "negative_total"
NO_MUNICIPALITIES = "no_municipalities"
BAD_SHARE = "bad_share"
BAD_FACTOR = "bad_factor"
REALISED_ABOVE_MAXIMUM = "realised_above_maximum"
MINIMUM_ABOVE_MAXIMUM = "minimum_above_maximum"
MINIMUMS_ABOVE_TOTAL = "minimums_above_total"
MAXIMUMS_BELOW_TOTAL = "maximums_below_total"
NO_WEIGHT = "no_weight"


class Infeasible(ValueError):
    def __init__(self, reason: str, code: str | None = None, **numbers):
        self.reason = reason
        self.code = code
        self.numbers = numbers
        super().__init__(f"{reason} {code or ''} {numbers}".strip())


@dataclass(frozen=True)
class Municipality:
    code: str
    population: int
    factor: Fraction = Fraction(1)
    minimum: int = 0
    maximum: int | None = None
    realised: int = 0


@dataclass(frozen=True)
class Line:
    """One municipality's outcome.

    ``share`` is its part of the weighted population (0..1); ``floor_from`` says which lower bound was in
    force: ``"realised"`` (places already realised) or ``"minimum"`` (the key's minimum), ``None`` without one.
    ``places`` and ``share_of_places.explanation`` (the apportionment's reasons) are the division;
    ``minors`` of those places are for AMV, from the exact ``minors_quota``.
    """

    municipality: Municipality
    weight: Fraction
    share: Fraction
    lower_bound: int
    floor_from: str | None
    division: Share
    minors: int
    minors_quota: Fraction

    @property
    def places(self) -> int:
        return self.division.allocated

    @property
    def quota(self) -> Fraction:
        return self.division.quota


def round_half_up(value: Fraction) -> int:
    return int((value + Fraction(1, 2)).__floor__())


def plan(
    municipalities: Sequence[Municipality],
    total: int,
    method: str,
    amv_share: Fraction = Fraction(0),
    count_realised: bool = True,
) -> list[Line]:
    """Apply the key to ``municipalities`` and divide ``total`` by ``method``; lines in input order."""
    if total < 0:
        raise Infeasible(NEGATIVE_TOTAL, total=total)
    if not municipalities:
        raise Infeasible(NO_MUNICIPALITIES)
    if not 0 <= amv_share <= 1:
        raise Infeasible(BAD_SHARE, share=amv_share)
    units = []
    floors = []
    for m in municipalities:
        if m.factor < 0:
            raise Infeasible(BAD_FACTOR, m.code, factor=m.factor)
        realised = m.realised if count_realised else 0
        lower = max(m.minimum, realised)
        floor_from = None
        if lower and realised >= m.minimum:
            floor_from = "realised"
        elif lower:
            floor_from = "minimum"
        if m.maximum is not None and m.minimum > m.maximum:
            raise Infeasible(MINIMUM_ABOVE_MAXIMUM, m.code, minimum=m.minimum, maximum=m.maximum)
        if m.maximum is not None and realised > m.maximum:
            raise Infeasible(REALISED_ABOVE_MAXIMUM, m.code, realised=realised, maximum=m.maximum)
        units.append(Unit(m.code, m.population * Fraction(m.factor), lower, m.maximum))
        floors.append((lower, floor_from))
    lower_sum = sum(lower for lower, _ in floors)
    if lower_sum > total:
        raise Infeasible(MINIMUMS_ABOVE_TOTAL, total=total, minimums=lower_sum)
    if total > lower_sum and not any(unit.weight for unit in units):
        # Nobody has a weight: the places above the minimums cannot go anywhere. ``codes`` names the
        # municipalities whose factor is 0 (the rest have no population).
        raise Infeasible(
            NO_WEIGHT,
            total=total,
            minimums=lower_sum,
            codes=[m.code for m in municipalities if m.factor == 0],
        )
    capacity = 0
    for unit in units:
        if unit.weight == 0:
            capacity += unit.minimum
        elif unit.maximum is None:
            capacity = None
            break
        else:
            capacity += unit.maximum
    if capacity is not None and capacity < total:
        raise Infeasible(MAXIMUMS_BELOW_TOTAL, total=total, maximums=capacity)
    divisions = apportion(units, total, method)
    weight_sum = sum((unit.weight for unit in units), Fraction(0))
    minors_total = round_half_up(total * Fraction(amv_share))
    minors = apportion([Unit(d.code, d.allocated, 0, d.allocated) for d in divisions], minors_total, HAMILTON)
    return [
        Line(
            municipality=m,
            weight=unit.weight,
            share=unit.weight / weight_sum if weight_sum else Fraction(0),
            lower_bound=lower,
            floor_from=floor_from,
            division=division,
            minors=minor.allocated,
            minors_quota=minor.quota,
        )
        for m, unit, (lower, floor_from), division, minor in zip(
            municipalities, units, floors, divisions, minors, strict=True
        )
    ]
