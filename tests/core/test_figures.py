import datetime
from fractions import Fraction

import pytest

from regietafel.core.figures import Figure, SourceList, SourceRef, combine, total
from regietafel.core.templatetags.regietafel import figure

CBS = SourceRef("CBS 85984NED", datetime.date(2024, 1, 1))
DEMO = SourceRef("Voorbeelddata", datetime.date(2026, 1, 1), is_demo=True)


def test_a_computed_figure_carries_every_source_and_is_demo_if_one_is():
    sourced = Figure(10, frozenset({CBS}))
    generated = Figure(4, frozenset({DEMO}))
    result = combine(6, sourced, generated)
    assert result.refs == {CBS, DEMO}
    assert result.is_demo
    assert not sourced.is_demo


def test_a_total_is_unknown_when_a_part_is_unknown():
    assert total([Figure(1, frozenset({CBS})), Figure.unknown()]).value is None
    assert total([Figure(1, frozenset({CBS})), Figure(2, frozenset({DEMO}))]).value == 3


def test_rendered_figure_links_its_sources_and_marks_demo():
    sources = SourceList()
    html = figure(combine(1234, Figure(1, frozenset({CBS})), Figure(2, frozenset({DEMO}))), sources)
    assert 'href="#bron-1"' in html and 'href="#bron-2"' in html
    assert "rt-demo-marker" in html
    assert [ref for _, ref in sources.entries()] == [CBS, DEMO]
    assert "rt-demo-marker" not in figure(Figure(5, frozenset({CBS})), sources)


def test_cited_sources_are_not_repeated_in_the_cell():
    sources = SourceList()
    html = figure(Figure(5, frozenset({CBS})), sources, "int", frozenset({CBS}))
    assert "rt-footnote" not in html
    assert figure(Figure.unknown("No population on 01-01-2023."), sources).count("—") == 1


def test_a_figure_refuses_a_float_so_no_share_can_miss_a_threshold_by_rounding():
    # 7 / 10 in floats is 0.7, which lies just below Fraction(7, 10): a status computed from it would be wrong.
    with pytest.raises(TypeError):
        Figure(7 / 10)
    assert Figure(Fraction(7, 10)).value == Fraction(7, 10)
