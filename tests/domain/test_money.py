"""Expected reimbursement (``domain.money``): properties over any places and rates."""

import datetime
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from regietafel.domain.money import Places, Quarter, estimate, rate_on

days = st.dates(datetime.date(2022, 1, 1), datetime.date(2026, 12, 31))
amounts = st.decimals(0, 200, places=2)
rate_lists = st.lists(st.tuples(days, amounts), max_size=5, unique_by=lambda pair: pair[0])
place_lists = st.lists(
    st.builds(
        Places,
        observed=st.lists(st.tuples(days, st.integers(0, 300)), max_size=4).map(sorted),
        start=st.one_of(st.none(), days),
        end=st.one_of(st.none(), days),
    ),
    max_size=4,
)


@given(st.builds(Quarter, st.integers(2020, 2030), st.integers(1, 4)))
def test_quarters_tile_the_calendar(quarter):
    assert quarter.next().start == quarter.end + datetime.timedelta(days=1)
    assert quarter.next().previous() == quarter
    assert Quarter.containing(quarter.start) == quarter == Quarter.containing(quarter.end)


@given(place_lists, rate_lists, days, st.integers(0, 120))
def test_a_period_is_the_sum_of_its_parts(locations, rates, start, length):
    end = start + datetime.timedelta(days=length)
    middle = start + datetime.timedelta(days=length // 2)
    whole = estimate(locations, rates, start, end)
    first = estimate(locations, rates, start, middle)
    second = estimate(locations, rates, middle + datetime.timedelta(days=1), end)
    assert whole.place_days == first.place_days + second.place_days
    assert whole.amount == first.amount + second.amount


@given(place_lists, rate_lists, days)
def test_one_day_is_places_times_that_days_rate(locations, rates, day):
    one = estimate(locations, rates, day, day)
    places = sum(location.on(day) for location in locations)
    rate = rate_on(rates, day)
    assert one.place_days == places
    assert one.amount == (rate * places if rate is not None else 0)


def test_the_booo_rates_over_a_change():
    rates = [(datetime.date(2022, 10, 15), Decimal(83)), (datetime.date(2024, 1, 1), Decimal(61))]
    location = Places([(datetime.date(2023, 12, 1), 40)], start=datetime.date(2023, 6, 1))
    # 31 December at 83, 1 and 2 January at 61: 40 places each day.
    found = estimate([location], rates, datetime.date(2023, 12, 31), datetime.date(2024, 1, 2))
    assert found.place_days == 120 and found.amount == 40 * 83 + 2 * 40 * 61
    before = estimate([location], rates, datetime.date(2023, 11, 1), datetime.date(2023, 11, 30))
    assert before.place_days == 0  # not observed yet: nothing counted
