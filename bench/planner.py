"""The distribution planner's benchmarks: the apportionment methods alone, and a whole key, on 342 municipalities and
96,000 places (for ``make bench``)."""

import random
import time
from fractions import Fraction

from regietafel.domain.apportionment import METHODS, Unit, apportion
from regietafel.domain.distribution import Municipality, plan


def apportionment_timings(units: int = 342, total: int = 96_000, seed: int = 1) -> dict[str, float]:
    """Seconds per method to apportion ``total`` over ``units`` population-like weights (for ``make bench``).

    The weights are drawn from ``random.Random(seed)``: log-normal like municipal populations (median
    about 36,000, mean about 54,000, at least 900), so the same arguments always time the same instance.
    One run per method; the seconds are wall-clock (``time.perf_counter``).
    """
    rng = random.Random(seed)
    population = [Unit(f"GM{i:04d}", max(900, round(rng.lognormvariate(10.5, 0.9)))) for i in range(units)]
    timings = {}
    for method in METHODS:
        start = time.perf_counter()
        apportion(population, total, method)
        timings[method] = time.perf_counter() - start
    return timings


def planner_timings(units: int = 342, total: int = 96_000, seed: int = 1) -> dict[str, float]:
    """Seconds per method to plan ``total`` over ``units`` municipalities with a whole key (for ``make bench``):
    population-like weights, a factor between 0.8 and 1.2, one in ten with places already realised, 8.5% AMV."""
    rng = random.Random(seed)
    municipalities = [
        Municipality(
            f"GM{i:04d}",
            max(900, round(rng.lognormvariate(10.5, 0.9))),
            Fraction(rng.randint(80, 120), 100),
            realised=rng.randint(50, 400) if rng.random() < 0.1 else 0,
        )
        for i in range(units)
    ]
    timings = {}
    for method in METHODS:
        start = time.perf_counter()
        plan(municipalities, total, method, Fraction(85, 1000))
        timings[method] = time.perf_counter() - start
    return timings
