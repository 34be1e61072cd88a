"""Indicator rules (regietafel.domain.indicators): periods, statuses against thresholds, trends."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regietafel.domain.indicators import (
    Direction,
    Period,
    Periodicity,
    Status,
    Thresholds,
    Trend,
    status,
    trend,
)

periodicities = st.sampled_from(list(Periodicity))
days = st.dates(min_value=datetime.date(2001, 1, 1), max_value=datetime.date(2099, 12, 31))
amounts = st.decimals(min_value=-1000, max_value=1000, allow_nan=False, places=2)
directions = st.sampled_from(list(Direction))


@pytest.mark.parametrize(
    ("text", "periodicity", "start", "end"),
    [
        ("2025-03", "month", datetime.date(2025, 3, 1), datetime.date(2025, 3, 31)),
        ("2024-02", "month", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29)),
        ("2025-Q4", "quarter", datetime.date(2025, 10, 1), datetime.date(2025, 12, 31)),
        ("2025-h1", "half_year", datetime.date(2025, 1, 1), datetime.date(2025, 6, 30)),
    ],
)
def test_periods_parse_and_span_their_days(text, periodicity, start, end):
    period = Period.parse(text, periodicity)
    assert (period.start, period.end) == (start, end)
    assert str(period) == text.upper()


@pytest.mark.parametrize(
    ("text", "periodicity"),
    [
        ("2025-13", "month"),
        ("2025-Q5", "quarter"),
        ("2025-H1", "quarter"),
        ("25-H1", "half_year"),
        ("1999-01", "month"),
    ],
)
def test_a_period_that_does_not_exist_is_refused_with_the_expected_form(text, periodicity):
    with pytest.raises(ValueError, match="invalid period"):
        Period.parse(text, periodicity)


@given(days, periodicities)
def test_the_period_containing_a_day_spans_it_and_reads_back(day, periodicity):
    period = Period.containing(day, periodicity)
    assert period.start <= day <= period.end
    assert Period.parse(str(period), periodicity) == period


@given(days, periodicities)
def test_periods_follow_each_other_without_gaps(day, periodicity):
    period = Period.containing(day, periodicity)
    assert period.next().start == period.end + datetime.timedelta(days=1)
    assert period.next().previous() == period
    assert period.previous() < period < period.next()


@given(amounts, amounts, amounts, directions)
def test_status_follows_the_thresholds(value, one, other, direction):
    higher = direction is Direction.HIGHER
    good, poor = (max(one, other), min(one, other)) if higher else (min(one, other), max(one, other))
    thresholds = Thresholds(good=good, poor=poor)
    assert thresholds.problem(direction) is None
    found = status(value, direction, thresholds)
    if (value >= good) if higher else (value <= good):
        assert found is Status.GOOD
    elif (value < poor) if higher else (value > poor):
        assert found is Status.POOR
    else:
        assert found is Status.ATTENTION


@given(amounts, amounts, amounts, directions)
def test_a_better_value_never_gets_a_worse_status(value, step, threshold, direction):
    order = [Status.POOR, Status.ATTENTION, Status.GOOD]
    better = value + abs(step) if direction is Direction.HIGHER else value - abs(step)
    thresholds = Thresholds(good=threshold + (1 if direction is Direction.HIGHER else -1), poor=threshold)
    assert order.index(status(better, direction, thresholds)) >= order.index(
        status(value, direction, thresholds)
    )


def test_without_thresholds_or_value_there_is_no_status():
    assert status(Decimal(80), Direction.HIGHER, Thresholds()) is Status.UNKNOWN
    assert status(None, Direction.HIGHER, Thresholds(good=Decimal(90))) is Status.UNKNOWN
    assert status(Decimal(95), "higher", Thresholds(good=Decimal(90))) is Status.GOOD
    assert status(Decimal(85), "higher", Thresholds(good=Decimal(90))) is Status.ATTENTION
    assert status(Decimal(85), "lower", Thresholds(poor=Decimal(90))) is Status.GOOD
    assert status(Decimal(95), "lower", Thresholds(poor=Decimal(90))) is Status.POOR


def test_thresholds_the_wrong_way_round_are_named():
    assert "higher is better" in Thresholds(good=Decimal(50), poor=Decimal(80)).problem("higher")
    assert "lower is better" in Thresholds(good=Decimal(80), poor=Decimal(50)).problem("lower")


@given(amounts, amounts, directions)
def test_trend_says_better_when_the_status_could_only_improve(previous, current, direction):
    found = trend(previous, current, direction)
    if current == previous:
        assert found is Trend.SAME
    else:
        assert (found is Trend.BETTER) == ((current > previous) == (direction is Direction.HIGHER))
    assert trend(None, current, direction) is Trend.UNKNOWN
