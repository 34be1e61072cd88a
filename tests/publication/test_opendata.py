"""Open data: current publications only, one column definition for the files and their documentation."""

import csv
import datetime
import html
import io
import json
from pathlib import Path

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from regietafel.domain.targets import HalfYear
from regietafel.publication import services
from regietafel.publication.opendata import DATASETS, HOUSING, RECEPTION
from tests.publication.conftest import PUBLISHED, housed

CLIENT = {"HTTP_ACCEPT_LANGUAGE": "en"}


def _csv(name: str) -> list[dict]:
    response = Client(**CLIENT).get(reverse("publication:opendata_file", args=[name, "csv"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.splitlines()[0].split(",") == [column.name for column in DATASETS[name].columns]
    return list(csv.DictReader(io.StringIO(text)))


def _json(name: str) -> dict:
    response = Client(**CLIENT).get(reverse("publication:opendata_file", args=[name, "json"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content.decode("utf-8"))


def test_the_files_hold_the_current_publications_only(region, user, locked):
    locked(PUBLISHED)
    services.publish(user, region, PUBLISHED)
    housed("GM0177", datetime.date(2025, 2, 1), 5, user=user)
    current = services.publish(user, region, PUBLISHED)
    withdrawn = services.publish(user, region, locked(HalfYear(2025, 2)))
    services.withdraw(user, withdrawn, "Te vroeg gepubliceerd")

    rows = _csv("huisvesting")
    assert len(rows) == 12  # eleven municipalities and the region total
    assert {(row["region_code"], row["half_year"], row["version"]) for row in rows} == {
        ("VR04", "2025-H1", "2")
    }
    raalte = next(row for row in rows if row["municipality_code"] == "GM0177")
    assert (raalte["municipality_name"], raalte["level"], raalte["housed"]) == ("Raalte", "municipality", "5")
    expected = next(r for r in current.snapshot["groups"]["housing"]["rows"] if r["code"] == "GM0177")
    assert raalte["statutory"] == str(expected["values"]["statutory"]["value"])
    assert raalte["is_demo"] == "false"
    assert "COA maandrapportage (2025-02-01)" in raalte["sources"]
    total = rows[-1]
    assert (total["level"], total["municipality_code"], total["region_name"]) == ("region", "", "IJsselland")
    assert total["published_at"] == timezone.localtime(current.published_at).isoformat(timespec="seconds")

    document = _json("huisvesting")
    assert document["licence"]["name"] == "CC0 1.0 Universal"
    assert document["updated_at"] == total["published_at"]
    assert [column["name"] for column in document["columns"]] == [column.name for column in HOUSING.columns]
    assert len(document["records"]) == 12
    record = next(item for item in document["records"] if item["municipality_code"] == "GM0177")
    assert (record["housed"], record["version"], record["is_demo"]) == (5, 2, False)
    assert {key: "" if value is None else str(value).lower() for key, value in record.items()} == {
        key: value.lower() for key, value in raalte.items()
    }

    reception = _csv("opvang")
    assert len(reception) == 12
    assert [row["municipality_name"] for row in reception][:2] == ["Dalfsen", "Deventer"]
    assert {row["half_year"] for row in reception} == {"2025-H1"}
    assert [column["name"] for column in _json("opvang")["columns"]] == [c.name for c in RECEPTION.columns]


def test_csv_keeps_formula_like_text_as_text(region, user, locked):
    housed("GM0177", datetime.date(2025, 2, 1), 3, source='=HYPERLINK("https://example.org","klik") Wijhe ë')
    services.publish(user, region, locked(PUBLISHED))
    raalte = next(row for row in _csv("huisvesting") if row["municipality_code"] == "GM0177")
    assert raalte["sources"].startswith("'=HYPERLINK(")
    assert "Wijhe ë" in raalte["sources"]
    record = next(item for item in _json("huisvesting")["records"] if item["municipality_code"] == "GM0177")
    assert record["sources"].startswith("=HYPERLINK(")  # JSON has types: no quote needed


def test_without_publications_the_files_are_empty_but_valid(region):
    assert _csv("huisvesting") == []
    document = _json("opvang")
    assert document["records"] == [] and document["updated_at"] is None
    response = Client(**CLIENT).get("/opendata/v1/personen.csv")
    assert response.status_code == 404


def test_the_documentation_lists_every_column_of_every_file(region):
    page = html.unescape(Client(**CLIENT).get(reverse("publication:opendata")).content.decode())
    for dataset in DATASETS.values():
        assert str(dataset.title) in page
        assert f"/opendata/v1/{dataset.name}.csv" in page and f"/opendata/v1/{dataset.name}.json" in page
        for column in dataset.columns:
            assert f"<code>{column.name}</code>" in page
            assert f"<code>{column.type}</code>" in page
            assert str(column.description) in page


def test_the_open_data_document_lists_every_column():
    text = (Path(__file__).parents[2] / "docs" / "open-data.md").read_text(encoding="utf-8")
    for dataset in DATASETS.values():
        assert f"/opendata/v1/{dataset.name}.csv" in text
        for column in dataset.columns:
            assert f"| `{column.name}` | {column.type} |" in text
