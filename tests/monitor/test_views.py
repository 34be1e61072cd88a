"""The monitor pages and exports: access, contents, footnotes to sources, demo markers."""

import csv
import io
import re

import openpyxl
import pytest
from django.contrib.messages import constants as message_levels

from regietafel.core.figures import DEMO_SOURCE
from tests.support import IJSSELLAND, MONITOR_PAGES

TWENTE = ["Almelo", "Enschede", "Hengelo", "Oldenzaal"]
PAGES = MONITOR_PAGES
EXPORTS = [
    "/export/huisvesting.csv?halfjaar=2025-H2",
    "/export/huisvesting.xlsx?halfjaar=2025-H2",
    "/export/asielopvang.csv",
    "/export/oekraine.csv",
    "/export/amv.csv",
]
DEMO = DEMO_SOURCE.format(seed=2025)
FIGURE = re.compile(
    r'<span class="rt-figure[^"]*">(?P<value>[^<]*)</span><sup class="rt-notes">(?P<notes>.*?)</sup>', re.S
)


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def csv_rows(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# Access --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", PAGES + EXPORTS)
def test_every_page_answers_a_logged_in_user(demo, logged_in, url):
    response = logged_in.get(url)
    assert response.status_code == 200
    if url.startswith("/export/"):
        extension = url.split("?")[0].rsplit(".", 1)[1]
        assert response["Content-Disposition"].startswith("attachment; filename=")
        assert response["Content-Disposition"].endswith(f'.{extension}"')


@pytest.mark.parametrize("url", PAGES + EXPORTS)
def test_every_page_works_with_the_dataset_only(dataset, logged_in, url):
    assert logged_in.get(url).status_code == 200


@pytest.mark.parametrize("url", PAGES + EXPORTS)
def test_anonymous_users_are_sent_to_the_login_page(demo, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/inloggen/?next=")
    assert b"Raalte" not in response.content


def test_the_login_page_is_open(db, client):
    assert client.get("/inloggen/").status_code == 200


def test_the_overview_without_any_data_asks_for_national_numbers(db, logged_in):
    # The region must exist; nothing else is loaded.
    from regietafel.regions.models import Area

    Area.objects.create(code="VR04", name="IJsselland", kind=Area.Kind.REGION)
    response = logged_in.get("/")
    assert response.status_code == 200
    assert response.context["half_year"] is None
    assert "/import/national-targets/" in response.content.decode()


# Overview contents ---------------------------------------------------------------------------------


def test_overview_lists_the_eleven_ijsselland_municipalities(demo, client_en):
    response = client_en.get("/?halfjaar=2025-H2")
    content = response.content.decode()

    table = response.context["table"]
    assert [row.area.name for row in table.rows] == IJSSELLAND
    for name in IJSSELLAND:
        assert f">{name}</a>" in content
    for name in TWENTE:
        assert name not in content
    assert str(response.context["half_year"]) == "2025-H2"


def test_overview_of_another_region(demo, client_en):
    response = client_en.get("/?regio=VR05&halfjaar=2025-H2")
    names = [row.area.name for row in response.context["table"].rows]
    assert "Enschede" in names
    assert "Raalte" not in names


def test_overview_shows_the_statutory_targets(dataset, client_en):
    response = client_en.get("/?halfjaar=2025-H2")
    table = response.context["table"]
    values = {row.area.code: row.cells["statutory"].value for row in table.rows}
    assert values["GM0177"] == 28
    assert values["GM0193"] == 97
    assert table.total.cells["statutory"].value == 400
    assert response.context["national"].value == 13000


def test_overview_uses_the_latest_revision(dataset, client_en):
    response = client_en.get("/?halfjaar=2025-H1")
    assert response.context["national"].value == 15000
    raalte = next(row for row in response.context["table"].rows if row.area.code == "GM0177")
    assert raalte.cells["statutory"].value == 33


def test_the_default_half_year_is_the_latest_one_started(demo, client_en):
    response = client_en.get("/")
    assert str(response.context["half_year"]) == "2025-H2"


def footnotes(fragment: str) -> set[int]:
    return {int(n) for n in re.findall(r'<a class="rt-footnote" href="#bron-(\d+)"', fragment)}


def html_table(content: str) -> tuple[list[str], list[list[str]]]:
    """The column headers and the cells of the first monitor table, as HTML fragments."""
    table = re.search(r'<table class="[^"]*rt-table[^"]*">(.*?)</table>', content, re.S).group(1)
    thead = re.search(r"<thead[^>]*>(.*?)</thead>", table, re.S).group(1)
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', thead, re.S)
    rows = []
    for part in re.findall(r"<tbody[^>]*>(.*?)</tbody>|<tfoot[^>]*>(.*?)</tfoot>", table, re.S):
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", part[0] or part[1], re.S):
            rows.append(re.findall(r"<td[^>]*>(.*?)</td>", row, re.S))
    return headers, rows


@pytest.mark.parametrize("fixture", ["dataset", "demo"])
def test_every_figure_has_a_footnote_to_a_listed_source(request, client_en, fixture):
    request.getfixturevalue(fixture)
    response = client_en.get("/?halfjaar=2025-H2")
    content = response.content.decode()
    listed = {int(n) for n in re.findall(r'<li id="bron-(\d+)"', content)}
    assert listed
    assert listed == set(range(1, len(listed) + 1))
    assert footnotes(content) == listed  # every listed source is cited somewhere, and only those

    # The national number above the table cites its own source.
    facts = re.search(r'<dl class="rt-facts">(.*?)</dl>', content, re.S).group(1)
    assert "rt-figure" in facts
    assert footnotes(facts)

    # In the table a source shared by a whole column is cited in its header, the rest in the cell.
    table = response.context["table"]
    number = {ref: n for n, ref in response.context["sources"].entries()}
    headers, rows = html_table(content)
    assert len(headers) == 1 + len(table.columns) + 1  # municipality, figures, status
    assert len(rows) == len(IJSSELLAND) + 1
    figures = 0
    for row, cells in zip([*table.rows, table.total], rows, strict=True):
        for index, column in enumerate(table.columns):
            cell, header = cells[index], headers[index + 1]
            figure = row.cells[column.key]
            if not figure.known:
                assert "rt-unknown" in cell
                continue
            figures += 1
            assert "rt-figure" in cell
            cited = footnotes(cell) | footnotes(header)
            assert cited, (column.key, cell)
            assert cited == {number[ref] for ref in figure.refs}, (column.key, cell)
            assert not footnotes(cell) & footnotes(header)  # not cited twice
    assert figures >= len(IJSSELLAND)
    # The region over the half-years: every known total of its table is a figure with its sources too.
    trend = [
        row.cells[key]
        for _half_year, row in response.context["trend"]
        for key in ("statutory", "corrected", "housed", "remaining")
    ]
    trend_html = content[content.index('id="verloop"') :]
    assert trend_html.count('class="rt-figure') == sum(figure.known for figure in trend)
    assert footnotes(trend_html) <= listed
    # The table, the national number and the region's half-years.
    assert content.count('class="rt-figure') == figures + 1 + sum(figure.known for figure in trend)


def test_demo_figures_carry_the_demo_marker_and_source(demo, client_en):
    response = client_en.get("/?halfjaar=2025-H2")
    content = response.content.decode()

    assert "rt-demo-marker" in content
    assert response.context["table"].is_demo
    entries = response.context["sources"].entries()
    demo_numbers = [n for n, ref in entries if ref.is_demo]
    assert [ref.source for _n, ref in entries if ref.is_demo] == [DEMO]
    item = re.search(rf'<li id="bron-{demo_numbers[0]}"[^>]*>(.*?)</li>', content, re.S).group(1)
    assert DEMO in item
    # The trend chart draws demo figures in the demo colour, and its legend says so.
    chart = response.context["trend_chart"]
    demo_bars = sum(bar["housed"].is_demo for bar in chart["bars"])
    assert demo_bars and content.count("rt-chart__housed--demo") == demo_bars
    assert "Housed, from demo data" in content
    assert "rt-demo-label" in item
    # Every cell with a demo figure is marked and reaches the demo source (in the cell or its header).
    table = response.context["table"]
    headers, rows = html_table(content)
    marked = 0
    for row, cells in zip([*table.rows, table.total], rows, strict=True):
        for index, column in enumerate(table.columns):
            figure = row.cells[column.key]
            assert ("rt-demo-marker" in cells[index]) is (figure.known and figure.is_demo)
            if figure.known and figure.is_demo:
                marked += 1
                assert demo_numbers[0] in footnotes(cells[index]) | footnotes(headers[index + 1])
    assert marked >= len(IJSSELLAND)


def test_sourced_figures_have_no_demo_marker(demo, client_en):
    response = client_en.get("/?halfjaar=2025-H2")
    headers, rows = html_table(response.content.decode())
    statutory = [column.key for column in response.context["table"].columns].index("statutory")
    for cells in rows:
        assert "rt-figure" in cells[statutory]
        assert "rt-demo-marker" not in cells[statutory]
    assert footnotes(headers[statutory + 1])


def test_without_demo_data_no_demo_marker_appears(dataset, client_en):
    response = client_en.get("/?halfjaar=2025-H2")
    content = response.content.decode()

    assert "rt-demo-marker" not in content
    assert "rt-demo-label" not in content
    assert "Demogegevens" not in content
    assert not response.context["table"].is_demo
    assert not any(ref.is_demo for _number, ref in response.context["sources"].entries())


def test_the_explanation_states_the_status_thresholds(dataset, client_en):
    content = page(client_en, "/?halfjaar=2025-H2")
    explanation = re.search(r'<details class="rt-explain">(.*?)</details>', content, re.S).group(1)
    # REGIETAFEL_BEHIND_BELOW = 9/10 and REGIETAFEL_FAR_BEHIND_BELOW = 7/10.
    assert "90%" in explanation
    assert "70%" in explanation


def test_an_unknown_municipality_code_is_not_found(dataset, client_en):
    assert client_en.get("/gemeente/GM9999/").status_code == 404
    assert client_en.get("/gemeente/PV23/").status_code == 404  # a province is no municipality


def test_the_municipality_page_shows_its_history(demo, client_en):
    response = client_en.get("/gemeente/gm0177/")
    assert response.status_code == 200
    assert response.context["area"].code == "GM0177"
    history = {str(half_year): row for half_year, row in response.context["history"]}
    assert history["2024-H1"].statutory.value == 41
    assert history["2025-H2"].statutory.value == 28
    assert history["2025-H2"].housed.is_demo


@pytest.mark.parametrize("value", ["2024-H3", "volgend-jaar", "2025-H1x"])
def test_an_invalid_half_year_shows_a_message_not_an_error(demo, client_en, value):
    response = client_en.get("/", {"halfjaar": value})

    assert response.status_code == 200
    messages = list(response.context["messages"])
    assert [m.level for m in messages] == [message_levels.ERROR]
    assert value in str(messages[0])
    assert str(response.context["half_year"]) == "2025-H2"
    assert value in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/?halfjaar=2030-H1",  # no national number: unknown figures, not an error
        "/export/huisvesting.csv?halfjaar=2030-H1",
        "/asielopvang/?peildatum=gisteren",
        "/amv/?peildatum=2020-01-01",
        "/oekraine/?peildatum=2020-01-01",
        "/afspraken/2030-H1/",
        "/gemeente/GM0153/",  # a Twente municipality has its own page
    ],
)
def test_edge_cases_render_without_errors(demo, client_en, url):
    assert client_en.get(url).status_code == 200


