"""Money at the table: what the state reimburses for places, day by day. Pure Python, no Django.

A rate applies from its date until the next (the normbedrag per place per day of the Bekostigingsregeling opvang
ontheemden Oekraïne: €100 from March 2022, €83 from 15 October 2022, …). A location's places stand as its latest
observation before a day gave them, from its first observation (a place not yet known counts nothing) and within its
start and end dates. The expected reimbursement of a period is the sum over its days of places times the day's rate:
an estimate, since what a municipality declares may differ.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int  # 1-4

    @classmethod
    def containing(cls, day: datetime.date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> datetime.date:
        following = self.next()
        return following.start - datetime.timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + self.number // 4, self.number % 4 + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - (self.number == 1), (self.number - 2) % 4 + 1)

    def __str__(self) -> str:
        return f"{self.year}-K{self.number}"

    @property
    def label(self) -> str:
        return str(self)


@dataclass(frozen=True)
class Places:
    """A location's places through time: ``observed`` as (date, places), oldest first."""

    observed: Sequence[tuple[datetime.date, int]]
    start: datetime.date | None = None
    end: datetime.date | None = None

    def on(self, day: datetime.date) -> int:
        if (self.start and day < self.start) or (self.end and day > self.end):
            return 0
        places = 0
        for date, count in self.observed:
            if date > day:
                break
            places = count
        return places


def rate_on(rates: Sequence[tuple[datetime.date, Decimal]], day: datetime.date) -> Decimal | None:
    """The rate that applies on ``day`` (the latest from on or before it); None before the first."""
    found = None
    for start, amount in sorted(rates):
        if start > day:
            break
        found = amount
    return found


@dataclass(frozen=True)
class Estimate:
    place_days: int
    amount: Decimal
    days_without_rate: int  # days with places but no rate known yet: counted as nothing


def estimate(
    locations: Sequence[Places],
    rates: Sequence[tuple[datetime.date, Decimal]],
    start: datetime.date,
    end: datetime.date,
) -> Estimate:
    """Place-days and expected reimbursement from ``start`` to ``end`` inclusive."""
    place_days, amount, without = 0, Decimal(0), 0
    day = start
    while day <= end:
        places = sum(location.on(day) for location in locations)
        rate = rate_on(rates, day)
        place_days += places
        if rate is None:
            without += places > 0
        else:
            amount += rate * places
        day += datetime.timedelta(days=1)
    return Estimate(place_days, amount, without)
