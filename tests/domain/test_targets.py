"""Tests for regietafel.domain.targets: concrete examples plus hypothesis properties."""

from __future__ import annotations

import datetime
import itertools
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from regietafel.domain.targets import (
    HalfYear,
    PeriodSequenceError,
    Position,
    RedistributionError,
    ScheduleStatus,
    Thresholds,
    carry_over,
    consecutive_missed,
    norm_share,
    pro_rata_norm,
    schedule_status,
    statutory_target,
    validate_redistribution,
)

half_years = st.builds(HalfYear, year=st.integers(2000, 2100), half=st.sampled_from([1, 2]))
small_ints = st.integers(0, 10_000)
STATUS_RANK = {ScheduleStatus.ON_SCHEDULE: 0, ScheduleStatus.BEHIND: 1, ScheduleStatus.FAR_BEHIND: 2}


# --- HalfYear -------------------------------------------------------------------------------------


def test_half_year_parse_and_boundaries() -> None:
    h1 = HalfYear.parse("2024-H1")
    assert h1 == HalfYear(2024, 1) == HalfYear.parse("2024-h1")
    assert str(h1) == "2024-H1"
    assert (h1.start, h1.end) == (datetime.date(2024, 1, 1), datetime.date(2024, 6, 30))
    h2 = h1.next()
    assert (h2.start, h2.end) == (datetime.date(2024, 7, 1), datetime.date(2024, 12, 31))
    assert h2.months() == [datetime.date(2024, m, 1) for m in range(7, 13)]
    assert h2.next() == HalfYear(2025, 1)
    assert HalfYear(2025, 1).previous() == h2


@pytest.mark.parametrize(
    "text", ["2024H1", "2024-H3", "2024-H0", "24-H1", "1999-H2", "2101-H1", " 2024-H1", "2024-H1\n", ""]
)
def test_half_year_parse_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="invalid half-year"):
        HalfYear.parse(text)


def test_half_year_rejects_invalid_half() -> None:
    with pytest.raises(ValueError):
        HalfYear(2024, 3)


def test_population_reference_date() -> None:
    assert HalfYear(2024, 1).population_reference_date() == datetime.date(2023, 1, 1)
    assert HalfYear(2024, 2).population_reference_date() == datetime.date(2023, 1, 1)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (datetime.date(2023, 12, 31), 0),
        (datetime.date(2024, 1, 1), 0),
        (datetime.date(2024, 1, 31), 0),
        (datetime.date(2024, 2, 1), 1),
        (datetime.date(2024, 2, 15), 1),
        (datetime.date(2024, 6, 30), 5),
        (datetime.date(2024, 7, 1), 6),
        (datetime.date(2030, 1, 1), 6),
    ],
)
def test_months_elapsed_examples(on: datetime.date, expected: int) -> None:
    assert HalfYear(2024, 1).months_elapsed(on) == expected


def test_months_elapsed_second_half() -> None:
    h2 = HalfYear(2024, 2)
    assert [h2.months_elapsed(d) for d in h2.months()] == [0, 1, 2, 3, 4, 5]
    assert h2.months_elapsed(datetime.date(2025, 1, 1)) == 6


@given(half_years)
def test_parse_str_roundtrip(hy: HalfYear) -> None:
    assert HalfYear.parse(str(hy)) == hy
    assert HalfYear.parse(str(hy).lower()) == hy


@given(half_years)
def test_next_previous_inverse_and_ordering(hy: HalfYear) -> None:
    assert hy.next().previous() == hy
    assert hy.previous().next() == hy
    assert hy.previous() < hy < hy.next()
    assert hy.next().start == hy.end + datetime.timedelta(days=1)


@given(half_years, half_years)
def test_ordering_matches_start_dates(a: HalfYear, b: HalfYear) -> None:
    assert (a < b) == (a.start < b.start)


@given(half_years, st.dates(datetime.date(1999, 1, 1), datetime.date(2102, 12, 31)))
def test_months_elapsed_bounds_and_containing(hy: HalfYear, day: datetime.date) -> None:
    elapsed = hy.months_elapsed(day)
    assert 0 <= elapsed <= 6
    if day < hy.start:
        assert elapsed == 0
    if day > hy.end:
        assert elapsed == 6
    containing = HalfYear.containing(day)
    assert containing.start <= day <= containing.end


# --- statutory target and apportionment -----------------------------------------------------------


def test_raalte_2024_h1() -> None:
    assert statutory_target(18750, 38498, 17811291) == 41


@pytest.mark.parametrize(
    ("national", "population", "national_population"),
    [(-1, 10, 100), (10, -1, 100), (10, 10, 0), (10, 101, 100)],
)
def test_statutory_target_rejects_invalid_input(
    national: int, population: int, national_population: int
) -> None:
    with pytest.raises(ValueError):
        statutory_target(national, population, national_population)


