"""Who does what where: the matrix of municipalities × themes, its page and its export."""

import csv
import io
import re

import openpyxl
import pytest

from regietafel.core.models import Theme
from regietafel.organisations.matrix import EXPORT_COLUMNS, build_matrix
from regietafel.organisations.models import Organisation

URL = "/partners/wie-doet-wat-waar/"
EXPORT = "/partners/wie-doet-wat-waar/export.csv"
# The file for systems: keys and codes (tests/core/test_downloads.py checks the one people read).
SYSTEMS = {"variant": "systeem"}


def names(matrix) -> dict[tuple[str, str], list[str]]:
    """The non-empty cells as (municipality, theme slug) -> partner names."""
    return {
        (municipality.name, theme.slug): [organisation.name for organisation in partners]
        for municipality, cells in matrix.rows()
        for theme, partners in cells
        if partners
    }


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# Building the matrix -------------------------------------------------------------------------------


def test_rows_are_the_municipalities_of_the_region_and_columns_every_theme(partners, small_region):
    matrix = build_matrix(small_region)
    assert [municipality.name for municipality in matrix.municipalities] == ["Aastad", "Beedorp", "Ceeveen"]
    assert [theme.pk for theme in matrix.themes] == list(
        Theme.objects.order_by("name").values_list("pk", flat=True)
    )
    assert len(matrix.themes) >= 11


def test_each_cell_lists_the_partners_working_on_that_theme_there(partners, small_region):
    assert names(build_matrix(small_region)) == {
        ("Aastad", "care"): ["Zorggroep Bee"],
        ("Aastad", "housing"): ["Woonstichting Aa", "Zorggroep Bee"],
        ("Beedorp", "care"): ["Zorggroep Bee"],
        ("Beedorp", "housing"): ["Zorggroep Bee"],
        ("Ceeveen", "education"): ["School Dee"],
    }


def test_the_matrix_filters_by_type_and_by_theme(partners, small_region):
    by_kind = build_matrix(small_region, kind=Organisation.Kind.CARE)
    assert names(by_kind) == {
        ("Aastad", "care"): ["Zorggroep Bee"],
        ("Aastad", "housing"): ["Zorggroep Bee"],
        ("Beedorp", "care"): ["Zorggroep Bee"],
        ("Beedorp", "housing"): ["Zorggroep Bee"],
    }
    housing = Theme.objects.get(slug="housing")
    by_theme = build_matrix(small_region, theme=housing)
    assert by_theme.themes == [housing]
    assert names(by_theme) == {
        ("Aastad", "housing"): ["Woonstichting Aa", "Zorggroep Bee"],
        ("Beedorp", "housing"): ["Zorggroep Bee"],
    }
    assert names(build_matrix(small_region, kind=Organisation.Kind.CHURCH)) == {}


def test_the_matrix_knows_when_it_shows_demo_partners(partners, small_region):
    assert build_matrix(small_region).is_demo
    assert not build_matrix(small_region, kind=Organisation.Kind.CARE).is_demo
    assert build_matrix(small_region, kind=Organisation.Kind.CHURCH).is_empty


def test_the_matrix_takes_the_same_number_of_queries_however_many_partners(
    partners, small_region, add, django_assert_num_queries
):
    for number in range(5):
        add(f"Extra partner {number}", themes=["care", "safety"], works_in=["GM9901", "GM9902", "GM9903"])
    # Municipalities, themes, partners, and the partners' themes and municipalities.
    with django_assert_num_queries(5):
        names(build_matrix(small_region))


def test_export_rows_give_one_row_per_municipality_theme_and_partner(partners, small_region):
    rows = build_matrix(small_region).export_rows()
    assert [list(row) for row in rows] == [[column.key for column in EXPORT_COLUMNS]] * len(rows)
    assert [(row["municipality"], row["theme"], row["organisation"]) for row in rows] == [
        ("Aastad", "Huisvesting", "Woonstichting Aa"),
        ("Aastad", "Huisvesting", "Zorggroep Bee"),
        ("Aastad", "Zorg", "Zorggroep Bee"),
        ("Beedorp", "Huisvesting", "Zorggroep Bee"),
        ("Beedorp", "Zorg", "Zorggroep Bee"),
        ("Ceeveen", "Onderwijs", "School Dee"),
    ]
    assert rows[0]["municipality_code"] == "GM9901"
    assert rows[0]["type"] == "housing_corporation"
    assert [row["is_demo"] for row in rows] == [False] * 5 + [True]


# The page ------------------------------------------------------------------------------------------


