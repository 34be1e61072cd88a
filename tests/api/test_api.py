"""The REST API's conventions (NL GOV API Design Rules), its filters, figures, writes and tokens."""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse

from regietafel.access.models import Role, SystemToken
from regietafel.conditions.models import default_region_id
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation, PeriodLock
from regietafel.meetings.models import Action, AgendaItem, Body, Decision, Meeting
from regietafel.regions.models import Area
from tests.api.conftest import token_client

LISTS = [
    "gemeenten",
    "inwonertallen",
    "bronnen",
    "halfjaren",
    "taakstellingen",
    "afspraken",
    "realisaties",
    "opvangtaken",
    "locaties",
    "vergaderingen",
    "besluiten",
    "acties",
    "doorverwijzingen",
    "randvoorwaarden",
    "partners",
    "werkwijzen",
    "huishoudens",
    "woningen",
    "koppelvoorstellen",
    "indicatoren",
    "indicatorwaarden",
]


def rows(month="2025-03", housed=7, code="GM0177"):
    return {
        "municipality_code": code,
        "month": month,
        "housed": housed,
        "housed_minors": 1,
        "reference_date": "2025-04-01",
        "source": "COA maandrapportage",
        "confidence": "H",
    }


def test_the_openapi_document_is_public_and_describes_every_resource_without_trailing_slashes(db):
    response = token_client(None).get("/api/v1/openapi.json")
    assert response.status_code == 200 and response["API-Version"] == "1.0.0"
    document = response.json()
    assert document["openapi"].startswith("3.") and document["info"]["version"] == "1.0.0"
    paths = set(document["paths"])
    assert all(not path.endswith("/") for path in paths - {"/"})
    assert {f"/{name}" for name in LISTS} <= paths
    assert "/realisaties/bulk" in paths and "/locaties/bulk" in paths
    assert document["servers"][0]["url"].endswith("/api/v1")
    assert document["components"]["securitySchemes"]["systemToken"]["in"] == "header"


@pytest.mark.parametrize("name", LISTS)
def test_every_list_is_paginated_with_links_and_carries_the_version(demo, issue, name):
    response = token_client(issue()).get(f"/api/v1/{name}", {"pageSize": 1})
    assert response.status_code == 200, response.content
    assert response["API-Version"] == "1.0.0"
    body = response.json()
    assert set(body) == {"_links", "count", "page", "results"}
    assert body["_links"]["self"]["href"].startswith("http://testserver/api/v1/")
    if body["count"] > 1:
        assert "page=2" in body["_links"]["next"]["href"]
        assert 'rel="next"' in response["Link"]
        second = token_client(issue(name="b")).get(body["_links"]["next"]["href"])
        assert second.json()["_links"]["prev"]["href"] == body["_links"]["first"]["href"]


def test_errors_are_problem_details_naming_the_field(dataset, issue):
    client = token_client(issue())
    unknown = client.get("/api/v1/bestaat-niet")
    assert unknown.status_code == 404 and unknown["Content-Type"] == "application/problem+json"
    assert unknown.json()["instance"] == "/api/v1/bestaat-niet"
    bad = client.get("/api/v1/realisaties", {"periode": "2025-H3"})
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    assert bad.json()["errors"] == [
        {"in": "query", "location": "periode", "detail": "Enter a half-year as 2024-H1 or 2024-H2."}
    ]
    anonymous = token_client(None).get("/api/v1/gemeenten")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"] == 'Token realm="api"'
    assert anonymous.json()["title"] == "Not signed in"
    assert client.get("/api/v1/gemeenten/").status_code == 404  # no trailing slashes
    assert token_client(issue(can_write=True, name="w")).delete("/api/v1/gemeenten/GM0177").status_code == 405