@st.composite
def target_inputs(draw: st.DrawFn) -> tuple[int, int, int]:
    national_population = draw(st.integers(1, 20_000_000))
    return draw(st.integers(0, 100_000)), draw(st.integers(0, national_population)), national_population


@given(target_inputs())
def test_statutory_target_is_ceiling_of_exact_share(args: tuple[int, int, int]) -> None:
    national, population, national_population = args
    target = statutory_target(national, population, national_population)
    share = Fraction(national * population, national_population)
    assert target >= share
    assert target - 1 < share


@st.composite
def partitions(draw: st.DrawFn) -> tuple[int, dict[str, int], int]:
    """A national target plus municipal populations that sum exactly to the national population."""
    populations = draw(st.lists(st.integers(0, 1_000_000), min_size=1, max_size=40))
    assume(sum(populations) > 0)
    national = draw(st.integers(0, 50_000))
    return national, {f"GM{i:04d}": pop for i, pop in enumerate(populations)}, sum(populations)


@given(partitions())
def test_the_municipal_targets_cover_the_national_one_with_bounded_rounding(
    args: tuple[int, dict[str, int], int],
) -> None:
    national, populations, national_population = args
    targets = {
        code: statutory_target(national, population, national_population)
        for code, population in populations.items()
    }
    assert national <= sum(targets.values()) <= national + len(populations)


# --- redistribution -------------------------------------------------------------------------------


@st.composite
def redistributions(draw: st.DrawFn) -> tuple[dict[str, int], dict[str, int]]:
    """A statutory mapping and an agreed one made by moving k units from one key to another."""
    statutory = draw(st.dictionaries(st.text(min_size=1, max_size=6), small_ints, min_size=2, max_size=20))
    source, dest = draw(st.lists(st.sampled_from(sorted(statutory)), min_size=2, max_size=2, unique=True))
    k = draw(st.integers(0, statutory[source]))
    agreed = dict(statutory)
    agreed[source] -= k
    agreed[dest] += k
    return statutory, agreed


@given(redistributions())
def test_shifting_units_between_municipalities_is_valid(args: tuple[dict[str, int], dict[str, int]]) -> None:
    statutory, agreed = args
    assert validate_redistribution(statutory, agreed) is None


@given(redistributions(), st.integers(-1000, 1000).filter(bool), st.data())
def test_changing_total_raises_with_totals(
    args: tuple[dict[str, int], dict[str, int]], delta: int, data: st.DataObject
) -> None:
    statutory, agreed = args
    key = data.draw(st.sampled_from(sorted(agreed)))
    assume(agreed[key] + delta >= 0)
    agreed[key] += delta
    with pytest.raises(RedistributionError) as excinfo:
        validate_redistribution(statutory, agreed)
    error = excinfo.value
    assert error.statutory_total == sum(statutory.values())
    assert error.agreed_total == sum(statutory.values()) + delta
    assert (error.missing, error.unknown, error.negative) == ((), (), ())


def test_missing_and_unknown_keys_raise() -> None:
    with pytest.raises(RedistributionError) as excinfo:
        validate_redistribution({"a": 5, "b": 5}, {"a": 5, "c": 5})
    assert excinfo.value.missing == ("b",)
    assert excinfo.value.unknown == ("c",)
    assert excinfo.value.statutory_total == excinfo.value.agreed_total == 10


def test_negative_agreed_target_raises_even_if_total_matches() -> None:
    with pytest.raises(RedistributionError) as excinfo:
        validate_redistribution({"a": 5, "b": 5}, {"a": 12, "b": -2})
    assert excinfo.value.negative == ("b",)
    assert isinstance(excinfo.value, ValueError)


# --- carry-over -----------------------------------------------------------------------------------


def test_carry_over_backlog_and_lead() -> None:
    h1 = HalfYear(2024, 1)
    positions = carry_over(5, [(h1, 40, 30), (h1.next(), 20, 50), (h1.next().next(), 10, 0)])
    assert [(p.opening_balance, p.corrected_target, p.closing_balance) for p in positions] == [
        (5, 45, 15),
        (15, 35, -15),
        (-15, -5, -5),
    ]
    assert [p.remaining for p in positions] == [15, 0, 0]


def test_carry_over_empty() -> None:
    assert carry_over(7, []) == []


def test_carry_over_rejects_gaps_and_disorder() -> None:
    h1 = HalfYear(2024, 1)
    with pytest.raises(PeriodSequenceError) as excinfo:
        carry_over(0, [(h1, 1, 1), (h1.next().next(), 1, 1)])
    assert excinfo.value.previous == h1
    with pytest.raises(ValueError):
        carry_over(0, [(h1.next(), 1, 1), (h1, 1, 1)])
    with pytest.raises(ValueError):
        carry_over(0, [(h1, 1, 1), (h1, 1, 1)])


def test_position_rejects_inconsistent_balances() -> None:
    with pytest.raises(ValueError):
        Position(
            HalfYear(2024, 1), opening_balance=0, target=10, corrected_target=11, housed=0, closing_balance=11
        )


