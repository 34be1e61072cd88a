"""The province's and the nation's view (issue 26, part 7): the same overview adding up every region loaded, on the
national set of 342 municipalities in 25 regions."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regietafel.access.models import Membership, Role
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.monitor import tables
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area
from tests import national

H2 = HalfYear(2025, 2)
ADDED = ("statutory", "agreed", "carry_over", "corrected", "housed", "remaining")


@pytest.fixture
def country(dataset):
    return national.generate()


def region_table(code: str) -> tables.Table:
    return tables.housing_table(HousingLedger(Area.objects.get(code=code)), H2)


def test_overijssel_adds_up_ijsselland_and_twente(country):
    overijssel = Area.objects.get(code="PV23")
    ledger = HousingLedger(overijssel)
    table = tables.housing_table(ledger, H2)
    by_region = tables.housing_by_region(ledger, table, H2)
    assert [row.area.code for row in by_region.rows] == ["VR04", "VR05"]  # IJsselland, Twente
    assert len(table.rows) == 11 + 14
    parts = {code: region_table(code) for code in ("VR04", "VR05")}
    for row in by_region.rows:
        own = parts[row.area.code]
        for key in ADDED:
            # A region's row on the province's page is the region's own total, cell by cell, sources and all.
            assert row.cells[key] == own.total.cells[key], (row.area.code, key)
        assert row.status == own.total.status
    for key in ADDED:
        values = [parts[code].total.cells[key] for code in parts]
        expected = sum(value.value for value in values) if all(value.known for value in values) else None
        assert table.total.cells[key].value == expected, key
    # Each municipality keeps the figures and status its region's page gives it.
    for part in parts.values():
        for row in part.rows:
            assert table.row_for(row.area).cells == row.cells and table.row_for(row.area).status == row.status


def test_the_nation_adds_up_all_25_regions(country):
    ledger = HousingLedger(country)
    table = tables.housing_table(ledger, H2)
    by_region = tables.housing_by_region(ledger, table, H2)
    assert len(table.rows) == national.MUNICIPALITIES and len(by_region.rows) == national.REGIONS
    for key in ("statutory", "housed", "remaining"):
        assert table.total.cells[key].value == sum(row.cells[key].value for row in by_region.rows), key
    assert table.total.cells["housed"].is_demo  # generated realisation is demo, and so is its sum


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def test_the_pages_add_up_in_a_fixed_number_of_queries(country, logged_in):
    region = queries(logged_in, "/?regio=VR04&halfjaar=2025-H2")
    province = queries(logged_in, "/?regio=PV23&halfjaar=2025-H2")
    nation = queries(logged_in, "/?regio=NL01&halfjaar=2025-H2")
    assert region == province == nation


def test_the_province_page_shows_its_regions_and_their_sum(country, logged_in):
    page = logged_in.get("/?regio=PV23&halfjaar=2025-H2").content.decode()
    assert "Huisvesting statushouders per regio" in page and "Overijssel (totaal)" in page
    assert "IJsselland" in page and "Twente" in page and "Tegelkaart van de regio’s van Overijssel" in page
    assert "Regionale afspraak" not in page  # agreements are a region's, not a province's
    # The monitor report adds up the same way.
    report = logged_in.get("/rapportages/monitor/?region=PV23&reference_date=2025-12-31")
    assert report.status_code == 200 and "Huisvesting statushouders per regio" in report.content.decode()
    built = report.context["report"]
    assert [row.area.code for row in built.by_region.rows] == ["VR04", "VR05"]
    assert built.housing.total.cells["housed"].value == sum(
        row.cells["housed"].value for row in built.by_region.rows
    )
    assert logged_in.get("/?regio=PV00&halfjaar=2025-H2").status_code == 404


def test_a_province_user_sees_the_aggregates_of_its_own_province_only(country, client):
    overijssel = Organisation.objects.create(
        name="Provincie Overijssel",
        kind=Organisation.Kind.PROVINCE,
        municipality=Area.objects.get(code="PV23"),
    )
    user = get_user_model().objects.create_user("gedeputeerde")
    Membership.objects.create(user=user, role=Role.PROVINCE, organisation=overijssel)
    client.force_login(user)
    elsewhere = Area.objects.regions().exclude(parent__code="PV23").first()
    for url, status in (
        ("/?halfjaar=2025-H2", 200),
        ("/?regio=PV23&halfjaar=2025-H2", 200),
        ("/?regio=VR05&halfjaar=2025-H2", 200),
        ("/gemeente/GM0153/", 200),  # Enschede, Twente
        ("/?regio=NL01&halfjaar=2025-H2", 404),
        (f"/?regio={elsewhere.code}&halfjaar=2025-H2", 404),
        (f"/gemeente/{Area.objects.in_region(elsewhere).first().code}/", 404),
        ("/asielopvang/?regio=" + elsewhere.code, 404),
        (f"/rapportages/monitor/?region={elsewhere.code}&reference_date=2025-12-31", 404),
        ("/rapportages/monitor/?region=VR05&reference_date=2025-12-31", 200),
        (f"/api/v1/taakstellingen?regio={elsewhere.code}", 404),
        ("/api/v1/taakstellingen?regio=VR05", 200),
    ):
        assert client.get(url).status_code == status, url
    listed = client.get("/api/v1/realisaties", {"pageSize": 1000}).json()
    codes = {row["municipality"] for row in listed["results"]}
    assert codes and codes <= {area.code for area in Area.objects.in_region(Area.objects.get(code="PV23"))}
    # Nothing person-level, nor the table's own work.
    for url in ("/api/v1/huishoudens", "/api/v1/acties"):
        assert client.get(url).status_code in (403, 404), url
