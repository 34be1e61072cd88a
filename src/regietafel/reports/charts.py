"""Bar charts as geometry for inline SVG: pure Python, no Django.

A chart is drawn by a template from this geometry; the same numbers are always printed in a data table beside it,
because a chart alone is not accessible (WCAG 1.1.1) and bars cannot show a source.
"""

from dataclasses import dataclass, field

LABEL_WIDTH = 150  # room for a municipality's name left of the bars
BAR_HEIGHT = 9
BAR_GAP = 2
GROUP_GAP = 8
PLOT_WIDTH = 360
TOP = 18  # room for the scale's labels


@dataclass(frozen=True)
class Bar:
    series: int  # index into the chart's series, for colour and legend
    value: int | None  # None: not known (no bar, a dash)
    x: int
    y: int
    width: int
    height: int
    is_demo: bool = False  # drawn from a generated demo figure: drawn and labelled as such


@dataclass
class Group:
    label: str
    y: int
    bars: list[Bar] = field(default_factory=list)


@dataclass
class Chart:
    series: list[str]
    groups: list[Group]
    peak: int
    ticks: list[tuple[int, int]]  # (value, x)
    width: int
    height: int
    label_width: int = LABEL_WIDTH

    @property
    def has_demo(self) -> bool:
        return any(bar.is_demo for group in self.groups for bar in group.bars)


def nice_peak(value: int) -> int:
    """The smallest 1, 2 or 5 times a power of ten that is at least ``value`` (at least 1)."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if factor * step >= value:
                return factor * step
        step *= 10


def grouped_bars(
    categories: list[str],
    series: list[str],
    values: list[list[int | None]],
    demo: list[list[bool]] | None = None,
) -> Chart:
    """Horizontal bars: one group per category, one bar per series. Negative values are drawn as zero. ``demo``,
    shaped like ``values``, says which values come from generated demo figures."""
    if any(len(row) != len(series) for row in values) or len(values) != len(categories):
        raise ValueError("values must have one row per category and one value per series")
    demo = demo if demo is not None else [[False] * len(series) for _row in values]
    if [len(row) for row in demo] != [len(row) for row in values]:
        raise ValueError("demo must be shaped like values")
    known = [max(value, 0) for row in values for value in row if value is not None]
    peak = nice_peak(max(known, default=1))
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) - BAR_GAP
    groups = []
    y = TOP
    for label, row, demo_row in zip(categories, values, demo, strict=True):
        group = Group(label, y)
        for index, (value, is_demo) in enumerate(zip(row, demo_row, strict=True)):
            width = 0 if value is None else round(max(value, 0) * PLOT_WIDTH / peak)
            top = y + index * (BAR_HEIGHT + BAR_GAP)
            group.bars.append(
                Bar(index, value, LABEL_WIDTH, top, width, BAR_HEIGHT, is_demo and value is not None)
            )
        groups.append(group)
        y += group_height + GROUP_GAP
    ticks = [(peak * step // 4, LABEL_WIDTH + PLOT_WIDTH * step // 4) for step in range(5)]
    return Chart(series, groups, peak, ticks, LABEL_WIDTH + PLOT_WIDTH + 40, y + 4)