def test_lists_filter_by_municipality_region_and_half_year(demo, issue):
    client = token_client(issue())
    first = HousingRealisation.objects.filter(municipality__code="GM0177").order_by("month").first().month
    half_year = HalfYear.containing(first)
    raalte = client.get(
        "/api/v1/realisaties", {"gemeente": "GM0177", "periode": str(half_year), "pageSize": 100}
    )
    months = [row["month"] for row in raalte.json()["results"]]
    assert (
        len(months)
        == HousingRealisation.objects.filter(
            municipality__code="GM0177", month__range=(half_year.start, half_year.end)
        ).count()
    )
    assert months and all(
        half_year.start.isoformat() <= month <= half_year.end.isoformat() for month in months
    )
    assert {row["municipality"] for row in raalte.json()["results"]} == {"GM0177"}
    region = client.get("/api/v1/gemeenten", {"regio": "VR04"}).json()
    assert region["count"] == 11 and {row["region"] for row in region["results"]} == {"VR04"}
    half_years = client.get("/api/v1/halfjaren", {"periode": "2024-H1"}).json()["results"]
    assert {row["half_year"] for row in half_years} == {"2024-H1"}


def test_targets_are_the_monitors_figures_with_their_sources(demo, issue):
    region = Area.objects.get(pk=default_region_id())
    expected = HousingLedger(region).row(Area.objects.get(code="GM0177"), HalfYear.parse("2024-H1"))
    body = (
        token_client(issue())
        .get("/api/v1/taakstellingen", {"gemeente": "GM0177", "periode": "2024-H1"})
        .json()
    )
    [row] = body["results"]
    assert row["municipality"] == "GM0177" and row["half_year"] == "2024-H1"
    assert row["statutory"]["value"] == expected.statutory.value
    assert row["corrected"]["value"] == expected.corrected.value
    assert row["housed"]["value"] == expected.housed.value
    assert {source["source"] for source in row["statutory"]["sources"]} == {
        ref.source for ref in expected.statutory.refs
    }
    assert token_client(issue(name="x")).get("/api/v1/taakstellingen", {"regio": "XX"}).status_code == 404


def test_bulk_monthly_import_is_all_or_nothing_and_idempotent(dataset, issue):
    client = token_client(issue(can_write=True))
    url = "/api/v1/realisaties/bulk"
    good = [rows("2025-01"), rows("2025-02"), rows("2025-01", code="GM0166")]
    created = client.post(url, {"rows": good}, content_type="application/json")
    assert created.status_code == 200, created.content
    assert created.json() == {"created": 3, "updated": 0, "unchanged": 0}
    again = client.post(url, {"rows": good}, content_type="application/json")
    assert again.json() == {"created": 0, "updated": 0, "unchanged": 3}
    changed = client.post(url, {"rows": [rows("2025-01", housed=9)]}, content_type="application/json")
    assert changed.json() == {"created": 0, "updated": 1, "unchanged": 0}

    bad = client.post(
        url,
        {"rows": [rows("2025-04"), {**rows("2025-05"), "housed": "veel"}, rows("2025-06", code="GM9999")]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad["Content-Type"] == "application/problem+json"
    names = [error["location"] for error in bad.json()["errors"]]
    assert names == ["#/rows/1/housed", "#/rows/2/municipality_code"]
    assert HousingRealisation.objects.count() == 3  # nothing of the bad request was written
    unknown = client.post(url, {"rows": [{**rows(), "extra": 1}]}, content_type="application/json")
    assert unknown.json()["errors"][0]["location"] == "#/extra"


def test_one_row_is_written_with_post_and_a_locked_half_year_needs_a_reason(dataset, issue, admin):
    client = token_client(issue(can_write=True))
    created = client.post("/api/v1/realisaties", rows("2025-03"), content_type="application/json")
    assert created.status_code == 201 and created.json()["created"] == 1
    PeriodLock.objects.create(half_year="2025-H1", locked_by=admin)
    locked = client.post("/api/v1/realisaties", rows("2025-03", housed=8), content_type="application/json")
    assert locked.status_code == 400
    assert locked.json()["errors"][0]["location"] == "#/reason"
    with_reason = client.post(
        "/api/v1/realisaties/bulk",
        {"rows": [rows("2025-03", housed=8)], "reason": "Correctie COA"},
        content_type="application/json",
    )
    assert with_reason.status_code == 200 and with_reason.json()["updated"] == 1


def test_a_municipal_token_writes_only_its_own_figures(dataset, issue, raalte):
    client = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True))
    own = client.post("/api/v1/realisaties", rows(code="GM0177"), content_type="application/json")
    assert own.status_code == 201
    other = client.post("/api/v1/realisaties", rows(code="GM0166"), content_type="application/json")
    assert other.status_code == 400
    assert other.json()["errors"] == [
        {
            "in": "body",
            "location": "#/municipality_code",
            "detail": "You may only import figures of your own municipality.",
        }
    ]
    assert not HousingRealisation.objects.filter(municipality__code="GM0166").exists()


