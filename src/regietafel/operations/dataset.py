"""The embedded IJsselland data set: public figures with their sources, in the import layouts."""

import csv
from pathlib import Path

from django.db import transaction

from regietafel.core.specs import get_spec
from regietafel.imports.services import import_file
from regietafel.indicators.dataset import ensure_domains
from regietafel.regions.models import Area

DATA_DIR = Path(__file__).resolve().parent / "data"
# Order matters: every figure cites a source of the first file (its confidence is the source's); areas come with
# the population figures, everything else refers to them.
FILES = [
    "sources",
    "populations",
    "national-targets",
    "national-outcomes",
    "reported-targets",
    "reception-tasks",
    "cycles",
    "locations",
    "third-country-nationals",
    "third-country-rules",
    "places",
    # The province's supervision ladder, in its own words; its thresholds are not published, so none is set.
    "supervision-steps",
    # What the state pays: the BOOO normbedrag per place per day and the Spreidingswet's incentives per place.
    "rates",
    # The starting set of indicators beyond counts: definitions only, no norms without a source, no thresholds.
    "indicators",
]


def load_dataset() -> dict[str, dict[str, int]]:
    """Load (or refresh) every file of the data set in one transaction; returns the counts per file."""
    results = {}
    with transaction.atomic():
        ensure_domains()
        for name in FILES:
            results[name] = import_file(get_spec(name), DATA_DIR / f"{name}.csv")
        with open(DATA_DIR / "tiles.csv", newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                Area.objects.filter(code=row["code"]).update(
                    tile_row=int(row["tile_row"]), tile_column=int(row["tile_column"])
                )
    return results
