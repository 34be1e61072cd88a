"""Every CSV and XLSX a user downloads reads in Dutch (issue 25): headers are labels, not keys, and no cell holds a
code where a word belongs (a status, a kind, true/false, a model's label). The same file ``?variant=systeem`` keeps
the stable keys and codes for systems, and a workbook names every column's key on a sheet of its own.

The list below is checked against the URL configuration: a new download route fails the test until it is listed
here (or exempted with its reason)."""

import csv
import io
import re

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from regietafel.core.specs import all_specs
from regietafel.core.tables import read_table
from regietafel.distribution.dataset import seed_first_cycle
from regietafel.imports import services
from regietafel.monitor.views import EXPORT_NAMES

# Routes that download a file, but not a table a user reads in their language, and why.
NOT_TABLES = {
    "conditions:export": "a Word document",
    "reports:job_download": "a generated report (PDF, Word)",
    "publication:opendata_file": "open data for systems: its columns are the documented schema at /opendata/",
}

# Words that read the same in Dutch and English.
SAME_IN_BOTH = {"Status", "Factor", "Code", "Demo", "Type", "Thema", "CBS-code"}

CODE_LIKE = re.compile(r"^[a-z][a-z0-9]*([_.][a-z0-9]+)+$")


def _routes(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = (
                f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            )
            yield from _routes(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, str(pattern.pattern)


def _is_download(route: str) -> bool:
    return "file_format" in route or "export" in route or route.endswith(".csv") or "bestand" in route


def downloads() -> list[tuple[str, str, dict]]:
    """(what, url, query) for every table download, in CSV and XLSX where the route offers both."""
    scenario = seed_first_cycle()
    found = []
    for file_format in ("csv", "xlsx"):
        for spec in all_specs():
            for name in ("imports:template", "imports:export"):
                found.append((f"{name} {spec.key}", reverse(name, args=[spec.key, file_format])))
        found.append(("persons:export", reverse("persons:export", args=[file_format])))
        found.append(
            ("organisations:matrix_export", reverse("organisations:matrix_export", args=[file_format]))
        )
        found.append(("distribution:export", reverse("distribution:export", args=[scenario.pk, file_format])))
        found.append(
            ("monitor:export huisvesting", reverse("monitor:export", args=["huisvesting", file_format]))
        )
        found.append(("meetings:signal_export", reverse("meetings:signal_export", args=[file_format])))
        for table in EXPORT_NAMES.values():
            found.append((f"monitor:export {table}", reverse("monitor:export", args=[table, file_format])))
    found.append(("access:log-export", reverse("access:log-export")))
    return found


LISTED = {
    "imports:template",
    "imports:export",
    "persons:export",
    "organisations:matrix_export",
    "distribution:export",
    "monitor:export",
    "access:log-export",
    "meetings:signal_export",
}


def test_every_download_route_is_checked_or_exempt_with_a_reason():
    routes = {name for name, route in _routes(get_resolver().url_patterns) if _is_download(route)}
    assert routes - LISTED - NOT_TABLES.keys() == set()
    assert LISTED | NOT_TABLES.keys() <= routes  # nothing listed that no longer exists


def _table(response) -> tuple[list[str], list[list], list[str]]:
    """Headers, rows and the names of the sheets (none for CSV)."""
    if response["Content-Type"].startswith("text/csv"):
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        return rows[0], rows[1:], []
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    return [str(header) for header in rows[0]], rows[1:], workbook.sheetnames


@pytest.mark.django_db
def test_every_table_a_user_downloads_has_dutch_headers_and_values(demo, logged_in):
    logged_in.get(reverse("persons:list"))  # a line in the processing log, for its export
    problems = {}
    with translation.override("en"):
        english = {what: logged_in.get(url, HTTP_ACCEPT_LANGUAGE="en") for what, url in downloads()}
    checked = 0
    for what, url in downloads():
        response = logged_in.get(url, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200, what
        headers, rows, sheets = _table(response)
        keys, system_rows, _sheets = _table(logged_in.get(url, {"variant": "systeem"}))
        english_headers = _table(english[what])[0]
        here = []
        for header, key, in_english in zip(headers, keys, english_headers, strict=True):
            if CODE_LIKE.match(header) or header == key and not header[0].isupper():
                here.append(f"header {header!r} is a key")
            elif header == in_english and header.removesuffix(" (demo)") not in SAME_IN_BOTH:
                here.append(f"header {header!r} is not translated")
        codes = {str(value) for row in system_rows for value in row if isinstance(value, str)}
        for row in rows:
            for header, value in zip(headers, row, strict=True):
                text = str(value) if value is not None else ""
                if text in {"true", "false", "True", "False"}:
                    here.append(f"{header}: {text!r} where ja/nee belongs")
                elif CODE_LIKE.match(text) and text in codes:
                    here.append(f"{header}: code {text!r}")
        if sheets:
            if sheets[0] in {"Tablib Dataset", "data", "Sheet1"}:
                here.append(f"sheet named {sheets[0]!r}")
            if sheets[1:] != ["Kolommen"]:
                here.append(f"no sheet that names the columns' keys: {sheets}")
        checked += bool(rows)
        if here:
            problems[what] = sorted(set(here))[:8]
    assert problems == {}
    assert checked > 20  # the demo fills most tables: the values were read, not only the headers


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_every_import_table_downloaded_in_dutch_imports_again_unchanged(dataset, logged_in, file_format):
    """The export of an import table, with Dutch headers and choice labels, is a file the import reads as it is."""
    read = 0
    for spec in all_specs():
        url = reverse("imports:export", args=[spec.key, file_format])
        dataset = read_table(
            logged_in.get(url, HTTP_ACCEPT_LANGUAGE="nl").content, f"{spec.key}.{file_format}"
        )
        if not len(dataset):
            continue
        with translation.override("nl"):
            validation = services.validate(spec, dataset)
        assert validation.errors == [], (spec.key, [str(error) for error in validation.errors[:3]])
        assert {row.action for row in validation.rows} == {"unchanged"}, spec.key
        read += 1
    assert read >= 8