def test_a_read_only_token_cannot_write(dataset, issue):
    response = token_client(issue()).post("/api/v1/realisaties", rows(), content_type="application/json")
    assert response.status_code == 403 and response.json()["detail"] == "This token may only read."
    assert not HousingRealisation.objects.exists()


def test_a_token_records_its_last_use_and_stops_working_when_revoked(client, admin, dataset, issue):
    key = issue()
    token = SystemToken.objects.get()
    assert token.last_used_at is None
    assert token_client(key).get("/api/v1/gemeenten").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None
    client.force_login(admin)
    page = client.get(reverse("access:tokens")).content.decode()
    assert token.prefix in page and key not in page  # the key is never shown again
    assert client.post(reverse("access:token-revoke", args=[token.prefix])).status_code == 302
    refused = token_client(key).get("/api/v1/gemeenten")
    assert refused.status_code == 401 and refused["Content-Type"] == "application/problem+json"
    assert token_client("nonsense").get("/api/v1/gemeenten").status_code == 401


def test_a_beheerder_issues_a_token_and_sees_its_key_once(client, admin, raalte):
    client.force_login(admin)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.post(
        reverse("access:tokens"),
        {"name": "Power BI Raalte", "organisation": raalte.pk, "role": Role.MUNICIPALITY, "can_write": "on"},
    )
    token = SystemToken.objects.get()
    key = next(
        line.split('value="')[1].split('"')[0]
        for line in response.content.decode().splitlines()
        if 'id="nieuwe-sleutel"' in line
    )
    assert key.startswith(token.prefix + ".") and token.can_write
    assert token.user.membership.organisation == raalte and not token.user.has_usable_password()
    assert token_client(key).get("/api/v1/gemeenten").status_code == 200
    # The system account is not among the users whose role a beheerder sets.
    assert token.user.username not in client.get(reverse("access:users")).content.decode()
    refused = client.post(reverse("access:tokens"), {"name": "x", "role": Role.MUNICIPALITY})
    assert "A municipality user belongs to a municipality" in refused.content.decode()


@override_settings(REGIETAFEL_API_RATE="3/min")
def test_a_token_is_rate_limited(dataset, issue):
    client = token_client(issue())
    assert [client.get("/api/v1/gemeenten").status_code for _ in range(4)] == [200, 200, 200, 429]
    limited = client.get("/api/v1/gemeenten")
    assert limited["Content-Type"] == "application/problem+json" and "Retry-After" in limited
    assert token_client(issue(name="other")).get("/api/v1/gemeenten").status_code == 200


