"""Only a beheerder changes what decides what a user may see and write: an organisation's type and municipality, a
user's membership and role, a token's organisation and role (issue 21, hole 1: a municipality's user moved its own
organisation to another municipality and then read that municipality's households).

The class test tries every write a gemeente, partner or bestuurder can reach (every page form in the access matrix
and every write in the OpenAPI document, signed in and with the role's read-write token), with every choice a field
offers and, for a scope-like field, every organisation and a municipality of each kind access tells apart
(``scope_values``), and checks after each that every user's
scope is what it was, that every record-history line it wrote names who wrote it (hole 6: a token's writes had
no actor), and that no number, however large, is a server error (hole 2).
"""

import json
import re

import pytest
from auditlog.models import LogEntry
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import Client, RequestFactory
from django.urls import resolve, reverse

from regietafel.access.models import Membership, SystemToken, TwoFactorRule
from regietafel.access.scope import principal, restrict
from regietafel.accounts.services import issue_token
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area
from tests.access.test_matrix import CASES
from tests.forms import api_writes, page_forms, resolved

ROLES = {"M": "gemeente", "E": "bestuurder", "P": "partner"}
# Fields whose value names a municipality or an organisation: tried with every one of them.
SCOPE_FIELDS = re.compile(r"municipalit|area|organisation|owner|works_in|^kind$|^role$|gemeente|^code$")
OTHERS = 5  # other fields: their first few choices


def scope() -> dict:
    """Every user's role, organisation and municipality as access reads them, and what they are read from."""
    users = {}
    for user in get_user_model().objects.order_by("pk"):
        who = principal(user)  # a fresh user object: nothing cached
        users[user.username] = (who.role, who.organisation_id, who.area_id, user.is_superuser, user.is_active)
    return {"users": users, **inputs()}


def inputs() -> dict:
    """What access reads a user's scope from (``access.scope.principal``), in five queries: where these are as
    they were, every user's scope is."""
    return {
        "accounts": list(
            get_user_model().objects.order_by("pk").values_list("pk", "is_superuser", "is_active")
        ),
        "organisations": list(
            Organisation.objects.order_by("pk").values_list("pk", "kind", "municipality_id")
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list("user_id", "organisation_id", "role")
        ),
        "tokens": list(
            SystemToken.objects.order_by("pk").values_list("user_id", "revoked", "can_write", "expiry_date")
        ),
        "two_factor": list(TwoFactorRule.objects.order_by("role").values_list("role", flat=True)),
    }


def variants(values: dict[str, list[str]]) -> list[dict]:
    """The form as filled in plainly, then with one field at a time set to each value worth trying."""
    base = {name: options[0] for name, options in values.items() if options}
    tried = [base]
    for name, options in values.items():
        choices = options if SCOPE_FIELDS.search(name) else options[:OTHERS]
        tried.extend({**base, name: choice} for choice in choices[1:])
    return tried


def attempt(before: dict, send) -> bool:
    """One write, rolled back after the checks so that the next starts from the same world; whether it wrote."""
    last = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        response = send()
        assert response.status_code < 500, response.content[:500]
        # The inputs of every user's scope first (cheap); where one changed, the scopes themselves, to name it.
        if inputs() != {key: value for key, value in before.items() if key != "users"}:
            assert scope() == before, f"{response.status_code}: {response.content[:300]!r}"
        written = LogEntry.objects.filter(pk__gt=last)
        nameless = list(written.filter(actor=None).values_list("content_type__model", "action"))
        assert not nameless, f"record history without its actor: {nameless}"
        wrote = written.exists()
        transaction.set_rollback(True)
    return wrote


PAGE_CASES = [
    case
    for case in CASES
    if not case.api and not case.public and not case.machine and any(letter in case.own for letter in ROLES)
]


@pytest.mark.parametrize("case", PAGE_CASES, ids=[f"{case.name}" for case in PAGE_CASES])
def test_no_page_form_changes_anyones_scope(world, case):
    before = scope()
    tried = 0
    for letter, role in ROLES.items():
        if letter not in case.own:
            continue
        obj = world.own(case.target, role) if case.target else None
        url = reverse(case.name, args=case.args(world, obj) if case.args else None)
        client = world.client(role)
        if case.method == "post":
            attempt(before, lambda client=client, url=url: client.post(url))
            tried += 1
            continue
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for target, fields in page_forms(page.content.decode(), url, text="Bereikstest"):
            for data in variants(fields.values):
                attempt(before, lambda client=client, target=target, data=data: client.post(target, data))
                tried += 1
    print(f"{case.name}: {tried} posts")


def candidates(document: dict, name: str, schema: dict, version) -> list:
    schema = resolved(document, schema)
    if name == "version":
        return [version]
    if "enum" in schema:
        return [value for value in schema["enum"] if value is not None]
    if SCOPE_FIELDS.search(name):
        codes, ids = scope_values()
        if schema.get("type") == "array":
            return [[code] for code in codes]
        return codes + ids if schema.get("type") != "integer" else ids
    if schema.get("type") in ("integer", "number"):
        # Numbers out of every column's range, and not numbers at all: refused by name, never a server error.
        return [1, 2**31, -(2**31) - 1, 10**20, "NaN", "1e400"]
    if schema.get("type") == "boolean":
        return [True]
    if schema.get("type") == "array":
        return [[]]
    return ["Bereikstest"]


