"""The tile map's layout (``domain.tiles``): properties over any region."""

from hypothesis import given
from hypothesis import strategies as st

from regietafel.domain.tiles import LIMIT, clashes, default_layout, layout, valid

codes = st.lists(st.from_regex(r"GM\d{4}", fullmatch=True), unique=True, max_size=60)
cells = st.tuples(st.integers(0, LIMIT + 2), st.integers(0, LIMIT + 2))
points = st.tuples(st.floats(50.5, 53.7), st.floats(3.3, 7.3))


def _each_on_a_cell_of_its_own(found: dict, expected_codes) -> None:
    assert set(found) == set(expected_codes)
    assert not clashes(found)
    assert all(valid(cell) for cell in found.values())


@given(codes)
def test_the_default_puts_every_municipality_on_a_cell_of_its_own(order):
    found = default_layout(order)
    _each_on_a_cell_of_its_own(found, order)
    if order:
        rows = max(row for row, _ in found.values())
        columns = max(column for _, column in found.values())
        assert abs(rows - columns) <= 1  # about as wide as it is high


@given(
    codes.flatmap(
        lambda order: st.tuples(st.just(order), st.lists(points, min_size=len(order), max_size=len(order)))
    )
)
def test_with_a_point_for_each_the_north_comes_first_and_the_west_left(drawn):
    order, where = drawn
    positions = dict(zip(order, where, strict=True))
    found = default_layout(order, positions)
    _each_on_a_cell_of_its_own(found, order)
    for one in order:
        for other in order:
            (row, column), (other_row, other_column) = found[one], found[other]
            if row < other_row:
                assert positions[one][0] >= positions[other][0]
            if row == other_row and column < other_column:
                assert positions[one][1] <= positions[other][1]


@given(
    codes.flatmap(
        lambda order: st.tuples(st.just(order), st.dictionaries(st.sampled_from(order or ["x"]), cells))
    )
)
def test_stored_places_are_kept_and_the_rest_find_free_cells(drawn):
    order, stored = drawn
    found = layout(stored, order)
    _each_on_a_cell_of_its_own(found, order)
    kept, taken = set(), set()
    for code in order:
        cell = stored.get(code)
        if valid(cell) and cell not in taken:
            kept.add(code)
            taken.add(cell)
            assert found[code] == cell


def test_a_region_without_stored_places_gets_the_default():
    order = [f"GM{number:04d}" for number in range(14)]  # Twente's 14
    assert layout({}, order) == default_layout(order)
    assert max(row for row, _ in default_layout(order).values()) == 4


def test_clashes_name_every_municipality_on_one_cell():
    assert clashes({"a": (1, 1), "b": (1, 1), "c": (1, 2)}) == {(1, 1): ["a", "b"]}