def test_an_invalid_reference_date_shows_a_message(demo, client_en):
    response = client_en.get("/asielopvang/", {"peildatum": "gisteren"})
    messages = list(response.context["messages"])
    assert [m.level for m in messages] == [message_levels.ERROR]
    assert "gisteren" in str(messages[0])


def test_an_unknown_region_is_not_found(dataset, client_en):
    assert client_en.get("/?regio=VR99").status_code == 404


# Exports -------------------------------------------------------------------------------------------


def test_housing_csv_has_a_row_per_municipality_and_a_total(demo, client_en):
    response = client_en.get("/export/huisvesting.csv?halfjaar=2025-H2&variant=systeem")
    rows = csv_rows(response)

    assert response["Content-Disposition"] == 'attachment; filename="huisvesting-VR04-2025-H2.csv"'
    assert [row["name"] for row in rows[:-1]] == IJSSELLAND
    assert len(rows) == len(IJSSELLAND) + 1
    total = rows[-1]
    assert total["code"] == ""
    assert int(total["statutory"]) == sum(int(row["statutory"]) for row in rows[:-1]) == 400
    assert int(total["housed"]) == sum(int(row["housed"]) for row in rows[:-1])
    columns = list(rows[0])
    assert columns[:2] == ["code", "name"]
    assert "is_demo" in columns
    assert "sources" in columns
    raalte = next(row for row in rows if row["code"] == "GM0177")
    assert raalte["statutory"] == "28"
    assert raalte["is_demo"] == "true"
    assert DEMO in raalte["sources"]
    assert "CBS StatLine 85984NED (2024-01-01)" in raalte["sources"]


