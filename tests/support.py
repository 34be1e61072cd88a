"""Constants and helpers shared by more than one test module: `from tests.support import ...`."""

import csv
import datetime
import io

import openpyxl

from regietafel.housing.models import (
    HousingRealisation,
    NationalOutcome,
    NationalTarget,
    OpeningBalance,
    ReportedTarget,
)
from regietafel.reception.models import Location, ReceptionTask, ThirdCountryNationalCount
from regietafel.regions.models import Area, PopulationFigure

# The eleven municipalities of the region IJsselland (VR04), in alphabetical order.
IJSSELLAND = [
    "Dalfsen",
    "Deventer",
    "Hardenberg",
    "Kampen",
    "Olst-Wijhe",
    "Ommen",
    "Raalte",
    "Staphorst",
    "Steenwijkerland",
    "Zwartewaterland",
    "Zwolle",
]

# Every table an import can write to.
DATA_MODELS = [
    Area,
    PopulationFigure,
    NationalTarget,
    NationalOutcome,
    ReportedTarget,
    OpeningBalance,
    HousingRealisation,
    ReceptionTask,
    Location,
    ThirdCountryNationalCount,
]


def snapshot() -> dict[str, list[dict]]:
    """Every data row, field by field: equal snapshots mean nothing was written."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in DATA_MODELS}


# The columns of the import files, in the order of their specs.
POPULATION_HEADER = [
    "code",
    "name",
    "province_code",
    "region_code",
    "region_name",
    "reference_date",
    "population",
    "source",
    "confidence",
]
REALISATION_HEADER = [
    "municipality_code",
    "month",
    "housed",
    "housed_minors",
    "reference_date",
    "source",
    "confidence",
]
LOCATION_HEADER = [
    "municipality_code",
    "name",
    "kind",
    "capacity",
    "occupancy",
    "start_date",
    "end_date",
    "reference_date",
    "source",
    "confidence",
]
NATIONAL_HEADER = [
    "half_year",
    "revision",
    "headline",
    "distributed",
    "note",
    "reference_date",
    "source",
    "confidence",
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_bytes(header, rows, delimiter=",", encoding="utf-8") -> bytes:
    """A CSV file: None as an empty cell, dates as ISO dates."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    """A workbook with native cell types: dates as dates, numbers as numbers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Every page of the monitor a logged-in user can open (views and accessibility are tested on each).
MONITOR_PAGES = [
    "/",
    "/?halfjaar=2025-H1",
    "/asielopvang/",
    "/oekraine/",
    "/amv/",
    "/landelijk/",
    "/gemeente/GM0177/",
    "/afspraken/2025-H2/",
    "/import/",
]
