"""Retention cut-off dates (pure), property-tested."""

import calendar
import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regietafel.domain.retention import cutoffs, months_before

days = st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2200, 12, 31))
months = st.integers(min_value=0, max_value=600)


@given(days, months)
def test_the_cutoff_is_the_same_day_of_the_month_or_the_last_day_of_a_shorter_month(day, n):
    before = months_before(day, n)
    assert (before.year * 12 + before.month) == (day.year * 12 + day.month) - n
    assert before.day == min(day.day, calendar.monthrange(before.year, before.month)[1])
    assert before <= day


@given(days, days, months)
def test_a_later_today_never_gives_an_earlier_cutoff(first, second, n):
    """So a daily run only ever removes more, never brings back what a previous day's rule kept."""
    early, late = sorted((first, second))
    assert months_before(early, n) <= months_before(late, n)


@given(days, months, months)
def test_a_longer_period_keeps_at_least_as_much(day, n, extra):
    assert months_before(day, n + extra) <= months_before(day, n)


@given(days, st.integers(min_value=1, max_value=600))
def test_a_period_of_months_is_between_28_and_31_days_per_month(day, n):
    gap = (day - months_before(day, n)).days
    assert 28 * n <= gap <= 31 * n


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (datetime.date(2027, 3, 15), 24, datetime.date(2025, 3, 15)),
        (datetime.date(2026, 8, 31), 6, datetime.date(2026, 2, 28)),
        (datetime.date(2028, 8, 31), 6, datetime.date(2028, 2, 29)),  # a leap year
        (datetime.date(2027, 1, 31), 1, datetime.date(2026, 12, 31)),  # across a year
        (datetime.date(2027, 3, 15), 0, datetime.date(2027, 3, 15)),
    ],
)
def test_examples(day, n, expected):
    assert months_before(day, n) == expected


def test_cutoffs_follow_from_today_and_both_periods():
    result = cutoffs(datetime.date(2027, 3, 15), 24, 36)
    assert result.households == datetime.date(2025, 3, 15)
    assert result.processing_log == datetime.date(2024, 3, 15)


@pytest.mark.parametrize(("household", "log"), [(0, 36), (24, 0), (-1, 36)])
def test_a_period_below_one_month_is_refused(household, log):
    with pytest.raises(ValueError, match="at least one month"):
        cutoffs(datetime.date(2027, 3, 15), household, log)


def test_negative_months_are_refused():
    with pytest.raises(ValueError, match="negative"):
        months_before(datetime.date(2027, 3, 15), -1)
