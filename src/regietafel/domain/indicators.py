"""Indicators beyond counts: a value's status against the thresholds a region set, its period, its trend.

An indicator (share of durable reception places, AMV with a guardian in time, status holders in work after 24
months ...) is data, not code: its direction (higher or lower is better), its periodicity and two optional
thresholds come from its definition. This module holds the rules that turn those into a status, without Django.

Thresholds: ``good`` is where the value is good from (at or above it when higher is better, at or below it when
lower is better); ``poor`` is where it is poor beyond (below it, or above it). Between the two the value asks for
attention. Without thresholds there is no status: the region has not said what good is, and neither do we.
"""

from __future__ import annotations

import calendar
import datetime
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

MIN_YEAR = 2000
MAX_YEAR = 2100


class Direction(StrEnum):
    HIGHER = "higher"  # higher is better
    LOWER = "lower"  # lower is better


class Status(StrEnum):
    GOOD = "good"
    ATTENTION = "attention"
    POOR = "poor"
    UNKNOWN = "unknown"  # no thresholds, or no value


class Periodicity(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"


PARTS = {Periodicity.MONTH: 12, Periodicity.QUARTER: 4, Periodicity.HALF_YEAR: 2}
_PATTERNS = {
    Periodicity.MONTH: re.compile(r"([0-9]{4})-([0-9]{2})"),
    Periodicity.QUARTER: re.compile(r"([0-9]{4})-[Qq]([1-4])"),
    Periodicity.HALF_YEAR: re.compile(r"([0-9]{4})-[Hh]([12])"),
}
_EXAMPLES = {Periodicity.MONTH: "2025-03", Periodicity.QUARTER: "2025-Q1", Periodicity.HALF_YEAR: "2025-H1"}


@dataclass(frozen=True, order=True)
class Period:
    """A month (``2025-03``), quarter (``2025-Q1``) or half-year (``2025-H1``, as in the targets circular)."""

    periodicity: Periodicity
    year: int
    part: int  # 1-based: the month, quarter or half

    def __post_init__(self) -> None:
        if not 1 <= self.part <= PARTS[self.periodicity]:
            raise ValueError(f"part {self.part} does not exist in a year of {self.periodicity} periods")
        if not MIN_YEAR <= self.year <= MAX_YEAR:
            raise ValueError(f"year must be between {MIN_YEAR} and {MAX_YEAR}, got {self.year}")

    @classmethod
    def parse(cls, text: str, periodicity: Periodicity | str) -> Period:
        periodicity = Periodicity(periodicity)
        match = _PATTERNS[periodicity].fullmatch(text.strip())
        if match is None:
            raise ValueError(f"invalid period {text!r}: expected the form {_EXAMPLES[periodicity]}")
        try:
            return cls(periodicity, int(match.group(1)), int(match.group(2)))
        except ValueError as exc:
            raise ValueError(f"invalid period {text!r}: {exc}") from None

    @classmethod
    def containing(cls, day: datetime.date, periodicity: Periodicity | str) -> Period:
        periodicity = Periodicity(periodicity)
        months = 12 // PARTS[periodicity]
        return cls(periodicity, day.year, (day.month - 1) // months + 1)

    def __str__(self) -> str:
        if self.periodicity is Periodicity.MONTH:
            return f"{self.year}-{self.part:02d}"
        letter = "Q" if self.periodicity is Periodicity.QUARTER else "H"
        return f"{self.year}-{letter}{self.part}"

    @property
    def _months(self) -> int:
        return 12 // PARTS[self.periodicity]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, (self.part - 1) * self._months + 1, 1)

    @property
    def end(self) -> datetime.date:
        """The last day (inclusive)."""
        last_month = self.part * self._months
        return datetime.date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def next(self) -> Period:
        if self.part == PARTS[self.periodicity]:
            return Period(self.periodicity, self.year + 1, 1)
        return Period(self.periodicity, self.year, self.part + 1)

    def previous(self) -> Period:
        if self.part == 1:
            return Period(self.periodicity, self.year - 1, PARTS[self.periodicity])
        return Period(self.periodicity, self.year, self.part - 1)


@dataclass(frozen=True)
class Thresholds:
    good: Decimal | None = None
    poor: Decimal | None = None

    def problem(self, direction: Direction | str) -> str | None:
        """Why these thresholds cannot work with ``direction``, or None."""
        if self.good is None or self.poor is None:
            return None
        if Direction(direction) is Direction.HIGHER and self.good < self.poor:
            return "when higher is better, 'good from' cannot lie below 'poor below'"
        if Direction(direction) is Direction.LOWER and self.good > self.poor:
            return "when lower is better, 'good up to' cannot lie above 'poor above'"
        return None


def status(value: Decimal | None, direction: Direction | str, thresholds: Thresholds) -> Status:
    """The status of ``value`` (see the module's docstring)."""
    if value is None or (thresholds.good is None and thresholds.poor is None):
        return Status.UNKNOWN
    higher = Direction(direction) is Direction.HIGHER
    if thresholds.good is not None and (value >= thresholds.good if higher else value <= thresholds.good):
        return Status.GOOD
    if thresholds.poor is not None and (value < thresholds.poor if higher else value > thresholds.poor):
        return Status.POOR
    return Status.ATTENTION if thresholds.good is not None else Status.GOOD


class Trend(StrEnum):
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    UNKNOWN = "unknown"


def trend(previous: Decimal | None, current: Decimal | None, direction: Direction | str) -> Trend:
    """Whether ``current`` is better or worse than ``previous`` for an indicator of ``direction``."""
    if previous is None or current is None:
        return Trend.UNKNOWN
    if current == previous:
        return Trend.SAME
    improved = current > previous if Direction(direction) is Direction.HIGHER else current < previous
    return Trend.BETTER if improved else Trend.WORSE
