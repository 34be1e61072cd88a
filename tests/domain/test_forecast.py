"""The end-of-half-year forecast (pure), property-tested."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regietafel.domain.forecast import forecast

counts = st.integers(min_value=0, max_value=500)
inputs = st.fixed_dictionaries(
    {
        "target": st.integers(min_value=-50, max_value=1000),
        "housed": counts,
        "months_left": st.integers(min_value=0, max_value=6),
        "recent_months": st.lists(st.integers(min_value=0, max_value=80), max_size=6),
        "committed": counts,
        "waiting": counts,
        "supply": counts,
    }
)


@given(inputs)
def test_the_range_is_ordered_and_never_below_what_is_certain(kwargs):
    result = forecast(**kwargs)
    assert kwargs["housed"] + kwargs["committed"] <= result.housed_low <= result.housed_expected
    assert result.housed_expected <= result.housed_high
    assert result.balance_best <= result.balance_expected <= result.balance_worst
    assert result.balance_expected == kwargs["target"] - result.housed_expected


@given(inputs, st.integers(min_value=1, max_value=20))
def test_more_homes_offered_never_makes_the_forecast_worse(kwargs, extra):
    before = forecast(**kwargs)
    after = forecast(**{**kwargs, "committed": kwargs["committed"] + extra})
    assert after.housed_low >= before.housed_low and after.housed_high >= before.housed_high


@given(inputs)
def test_at_the_end_of_the_half_year_only_the_pipeline_counts(kwargs):
    result = forecast(**{**kwargs, "months_left": 0})
    assert result.housed_low == kwargs["housed"] + kwargs["committed"]
    assert result.housed_expected == result.housed_low


def test_a_worked_example():
    # 20 housed; 3 months left; recent months 4, 6, 8 (average 6); 5 people offered a home; 12 waiting, homes for 9.
    result = forecast(
        target=50, housed=20, months_left=3, recent_months=[2, 4, 6, 8], committed=5, waiting=12, supply=9
    )
    assert (result.housed_low, result.housed_expected, result.housed_high) == (32, 38, 44)
    assert (result.balance_best, result.balance_expected, result.balance_worst) == (6, 12, 18)


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        forecast(target=1, housed=0, months_left=7, recent_months=[], committed=0, waiting=0, supply=0)
    with pytest.raises(ValueError):
        forecast(target=1, housed=-1, months_left=1, recent_months=[], committed=0, waiting=0, supply=0)
