"""Apportionment (pure), property-tested against the definitions and checked on textbook examples."""

from __future__ import annotations

import csv
import math
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regietafel.domain.apportionment import (
    DHONDT,
    DIVISOR_METHODS,
    HAMILTON,
    HUNTINGTON_HILL,
    MAXIMUM,
    METHODS,
    MINIMUM,
    SAINTE_LAGUE,
    Unit,
    apportion,
)

POPULATIONS = (
    Path(__file__).resolve().parents[2] / "src" / "regietafel" / "operations" / "data" / "populations.csv"
)
FAST = settings(max_examples=200, deadline=None)  # the properties the module promises
LIGHT = settings(max_examples=100, deadline=None)  # extra checks, kept lighter so the file stays quick

weights = st.one_of(
    st.integers(min_value=0, max_value=30),  # small integers: many exact ties, on purpose
    st.fractions(min_value=0, max_value=30, max_denominator=6),
    st.integers(min_value=1, max_value=2_000_000),
)
codes = st.lists(st.text(alphabet="ABCDEFG", min_size=1, max_size=3), min_size=1, max_size=9, unique=True)


@st.composite
def free_instances(draw, max_total=80):
    """Units without bounds and a total that can be placed (no total > 0 over weights that are all 0)."""
    names = draw(codes)
    units = [Unit(code, draw(weights)) for code in names]
    positive = any(unit.weight > 0 for unit in units)
    total = draw(st.integers(min_value=0, max_value=max_total)) if positive else 0
    return units, total


@st.composite
def bounded_instances(draw, max_extra=60):
    """Units with minimums and maximums and a feasible total."""
    units = []
    for code in draw(codes):
        minimum = draw(st.integers(min_value=0, max_value=4))
        maximum = draw(st.one_of(st.none(), st.integers(min_value=minimum, max_value=minimum + 12)))
        units.append(Unit(code, draw(weights), minimum, maximum))
    low = sum(unit.minimum for unit in units)
    room = sum(
        0 if unit.weight == 0 else (max_extra if unit.maximum is None else unit.maximum - unit.minimum)
        for unit in units
    )
    return units, draw(st.integers(min_value=low, max_value=low + min(room, max_extra)))


def seats(units, total, method):
    return [share.allocated for share in apportion(units, total, method)]


def by_code(units, total, method):
    return {share.code: share.allocated for share in apportion(units, total, method)}


def signpost_priority(method, weight, k):
    """The claim of a unit with ``k`` seats to the next one, as an exactly comparable value.

    Huntington-Hill's ``weight / sqrt(k(k+1))`` is compared through its square; its first seat is infinite.
    """
    weight = Fraction(weight)
    if method == DHONDT:
        return (1, weight / (k + 1))
    if method == SAINTE_LAGUE:
        return (1, weight / (k + Fraction(1, 2)))
    return (2, Fraction(0)) if k == 0 else (1, weight * weight / (k * (k + 1)))


def one_seat_at_a_time(units, total, method):
    """Reference divisor method: start at the minimums, then each seat to the highest exact priority
    (ties: larger weight, then lower code), never past a maximum or to a unit of weight zero."""
    given_seats = {unit.code: unit.minimum for unit in units}
    for _ in range(total - sum(given_seats.values())):
        candidates = [
            unit
            for unit in units
            if unit.weight > 0 and (unit.maximum is None or given_seats[unit.code] < unit.maximum)
        ]
        best = min(
            candidates,
            key=lambda unit: (
                tuple(-x for x in signpost_priority(method, unit.weight, given_seats[unit.code])),
                -unit.weight,
                unit.code,
            ),
        )
        given_seats[best.code] += 1
    return [given_seats[unit.code] for unit in units]


# --- Properties -------------------------------------------------------------------------------------


@FAST
@given(free_instances(), st.sampled_from(METHODS))
def test_every_method_places_exactly_the_total_and_reports_exact_quotas(instance, method):
    units, total = instance
    shares = apportion(units, total, method)
    assert [share.code for share in shares] == [unit.code for unit in units]
    assert sum(share.allocated for share in shares) == total
    assert all(share.allocated >= 0 for share in shares)
    weight_sum = sum(Fraction(unit.weight) for unit in units)
    for share, unit in zip(shares, units, strict=True):
        assert share.weight == unit.weight
        assert share.quota == (total * Fraction(unit.weight) / weight_sum if weight_sum else 0)
    if weight_sum:
        assert sum(share.quota for share in shares) == total


