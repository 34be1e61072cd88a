"""Open data: the current publications as CSV and JSON, described by one column definition.

The same ``OpenColumn`` lists write the files and the documentation page (``/opendata/``), so the two cannot
drift apart. Only current, non-withdrawn publications are in the files: the figures as they were published.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from regietafel.publication.models import Publication

LICENCE = {"name": "CC0 1.0 Universal", "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.nl"}

Items = dict[str, dict]  # the row of each group of a dataset, for one municipality or the region total


@dataclass(frozen=True)
class OpenColumn:
    name: str
    type: str  # string, integer, boolean, date or datetime (ISO 8601)
    description: Promise
    read: Callable[[Publication, Items], Any]


@dataclass(frozen=True)
class Dataset:
    name: str  # the file name: /opendata/v1/<name>.csv
    title: Promise
    description: Promise
    groups: tuple[str, ...]
    columns: tuple[OpenColumn, ...]


def _first(items: Items) -> dict:
    return next(iter(items.values()))


def _measure(group: str, key: str) -> Callable[[Publication, Items], Any]:
    return lambda _publication, items: items[group]["values"][key]["value"]


def _status(group: str) -> Callable[[Publication, Items], Any]:
    return lambda _publication, items: items[group]["status"] or ""


def _sources(items: Items) -> list[dict]:
    found = {}
    for item in items.values():
        for cell in item["values"].values():
            for ref in cell["sources"]:
                found[(ref["source"], ref["reference_date"] or "", ref["is_demo"])] = ref
    return [found[key] for key in sorted(found)]


def _published_at(publication: Publication, _items: Items) -> str:
    return timezone.localtime(publication.published_at).isoformat(timespec="seconds")


STATUS_MEANING = _(
    "on_schedule, behind or far_behind: the figure against the pro-rata norm (1/6 of the target per month); "
    "empty when a figure is missing."
)

FIRST_COLUMNS = (
    OpenColumn(
        "region_code",
        "string",
        _("Code of the region (safety region, as CBS codes it, e.g. VR04)."),
        lambda p, _items: p.snapshot["region"]["code"],
    ),
    OpenColumn(
        "region_name", "string", _("Name of the region."), lambda p, _items: p.snapshot["region"]["name"]
    ),
    OpenColumn(
        "half_year",
        "string",
        _("The half-year: YYYY-H1 (January to June) or YYYY-H2 (July to December)."),
        lambda p, _items: p.snapshot["half_year"],
    ),
    OpenColumn(
        "position_date",
        "date",
        _(
            "Reference date of the figures: the housing position on this date (COA reports on the first of "
            "each month); reception figures are those on this date."
        ),
        lambda p, _items: p.snapshot["position_date"],
    ),
    OpenColumn(
        "level",
        "string",
        _("municipality for a municipality's figures, region for the region total."),
        lambda _p, items: _first(items)["level"],
    ),
    OpenColumn(
        "municipality_code",
        "string",
        _("CBS code of the municipality (GMxxxx); empty for the region total."),
        lambda _p, items: _first(items)["code"] if _first(items)["level"] == "municipality" else "",
    ),
    OpenColumn(
        "municipality_name",
        "string",
        _("Name of the municipality; empty for the region total."),
        lambda _p, items: _first(items)["name"] if _first(items)["level"] == "municipality" else "",
    ),
)

LAST_COLUMNS = (
    OpenColumn(
        "is_demo",
        "boolean",
        _("true when a figure in this row is generated demo data: not a real figure."),
        lambda _p, items: any(ref["is_demo"] for ref in _sources(items)),
    ),
    OpenColumn(
        "sources",
        "string",
        _("The sources of the figures in this row, each with its reference date, separated by |."),
        lambda _p, items: " | ".join(
            f"{ref['source']} ({ref['reference_date'] or '?'})" for ref in _sources(items)
        ),
    ),
    OpenColumn(
        "published_at",
        "datetime",
        _("When the program team published these figures (ISO 8601, with time zone)."),
        _published_at,
    ),
    OpenColumn(
        "version",
        "integer",
        _(
            "Version of the publication of this region and half-year; a new version replaces the previous one."
        ),
        lambda p, _items: p.version,
    ),
)

HOUSING = Dataset(
    "huisvesting",
    _("Housing status holders"),
    _(
        "Per municipality and for the region: the half-year's target for housing status holders, the carry-over "
        "from earlier half-years, how many were housed and how many still have to be housed."
    ),
    ("housing",),
    (
        *FIRST_COLUMNS,
        OpenColumn(
            "statutory",
            "integer",
            _(
                "Statutory target: the national number times the municipality's share of the national "
                "population, rounded up (Huisvestingswet 2014 art. 29 lid 1)."
            ),
            _measure("housing", "statutory"),
        ),
        OpenColumn(
            "agreed",
            "integer",
            _(
                "Target after shifts agreed between the region's municipalities (art. 29 lid 2); empty if none."
            ),
            _measure("housing", "agreed"),
        ),
        OpenColumn(
            "carry_over",
            "integer",
            _("Backlog (positive) or lead (negative) from earlier half-years."),
            _measure("housing", "carry_over"),
        ),
        OpenColumn(
            "corrected",
            "integer",
            _("Corrected target: the carry-over plus this half-year's target."),
            _measure("housing", "corrected"),
        ),
        OpenColumn(
            "housed",
            "integer",
            _("Status holders housed in this half-year up to the reference date."),
            _measure("housing", "housed"),
        ),
        OpenColumn(
            "remaining",
            "integer",
            _("Still to house: the corrected target minus those housed."),
            _measure("housing", "remaining"),
        ),
        OpenColumn("status", "string", STATUS_MEANING, _status("housing")),
        *LAST_COLUMNS,
    ),
)

RECEPTION = Dataset(
    "opvang",
    _("Reception"),
    _(
        "Per municipality and for the region on the reference date: asylum reception against the Spreidingswet "
        "task (the agreed number where the steering table adopted a distribution, else the indicative number), "
        "municipal reception of displaced Ukrainians (GOO) and reception of unaccompanied "
        "minors (AMV)."
    ),
    ("asylum", "ukraine", "minors"),
    (
        *FIRST_COLUMNS,
        OpenColumn(
            "asylum_task",
            "integer",
            _(
                "Asylum reception places the municipality is to offer under the Spreidingswet: the number the "
                "steering table agreed where it adopted a distribution, else the state's indicative number."
            ),
            _measure("asylum", "task"),
        ),
        OpenColumn(
            "asylum_places_in_use",
            "integer",
            _("Asylum reception places in use on the reference date."),
            _measure("asylum", "capacity"),
        ),
        OpenColumn("asylum_status", "string", STATUS_MEANING, _status("asylum")),
        OpenColumn(
            "ukraine_places",
            "integer",
            _("Places in municipal reception of displaced Ukrainians (GOO)."),
            _measure("ukraine", "capacity"),
        ),
        OpenColumn(
            "ukraine_occupancy",
            "integer",
            _("Displaced Ukrainians living in those places."),
            _measure("ukraine", "occupancy"),
        ),
        OpenColumn(
            "minors_task",
            "integer",
            _(
                "Places for unaccompanied minors: the agreed number, else their share of the indicative number."
            ),
            _measure("minors", "task"),
        ),
        OpenColumn(
            "minors_places",
            "integer",
            _("Small-scale reception places for unaccompanied minors."),
            _measure("minors", "capacity"),
        ),
        OpenColumn("minors_status", "string", STATUS_MEANING, _status("minors")),
        *LAST_COLUMNS,
    ),
)

DATASETS = {dataset.name: dataset for dataset in (HOUSING, RECEPTION)}


def publications():
    return Publication.objects.current().select_related("region").order_by("region__code", "half_year")


def records(dataset: Dataset, published=None) -> list[dict]:
    """One record per municipality and one for the region total, for every current publication."""
    result = []
    for publication in publications() if published is None else published:
        groups = publication.snapshot["groups"]
        by_code = {
            group: {item["code"]: item for item in [*groups[group]["rows"], groups[group]["total"]]}
            for group in dataset.groups
        }
        for code in by_code[dataset.groups[0]]:
            items = {group: by_code[group][code] for group in dataset.groups}
            result.append({column.name: column.read(publication, items) for column in dataset.columns})
    return result


def document(dataset: Dataset, documentation_url: str) -> dict:
    """The JSON file: metadata, the column documentation and the records."""
    published = list(publications())
    updated = max((publication.published_at for publication in published), default=None)
    return {
        "title": str(dataset.title),
        "description": str(dataset.description),
        "licence": LICENCE,
        "documentation": documentation_url,
        "generated_at": timezone.localtime().isoformat(timespec="seconds"),
        "updated_at": timezone.localtime(updated).isoformat(timespec="seconds") if updated else None,
        "columns": [
            {"name": column.name, "type": column.type, "description": str(column.description)}
            for column in dataset.columns
        ],
        "records": records(dataset, published),
    }