def scope_values() -> tuple[list[str], list[int]]:
    """The municipalities and organisations a scope-like field is tried with: one of each kind access tells apart
    (every municipality an organisation governs, one in the region that none governs, one outside the region), and
    every organisation of the world (each user's own and the others)."""
    municipalities = Area.objects.municipalities().order_by("code")
    governed = set(
        Organisation.objects.exclude(municipality=None).values_list("municipality__code", flat=True)
    )
    region = Area.objects.get(code="VR04")
    ungoverned = municipalities.exclude(code__in=governed)
    others = [ungoverned.filter(parent=region).first(), ungoverned.exclude(parent=region).first()]
    codes = sorted(governed | {area.code for area in others if area is not None})
    return codes, list(Organisation.objects.order_by("pk").values_list("pk", flat=True))


def bodies(document: dict, schema: dict | None, version) -> list[dict]:
    """One body per property and value worth trying (a bulk body: in its one row), the version read beside it."""
    schema = resolved(document, schema)
    properties = schema.get("properties", {})
    if set(properties) >= {"rows"} and "items" in resolved(document, properties["rows"]):
        rows = bodies(document, properties["rows"]["items"], version)
        return [{"rows": [row]} for row in rows]
    base = {
        name: candidates(document, name, prop, version)[0]
        for name, prop in properties.items()
        if name in schema.get("required", []) or name == "version"
    }
    tried = [base]
    for name, prop in properties.items():
        tried.extend({**base, name: value} for value in candidates(document, name, prop, version))
    return tried


def target_for(path: str, user):
    """The record a path with an {id} is about: one the user may change if there is one, else any."""
    if "{id}" not in path:
        return path, None
    match = resolve(path.replace("{id}", "1"))
    model = match.func.cls.queryset.model
    record = (
        restrict(model.objects.order_by("pk"), user, "change").first() or model.objects.order_by("pk").first()
    )
    if record is None:
        return None, None
    return path.replace("{id}", str(record.pk)), record


def token_client(world, role: str) -> tuple[Client, object]:
    """A client with a read-write token of the role's organisation and role, and the token's system account."""
    request = RequestFactory().post("/toegang/api-tokens/")
    request.user = world.users["beheerder"]
    membership = world.users[role].membership
    token, key = issue_token(
        request,
        name=f"Koppeling {role}",
        organisation=membership.organisation,
        role=membership.role,
        can_write=True,
    )
    return Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_AUTHORIZATION=f"Token {key}"), token.user


@pytest.mark.parametrize("channel", ["session", "token"])
def test_no_api_write_changes_anyones_scope(world, channel):
    document = world.client("beheerder").get("/api/v1/openapi.json").json()
    writes = api_writes(document)
    assert len(writes) >= 30, writes
    clients = {
        role: (world.client(role), world.users[role]) if channel == "session" else token_client(world, role)
        for role in ROLES.values()
    }
    before = scope()
    tried = wrote = 0
    for role in ROLES.values():
        client, user = clients[role]
        for method, path, schema in writes:
            url, record = target_for(path, user)
            if url is None:
                continue
            version = getattr(record, "version", None)
            for body in bodies(document, schema, version) or [{}]:
                query = f"?version={version}" if method == "delete" and version is not None else ""

                def send(client=client, method=method, url=url, body=body, query=query):
                    return getattr(client, method)(
                        url + query, json.dumps(body), content_type="application/json"
                    )

                wrote += attempt(before, send)
                tried += 1
    print(f"{channel}: {tried} API writes tried, {wrote} of them wrote record history")
    assert tried > 500 and wrote >= 10


def test_a_municipality_cannot_move_its_organisation_to_another_municipality(world):
    """Issue 21's reproduction: PATCH /api/v1/partners/{own id} with another municipality, and the same through the
    page's form; a partner cannot turn its organisation into a municipality either."""
    raalte = world.own("organisation", "gemeente")
    dalfsen = Area.objects.get(code="GM0148")  # no organisation of its own
    client = world.client("gemeente")

    api = client.patch(
        f"/api/v1/partners/{raalte.pk}",
        json.dumps({"municipality": "GM0148", "version": raalte.version}),
        content_type="application/json",
    )
    assert api.status_code == 400
    assert api.json()["errors"] == [
        {"in": "body", "location": "#/municipality", "detail": "You may not change this field."}
    ]

    page = client.post(
        f"/partners/{raalte.pk}/bewerken/",
        {"name": raalte.name, "kind": "municipality", "municipality": dalfsen.pk, "version": raalte.version},
    )
    assert (
        page.status_code == 302
    )  # saved, with the municipality as it was: the field is shown, not changeable
    raalte.refresh_from_db()
    assert raalte.municipality.code == "GM0177"
    assert 'name="municipality"' in client.get(f"/partners/{raalte.pk}/bewerken/").content.decode()
    assert "disabled" in re.search(
        r"<select[^>]*name=\"municipality\"[^>]*>",
        client.get(f"/partners/{raalte.pk}/bewerken/").content.decode(),
    ).group(0)

    partner = world.own("organisation", "partner")
    refused = world.client("partner").patch(
        f"/api/v1/partners/{partner.pk}",
        json.dumps({"kind": "municipality", "version": partner.version}),
        content_type="application/json",
    )
    assert refused.status_code == 400
    partner.refresh_from_db()
    assert partner.kind == "civil_society"


def test_a_beheerder_still_sets_an_organisations_municipality(world):
    dalfsen = Organisation.objects.create(name="Gemeente Dalfsen", kind="municipality")
    answer = world.client("beheerder").patch(
        f"/api/v1/partners/{dalfsen.pk}",
        json.dumps({"municipality": "GM0148", "version": dalfsen.version}),
        content_type="application/json",
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["municipality"] == "GM0148"
