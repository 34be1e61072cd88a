"""The bar geometry of the report charts (pure Python), property-tested."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from regietafel.reports.charts import LABEL_WIDTH, PLOT_WIDTH, grouped_bars, nice_peak

values = st.one_of(st.none(), st.integers(min_value=-50, max_value=10**6))


@given(st.integers(min_value=-10, max_value=10**9))
def test_nice_peak_is_the_smallest_round_number_at_least_the_value(value):
    peak = nice_peak(value)
    assert peak >= max(value, 1)
    digits = str(peak).rstrip("0")
    assert digits in {"1", "2", "5"}
    smaller = [factor * 10**power for power in range(12) for factor in (1, 2, 5) if factor * 10**power < peak]
    assert all(candidate < value for candidate in smaller)


@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda n: st.lists(st.lists(values, min_size=n, max_size=n), max_size=15)
    )
)
def test_bars_are_proportional_and_stay_in_the_plot(rows):
    series = [f"s{i}" for i in range(len(rows[0]))] if rows else ["s0"]
    chart = grouped_bars([f"c{i}" for i in range(len(rows))], series, rows)
    assert chart.peak >= max([v for row in rows for v in row if v is not None] + [1])
    for group, row in zip(chart.groups, rows, strict=True):
        assert [bar.value for bar in group.bars] == row
        for bar in group.bars:
            assert bar.x == LABEL_WIDTH and 0 <= bar.width <= PLOT_WIDTH
            expected = 0 if bar.value is None else max(bar.value, 0) * PLOT_WIDTH / chart.peak
            assert abs(bar.width - expected) <= 0.5
            assert bar.y + bar.height <= chart.height
    tops = [bar.y for group in chart.groups for bar in group.bars]
    assert tops == sorted(tops) and len(set(tops)) == len(tops)  # bars never overlap


@given(
    st.integers(min_value=1, max_value=3).flatmap(
        lambda n: st.lists(st.lists(st.tuples(values, st.booleans()), min_size=n, max_size=n), max_size=8)
    )
)
def test_a_bar_drawn_from_a_demo_figure_is_marked_and_only_then(rows):
    series = [f"s{i}" for i in range(len(rows[0]))] if rows else ["s0"]
    values_ = [[value for value, _demo in row] for row in rows]
    demo = [[is_demo for _value, is_demo in row] for row in rows]
    chart = grouped_bars([f"c{i}" for i in range(len(rows))], series, values_, demo)
    for group, row in zip(chart.groups, rows, strict=True):
        assert [bar.is_demo for bar in group.bars] == [
            is_demo and value is not None for value, is_demo in row
        ]
    assert chart.has_demo == any(is_demo and value is not None for row in rows for value, is_demo in row)
    assert not grouped_bars([f"c{i}" for i in range(len(rows))], series, values_).has_demo


def test_rows_must_match_categories_and_series():
    with pytest.raises(ValueError):
        grouped_bars(["a", "b"], ["x"], [[1]])
    with pytest.raises(ValueError):
        grouped_bars(["a"], ["x", "y"], [[1]])
    with pytest.raises(ValueError):
        grouped_bars(["a"], ["x"], [[1]], [[True, False]])