@given(half_years, st.integers(-500, 500), st.lists(st.tuples(small_ints, small_ints), max_size=12))
def test_carry_over_balances(first: HalfYear, opening: int, amounts: list[tuple[int, int]]) -> None:
    periods = []
    half_year = first
    for target, housed in amounts:
        periods.append((half_year, target, housed))
        half_year = half_year.next()
    positions = carry_over(opening, periods)
    assert len(positions) == len(periods)
    for position, (hy, target, housed) in zip(positions, periods, strict=True):
        assert (position.half_year, position.target, position.housed) == (hy, target, housed)
        assert position.closing_balance == position.opening_balance + target - housed
        assert position.remaining == max(position.closing_balance, 0)
    for previous, current in itertools.pairwise(positions):
        assert current.opening_balance == previous.closing_balance
    if positions:
        assert positions[0].opening_balance == opening
        expected = opening + sum(t for t, _ in amounts) - sum(h for _, h in amounts)
        assert positions[-1].closing_balance == expected


# --- consecutive missed ---------------------------------------------------------------------------


def _positions(balances: list[int]) -> list[Position]:
    """Positions with the given closing balances, built through carry_over."""
    periods = []
    half_year = HalfYear(2020, 1)
    previous = 0
    for balance in balances:
        # housed chosen so the closing balance comes out as requested with a target of 100.
        periods.append((half_year, 100, previous + 100 - balance))
        previous = balance
        half_year = half_year.next()
    return carry_over(0, periods)


@pytest.mark.parametrize(
    ("balances", "expected"),
    [([], 0), ([0], 0), ([-3], 0), ([4], 1), ([4, 0, 2, 7], 2), ([1, 2, 3], 3), ([5, 5, -1], 0), ([3, 0], 0)],
)
def test_consecutive_missed_examples(balances: list[int], expected: int) -> None:
    assert [p.closing_balance for p in _positions(balances)] == balances
    assert consecutive_missed(_positions(balances)) == expected


@given(st.lists(st.integers(-50, 50), max_size=15))
def test_consecutive_missed_property(balances: list[int]) -> None:
    positions = _positions(balances)
    missed = consecutive_missed(positions)
    assert 0 <= missed <= len(positions)
    assert all(p.closing_balance > 0 for p in positions[len(positions) - missed :])
    if missed < len(positions):
        assert positions[len(positions) - missed - 1].closing_balance <= 0


# --- schedule status ------------------------------------------------------------------------------


def test_pro_rata_norm_and_share() -> None:
    assert pro_rata_norm(60, 2) == 20
    assert pro_rata_norm(60, 9) == 60
    assert pro_rata_norm(-10, 3) == 0
    assert norm_share(15, 60, 2) == Fraction(3, 4)
    assert norm_share(15, 60, 0) is None
    assert norm_share(5, -10, 3) is None


@pytest.mark.parametrize(
    ("housed", "expected"),
    [
        (18, ScheduleStatus.ON_SCHEDULE),
        (17, ScheduleStatus.BEHIND),
        (14, ScheduleStatus.BEHIND),
        (13, ScheduleStatus.FAR_BEHIND),
        (0, ScheduleStatus.FAR_BEHIND),
    ],
)
def test_schedule_status_examples(housed: int, expected: ScheduleStatus) -> None:
    # Norm after 2 of 6 months on a corrected target of 60 is 20: 90% is 18, 70% is 14.
    assert schedule_status(housed, 60, 2) == expected


def test_schedule_status_nothing_due() -> None:
    assert schedule_status(0, 60, 0) == ScheduleStatus.ON_SCHEDULE
    assert schedule_status(0, -5, 6) == ScheduleStatus.ON_SCHEDULE
    assert ScheduleStatus.FAR_BEHIND == "far_behind"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"behind_below": Fraction(1, 2), "far_behind_below": Fraction(3, 5)},
        {"far_behind_below": Fraction(-1, 10)},
        {"months_in_period": 0},
    ],
)
def test_thresholds_validation(kwargs: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Thresholds(**kwargs)  # type: ignore[arg-type]


thresholds_strategy = st.builds(
    lambda a, b, months: Thresholds(
        behind_below=max(a, b), far_behind_below=min(a, b), months_in_period=months
    ),
    st.fractions(0, 1),
    st.fractions(0, 1),
    st.integers(1, 12),
)


@given(small_ints, small_ints, st.integers(-500, 2000), st.integers(0, 12), thresholds_strategy)
def test_schedule_status_monotone_in_housed(
    housed: int, extra: int, corrected_target: int, months: int, thresholds: Thresholds
) -> None:
    worse = schedule_status(housed, corrected_target, months, thresholds)
    better = schedule_status(housed + extra, corrected_target, months, thresholds)
    assert STATUS_RANK[better] <= STATUS_RANK[worse]
