"""Practices, partners and conditions written through the API: the page's form and service, its rules and its
refusals, and a changed version is a conflict."""

import datetime

import pytest

from regietafel.access.models import Role
from regietafel.conditions.models import Condition
from regietafel.core.models import Theme
from regietafel.organisations.models import Organisation
from regietafel.practices.models import Practice
from tests.api.conftest import token_client


@pytest.fixture
def kampen(dataset):
    from regietafel.regions.models import Area

    return Organisation.objects.create(
        name="Gemeente Kampen", kind="municipality", municipality=Area.objects.get(code="GM0166")
    )


def practice_body(raalte, **extra):
    theme = Theme.objects.order_by("name").first()
    return {
        "title": "Taalcafé",
        "municipality": "GM0177",
        "organisation": raalte.pk,
        "target_group": "status_holders",
        "themes": [theme.name],
        "problem": "Weinig oefening met Nederlands",
        "approach": "Wekelijks taalcafé in de bibliotheek",
        "contact": "Team Inburgering, inburgering@raalte.nl",
        **extra,
    }


def test_a_municipality_publishes_changes_and_deletes_its_own_practice(issue, raalte, kampen):
    client = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True))
    created = client.post("/api/v1/werkwijzen", practice_body(raalte), content_type="application/json")
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["municipality"], body["organisation"], body["version"]) == ("GM0177", raalte.pk, 1)
    url = f"/api/v1/werkwijzen/{body['id']}"
    changed = client.patch(url, {"results": "20 deelnemers", "version": 1}, content_type="application/json")
    assert changed.status_code == 200 and changed.json()["results"] == "20 deelnemers"
    assert changed.json()["title"] == "Taalcafé"  # what was not sent stays
    stale = client.patch(url, {"title": "Anders", "version": 1}, content_type="application/json")
    assert stale.status_code == 409 and Practice.objects.get().title == "Taalcafé"
    assert client.delete(url).status_code == 400  # the version is required
    assert client.delete(url, QUERY_STRING="version=2").status_code == 204
    assert not Practice.objects.exists()


def test_a_practice_in_another_organisations_name_is_refused_naming_the_field(issue, raalte, kampen):
    client = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True))
    refused = client.post(
        "/api/v1/werkwijzen",
        practice_body(raalte, organisation=kampen.pk, municipality="GM0166", themes=["Bestaat niet"]),
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert {error["location"] for error in refused.json()["errors"]} == {
        "#/organisation",
        "#/municipality",
        "#/themes",
    }
    assert not Practice.objects.exists()


def test_an_organisation_changes_its_own_entry_only(issue, raalte, kampen):
    client = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True))
    own = client.patch(
        f"/api/v1/partners/{raalte.pk}",
        {"description": "Gemeente in Salland", "works_in": ["GM0177", "GM0148"], "version": raalte.version},
        content_type="application/json",
    )
    assert own.status_code == 200, own.content
    assert own.json()["description"] == "Gemeente in Salland" and sorted(own.json()["works_in"]) == [
        "GM0148",
        "GM0177",
    ]
    other = client.patch(
        f"/api/v1/partners/{kampen.pk}", {"description": "x", "version": 1}, content_type="application/json"
    )
    assert other.status_code == 404
    assert (
        client.post(
            "/api/v1/partners", {"name": "Nieuw", "kind": "civil_society"}, content_type="application/json"
        ).status_code
        == 404
    )


def test_a_beheerder_adds_a_condition_and_a_stale_change_is_a_conflict(issue, raalte):
    client = token_client(issue(Role.ADMIN, can_write=True))
    created = client.post(
        "/api/v1/randvoorwaarden",
        {
            "title": "Structurele financiering",
            "new_theme": "Financiën gemeenten",
            "status": "not_agreed",
            "what_we_ask": "Meerjarige middelen",
            "region": "VR04",
        },
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    condition = Condition.objects.get()
    assert condition.theme.name == "Financiën gemeenten" and condition.region.code == "VR04"
    url = f"/api/v1/randvoorwaarden/{condition.pk}"
    agreed = client.patch(url, {"status": "agreed", "version": 1}, content_type="application/json")
    assert agreed.status_code == 200 and agreed.json()["status"] == "agreed"
    assert condition.changes.filter(field="status").exists()
    assert (
        client.patch(url, {"status": "not_agreed", "version": 1}, content_type="application/json").status_code
        == 409
    )
    municipal = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True, name="m"))
    assert (
        municipal.patch(
            url, {"status": "not_agreed", "version": 2}, content_type="application/json"
        ).status_code
        == 404
    )


