"""Import files as people send them: any column order, CSV with any delimiter and encoding, or a workbook."""

import csv
import io

import openpyxl
from hypothesis import strategies as st


@st.composite
def encoded(draw, header: list[str], rows: list[list]) -> tuple[bytes, str]:
    """The rows under the header as file bytes and a file name: CSV (comma, semicolon or tab; UTF-8 with or
    without BOM, UTF-16, Windows-1252) or a workbook."""
    file_format = draw(st.sampled_from(["csv-utf8", "csv-bom", "csv-utf16", "csv-cp1252", "xlsx"]))
    if file_format == "xlsx":
        workbook = openpyxl.Workbook()
        for row in [header, *rows]:
            workbook.active.append([_workbook_cell(value) for value in row])
        buffer = io.BytesIO()
        workbook.save(buffer)
        return buffer.getvalue(), "upload.xlsx"
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=draw(st.sampled_from([",", ";", "\t"])))
    for row in [header, *rows]:
        writer.writerow([_text(value) for value in row])
    text = buffer.getvalue()
    encoding = {"csv-utf8": "utf-8", "csv-bom": "utf-8-sig", "csv-utf16": "utf-16", "csv-cp1252": "cp1252"}
    return text.encode(encoding[file_format], errors="replace"), "upload.csv"


def _text(value) -> str:
    if value is None:
        return ""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def _workbook_cell(value):
    if isinstance(value, str):
        # Workbooks cannot hold control characters; a number looks like a number, as Excel stores it.
        value = "".join(ch for ch in value if ch >= " " or ch in "\t\n")
        try:
            return int(value) if value.strip().lstrip("-").isdigit() and len(value) < 15 else value
        except ValueError:
            return value
    return value