@FAST
@given(bounded_instances(), st.sampled_from(METHODS))
def test_with_bounds_the_total_is_exact_and_every_bound_is_kept(instance, method):
    units, total = instance
    shares = apportion(units, total, method)
    assert sum(share.allocated for share in shares) == total
    for share, unit in zip(shares, units, strict=True):
        assert unit.minimum <= share.allocated
        assert unit.maximum is None or share.allocated <= unit.maximum
        if unit.weight == 0:
            assert share.allocated == unit.minimum


@FAST
@given(free_instances())
def test_hamilton_keeps_the_quota_rule(instance):
    units, total = instance
    for share in apportion(units, total, HAMILTON):
        assert math.floor(share.quota) <= share.allocated <= math.ceil(share.quota)


# House monotonicity holds for the divisor methods even with exact ties: the result is the best claims in
# one fixed total order (priority, then larger weight, then lower code) that does not depend on the total,
# so total + 1 takes the same claims plus the next one. The weights therefore deliberately include small
# integers that tie often.
@FAST
@given(free_instances(), st.sampled_from(DIVISOR_METHODS))
def test_divisor_methods_are_house_monotone(instance, method):
    units, total = instance
    if total == 0 and not any(unit.weight > 0 for unit in units):
        units = [*units, Unit("ZZZ", 1)]
    before = seats(units, total, method)
    after = seats(units, total + 1, method)
    assert sum(after) == total + 1
    assert all(a >= b for a, b in zip(after, before, strict=True))


@LIGHT
@given(bounded_instances(), st.sampled_from(DIVISOR_METHODS))
def test_bounded_divisor_methods_are_house_monotone_while_feasible(instance, method):
    units, total = instance
    try:
        after = seats(units, total + 1, method)
    except ValueError:
        return  # total + 1 does not fit within the maximums: nothing to compare
    before = seats(units, total, method)
    assert all(a >= b for a, b in zip(after, before, strict=True))


@FAST
@given(free_instances(max_total=40), st.sampled_from(DIVISOR_METHODS))
def test_divisor_methods_equal_handing_out_one_seat_at_a_time(instance, method):
    units, total = instance
    assert seats(units, total, method) == one_seat_at_a_time(units, total, method)


@FAST
@given(bounded_instances(max_extra=40), st.sampled_from(DIVISOR_METHODS))
def test_bounded_divisor_methods_equal_handing_out_one_seat_at_a_time(instance, method):
    units, total = instance
    assert seats(units, total, method) == one_seat_at_a_time(units, total, method)


@FAST
@given(free_instances())
def test_huntington_hill_gives_every_weighted_unit_a_place_once_there_are_enough(instance):
    units, total = instance
    weighted = [unit for unit in units if unit.weight > 0]
    total = max(total, len(weighted))
    for unit, allocated in zip(units, seats(units, total, HUNTINGTON_HILL), strict=True):
        assert allocated >= (1 if unit.weight > 0 else 0)


@LIGHT
@given(bounded_instances(), st.sampled_from(METHODS), st.randoms(use_true_random=False))
def test_same_input_same_output_whatever_the_order(instance, method, rng):
    units, total = instance
    first = apportion(units, total, method)
    assert apportion(units, total, method) == first
    shuffled = list(units)
    rng.shuffle(shuffled)
    assert {share.code: share for share in apportion(shuffled, total, method)} == {
        share.code: share for share in first
    }


@LIGHT
@given(bounded_instances(), st.sampled_from(METHODS))
def test_the_explanation_accounts_for_every_allocation(instance, method):
    units, total = instance
    for share, unit in zip(apportion(units, total, method), units, strict=True):
        why = share.explanation
        assert why.method == method
        if why.bound == MINIMUM:
            assert share.allocated == unit.minimum
        if why.bound == MAXIMUM:
            assert share.allocated == unit.maximum
        if method == HAMILTON:
            assert why.floor + why.extra_seat == share.allocated
            assert why.remainder == why.bounded_quota - why.floor and 0 <= why.remainder < 1
            assert 1 <= why.remainder_rank <= len(units)
            if not any(u.minimum or u.maximum is not None for u in units):
                assert why.bounded_quota == share.quota and why.bound is None
        elif why.divisor is None:  # nothing contested: every seat came from a minimum
            assert share.allocated == unit.minimum
        else:
            assert why.quotient == share.weight / why.divisor
            # With the reported divisor, the method's rounding gives the allocation, unless a bound
            # decided it or the unit lost an exact tie for the last seat.
            if why.bound is None:
                lost_tie = why.tie_broken and why.rounded == share.allocated + 1
                assert why.rounded == share.allocated or lost_tie


