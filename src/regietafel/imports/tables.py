"""Reading and writing tables (CSV and XLSX) with tablib; nothing here knows what the rows mean."""

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

import tablib
from django.utils.translation import gettext as _

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class TableError(ValueError):
    """The file cannot be read as a table at all."""


def read_table(content: bytes, filename: str) -> tablib.Dataset:
    """Read CSV (comma or semicolon, UTF-8 with or without BOM, or Windows-1252) or XLSX into a Dataset."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            dataset = tablib.Dataset().load(io.BytesIO(content), format="xlsx")
        except Exception as exc:  # openpyxl raises many types for a broken workbook
            raise TableError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    elif name.endswith((".csv", ".txt")):
        text = _decode(content)
        if not text.strip():
            raise TableError(_("The file is empty."))
        try:
            delimiter = csv.Sniffer().sniff(text.splitlines()[0], delimiters=",;\t").delimiter
        except csv.Error:
            delimiter = ","
        try:
            dataset = tablib.Dataset().load(text, format="csv", delimiter=delimiter)
        except Exception as exc:
            raise TableError(_("The file is not a readable CSV file: %(error)s") % {"error": exc}) from exc
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    if not dataset.headers:
        raise TableError(_("The file has no header row."))
    dataset.headers = [str(header or "").strip() for header in dataset.headers]
    return dataset


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows still saves "CSV" in this code page.
        return content.decode("cp1252")


def write_table(columns: Sequence[str], rows: Iterable[dict], file_format: str) -> bytes:
    dataset = tablib.Dataset(headers=list(columns))
    for row in rows:
        dataset.append([_cell(row.get(column)) for column in columns])
    exported = dataset.export(file_format)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # 96000 and 0.085, not 96000.0000 and 0.0850.
        return int(value) if value == value.to_integral_value() else float(value)
    return value
