"""Reading and writing tables (CSV and XLSX) with tablib; nothing here knows what the rows mean."""

import codecs
import csv
import io
import re
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType

import openpyxl
import tablib
from django.conf import settings
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


# A spreadsheet program runs a cell that starts with one of these as a formula ("CSV injection": a text field
# holding =HYPERLINK(...) would run on the computer of whoever opens the export). Exports keep such text text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+([.,]\d+)?")


class TableError(ValueError):
    """The file cannot be read as a table at all."""


def check_size(size: int) -> None:
    if size > settings.IMPORT_MAX_BYTES:
        raise TableError(
            _("The file is %(size)s MB; an import file may be at most %(max)s MB.")
            % {"size": -(-size // (1024 * 1024)), "max": settings.IMPORT_MAX_BYTES // (1024 * 1024)}
        )


def read_table(content: bytes, filename: str) -> tablib.Dataset:
    """Read CSV (comma or semicolon, UTF-8 with or without BOM, or Windows-1252) or XLSX into a Dataset.

    Rows are read one at a time, and reading stops at the first data row past ``IMPORT_MAX_ROWS``: a file that is
    too long is refused without holding all of it in memory."""
    check_size(len(content))
    name = filename.lower()
    if name.endswith(".xlsx"):
        _check_workbook_size(content)
        try:
            workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
            try:
                dataset = _dataset(workbook.active.iter_rows(values_only=True), skip_empty=False)
            finally:
                workbook.close()
        except TableError:
            raise
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
            # The quote write_table puts before formula-like text is undone, so an export imports again unchanged.
            rows = csv.reader(io.StringIO(text), delimiter=delimiter)
            dataset = _dataset(([_unquote(value) for value in row] for row in rows), skip_empty=True)
        except TableError:
            raise
        except Exception as exc:
            raise TableError(_("The file is not a readable CSV file: %(error)s") % {"error": exc}) from exc
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))
    if not dataset.headers:
        raise TableError(_("The file has no header row."))
    dataset.headers = [str(header or "").strip() for header in dataset.headers]
    return dataset


def _dataset(rows: Iterable[Sequence], *, skip_empty: bool) -> tablib.Dataset:
    """The first row as headers and the rest as data, as tablib loads them (short rows filled out; for CSV, empty
    lines left out), refused as soon as it holds more than ``IMPORT_MAX_ROWS`` rows with a value."""
    dataset = tablib.Dataset()
    filled = 0
    for index, row in enumerate(rows):
        values = list(row)
        if index == 0:
            dataset.headers = values
            continue
        if skip_empty and not values:
            continue
        if any(value not in (None, "") for value in values):
            filled += 1
            if filled > settings.IMPORT_MAX_ROWS:
                raise TableError(
                    _("The file has more than %(max)s rows; split it into smaller files.")
                    % {"max": settings.IMPORT_MAX_ROWS}
                )
        if len(values) < dataset.width:
            values += [""] * (dataset.width - len(values))
        dataset.append(values)
    return dataset