def test_an_action_owner_changes_its_status_and_a_stale_version_is_a_conflict(dataset, issue, raalte):
    body = Body.objects.create(name="Regietafel", kind="steering_table", region=Area.objects.get(code="VR04"))
    meeting = Meeting.objects.create(
        body=body, title="Regietafel", starts_at=datetime.datetime(2026, 1, 1, 10, 0)
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Huisvesting")
    decision = Decision.objects.create(agenda_item=item, text="Besluit")
    action = Action.objects.create(
        decision=decision,
        title="Woningen zoeken",
        deadline=datetime.date(2026, 3, 1),
        owner_organisation=raalte,
    )
    client = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True))
    url = f"/api/v1/acties/{action.pk}"
    done = client.patch(
        url, {"status": "done", "note": "Klaar", "version": 1}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["status"] == "done" and done.json()["version"] == 2
    stale = client.patch(url, {"status": "open", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and stale["Content-Type"] == "application/problem+json"
    action.refresh_from_db()
    assert action.status == "done" and action.history.count() == 1


def household_row(code="GM0177", v_number="1234567890"):
    return {
        "municipality_code": code,
        "v_number": v_number,
        "linked_on": "2026-10-01",
        "adults": 2,
        "children": 1,
        "is_amv": "nee",
        "nidos": "nee",
        "needs_accessible": "nee",
        "needs_medical": "nee",
    }


def test_a_municipality_writes_its_own_households_and_every_one_written_is_logged(dataset, issue, raalte):
    from regietafel.audit.models import ProcessingLog
    from regietafel.persons.models import Household

    client = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True))
    written = client.post(
        "/api/v1/huishoudens/bulk",
        {"rows": [household_row(), household_row(v_number="1234567891")]},
        content_type="application/json",
    )
    assert written.status_code == 200 and written.json()["created"] == 2
    assert ProcessingLog.objects.filter(action="create").count() == 2
    other = client.post(
        "/api/v1/huishoudens", household_row("GM0166", "1234567892"), content_type="application/json"
    )
    assert other.status_code == 400
    assert (
        Household.objects.count() == 2 and not Household.objects.filter(municipality__code="GM0166").exists()
    )


def test_null_characters_are_refused_not_sent_to_the_database(dataset, issue):
    # PostgreSQL refuses text with NUL characters: the API must answer 4xx before any query.
    client = token_client(issue(can_write=True))
    assert client.get("/api/v1/taakstellingen", {"regio": "VR\x0004"}).status_code == 400
    assert client.get("/api/v1/gemeenten", {"regio": "VR\x0004"}).status_code == 400
    partner = client.post(
        "/api/v1/partners",
        {"name": "A", "kind": "civil_society", "works_in": ["GM\x000177"], "themes": ["\x00"]},
        content_type="application/json",
    )
    assert partner.status_code == 400
    assert token_client("abc\x00def.ghi").get("/api/v1/gemeenten").status_code == 401


def test_a_beheerder_records_agreed_targets_that_keep_the_regions_total(demo, issue, raalte):
    region = Area.objects.get(pk=default_region_id())
    ledger = HousingLedger(region)
    half_year = ledger.announced_half_years()[-1]
    statutory = {m.code: ledger.statutory(m, half_year)[0].value for m in ledger.municipalities}
    targets = {**statutory, "GM0177": statutory["GM0177"] - 1, "GM0166": statutory["GM0166"] + 1}
    body = {
        "region": region.code,
        "half_year": str(half_year),
        "agreed_on": "2025-02-01",
        "source": "Regietafel 1 februari",
        "targets": targets,
    }
    client = token_client(issue(can_write=True))
    created = client.post("/api/v1/afspraken", body, content_type="application/json")
    assert created.status_code == 201, created.content
    assert created.json()["targets"] == targets and created.json()["version"] == 1
    row = client.get("/api/v1/taakstellingen", {"gemeente": "GM0177", "periode": str(half_year)}).json()
    assert row["results"][0]["agreed"]["value"] == statutory["GM0177"] - 1
    stale = client.post("/api/v1/afspraken", body, content_type="application/json")  # no version: a new one
    assert stale.status_code == 409
    uneven = client.post(
        "/api/v1/afspraken",
        {**body, "targets": {**targets, "GM0177": 0}, "version": 1},
        content_type="application/json",
    )
    assert uneven.status_code == 400 and uneven.json()["errors"][0]["location"] == "#/targets"
    municipal = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True, name="m"))
    assert municipal.post("/api/v1/afspraken", body, content_type="application/json").status_code == 404
