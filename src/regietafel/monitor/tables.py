"""The monitor's tables, built once and used by the page, the tile map and the export alike."""

from dataclasses import dataclass, field
from fractions import Fraction
from functools import cached_property
from types import MappingProxyType

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from regietafel.core.figures import DEMO_MARKER, STATUS_LABELS, Figure, KnownPart, combine, known_part, total
from regietafel.core.tables import Heading
from regietafel.domain.targets import HalfYear, ScheduleStatus, Thresholds, pro_rata_norm, schedule_status
from regietafel.housing.ledger import HousingLedger, HousingRow
from regietafel.reception.ledger import ReceptionLedger
from regietafel.reception.models import Programme, ReceptionTask
from regietafel.regions.models import Area
from regietafel.regions.services import tile_cells

# The percent signs below are text, not placeholders.
# xgettext:no-python-format
PRO_RATA_LABEL = _("% of pro-rata norm")
# xgettext:no-python-format
SHARE_OF_TASK_LABEL = _("% of task")


@dataclass(frozen=True)
class Column:
    key: str
    label: Promise
    kind: str = "int"  # "int" or "pct"
    help: Promise | str = ""


@dataclass
class Row:
    area: Area | None  # None for the region total
    cells: dict[str, Figure]
    status: ScheduleStatus | None = None
    basis: Figure = field(default_factory=Figure.unknown)  # the figures the status was judged from

    @property
    def status_is_demo(self) -> bool:
        """A status judged from a demo figure is itself demo, and is marked so wherever it shows."""
        return self.status is not None and self.basis.is_demo


@dataclass
class Table:
    title: Promise
    columns: list[Column]
    rows: list[Row]
    total: Row | None = None
    caption: str = ""
    has_status: bool = True
    notes: list = field(default_factory=list)
    first: Promise = _("Municipality")  # what a row is: a municipality, or a region on a province's page

    @property
    def is_demo(self) -> bool:
        rows = self.rows + ([self.total] if self.total else [])
        return any(row.status_is_demo or any(f.is_demo for f in row.cells.values()) for row in rows)

    @property
    def statuses_demo(self) -> bool:
        """Whether any municipality's status was judged from a demo figure (so is a count of statuses)."""
        return any(row.status_is_demo for row in self.rows)

    def shared_refs(self, key: str) -> frozenset:
        """Sources every known figure of a column has: cited once in the column header, not in every cell."""
        return self._shared_refs[key]

    @cached_property
    def _shared_refs(self) -> dict[str, frozenset]:
        rows = self.rows + ([self.total] if self.total else [])
        shared = {}
        for column in self.columns:
            refs = [row.cells[column.key].refs for row in rows if row.cells[column.key].known]
            shared[column.key] = frozenset.intersection(*refs) if refs else frozenset()
        return shared

    @cached_property
    def parts(self) -> dict[str, KnownPart]:
        """Per column, the sum of the municipalities' known figures and how many are known: what a summary can say
        where the total is unknown (a total of some is never shown as the total)."""
        return {
            column.key: known_part([row.cells[column.key] for row in self.rows]) for column in self.columns
        }

    def header(self) -> list[tuple[Column, Figure]]:
        return [(column, Figure(None, self.shared_refs(column.key))) for column in self.columns]

    def cells(self, row: Row) -> list[tuple[Column, Figure, frozenset]]:
        return [(column, row.cells[column.key], self.shared_refs(column.key)) for column in self.columns]

    def row_for(self, area: Area) -> Row | None:
        return next((row for row in self.rows if row.area == area), None)

    def export_columns(self) -> list[Heading]:
        """Every value has its own demo flag (``<column>_is_demo``, ``status_is_demo``): in a row with a sourced
        and a demo figure, the reader can tell which is which. ``is_demo`` says whether any value of the row is."""
        columns = [Heading("code", _("CBS code")), Heading("name", _("name"))]
        for column in self.columns:
            columns += [
                Heading(column.key, column.label),
                Heading(f"{column.key}_is_demo", format_lazy("{} ({})", column.label, DEMO_MARKER)),
            ]
        if self.has_status:
            status = _("status")
            choices = {status.value: label for status, label in STATUS_LABELS.items()}
            columns += [
                Heading("status", status, MappingProxyType(choices)),
                Heading("status_is_demo", format_lazy("{} ({})", status, DEMO_MARKER)),
            ]
        return [*columns, Heading("is_demo", _("demo data in this row")), Heading("sources", _("sources"))]

    def export_rows(self) -> list[dict]:
        result = []
        for row in self.rows + ([self.total] if self.total else []):
            values = {
                "code": row.area.code if row.area else "",
                "name": row.area.name if row.area else str(_("Region total")),
                "status": row.status.value if row.status else "",
                "status_is_demo": row.status_is_demo,
            }
            refs = set()
            for column in self.columns:
                figure = row.cells[column.key]
                values[column.key] = _plain(figure.value, column.kind)
                values[f"{column.key}_is_demo"] = figure.known and figure.is_demo
                refs |= figure.refs
            values["is_demo"] = row.status_is_demo or any(ref.is_demo for ref in refs)
            values["sources"] = " | ".join(
                sorted(f"{ref.source} ({ref.reference_date or '?'})" for ref in refs)
            )
            result.append(values)
        return result