@LIGHT
@given(bounded_instances())
def test_hamilton_bounded_quotas_share_one_proportion_among_the_free_units(instance):
    units, total = instance
    shares = apportion(units, total, HAMILTON)
    assert sum(share.explanation.bounded_quota for share in shares) == total
    free = {
        share.explanation.bounded_quota / share.weight
        for share in shares
        if not share.explanation.bound and share.weight  # weight zero (and minimum 0): no proportion to show
    }
    assert len(free) <= 1  # one common factor t: bounded quota = t * weight for every unit not at a bound
    for share, unit in zip(shares, units, strict=True):
        bounded = share.explanation.bounded_quota
        assert unit.minimum <= bounded and (unit.maximum is None or bounded <= unit.maximum)
        if free and share.explanation.bound == MINIMUM:
            assert free.copy().pop() * share.weight < unit.minimum == bounded
        if free and share.explanation.bound == MAXIMUM:
            assert free.copy().pop() * share.weight > unit.maximum == bounded


@LIGHT
@given(free_instances(max_total=200), st.sampled_from(DIVISOR_METHODS))
def test_divisor_results_pass_the_divisor_criterion(instance, method):
    units, total = instance
    assert_divisor_criterion(units, seats(units, total, method), method)


def assert_divisor_criterion(units, allocation, method):
    """Every seat given has at least the priority of every seat refused: the result is a divisor method's."""
    given_claims = [
        signpost_priority(method, unit.weight, a - 1)
        for unit, a in zip(units, allocation, strict=True)
        if a > 0
    ]
    refused = [
        signpost_priority(method, unit.weight, a)
        for unit, a in zip(units, allocation, strict=True)
        if unit.weight > 0
    ]
    if given_claims and refused:
        assert min(given_claims) >= max(refused)


# --- Errors -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("units", "total", "method", "message"),
    [
        ([Unit("A", 1, minimum=3), Unit("B", 1, minimum=3)], 5, HAMILTON, "minimums add up to 6"),
        ([Unit("A", 1, maximum=2), Unit("B", 1, maximum=2)], 5, DHONDT, "maximums add up to 4"),
        ([Unit("A", 1), Unit("A", 2)], 5, SAINTE_LAGUE, "duplicate unit codes: A"),
        ([Unit("A", 1)], 5, "jefferson", "unknown method 'jefferson'"),
        ([Unit("A", 1)], -1, HAMILTON, "total must be >= 0"),
        ([Unit("A", 0), Unit("B", 0)], 3, HUNTINGTON_HILL, "cannot place 3"),
        ([Unit("A", 0, minimum=1), Unit("B", 0)], 3, HAMILTON, "at most 1 can be placed"),
        ([Unit("A", 2, maximum=1), Unit("B", 0)], 3, DHONDT, "at most 1 can be placed"),
        ([], 1, SAINTE_LAGUE, "maximums add up to 0"),
    ],
)
def test_infeasible_input_is_refused_with_a_reason(units, total, method, message):
    with pytest.raises(ValueError, match=message):
        apportion(units, total, method)


def test_bad_units_are_refused():
    with pytest.raises(ValueError, match="weight of 'A' must be >= 0"):
        Unit("A", -1)
    with pytest.raises(ValueError, match="minimum of 'A' must be >= 0"):
        Unit("A", 1, minimum=-1)
    with pytest.raises(ValueError, match=r"maximum of 'A' \(1\) is below its minimum \(2\)"):
        Unit("A", 1, minimum=2, maximum=1)
    with pytest.raises(TypeError, match="int or a Fraction"):
        Unit("A", 0.5)
    with pytest.raises(TypeError, match="maximum of 'A' must be an int"):
        Unit("A", 1, maximum=2.0)


@pytest.mark.parametrize("method", METHODS)
def test_minimums_can_absorb_a_total_over_zero_weights(method):
    units = [Unit("A", 0, minimum=2), Unit("B", 0, minimum=1), Unit("C", 0)]
    shares = apportion(units, 3, method)
    assert [share.allocated for share in shares] == [2, 1, 0]
    assert [share.explanation.bound for share in shares] == [MINIMUM, MINIMUM, None]
    assert [share.quota for share in shares] == [0, 0, 0]


def test_nothing_to_divide():
    assert apportion([], 0, HAMILTON) == []
    assert all(s.allocated == 0 for m in METHODS for s in apportion([Unit("A", 3), Unit("B", 0)], 0, m))