@pytest.mark.parametrize("junk", [{"a": 1}, [1, [2]], None, 10**30, "x" * 5000, True])
def test_junk_in_any_field_is_a_400_naming_fields_never_a_server_error(issue, raalte, junk):
    client = token_client(issue(Role.ADMIN, can_write=True))
    for url, fields in (
        ("/api/v1/werkwijzen", ["title", "municipality", "organisation", "themes", "target_group"]),
        ("/api/v1/partners", ["name", "kind", "municipality", "works_in", "themes", "website"]),
        ("/api/v1/randvoorwaarden", ["title", "theme", "status", "region", "owner"]),
        ("/api/v1/realisaties", ["municipality_code", "month", "housed"]),
        ("/api/v1/vergaderingen", ["body", "title", "starts_at", "ends_at"]),
        ("/api/v1/besluiten", ["agenda_item", "text"]),
        ("/api/v1/signalen", ["title", "raised_by", "raised_on", "urgency", "group", "municipalities"]),
    ):
        response = client.post(url, {field: junk for field in fields}, content_type="application/json")
        assert response.status_code == 400, (url, response.content)
        assert response.json()["errors"], url
    assert client.post("/api/v1/werkwijzen", [1, 2], content_type="application/json").status_code == 400
    assert (
        client.post("/api/v1/realisaties/bulk", {"rows": "x"}, content_type="application/json").status_code
        == 400
    )


