"""Where a municipality will stand at the end of the half-year: pure Python, no Django.

Two views of the rest of the half-year are combined:

- the **pace**: people housed per month in the last (at most) ``PACE_MONTHS`` reported months, carried on for the
  months that remain;
- the **pipeline**: people in households that were offered a home (``committed``: they will move in), and people
  still waiting, of whom at most as many can be housed as the homes available before the end hold (``supply``).

The forecast of people housed by the end of the half-year is a range:

- ``low``  = the larger of (housed + committed) and (housed + slowest recent month × months left);
- ``high`` = the larger of (housed + committed + min(waiting, supply)) and (housed + fastest recent month × months
  left);
- ``expected`` = housed + average recent pace × months left, kept within [low, high].

The balance is the corrected target minus the forecast: positive is a backlog carried into the next half-year,
negative a lead. Without a reported month the pace is zero, and the pipeline alone speaks.
"""

from dataclasses import dataclass
from fractions import Fraction

PACE_MONTHS = 3


@dataclass(frozen=True)
class Forecast:
    housed_low: int
    housed_expected: int
    housed_high: int
    target: int

    @property
    def balance_expected(self) -> int:
        return self.target - self.housed_expected

    @property
    def balance_best(self) -> int:
        """The smallest backlog (or largest lead) in the range."""
        return self.target - self.housed_high

    @property
    def balance_worst(self) -> int:
        return self.target - self.housed_low


def forecast(
    target: int,
    housed: int,
    months_left: int,
    recent_months: list[int],
    committed: int,
    waiting: int,
    supply: int,
) -> Forecast:
    """The forecast for one municipality. ``recent_months``: people housed per reported month, oldest first."""
    if not 0 <= months_left <= 6:
        raise ValueError("months_left lies between 0 and 6")
    if min(housed, committed, waiting, supply, *recent_months, 0) < 0:
        raise ValueError("counts cannot be negative")
    pace = recent_months[-PACE_MONTHS:]
    slowest = min(pace, default=0)
    fastest = max(pace, default=0)
    average = Fraction(sum(pace), len(pace)) if pace else Fraction(0)
    low = max(housed + committed, housed + slowest * months_left)
    high = max(housed + committed + min(waiting, supply), housed + fastest * months_left)
    expected = min(max(housed + round(average * months_left), low), high)
    return Forecast(low, expected, high, target)