# --- Worked examples --------------------------------------------------------------------------------


def test_the_alabama_paradox_hits_hamilton_but_not_the_divisor_methods():
    # Weights 6, 6, 2 (sum 14).
    # Total 10: quotas 60/14, 60/14, 20/14 = 4.29, 4.29, 1.43; floors 4, 4, 1 (9); the last seat goes to the
    #   largest remainder, C's 0.43: 4, 4, 2.
    # Total 11: quotas 4.71, 4.71, 1.57; floors 4, 4, 1 (9); the two seats left go to A and B (0.71 each,
    #   ahead of C's 0.57): 5, 5, 1. One more seat in the house, and C loses one.
    units = [Unit("A", 6), Unit("B", 6), Unit("C", 2)]
    assert seats(units, 10, HAMILTON) == [4, 4, 2]
    assert seats(units, 11, HAMILTON) == [5, 5, 1]
    c = apportion(units, 10, HAMILTON)[2].explanation
    assert (c.floor, c.remainder, c.remainder_rank, c.extra_seat) == (1, Fraction(3, 7), 1, True)
    for method in DIVISOR_METHODS:
        before, after = seats(units, 10, method), seats(units, 11, method)
        assert all(a >= b for a, b in zip(after, before, strict=True)), method


def test_dhondt_and_sainte_lague_by_hand():
    # Weights A 53, B 24, C 23; 7 seats.
    # D'Hondt (divide by 1, 2, 3, ...): A 53, 26.5, 17.7, 13.25, 10.6; B 24, 12, 8; C 23, 11.5.
    #   The 7 largest: 53, 26.5, 24, 23, 17.7, 13.25, 12 -> A 4, B 2, C 1 (next: C's 11.5).
    # Sainte-Laguë (divide by 1, 3, 5, ...): A 53, 17.7, 10.6, 7.57; B 24, 8, 4.8; C 23, 7.67.
    #   The 7 largest: 53, 24, 23, 17.7, 10.6, 8, 7.67 -> A 3, B 2, C 2 (next: A's 7.57).
    # Huntington-Hill (divide by sqrt(k(k+1)): 0, 1.41, 2.45, 3.46): A inf, 37.5, 21.6, 15.3; B inf, 17.0;
    #   C inf, 16.3 -> A 3, B 2, C 2 (next: A's 15.3).
    # Hamilton: quotas 3.71, 1.68, 1.61; floors 3, 1, 1; remainders .71 and .68 win: A 4, B 2, C 1.
    units = [Unit("A", 53), Unit("B", 24), Unit("C", 23)]
    assert seats(units, 7, DHONDT) == [4, 2, 1]
    assert seats(units, 7, SAINTE_LAGUE) == [3, 2, 2]
    assert seats(units, 7, HUNTINGTON_HILL) == [3, 2, 2]
    assert seats(units, 7, HAMILTON) == [4, 2, 1]
    # D'Hondt's divisor is the quotient of the last seat (B's 24 / 2); A's 53 / 12 = 4.42 rounds down to 4.
    a = apportion(units, 7, DHONDT)[0].explanation
    assert (a.divisor, a.quotient, a.rounded, a.tie_broken) == (12, Fraction(53, 12), 4, False)
    # Sainte-Laguë's last seat is C's second, at 23 / 1.5 = 46/3; A's 53 / (46/3) = 3.46 rounds to 3.
    a = apportion(units, 7, SAINTE_LAGUE)[0].explanation
    assert (a.divisor, a.rounded) == (Fraction(46, 3), 3)


def test_dhondt_favours_the_large_and_huntington_hill_the_small():
    # Weights 90, 7, 3 over 10 seats (quotas 9, 0.7, 0.3).
    # D'Hondt: A's 90/9 = 10 beats B's 7 -> A 10. Huntington-Hill: every unit's first seat comes first -> 8, 1, 1.
    units = [Unit("A", 90), Unit("B", 7), Unit("C", 3)]
    assert seats(units, 10, DHONDT) == [10, 0, 0]
    assert seats(units, 10, SAINTE_LAGUE) == [9, 1, 0]
    assert seats(units, 10, HUNTINGTON_HILL) == [8, 1, 1]
    assert seats(units, 10, HAMILTON) == [9, 1, 0]