def test_a_beheerder_plans_a_meeting_and_a_bestuurder_records_a_decision(issue, raalte):
    from regietafel.meetings.models import AgendaItem, Body, Decision, Meeting
    from regietafel.regions.models import Area

    Body.objects.create(name="Regietafel", kind="steering_table", region=Area.objects.get(code="VR04"))
    admin = token_client(issue(Role.ADMIN, can_write=True))
    created = admin.post(
        "/api/v1/vergaderingen",
        {"body": "Regietafel", "title": "Regietafel maart", "starts_at": "2026-03-12T10:00:00+01:00"},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    meeting = Meeting.objects.get()
    moved = admin.patch(
        f"/api/v1/vergaderingen/{meeting.pk}",
        {"place": "Deventer", "ends_at": "2026-03-12T09:00:00+01:00", "version": meeting.version},
        content_type="application/json",
    )
    assert moved.status_code == 400 and moved.json()["errors"][0]["location"] == "#/ends_at"
    moved = admin.patch(
        f"/api/v1/vergaderingen/{meeting.pk}",
        {"place": "Deventer", "version": meeting.version},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["place"] == "Deventer"

    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Huisvesting")
    team = Organisation.objects.create(name="Programmateam", kind="program_team")
    executive = token_client(issue(Role.EXECUTIVE, team, can_write=True, name="b"))
    decided = executive.post(
        "/api/v1/besluiten",
        {"agenda_item": item.pk, "text": "Extra woningen zoeken"},
        content_type="application/json",
    )
    assert decided.status_code == 201 and decided.json()["agenda_item_title"] == "Huisvesting"
    assert Decision.objects.get().text == "Extra woningen zoeken"
    municipal = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True, name="m"))
    assert (
        municipal.post(
            "/api/v1/besluiten", {"agenda_item": item.pk, "text": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert municipal.post("/api/v1/vergaderingen", {}, content_type="application/json").status_code == 404


def test_a_beheerder_adds_an_action_and_refers_a_question_then_closes_it(issue, raalte):
    from regietafel.meetings.models import Action, AgendaItem, Body, Decision, Forum, Meeting, Referral
    from regietafel.regions.models import Area

    body = Body.objects.create(name="Regietafel", kind="steering_table", region=Area.objects.get(code="VR04"))
    meeting = Meeting.objects.create(
        body=body, title="Regietafel", starts_at=datetime.datetime(2026, 3, 12, 10, tzinfo=datetime.UTC)
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Huisvesting")
    decision = Decision.objects.create(agenda_item=item, text="Woningen zoeken")
    Forum.objects.create(name="Woonoverleg", kind="regional")
    admin = token_client(issue(Role.ADMIN, can_write=True))
    action = admin.post(
        "/api/v1/acties",
        {
            "decision": decision.pk,
            "title": "Tien woningen",
            "owner_organisation": raalte.pk,
            "deadline": "2026-06-01",
        },
        content_type="application/json",
    )
    assert action.status_code == 201, action.content
    assert Action.objects.get().history.count() == 1
    no_owner = admin.post(
        "/api/v1/acties",
        {"decision": decision.pk, "title": "x", "deadline": "2026-06-01"},
        content_type="application/json",
    )
    assert no_owner.status_code == 400
    referral = admin.post(
        "/api/v1/doorverwijzingen",
        {
            "agenda_item": item.pk,
            "forum": "Woonoverleg",
            "title": "Vraag",
            "question": "Wie?",
            "sent_on": "2026-03-13",
        },
        content_type="application/json",
    )
    assert referral.status_code == 201, referral.content
    url = f"/api/v1/doorverwijzingen/{referral.json()['id']}/sluiten"
    assert admin.post(url, {"version": 1}, content_type="application/json").json()["status"] == "closed"
    assert admin.post(url, {"version": 1}, content_type="application/json").status_code == 409
    assert Referral.objects.get().status == "closed"
    municipal = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True, name="m"))
    assert municipal.post("/api/v1/acties", {}, content_type="application/json").status_code == 404
    assert municipal.post("/api/v1/doorverwijzingen", {}, content_type="application/json").status_code == 404


def test_a_municipality_raises_a_signal_and_the_programme_team_closes_it(issue, raalte, kampen):
    raalte_client = token_client(issue(Role.MUNICIPALITY, raalte, can_write=True))
    body = {
        "title": "Locatie sluit",
        "description": "De noodopvang in Raalte sluit op 1 februari.",
        "raised_by": "Gemeente Raalte",
        "raised_on": "2026-11-20",
        "urgency": "high",
        "group": "asylum_seekers",
        "municipalities": ["GM0177"],
    }
    # In another organisation's name: refused, naming the field.
    refused = raalte_client.post(
        "/api/v1/signalen", {**body, "raised_by": "Gemeente Kampen"}, content_type="application/json"
    )
    assert refused.status_code == 400
    assert [e["location"] for e in refused.json()["errors"]] == ["#/raised_by"]
    created = raalte_client.post("/api/v1/signalen", body, content_type="application/json")
    assert created.status_code == 201, created.content
    signal = created.json()
    assert (signal["raised_by"], signal["municipalities"], signal["status"]) == (
        "Gemeente Raalte",
        ["GM0177"],
        "new",
    )
    listed = raalte_client.get("/api/v1/signalen?gemeente=GM0177").json()["results"]
    assert [s["id"] for s in listed] == [signal["id"]]
    # Closing is the programme team's.
    url = f"/api/v1/signalen/{signal['id']}/sluiten"
    close = {"outcome": "Bewoners verhuisd naar Deventer.", "version": signal["version"]}
    assert raalte_client.post(url, close, content_type="application/json").status_code == 404
    admin = token_client(issue(Role.ADMIN, can_write=True))
    closed = admin.post(url, close, content_type="application/json")
    assert closed.status_code == 200 and closed.json()["status"] == "closed"
    assert admin.post(url, close, content_type="application/json").status_code == 409
    # No changing or deleting a signal through the API.
    assert (
        admin.patch(f"/api/v1/signalen/{signal['id']}", {}, content_type="application/json").status_code
        == 405
    )
