"""Retention periods (AVG art. 5(1)(e), storage limitation) as dates: pure Python, no Django.

A period is a whole number of calendar months. "N months before" a day is the same day of the month N months
earlier, or that month's last day when it is shorter (31 August minus 6 months is 28 or 29 February). A record is
past its period when the day it is measured from (a case closed, a log line written) lies *before* the cut-off:
a case closed exactly N months ago stays one more day, one closed a day earlier goes. The cut-off only moves
forward as today does, so a run on the same day removes nothing new and a daily run is idempotent.
"""

import calendar
import datetime
from dataclasses import dataclass


def months_before(day: datetime.date, months: int) -> datetime.date:
    """The day ``months`` calendar months before ``day``, clamped to the end of a shorter month."""
    if months < 0:
        raise ValueError("A number of months cannot be negative.")
    index = day.year * 12 + (day.month - 1) - months
    year, month = divmod(index, 12)
    if year < datetime.MINYEAR:
        return datetime.date.min
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class Cutoffs:
    """What is older than these days is past its period."""

    # A household whose case closed before this day, and that nobody changed since, goes.
    households: datetime.date
    # Processing log lines (and the other logs kept as long) written before this day go.
    processing_log: datetime.date


def cutoffs(today: datetime.date, household_months: int, log_months: int) -> Cutoffs:
    """The cut-off days that follow from today and the configured periods (each at least one month: a period of
    zero would remove a household on the day its case closes, before anyone could correct it)."""
    for name, months in (("household", household_months), ("processing log", log_months)):
        if months < 1:
            raise ValueError(f"The {name} retention period must be at least one month, not {months}.")
    return Cutoffs(
        households=months_before(today, household_months),
        processing_log=months_before(today, log_months),
    )
