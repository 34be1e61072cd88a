"""The published figures: a region's aggregate figures for one half-year, as plain JSON.

Only aggregates per municipality and the region total, built with the monitor's own tables; nothing person-level.
Format (``"format": 1``)::

    {"format": 1, "region": {"code": "VR04", "name": "IJsselland"}, "half_year": "2025-H1",
     "position_date": "2025-07-01", "thresholds": {"behind": 90, "far_behind": 70},
     "groups": {"housing" | "asylum" | "ukraine" | "minors": {
         "rows": [{"level": "municipality", "code": "GM0148", "name": "Dalfsen", "status": "on_schedule" | null,
                   "values": {"statutory": {"value": 31 | null,
                                            "sources": [{"source": "...", "reference_date": "2024-01-01" | null,
                                                         "is_demo": false}]}, ...}}, ...],
         "total": {"level": "region", "code": "VR04", "name": "IJsselland", ...}}}}

``position_date`` is the date of the housing position (``HousingLedger.position_date``); the reception figures are
those on that date.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from regietafel.core.figures import Figure, SourceRef
from regietafel.domain.targets import HalfYear, ScheduleStatus
from regietafel.housing.ledger import HousingLedger
from regietafel.monitor import tables
from regietafel.reception.ledger import ReceptionLedger
from regietafel.regions.models import Area

FORMAT = 1

# The measures published per group: keys of the monitor's columns.
MEASURES = {
    "housing": ["statutory", "agreed", "carry_over", "corrected", "housed", "remaining"],
    "asylum": ["task", "capacity"],
    "ukraine": ["capacity", "occupancy"],
    "minors": ["task", "capacity"],
}
HAS_STATUS = {"housing": True, "asylum": True, "ukraine": False, "minors": True}
TITLES = {
    "housing": _("Housing status holders"),
    "asylum": tables.RECEPTION_TITLES["asylum"],
    "ukraine": tables.RECEPTION_TITLES["ukraine"],
    "minors": tables.RECEPTION_TITLES["minors"],
}


def _columns(group: str) -> list[tables.Column]:
    available = tables.HOUSING_COLUMNS if group == "housing" else tables.RECEPTION_COLUMNS[group]
    by_key = {column.key: column for column in available}
    return [by_key[key] for key in MEASURES[group]]


COLUMNS = {group: _columns(group) for group in MEASURES}


def build(region: Area, half_year: HalfYear, housing: HousingLedger | None = None) -> dict:
    """The snapshot of ``region``'s figures for ``half_year``, as they are now (``housing``: the region's ledger,
    when the caller has one)."""
    housing = housing or HousingLedger(region)
    on = housing.position_date(half_year)
    reception = ReceptionLedger(region, on)
    built = {"housing": tables.housing_table(housing, half_year)}
    for group in ("asylum", "ukraine", "minors"):
        built[group] = tables.reception_table(reception, group)
    return {
        "format": FORMAT,
        "region": {"code": region.code, "name": region.name},
        "half_year": str(half_year),
        "position_date": on.isoformat(),
        # The thresholds the statuses were classified with, in percent of the pro-rata norm.
        "thresholds": {
            "behind": round(housing.thresholds.behind_below * 100),
            "far_behind": round(housing.thresholds.far_behind_below * 100),
        },
        "groups": {
            group: {
                "rows": [_row(row, MEASURES[group], region) for row in table.rows],
                "total": _row(table.total, MEASURES[group], region),
            }
            for group, table in built.items()
        },
    }


def demo_figures(snapshot: dict) -> list[str]:
    """Every figure of ``snapshot`` computed from at least one demo figure, named for a person: "Zwolle: housed
    (Housing status holders)". Demo data is never published."""
    found = []
    for group, data in snapshot["groups"].items():
        labels = {column.key: column.label for column in COLUMNS[group]}
        for row in [*data["rows"], data["total"]]:
            for key, cell in row["values"].items():
                if any(source["is_demo"] for source in cell["sources"]):
                    found.append(f"{row['name']}: {labels[key]} ({TITLES[group]})")
    return found


def _row(row: tables.Row, keys: list[str], region: Area) -> dict:
    area = row.area or region
    return {
        "level": "municipality" if row.area else "region",
        "code": area.code,
        "name": area.name,
        "status": row.status.value if row.status else None,
        "values": {key: _cell(row.cells[key]) for key in keys},
    }


def _cell(figure: Figure) -> dict:
    return {
        "value": plain(figure.value),
        "sources": [
            {
                "source": ref.source,
                "reference_date": ref.reference_date.isoformat() if ref.reference_date else None,
                "is_demo": ref.is_demo,
            }
            for ref in sorted(figure.refs, key=lambda ref: (ref.is_demo, ref.source, str(ref.reference_date)))
        ],
    }


def plain(value):
    """A JSON number: whole numbers as int, anything else as float."""
    if value is None:
        return None
    if isinstance(value, Fraction | Decimal):
        return int(value) if value == int(value) else float(value)
    return value


# Reading a snapshot back ---------------------------------------------------------------------------------------


def figure(cell: dict) -> Figure:
    refs = frozenset(
        SourceRef(
            ref["source"],
            datetime.date.fromisoformat(ref["reference_date"]) if ref["reference_date"] else None,
            ref["is_demo"],
        )
        for ref in cell["sources"]
    )
    return Figure(cell["value"], refs)


@dataclass(frozen=True)
class Place:
    """A municipality or region as the snapshot names it (the area itself may have changed since)."""

    code: str
    name: str


def table(snapshot: dict, group: str) -> tables.Table:
    """One group of a snapshot as a monitor table, for the public page (footnotes, demo markers, status)."""
    data = snapshot["groups"][group]

    def row(item: dict) -> tables.Row:
        status = ScheduleStatus(item["status"]) if item["status"] else None
        cells = {key: figure(item["values"][key]) for key in MEASURES[group]}
        return tables.Row(Place(item["code"], item["name"]), cells, status)

    total = row(data["total"])
    total.area = None
    return tables.Table(
        TITLES[group],
        COLUMNS[group],
        [row(item) for item in data["rows"]],
        total,
        has_status=HAS_STATUS[group],
    )