def test_an_exact_tie_goes_to_the_larger_weight_then_the_lower_code():
    # D'Hondt, weights X 2 and Y 1, 2 seats: X's 2 first, then X's 2/2 = 1 ties Y's 1/1; X is larger.
    shares = apportion([Unit("Y", 1), Unit("X", 2)], 2, DHONDT)
    assert [(s.code, s.allocated, s.explanation.tie_broken) for s in shares] == [
        ("Y", 0, True),
        ("X", 2, True),
    ]
    assert shares[0].explanation.rounded == 1  # Y's 1 / 1 would round to a seat: it lost the tie
    # Hamilton, weights A 1 and B 3, 2 seats: quotas 0.5 and 1.5, equal remainders; B is larger.
    shares = apportion([Unit("A", 1), Unit("B", 3)], 2, HAMILTON)
    assert [(s.allocated, s.explanation.remainder_rank, s.explanation.tie_broken) for s in shares] == [
        (0, 2, True),
        (2, 1, True),
    ]
    # Equal weights: the lower code wins, for every method.
    for method in METHODS:
        shares = apportion([Unit("B", 5), Unit("A", 5)], 1, method)
        assert [(s.allocated, s.explanation.tie_broken) for s in shares] == [(0, True), (1, True)], method
    # No tie, no flag.
    assert not any(s.explanation.tie_broken for s in apportion([Unit("A", 3), Unit("B", 2)], 2, HAMILTON))


def test_huntington_hill_tie_at_an_irrational_priority():
    # Equal weights 1, 1 and 3 seats: after a first seat each, both claim 1 / sqrt(2); the lower code wins.
    # The reported divisor is a decimal just below 1 / sqrt(2) = 0.7071..., above the next claim 1 / sqrt(6).
    shares = apportion([Unit("A", 1), Unit("B", 1)], 3, HUNTINGTON_HILL)
    assert [s.allocated for s in shares] == [2, 1]
    d = shares[0].explanation.divisor
    assert Fraction(1, 6) < d * d <= Fraction(1, 2)
    assert [(s.explanation.rounded, s.explanation.tie_broken) for s in shares] == [(2, True), (2, True)]


def test_bounds_fix_units_and_the_rest_shares_the_remainder():
    # 100 over weights 50, 30, 20 with A at most 40 and C at least 25: A is fixed at 40, C at 25 and B
    # takes the rest, 35 (its own share of the remainder would be 30 / 50 of 60 = 36 if C were free,
    # but then C would get 24, below its minimum).
    units = [Unit("A", 50, maximum=40), Unit("B", 30), Unit("C", 20, minimum=25)]
    for method in METHODS:
        shares = apportion(units, 100, method)
        assert [s.allocated for s in shares] == [40, 35, 25], method
        assert [s.explanation.bound for s in shares] == [MAXIMUM, None, MINIMUM], method
    b = apportion(units, 100, HAMILTON)[1].explanation
    assert b.bounded_quota == 35


def test_overijssel_municipalities_share_the_provincial_task():
    # CBS 85984NED, population on 1 January 2024 of the 25 municipalities of Overijssel (PV23), as embedded
    # in the repository; the province's task for the first Spreidingswet cycle is 6,325 places.
    with POPULATIONS.open(newline="", encoding="utf-8") as handle:
        rows = [
            row
            for row in csv.DictReader(handle)
            if row["province_code"] == "PV23"
            and row["code"].startswith("GM")
            and row["reference_date"] == "2024-01-01"
        ]
    units = [Unit(row["code"], int(row["population"])) for row in rows]
    assert len(units) == 25 and sum(unit.weight for unit in units) == 1_189_033
    shares = {method: apportion(units, 6_325, method) for method in METHODS}
    for method, result in shares.items():
        assert sum(share.allocated for share in result) == 6_325, method
    for share in shares[HAMILTON]:
        assert math.floor(share.quota) <= share.allocated <= math.ceil(share.quota)
    zwolle = next(share for share in shares[HAMILTON] if share.code == "GM0193")
    assert zwolle.quota == Fraction(6_325 * 133_141, 1_189_033)  # 708.2 places
    assert zwolle.allocated in (708, 709)


# --- The whole country (its speed is measured by `make bench`, never in a test) ----------------------


def test_the_whole_country_is_a_true_divisor_apportionment():
    units = [Unit(f"GM{i:04d}", 1_000 + (i * 7_919) % 150_000) for i in range(342)]
    for method in DIVISOR_METHODS:
        allocation = seats(units, 96_000, method)
        assert sum(allocation) == 96_000
        assert_divisor_criterion(units, allocation, method)