def _plain(value, kind: str):
    if value is None:
        return None
    if kind == "pct":
        return round(Fraction(value) * 100)
    if isinstance(value, Fraction):
        return float(value)
    return value


HOUSING_COLUMNS = [
    Column(
        "statutory",
        _("Statutory target"),
        help=_("Huisvestingswet 2014 art. 29: national number × population share, rounded up."),
    ),
    Column(
        "published",
        _("Published target"),
        help=_("As the municipality or the state published it, for the half-year or for its whole year."),
    ),
    Column("agreed", _("Agreed target"), help=_("After shifts agreed within the region (art. 29 lid 2).")),
    Column("carry_over", _("Carry-over"), help=_("Backlog (+) or lead (−) from earlier half-years.")),
    Column("corrected", _("Corrected target"), help=_("Carry-over plus this half-year's target.")),
    Column("housed", _("Housed so far")),
    Column("remaining", _("Still to house")),
    Column(
        "norm_share",
        PRO_RATA_LABEL,
        "pct",
        help=_("Housed as a share of 1/6 of the corrected target per month."),
    ),
    Column("missed", _("Half-years missed in a row")),
]


def _housing_cells(row: HousingRow) -> dict[str, Figure]:
    return {column.key: getattr(row, column.key) for column in HOUSING_COLUMNS}


def housing_table(ledger: HousingLedger, half_year: HalfYear) -> Table:
    rows = [Row(r.municipality, _housing_cells(r), r.status, r.basis) for r in ledger.rows(half_year)]
    total_row = _housing_total(rows, ledger, half_year, ledger.thresholds)
    # The published targets' column shows only for a half-year that has one (most have none).
    columns = [
        column
        for column in HOUSING_COLUMNS
        if column.key != "published" or any(row.cells["published"].known for row in rows)
    ]
    return Table(_("Housing status holders"), columns, rows, total_row)


def _housing_total(
    rows: list[Row], ledger: HousingLedger, half_year: HalfYear, limits: Thresholds, area: Area | None = None
) -> Row:
    """The rows added up, with the status of the sum (against ``limits``)."""
    cells = {
        key: total([row.cells[key] for row in rows])
        for key in ("statutory", "carry_over", "corrected", "housed", "remaining")
    }
    cells["agreed"] = total([row.cells["agreed"] for row in rows])
    # Published targets may cover a half-year or a whole year: their sum would add unlike periods.
    cells["published"] = Figure.unknown()
    cells["missed"] = Figure.unknown()
    months = half_year.months_elapsed(ledger.position_date(half_year))
    base = (
        cells["corrected"]
        if cells["corrected"].known
        else total(
            [row.cells["agreed"] if row.cells["agreed"].known else row.cells["statutory"] for row in rows]
        )
    )
    status = None
    cells["norm_share"] = Figure.unknown()
    if base.known and cells["housed"].known:
        norm = pro_rata_norm(base.value, months, limits)
        if norm:
            cells["norm_share"] = combine(Fraction(cells["housed"].value) / norm, base, cells["housed"])
        status = schedule_status(cells["housed"].value, base.value, months, limits)
    return Row(area, cells, status, combine(None, base, cells["housed"]))