def _unquote(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


# A workbook is a zip file: what it unpacks to is checked before it is opened, so that a small upload cannot unpack
# to gigabytes (a "zip bomb"). A real workbook of 100,000 rows (2.4 MB) unpacks to 30 MB, about twelve
# times its size.
WORKBOOK_MAX_UNPACKED = 200 * 1024 * 1024
WORKBOOK_MAX_RATIO = 50


def _check_workbook_size(content: bytes) -> None:
    try:
        members = zipfile.ZipFile(io.BytesIO(content)).infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TableError(_("The file is not a readable Excel workbook (.xlsx).")) from exc
    unpacked = sum(member.file_size for member in members)
    if unpacked > WORKBOOK_MAX_UNPACKED or unpacked > WORKBOOK_MAX_RATIO * max(len(content), 1024 * 1024):
        raise TableError(
            _(
                "The workbook unpacks to %(size)s MB, more than an import file can hold; save it again in Excel."
            )
            % {"size": unpacked // (1024 * 1024)}
        )


def _decode(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with its BOM (Excel's "Unicode text"), or Windows-1252."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return content.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise TableError(_("The file says it is UTF-16 text but is not.")) from exc
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        # Excel on Windows still saves "CSV" in this code page.
        return content.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise TableError(
            _("The file is not text in a known encoding (UTF-8 or Windows-1252): byte %(position)s.")
            % {"position": exc.start + 1}
        ) from exc


@dataclass(frozen=True)
class Heading:
    """A column of a table a user downloads: the key systems read, the label people read, and what its coded
    values (a status, a kind) read as."""

    key: str
    label: Promise | str | None  # None: a column of a file for programs, headed by its key
    choices: Mapping[str, Promise | str] = field(default_factory=lambda: MappingProxyType({}))

    def header(self, for_systems: bool) -> str:
        return self.key if for_systems or self.label is None else capfirst(str(self.label))

    def value(self, value, for_systems: bool):
        if for_systems or self.label is None:
            return value
        if isinstance(value, bool):
            return str(YES if value else NO)
        if isinstance(value, str) and value in self.choices:
            return str(self.choices[value])
        return value


YES = gettext_lazy("yes")
NO = gettext_lazy("no")
# The sheet that names every column's key, for whoever points a system at the file.
KEYS_SHEET = gettext_lazy("Columns")


def write_table(
    columns: Sequence[Heading | str],
    rows: Iterable[dict],
    file_format: str,
    *,
    title: str = "",
    for_systems=False,
) -> bytes:
    """CSV or XLSX, with headers and coded values as people read them (in the active language), or, for systems,
    the columns' keys and codes. A column given as a bare key is written as its key (a file for a program). A
    workbook's sheet is named ``title``; a second sheet lists each column's key. Text that a spreadsheet would run
    as a formula stays text (see FORMULA_START)."""
    columns = [column if isinstance(column, Heading) else Heading(column, None) for column in columns]
    dataset = tablib.Dataset(headers=[column.header(for_systems) for column in columns])
    dataset.title = _sheet_name(title or _("Table"))
    formulas = False
    for row in rows:
        cells = [_cell(column.value(row.get(column.key), for_systems)) for column in columns]
        if file_format == "csv":
            cells = [_quote(cell) for cell in cells]
        elif file_format == "xlsx":
            formulas = formulas or any(isinstance(cell, str) and cell.startswith("=") for cell in cells)
        dataset.append(cells)
    if file_format == "xlsx" and not for_systems:
        keys = tablib.Dataset(
            headers=[_("Column"), _("Key (for systems)")], title=_sheet_name(str(KEYS_SHEET))
        )
        for column in columns:
            keys.append([column.header(False), column.key])
        exported = tablib.Databook([dataset, keys]).export("xlsx")
    else:
        exported = dataset.export(file_format)
    if formulas:
        exported = _formulas_as_text(exported)
    return exported.encode("utf-8") if isinstance(exported, str) else exported


def _sheet_name(title: str) -> str:
    """Excel allows 31 characters and none of []:*?/\\ in a sheet's name."""
    return re.sub(r"[\[\]:*?/\\]", "-", title)[:31]


def _quote(value):
    """CSV has no cell types: a quote in front makes a spreadsheet read formula-like text as text."""
    formula_like = isinstance(value, str) and len(value) > 1 and value.startswith(FORMULA_START)
    return "'" + value if formula_like and not _PLAIN_NUMBER.fullmatch(value) else value


def _formulas_as_text(workbook_bytes: bytes) -> bytes:
    """openpyxl stores text starting with "=" as a formula; store those cells as the text they are."""
    workbook = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value):
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        # 96000 and 0.085, not 96000.0000 and 0.0850.
        return int(value) if value == value.to_integral_value() else float(value)
    return value
