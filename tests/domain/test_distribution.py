"""Applying a distribution key (pure): weights, realised places first, bounds, the AMV split; totals exact."""

from __future__ import annotations

import csv
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from regietafel.domain import distribution as d
from regietafel.domain.apportionment import HAMILTON, METHODS

POPULATIONS = (
    Path(__file__).resolve().parents[2] / "src" / "regietafel" / "operations" / "data" / "populations.csv"
)
CHECKS = settings(max_examples=150, deadline=None)


def overijssel() -> list[d.Municipality]:
    with POPULATIONS.open(encoding="utf-8") as handle:
        rows = [
            r
            for r in csv.DictReader(handle)
            if r["province_code"] == "PV23"
            and r["code"].startswith("GM")
            and r["reference_date"] == "2024-01-01"
        ]
    return [d.Municipality(r["code"], int(r["population"])) for r in rows]


@st.composite
def instances(draw):
    municipalities = []
    for index in range(draw(st.integers(min_value=1, max_value=8))):
        minimum = draw(st.integers(min_value=0, max_value=5))
        maximum = draw(st.one_of(st.none(), st.integers(min_value=minimum + 10, max_value=minimum + 40)))
        realised = draw(st.integers(min_value=0, max_value=maximum if maximum is not None else 30))
        municipalities.append(
            d.Municipality(
                f"GM{index:04d}",
                draw(st.integers(min_value=1, max_value=200_000)),
                draw(st.fractions(min_value=0, max_value=3, max_denominator=20)),
                minimum,
                maximum,
                realised,
            )
        )
    count_realised = draw(st.booleans())
    lower = sum(max(m.minimum, m.realised if count_realised else 0) for m in municipalities)
    positive = [m for m in municipalities if m.factor > 0]
    upper = (
        None
        if any(m.maximum is None for m in positive)
        else sum(m.maximum for m in positive)
        + sum(max(m.minimum, m.realised if count_realised else 0) for m in municipalities if m.factor == 0)
    )
    total = draw(st.integers(min_value=lower, max_value=lower + 200 if upper is None else max(lower, upper)))
    share = draw(st.fractions(min_value=0, max_value=1, max_denominator=1000))
    return municipalities, total, share, count_realised


@CHECKS
@given(instances(), st.sampled_from(METHODS))
def test_places_and_minors_add_up_and_every_bound_holds(instance, method):
    municipalities, total, share, count_realised = instance
    lines = d.plan(municipalities, total, method, share, count_realised)
    assert sum(line.places for line in lines) == total
    assert sum(line.minors for line in lines) == d.round_half_up(total * share)
    for m, line in zip(municipalities, lines, strict=True):
        assert 0 <= line.minors <= line.places
        assert line.places >= m.minimum
        if count_realised:
            assert line.places >= m.realised
        if m.maximum is not None:
            assert line.places <= m.maximum


@CHECKS
@given(instances())
def test_the_minors_keep_to_their_quota(instance):
    municipalities, total, share, count_realised = instance
    for line in d.plan(municipalities, total, HAMILTON, share, count_realised):
        assert line.minors_quota.__floor__() <= line.minors <= line.minors_quota.__ceil__()


def test_population_share_for_overijssel_gives_the_expected_four():
    lines = {
        line.municipality.code: line for line in d.plan(overijssel(), 6325, HAMILTON, Fraction(85, 1000))
    }
    assert sum(line.places for line in lines.values()) == 6325
    assert sum(line.minors for line in lines.values()) == 538  # 6,325 x 8.5% = 537.6
    # 2024 populations: Overijssel 1,189,033; Zwolle 133,141 -> 708.24
    assert lines["GM0193"].quota == Fraction(6325 * 133141, 1189033)
    assert {code: lines[code].places for code in ("GM0193", "GM0166", "GM0177", "GM0180")} == {
        "GM0193": 708,
        "GM0166": 299,
        "GM0177": 204,
        "GM0180": 94,
    }


def test_a_factor_scales_the_weight_and_zero_takes_a_municipality_out():
    lines = d.plan(
        [
            d.Municipality("A", 100, Fraction(3, 2)),
            d.Municipality("B", 150),
            d.Municipality("C", 500, Fraction(0)),
        ],
        30,
        HAMILTON,
    )
    assert [line.weight for line in lines] == [150, 150, 0]
    assert [line.places for line in lines] == [15, 15, 0]
    assert lines[0].share == Fraction(1, 2)


def test_realised_places_count_first_and_the_rest_is_divided_over_the_others():
    municipalities = [
        d.Municipality("A", 100, realised=80),
        d.Municipality("B", 100),
        d.Municipality("C", 100),
    ]
    lines = d.plan(municipalities, 100, HAMILTON)
    assert [line.places for line in lines] == [80, 10, 10]
    assert lines[0].floor_from == "realised"
    assert [line.places for line in d.plan(municipalities, 100, HAMILTON, count_realised=False)] == [
        34,
        33,
        33,
    ]


def test_a_higher_minimum_wins_over_realised_places():
    lines = d.plan([d.Municipality("A", 1, minimum=20, realised=5), d.Municipality("B", 1)], 30, HAMILTON)
    assert lines[0].places == 20
    assert lines[0].floor_from == "minimum"


@pytest.mark.parametrize(
    ("municipalities", "total", "reason", "code"),
    [
        (
            [d.Municipality("A", 1, minimum=5), d.Municipality("B", 1, minimum=6)],
            10,
            d.MINIMUMS_ABOVE_TOTAL,
            None,
        ),
        (
            [d.Municipality("A", 1, maximum=3), d.Municipality("B", 1, maximum=3)],
            10,
            d.MAXIMUMS_BELOW_TOTAL,
            None,
        ),
        ([d.Municipality("A", 1, maximum=3, realised=4)], 4, d.REALISED_ABOVE_MAXIMUM, "A"),
        (
            [d.Municipality("A", 1, Fraction(0), minimum=2), d.Municipality("B", 1, Fraction(0))],
            10,
            d.NO_WEIGHT,
            None,
        ),
        ([d.Municipality("A", 1, Fraction(-1))], 4, d.BAD_FACTOR, "A"),
        ([], 4, d.NO_MUNICIPALITIES, None),
        ([d.Municipality("A", 1)], -1, d.NEGATIVE_TOTAL, None),
    ],
)
def test_infeasible_input_names_the_reason_and_the_municipality(municipalities, total, reason, code):
    with pytest.raises(d.Infeasible) as caught:
        d.plan(municipalities, total, HAMILTON)
    assert (caught.value.reason, caught.value.code) == (reason, code)


def test_when_every_factor_is_0_the_reason_names_those_municipalities():
    municipalities = [d.Municipality("A", 10, Fraction(0), minimum=2), d.Municipality("B", 0, Fraction(1))]
    with pytest.raises(d.Infeasible) as caught:
        d.plan(municipalities, 10, HAMILTON)
    assert caught.value.reason == d.NO_WEIGHT
    assert caught.value.numbers == {"total": 10, "minimums": 2, "codes": ["A"]}
    # The minimums alone can still be the whole total.
    assert [line.places for line in d.plan(municipalities, 2, HAMILTON)] == [2, 0]