def housing_by_region(ledger: HousingLedger, table: Table, half_year: HalfYear) -> Table:
    """A province's or the nation's municipalities added up per region: the regions' rows add up to the same total
    as the municipalities' (each judged by its region's thresholds)."""
    regions: dict[int, tuple[Area, list[Row]]] = {}
    for row in table.rows:
        region = row.area.parent
        regions.setdefault(region.pk, (region, []))[1].append(row)
    rows = [
        _housing_total(
            part, ledger, half_year, ledger.region_thresholds.get(region.pk, ledger.thresholds), region
        )
        for region, part in sorted(regions.values(), key=lambda item: item[0].name)
    ]
    return Table(_("Housing status holders per region"), table.columns, rows, table.total, first=_("Region"))


def minors_housing_table(ledger: HousingLedger, half_year: HalfYear) -> Table:
    columns = [
        Column("housed", _("Status holders housed")),
        Column("housed_minors", _("of whom unaccompanied minors")),
    ]
    until = ledger.position_date(half_year)
    rows = []
    for municipality in ledger.municipalities:
        housed, minors = ledger.housed(municipality, half_year, until)
        rows.append(Row(municipality, {"housed": housed, "housed_minors": minors}))
    cells = {column.key: total([row.cells[column.key] for row in rows]) for column in columns}
    return Table(_("Housing of unaccompanied minors"), columns, rows, Row(None, cells), has_status=False)


RECEPTION_COLUMNS = {
    "asylum": [
        Column("task", _("Task (Spreidingswet)")),
        Column("capacity", _("Places in use")),
        Column("occupancy", _("Occupancy")),
        Column("share", SHARE_OF_TASK_LABEL, "pct"),
        Column("extra", _("of which places for minors")),
    ],
    "minors": [
        Column("task", _("Places for minors (share of the task)")),
        Column("capacity", _("Small-scale places for minors")),
        Column("occupancy", _("Occupancy")),
        Column("share", SHARE_OF_TASK_LABEL, "pct"),
    ],
    "ukraine": [
        Column("capacity", _("Municipal places (GOO)")),
        Column("occupancy", _("Occupancy")),
        Column("extra", _("Third-country nationals in reception")),
    ],
}

RECEPTION_TITLES = {
    "asylum": _("Reception of asylum seekers"),
    "minors": _("Reception of unaccompanied minors"),
    "ukraine": _("Municipal reception of displaced Ukrainians"),
}


def reception_table(ledger: ReceptionLedger, kind: str) -> Table:
    columns = RECEPTION_COLUMNS[kind]
    source_rows = {
        "asylum": ledger.asylum_rows,
        "minors": ledger.minors_rows,
        "ukraine": ledger.ukraine_rows,
    }[kind]()
    rows = [
        Row(
            r.municipality,
            {c.key: getattr(r, c.key) for c in columns},
            r.status if kind != "ukraine" else None,
            r.share,
        )
        for r in source_rows
    ]
    cells = {column.key: total([row.cells[column.key] for row in rows]) for column in columns}
    status = None
    notes = []
    if kind == "ukraine":
        task = ledger.task(ledger.region.code, Programme.UKRAINE, ReceptionTask.Measure.REGIONAL_TASK)
        cells["task"] = task
        # The total row carries the region's task; a municipality's row its agreed places, where adopted.
        columns = [Column("task", _("Task")), *columns, Column("share", SHARE_OF_TASK_LABEL, "pct")]
        for row, source in zip(rows, source_rows, strict=True):
            row.cells["task"] = source.task
            row.cells["share"] = source.share
        cells["share"] = Figure.unknown()
        if task.known and cells["capacity"].known and task.value:
            cells["share"] = combine(
                Fraction(cells["capacity"].value) / Fraction(task.value), task, cells["capacity"]
            )
            status = _share_status(cells["share"].value, ledger.thresholds)
    elif kind == "asylum":
        province = ledger.region.province
        if province:
            notes.append(
                (
                    _("Provincial task"),
                    ledger.task(province.code, Programme.ASYLUM, ReceptionTask.Measure.PROVINCE_TASK),
                )
            )
    table = Table(
        RECEPTION_TITLES[kind],
        columns,
        rows,
        Row(None, cells, status, cells.get("share", Figure.unknown())),
        has_status=kind != "ukraine",
    )
    table.notes = notes
    return table


