"""Half-yearly housing targets for permit holders (vergunninghouders) and progress against them.

Pure domain rules: no Django, no floating point. Quantities are ``int``; shares and norms are
``fractions.Fraction`` so that threshold comparisons are exact.
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

_HALF_YEAR_RE = re.compile(r"([0-9]{4})-[Hh]([12])")
MIN_YEAR = 2000
MAX_YEAR = 2100
MONTHS_PER_HALF_YEAR = 6


@dataclass(frozen=True, order=True)
class HalfYear:
    """A target period: the Minister sets targets per half-year (Huisvestingswet 2014 art. 29 lid 1)."""

    year: int
    half: int

    def __post_init__(self) -> None:
        if self.half not in (1, 2):
            raise ValueError(f"half must be 1 or 2, got {self.half!r}")

    @classmethod
    def parse(cls, text: str) -> HalfYear:
        """Parse ``"2024-H1"`` (or ``"2024-h1"``), the period notation of the half-yearly circular."""
        match = _HALF_YEAR_RE.fullmatch(text)
        if match is None:
            raise ValueError(f"invalid half-year {text!r}: expected YYYY-H1 or YYYY-H2")
        year = int(match.group(1))
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(f"invalid half-year {text!r}: year must be between {MIN_YEAR} and {MAX_YEAR}")
        return cls(year, int(match.group(2)))

    @classmethod
    def containing(cls, day: datetime.date) -> HalfYear:
        """The half-year whose target period (Huisvestingswet 2014 art. 29 lid 1) contains ``day``."""
        return cls(day.year, 1 if day.month <= MONTHS_PER_HALF_YEAR else 2)

    def __str__(self) -> str:
        return f"{self.year}-H{self.half}"

    @property
    def start(self) -> datetime.date:
        """First day of the period: 1 January or 1 July."""
        return datetime.date(self.year, 1 if self.half == 1 else 7, 1)

    @property
    def end(self) -> datetime.date:
        """Last day of the period (inclusive): 30 June or 31 December."""
        return datetime.date(self.year, 6, 30) if self.half == 1 else datetime.date(self.year, 12, 31)

    def months(self) -> list[datetime.date]:
        """The six first-of-month dates on which COA reports the housing position."""
        first = self.start.month
        return [datetime.date(self.year, first + offset, 1) for offset in range(MONTHS_PER_HALF_YEAR)]

    def next(self) -> HalfYear:
        """The following target period."""
        return HalfYear(self.year, 2) if self.half == 1 else HalfYear(self.year + 1, 1)

    def previous(self) -> HalfYear:
        """The preceding target period."""
        return HalfYear(self.year - 1, 2) if self.half == 1 else HalfYear(self.year, 1)

    @staticmethod
    def span(first: HalfYear, last: HalfYear) -> list[HalfYear]:
        """Every half-year from ``first`` up to and including ``last``, oldest first (empty when last < first)."""
        half_years = []
        current = first
        while current <= last:
            half_years.append(current)
            current = current.next()
        return half_years

    def population_reference_date(self) -> datetime.date:
        """Population count date for apportioning this period's target (Huisvestingswet 2014 art. 29 lid 1).

        Both halves of a year share one count: 1 January of the preceding year.
        """
        return datetime.date(self.year - 1, 1, 1)

    def months_elapsed(self, on: datetime.date) -> int:
        """Full months of this period completed on ``on``, clamped to 0..6.

        COA reports positions as of the 1st of a month, so a month counts as completed from the 1st of
        the next month onwards.
        """
        if on < self.start:
            return 0
        if on > self.end:
            return MONTHS_PER_HALF_YEAR
        return (on.year * 12 + on.month) - (self.start.year * 12 + self.start.month)


def statutory_target(national: int, population: int, national_population: int) -> int:
    """Municipal target in proportion to population, rounded up (Huisvestingswet 2014 art. 29 lid 1).

    Computed as ``ceil(national * population / national_population)`` in exact integer arithmetic.
    """
    if national < 0:
        raise ValueError(f"national target must be >= 0, got {national}")
    if population < 0:
        raise ValueError(f"population must be >= 0, got {population}")
    if national_population <= 0:
        raise ValueError(f"national population must be > 0, got {national_population}")
    if population > national_population:
        raise ValueError(f"population {population} exceeds national population {national_population}")
    return -(-national * population // national_population)


class RedistributionError(ValueError):
    """An agreed redistribution that breaks Huisvestingswet 2014 art. 29 lid 2."""

    def __init__(
        self,
        *,
        statutory_total: int,
        agreed_total: int,
        missing: tuple[str, ...] = (),
        unknown: tuple[str, ...] = (),
        negative: tuple[str, ...] = (),
    ) -> None:
        self.statutory_total = statutory_total
        self.agreed_total = agreed_total
        self.missing = missing
        self.unknown = unknown
        self.negative = negative
        super().__init__(
            f"invalid redistribution: statutory total {statutory_total}, agreed total {agreed_total}, "
            f"missing {list(missing)}, unknown {list(unknown)}, negative {list(negative)}"
        )


def validate_redistribution(statutory: Mapping[str, int], agreed: Mapping[str, int]) -> None:
    """Check an agreed redistribution of targets (Huisvestingswet 2014 art. 29 lid 2).

    Municipalities may shift targets among themselves provided the total stays equal. The agreement
    must cover exactly the same municipalities and assign no negative target.
    """
    statutory_total = sum(statutory.values())
    agreed_total = sum(agreed.values())
    missing = tuple(sorted(set(statutory) - set(agreed)))
    unknown = tuple(sorted(set(agreed) - set(statutory)))
    negative = tuple(sorted(key for key, value in agreed.items() if value < 0))
    if statutory_total != agreed_total or missing or unknown or negative:
        raise RedistributionError(
            statutory_total=statutory_total,
            agreed_total=agreed_total,
            missing=missing,
            unknown=unknown,
            negative=negative,
        )


@dataclass(frozen=True)
class Position:
    """A municipality's result over one period, including carry-over, as COA reports it."""

    half_year: HalfYear
    opening_balance: int
    target: int
    corrected_target: int
    housed: int
    closing_balance: int

    def __post_init__(self) -> None:
        # Positions may be rebuilt from stored rows; reject ones whose balances do not add up.
        if self.corrected_target != self.opening_balance + self.target:
            raise ValueError(f"{self.half_year}: corrected_target != opening_balance + target")
        if self.closing_balance != self.corrected_target - self.housed:
            raise ValueError(f"{self.half_year}: closing_balance != corrected_target - housed")

    @property
    def remaining(self) -> int:
        """Permit holders still to be housed this period; a lead counts as nothing remaining."""
        return max(self.closing_balance, 0)