def test_housing_csv_without_demo_data(dataset, client_en):
    rows = csv_rows(client_en.get("/export/huisvesting.csv?halfjaar=2025-H2&variant=systeem"))
    assert len(rows) == len(IJSSELLAND) + 1
    assert {row["is_demo"] for row in rows} == {"false"}
    assert all(row["sources"] for row in rows)
    assert all(row["housed"] == "" for row in rows)


def test_housing_xlsx_has_the_same_rows(demo, client_en):
    response = client_en.get("/export/huisvesting.xlsx?halfjaar=2025-H2&variant=systeem")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.iter_rows(values_only=True))
    header = list(values[0])
    assert header[:2] == ["code", "name"]
    assert header[-2:] == ["is_demo", "sources"]
    assert len(values) == 1 + len(IJSSELLAND) + 1
    assert [row[1] for row in values[1:-1]] == IJSSELLAND
    assert values[-1][header.index("statutory")] == 400


@pytest.mark.parametrize("table", ["asielopvang", "oekraine", "amv"])
def test_reception_exports_have_a_row_per_municipality_and_a_total(demo, client_en, table):
    rows = csv_rows(client_en.get(f"/export/{table}.csv?variant=systeem"))
    assert [row["name"] for row in rows[:-1]] == IJSSELLAND
    assert rows[-1]["code"] == ""
    assert "is_demo" in rows[0]
    assert "sources" in rows[0]


def test_ukraine_export_keeps_the_sourced_raalte_places(demo, client_en):
    rows = csv_rows(client_en.get("/export/oekraine.csv?variant=systeem"))
    raalte = next(row for row in rows if row["code"] == "GM0177")
    assert raalte["capacity"] == "265"
    assert raalte["is_demo"] == "false"


@pytest.mark.parametrize(
    "url", ["/export/onbekend.csv", "/export/huisvesting.pdf?halfjaar=2025-H2", "/export/amv.ods"]
)
def test_unknown_exports_are_not_found(dataset, client_en, url):
    assert client_en.get(url).status_code == 404


# Queries -------------------------------------------------------------------------------------------


# Measured: 15 queries (session, user, membership, region, the ledger's fixed set, region list, the tile map's
# places, the unread notifications in the menu); 20% headroom. make bench checks they do not grow with the region.
MAX_OVERVIEW_QUERIES = 18


def test_the_overview_needs_a_fixed_number_of_queries(demo, logged_in, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_OVERVIEW_QUERIES):
        response = logged_in.get("/?halfjaar=2025-H2")
    assert response.status_code == 200
    assert len(response.context["table"].rows) == len(IJSSELLAND)