def test_the_page_is_an_accessible_table_with_links_to_the_partners(partners, client_en):
    response = client_en.get(URL, {"regio": "VR99"})
    assert response.status_code == 200
    content = response.content.decode()

    assert (
        '<caption class="utrecht-table__caption">Partners per municipality and theme, Proefregio' in content
    )
    theme_headers = re.findall(r'<th scope="col" class="utrecht-table__header-cell">([^<]+)</th>', content)
    assert theme_headers == ["Municipality", *Theme.objects.order_by("name").values_list("name", flat=True)]
    row_headers = re.findall(
        r'<th scope="row" class="utrecht-table__header-cell"><a [^>]*>([^<]+)</a>', content
    )
    assert row_headers == ["Aastad", "Beedorp", "Ceeveen"]
    assert content.count(f'href="/partners/{partners["care"].pk}/"') == 4
    assert content.count(f'href="/partners/{partners["housing"].pk}/"') == 1
    assert f'href="/partners/{partners["church"].pk}/"' not in content
    assert "Deedam" not in content
    # The demo school carries the demo marker, and the caption says the table contains demo data.
    assert re.search(
        rf'/partners/{partners["school"].pk}/">School Dee</a> <abbr class="rt-demo-marker"', content
    )
    assert "contains demo data" in content


def test_the_page_filters_by_type_and_theme(partners, client_en):
    response = client_en.get(URL, {"regio": "VR99", "soort": "care", "thema": "housing"})
    matrix = response.context["matrix"]
    assert [theme.slug for theme in matrix.themes] == ["housing"]
    assert names(matrix) == {
        ("Aastad", "housing"): ["Zorggroep Bee"],
        ("Beedorp", "housing"): ["Zorggroep Bee"],
    }
    assert "contains demo data" not in response.content.decode()
    assert "export.csv?regio=VR99&amp;soort=care&amp;thema=housing" in response.content.decode()


def test_an_unknown_filter_value_is_reported_and_ignored(partners, small_region, client_en):
    response = client_en.get(URL, {"regio": "VR99", "soort": "guild", "thema": "no-such-theme"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"soort", "thema"}
    assert names(response.context["matrix"]) == names(build_matrix(small_region))


def test_an_unknown_region_is_not_found(partners, logged_in):
    assert logged_in.get(URL, {"regio": "VR00"}).status_code == 404
    assert logged_in.get(EXPORT, {"regio": "VR00", **SYSTEMS}).status_code == 404


def test_a_region_without_partners_shows_an_empty_matrix(small_region, client_en):
    response = client_en.get(URL, {"regio": "VR99"})
    assert response.context["matrix"].is_empty
    assert "No partner is recorded for these filters yet" in response.content.decode()
    assert response.content.decode().count("no partner</span>") == 3 * Theme.objects.count()


# The export ----------------------------------------------------------------------------------------


def test_the_csv_export_holds_the_same_matrix(partners, small_region, logged_in):
    response = logged_in.get(EXPORT, {"regio": "VR99", **SYSTEMS})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="wie-doet-wat-waar-VR99.csv"'
    rows = csv_rows(response)
    assert list(rows[0]) == [column.key for column in EXPORT_COLUMNS]
    assert rows == [
        {key: str(value).lower() if isinstance(value, bool) else value for key, value in row.items()}
        for row in build_matrix(small_region).export_rows()
    ]
    assert rows[-1] == {
        "municipality_code": "GM9903",
        "municipality": "Ceeveen",
        "theme": "Onderwijs",
        "organisation": "School Dee",
        "type": "education",
        "is_demo": "true",
    }


def test_the_export_applies_the_filters_of_the_page(partners, logged_in):
    rows = csv_rows(logged_in.get(EXPORT, {"regio": "VR99", "thema": "housing", **SYSTEMS}))
    assert [(row["municipality"], row["organisation"]) for row in rows] == [
        ("Aastad", "Woonstichting Aa"),
        ("Aastad", "Zorggroep Bee"),
        ("Beedorp", "Zorggroep Bee"),
    ]
    assert csv_rows(logged_in.get(EXPORT, {"regio": "VR99", "soort": "church", **SYSTEMS})) == []


def test_the_excel_export_has_the_same_rows(partners, logged_in):
    response = logged_in.get(
        "/partners/wie-doet-wat-waar/export.xlsx", {"regio": "VR99", "variant": "systeem"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert list(values[0]) == [column.key for column in EXPORT_COLUMNS]
    assert len(values) == 1 + 6


@pytest.mark.parametrize("file_format", ["pdf", "json"])
def test_an_unknown_export_format_is_not_found(partners, logged_in, file_format):
    assert logged_in.get(f"/partners/wie-doet-wat-waar/export.{file_format}").status_code == 404
