"""Which monthly figures are asked for and which are late (``domain.deliveries``)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from regietafel.domain.deliveries import DUE_DAY, asked_months, due_on, late

days = st.dates(datetime.date(2019, 1, 1), datetime.date(2030, 12, 31))


@given(days)
def test_every_ended_month_of_the_year_is_asked_for_and_no_other(today):
    asked = asked_months(today.year, today)
    assert asked == [datetime.date(today.year, number, 1) for number in range(1, today.month)]
    assert asked_months(today.year - 1, today) == [datetime.date(today.year - 1, n, 1) for n in range(1, 13)]
    assert asked_months(today.year + 1, today) == []


@given(days)
def test_a_month_is_late_only_after_its_due_day_in_the_next_month(today):
    month = today.replace(day=1)
    assert not late(month, today)  # a running month is never late
    due = due_on(month)
    assert due.day == DUE_DAY and (due.year, due.month) > (month.year, month.month)
    assert not late(month, due) and late(month, due + datetime.timedelta(days=1))