def _share_status(share: Fraction, limits: Thresholds) -> ScheduleStatus:
    if share >= limits.behind_below:
        return ScheduleStatus.ON_SCHEDULE
    if share >= limits.far_behind_below:
        return ScheduleStatus.BEHIND
    return ScheduleStatus.FAR_BEHIND


def tiles(municipalities: list[Area], table: Table | None) -> dict:
    """The tile map: one tile per municipality on its grid position, with the status of its row."""
    cells = tile_cells(municipalities)
    items = []
    for municipality in municipalities:
        row = table.row_for(municipality) if table else None
        items.append(
            {
                "area": municipality,
                "row": cells[municipality.code][0],
                "column": cells[municipality.code][1],
                "status": row.status if row else None,
                "label": STATUS_LABELS.get(row.status, "") if row else "",
                "is_demo": row.status_is_demo if row else False,
            }
        )
    return {
        "items": items,
        "rows": max((item["row"] for item in items), default=0),
        "columns": max((item["column"] for item in items), default=0),
        "legend": list(STATUS_LABELS.items()),
        "of_regions": any(area.kind == Area.Kind.REGION for area in municipalities),
    }


def readable(monitor: dict) -> dict:
    """A housing table kept as keys and codes (a meeting's snapshot: ``export_columns``/``export_rows`` by key) as
    people read it, in the active language: headers as labels, statuses and yes/no as words."""
    headings = {heading.key: heading for heading in Table("", HOUSING_COLUMNS, []).export_columns()}
    keys = list(monitor.get("columns", []))
    known = [key for key in keys if key in headings]
    return {
        "headers": [headings[key].header(False) for key in known],
        "rows": [
            [headings[key].value(row.get(key), False) for key in known] for row in monitor.get("rows", [])
        ],
    }


def history_chart(history: list[tuple[HalfYear, HousingRow]]) -> dict:
    """A municipality's target (corrected where known) and housed per half-year, as bars."""
    return trend_chart(
        [
            (half_year, row.corrected if row.corrected.known else row.target, row.housed)
            for half_year, row in history
        ]
    )


# How many half-years the overview's trend shows, ending with the one on the page: two years, as in the monitor report.
TREND_HALF_YEARS = 4


def region_trend(ledger: HousingLedger, until: HalfYear) -> list[tuple[HalfYear, Row]]:
    """The region's total row of the last ``TREND_HALF_YEARS`` half-years with a national number up to ``until``,
    oldest first."""
    half_years = [half_year for half_year in ledger.half_years() if half_year <= until][-TREND_HALF_YEARS:]
    return [(half_year, housing_table(ledger, half_year).total) for half_year in half_years]


def region_trend_chart(trend: list[tuple[HalfYear, Row]]) -> dict:
    """The region's corrected target (its statutory one where a carry-over is unknown) and housed, as bars."""
    points = []
    for half_year, row in trend:
        corrected = row.cells["corrected"]
        points.append(
            (half_year, corrected if corrected.known else row.cells["statutory"], row.cells["housed"])
        )
    return trend_chart(points)


def trend_chart(points: list[tuple[HalfYear, Figure, Figure]]) -> dict:
    """Bars of target and housed per half-year, scaled for an SVG of fixed height (the page prints the same
    figures in a table beside it)."""
    height = 200
    bars = [
        {"half_year": half_year, "target": target, "housed": housed} for half_year, target, housed in points
    ]
    peak = max(
        [b["target"].value for b in bars if b["target"].known and b["target"].value > 0]
        + [b["housed"].value for b in bars if b["housed"].known]
        + [1]
    )
    for index, bar in enumerate(bars):
        bar["x"] = 50 + index * 90
        for key in ("target", "housed"):
            figure = bar[key]
            value = max(figure.value, 0) if figure.known else 0
            bar[f"{key}_height"] = round(value * height / peak)
            bar[f"{key}_y"] = 20 + height - bar[f"{key}_height"]
    return {
        "bars": bars,
        "width": 60 + len(bars) * 90,
        "height": height + 60,
        "baseline": 20 + height,
        "peak": peak,
        # The legend names a demo colour only where a bar has it.
        "demo_target": any(bar["target"].is_demo for bar in bars),
        "demo_housed": any(bar["housed"].is_demo for bar in bars),
    }