class PeriodSequenceError(ValueError):
    """Periods passed to :func:`carry_over` are not consecutive half-years in chronological order."""

    def __init__(self, previous: HalfYear, current: HalfYear) -> None:
        self.previous = previous
        self.current = current
        super().__init__(f"half-year {current} does not directly follow {previous}")


def carry_over(opening_balance: int, periods: Sequence[tuple[HalfYear, int, int]]) -> list[Position]:
    """Roll backlogs and leads into the next period (the COA "corrected target").

    Each period's corrected target is the previous closing balance plus the new target. A lead (negative
    balance) is kept unclamped, so a large lead can make the next corrected target negative.
    Raises :class:`PeriodSequenceError` when the half-years are not consecutive and ordered.
    """
    positions: list[Position] = []
    balance = opening_balance
    for half_year, target, housed in periods:
        if target < 0 or housed < 0:
            raise ValueError(f"{half_year}: target and housed must be >= 0, got {target} and {housed}")
        if positions and positions[-1].half_year.next() != half_year:
            raise PeriodSequenceError(positions[-1].half_year, half_year)
        corrected = balance + target
        position = Position(half_year, balance, target, corrected, housed, corrected - housed)
        positions.append(position)
        balance = position.closing_balance
    return positions


class ScheduleStatus(enum.StrEnum):
    """Progress classification returned by :func:`schedule_status`."""

    ON_SCHEDULE = "on_schedule"
    BEHIND = "behind"
    FAR_BEHIND = "far_behind"


@dataclass(frozen=True)
class Thresholds:
    """Monitoring thresholds against the pro-rata norm (regietafel convention, not statutory)."""

    behind_below: Fraction = Fraction(9, 10)
    far_behind_below: Fraction = Fraction(7, 10)
    months_in_period: int = MONTHS_PER_HALF_YEAR

    def __post_init__(self) -> None:
        if not 0 <= self.far_behind_below <= self.behind_below:
            raise ValueError("thresholds must satisfy 0 <= far_behind_below <= behind_below")
        if self.months_in_period <= 0:
            raise ValueError(f"months_in_period must be > 0, got {self.months_in_period}")


DEFAULT_THRESHOLDS = Thresholds()


def pro_rata_norm(
    corrected_target: int, months_elapsed: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Fraction:
    """Part of the corrected target due by now: a regietafel convention, not statute.

    ``max(corrected_target, 0) * min(months_elapsed, months) / months``: a lead means nothing is due.
    """
    if months_elapsed < 0:
        raise ValueError(f"months_elapsed must be >= 0, got {months_elapsed}")
    months = thresholds.months_in_period
    return Fraction(max(corrected_target, 0) * min(months_elapsed, months), months)


def norm_share(
    housed: int, corrected_target: int, months_elapsed: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> Fraction | None:
    """Housed as a fraction of :func:`pro_rata_norm` (regietafel convention); None if nothing is due yet."""
    norm = pro_rata_norm(corrected_target, months_elapsed, thresholds)
    if norm == 0:
        return None
    return Fraction(housed) / norm


def schedule_status(
    housed: int, corrected_target: int, months_elapsed: int, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> ScheduleStatus:
    """Classify progress against :func:`pro_rata_norm` using :class:`Thresholds` (regietafel convention)."""
    norm = pro_rata_norm(corrected_target, months_elapsed, thresholds)
    if norm == 0 or housed >= norm * thresholds.behind_below:
        return ScheduleStatus.ON_SCHEDULE
    if housed >= norm * thresholds.far_behind_below:
        return ScheduleStatus.BEHIND
    return ScheduleStatus.FAR_BEHIND


def consecutive_missed(positions: Sequence[Position]) -> int:
    """Most recent run of periods whose target incl. carry-over was not met.

    Provinces escalate on repeated misses under interbestuurlijk toezicht.
    """
    count = 0
    for position in reversed(positions):
        if position.closing_balance <= 0:
            break
        count += 1
    return count
