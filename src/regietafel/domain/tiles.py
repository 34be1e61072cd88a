"""Where each municipality's tile stands on a region's tile map: a grid of rows and columns, numbered from 1.

A region's beheerder places the tiles; until then (and for a municipality that joins later) the map is laid out by
itself: roughly as on a map where every municipality has a point (north in the first row, west in the first
column), otherwise in the municipalities' own order, row by row, in a grid about as wide as it is high.
"""

import math
from collections.abc import Mapping, Sequence

# The page's style sheet knows rows and columns 1-12.
LIMIT = 12

Cell = tuple[int, int]


def _columns(count: int) -> int:
    return max(1, min(LIMIT, math.ceil(math.sqrt(count))))


def default_layout(
    codes: Sequence[str], points: Mapping[str, tuple[float, float]] | None = None
) -> dict[str, Cell]:
    """A cell for every code, no two alike. ``points`` maps a code to (latitude, longitude); it is used only when
    every code has one."""
    codes = list(dict.fromkeys(codes))
    columns = _columns(len(codes))
    if points and all(code in points for code in codes):
        by_north = sorted(codes, key=lambda code: (-points[code][0], points[code][1], code))
        rows = [by_north[start : start + columns] for start in range(0, len(by_north), columns)]
        return {
            code: (row_number, column_number)
            for row_number, row in enumerate(rows, start=1)
            for column_number, code in enumerate(
                sorted(row, key=lambda code: (points[code][1], code)), start=1
            )
        }
    return {code: (index // columns + 1, index % columns + 1) for index, code in enumerate(codes)}


def valid(cell: Cell | None) -> bool:
    return cell is not None and all(1 <= number <= LIMIT for number in cell)


def layout(
    stored: Mapping[str, Cell | None],
    order: Sequence[str],
    points: Mapping[str, tuple[float, float]] | None = None,
) -> dict[str, Cell]:
    """Every code of ``order`` (at most ``LIMIT`` squared) on a cell of its own: the stored places kept (the first
    of two on one cell keeps it), the others after the last stored row, in order. With no place stored, the default
    layout."""
    placed: dict[str, Cell] = {}
    taken: set[Cell] = set()
    for code in order:
        cell = stored.get(code)
        if valid(cell) and cell not in taken:
            placed[code] = cell
            taken.add(cell)
    if not placed:
        return default_layout(order, points)
    rest = [code for code in order if code not in placed]
    first_row = max(row for row, _column in placed.values()) + 1
    columns = min(LIMIT, max(_columns(len(order)), max(column for _row, column in placed.values())))
    # Below the stored tiles first; where the grid ends there, any free cell.
    below = [(row, column) for row in range(first_row, LIMIT + 1) for column in range(1, columns + 1)]
    anywhere = [(row, column) for row in range(1, LIMIT + 1) for column in range(1, LIMIT + 1)]
    for code in rest:
        cell = next(cell for cell in [*below, *anywhere] if cell not in taken)
        placed[code] = cell
        taken.add(cell)
    return placed


def clashes(cells: Mapping[str, Cell]) -> dict[Cell, list[str]]:
    """The cells that hold more than one code, with those codes in the given order."""
    held: dict[Cell, list[str]] = {}
    for code, cell in cells.items():
        held.setdefault(cell, []).append(code)
    return {cell: codes for cell, codes in held.items() if len(codes) > 1}
