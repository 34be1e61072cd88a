"""The planner's benchmark instances (``bench/planner.py``) run every method; their speed is measured by ``make bench``,
never in a test."""

from bench import planner
from regietafel.domain.apportionment import METHODS


def test_the_apportionment_benchmark_times_every_method():
    timings = planner.apportionment_timings(units=20, total=500)
    assert sorted(timings) == sorted(METHODS)
    assert all(seconds >= 0 for seconds in timings.values())


def test_the_key_benchmark_plans_with_every_method():
    timings = planner.planner_timings(units=40, total=5000)
    assert sorted(timings) == sorted(METHODS)
    assert all(seconds >= 0 for seconds in timings.values())
