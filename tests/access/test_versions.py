"""Concurrent edits, one rule (issue 21, hole 3): a change of a versioned record (a model that inherits
``core.models.Versioned``) without the version its user read is refused; with an older version it is refused as a
conflict; with the current version it goes through. ``PATCH /api/v1/partners/{id}`` without ``version`` answered 200
because the stored version was merged into the request.

The class test tries every versioned resource: every page form of the access matrix that carries a record's version
(as the beheerder, who may use them all) and every write of the OpenAPI document on a versioned record, each with the
version missing, old and current. A refused write changes no versioned record.
"""

import json

import pytest
from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.urls import resolve, reverse

from regietafel.core.models import Versioned
from regietafel.core.versioning import changed_message, missing_message
from tests.access.test_matrix import CASES
from tests.forms import api_writes, page_forms, resolved

VERSIONED = [model for model in apps.get_models() if issubclass(model, Versioned)]


def versioned_rows() -> dict:
    """Every row of every versioned model, as stored."""
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in VERSIONED}


def bump_all() -> None:
    """Someone else saved every versioned record meanwhile."""
    for model in VERSIONED:
        model.objects.update(version=F("version") + 1)


def rolled_back(check) -> None:
    with transaction.atomic():
        check()
        transaction.set_rollback(True)


def test_every_model_with_a_version_is_versioned():
    """A ``version`` column outside ``Versioned`` would escape the rule and this test (a publication's number is
    not an edit version)."""
    loose = [
        model._meta.label
        for model in apps.get_models()
        if "version" in {field.name for field in model._meta.fields}
        and not issubclass(model, Versioned)
        and model._meta.label != "publication.Publication"
    ]
    assert not loose
    assert len(VERSIONED) >= 15


# Pages ------------------------------------------------------------------------------------------------------

PAGE_CASES = [
    case for case in CASES if not case.api and not case.public and case.method == "get" and "A" in case.own
]


def version_fields(values: dict[str, str]) -> list[str]:
    return [name for name, value in values.items() if name.endswith("version") and str(value).isdigit()]


def page_versioned_forms(world):
    """(page, form address, form filled in plainly) for every form on a page of the matrix that carries the version
    of a record it changes."""
    client = world.client("beheerder")
    found = []
    for case in PAGE_CASES:
        obj = world.own(case.target, "beheerder") if case.target else None
        url = reverse(case.name, args=case.args(world, obj) if case.args else None)
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        for target, fields in page_forms(page.content.decode(), url, text="Versietest"):
            if version_fields(fields.plain):
                found.append((url, target, fields.plain))
    return found


def test_every_page_form_refuses_a_missing_or_old_version_and_takes_the_current(world):
    forms = page_versioned_forms(world)
    assert len(forms) >= 15, [target for _url, target, _data in forms]
    refusals = (missing_message().encode(), changed_message().encode())
    went_through = 0
    for _url, target, data in forms:
        names = version_fields(data)

        def missing(target=target, data=data, names=names):
            client = world.client("beheerder")  # a new one each time: no message left from the last post
            before = versioned_rows()
            response = client.post(target, {k: v for k, v in data.items() if k not in names})
            assert response.status_code < 500, (target, response.content[:300])
            assert versioned_rows() == before, f"{target} changed a record without the version read"

        def old(target=target, data=data):
            client = world.client("beheerder")
            bump_all()
            before = versioned_rows()
            response = client.post(target, data)
            assert response.status_code < 500, (target, response.content[:300])
            assert versioned_rows() == before, f"{target} changed a record with an old version"

        def current(target=target, data=data, names=names):
            nonlocal went_through
            client = world.client("beheerder")
            bump_all()
            before = versioned_rows()
            response = client.post(target, {**data, **{name: int(data[name]) + 1 for name in names}})
            assert response.status_code < 500, (target, response.content[:300])
            page = response.content
            if response.status_code == 302:
                page = client.get(response["Location"]).content
            assert not any(refusal in page for refusal in refusals), f"{target} refused the current version"
            went_through += versioned_rows() != before

        for check in (missing, old, current):
            rolled_back(check)
    print(f"{len(forms)} page forms with a version, {went_through} changed a record with the current one")
    assert went_through >= len(forms) // 2


# API --------------------------------------------------------------------------------------------------------


def plain_value(document: dict, schema: dict):
    schema = resolved(document, schema)
    if "enum" in schema:
        return next(value for value in schema["enum"] if value is not None)
    if "allOf" in schema or "oneOf" in schema:
        return plain_value(document, (schema.get("allOf") or schema.get("oneOf"))[0])
    if schema.get("format") == "date":
        return "2026-12-31"
    return {"integer": 1, "number": 1, "boolean": True, "array": [], "object": {}}.get(
        schema.get("type"), "Versietest"
    )


def versioned_api_writes(document: dict):
    """(method, path, model, schema) for every write on one versioned record."""
    found = []
    for method, path, schema in api_writes(document):
        if "{id}" not in path:
            continue
        model = resolve(path.replace("{id}", "1")).func.cls.queryset.model
        if not issubclass(model, Versioned):
            continue
        found.append((method, path, model, resolved(document, schema)))
    return found


def plain_body(client, document: dict, url: str, schema: dict) -> dict:
    """A body that changes nothing else: the record's own values for a change, plain values where it has none."""
    stored = client.get(url).json() if client.get(url).status_code == 200 else {}
    return {
        name: stored[name] if name in stored else plain_value(document, prop)
        for name, prop in schema.get("properties", {}).items()
        if name != "version"
        and (name in stored or name in schema.get("required", []))
        and not prop.get("readOnly")
    }


def problem_names(response) -> set[str]:
    """The inputs a 400 names: a body field (``#/version``) or a query parameter (``version``), by name."""
    return {entry["location"].rsplit("/", 1)[-1] for entry in response.json().get("errors", [])}


def test_every_api_write_on_a_versioned_record_needs_the_current_version(world):
    client = world.client("beheerder")
    document = client.get("/api/v1/openapi.json").json()
    writes = versioned_api_writes(document)
    assert {path for _method, path, _model, _schema in writes} >= {
        "/api/v1/partners/{id}",
        "/api/v1/werkwijzen/{id}",
        "/api/v1/vergaderingen/{id}",
    }

    def send(method, url, body, version):
        if method == "delete":
            query = "" if version is None else f"?version={version}"
            return client.delete(url + query)
        sent = body if version is None else {**body, "version": version}
        return getattr(client, method)(url, json.dumps(sent), content_type="application/json")

    for method, path, model, schema in writes:
        record = model.objects.order_by("pk").first()
        assert record is not None, f"the world has no {model._meta.label} to try {path} on"
        url = path.replace("{id}", str(record.pk))
        body = plain_body(client, document, url, schema)

        def missing(method=method, url=url, body=body):
            before = versioned_rows()
            response = send(method, url, body, None)
            assert response.status_code == 400, (method, url, response.status_code, response.content[:300])
            assert "version" in problem_names(response), response.json()
            assert versioned_rows() == before

        def old(method=method, url=url, body=body, record=record):
            bump_all()
            before = versioned_rows()
            response = send(method, url, body, record.version)
            assert response.status_code == 409, (method, url, response.status_code, response.content[:300])
            assert versioned_rows() == before

        def current(method=method, url=url, body=body, record=record):
            bump_all()
            response = send(method, url, body, record.version + 1)
            assert response.status_code < 500, (method, url, response.content[:300])
            assert response.status_code != 409, (method, url, response.content[:300])
            if response.status_code == 400:
                assert "version" not in problem_names(response), response.json()

        for check in (missing, old, current):
            rolled_back(check)
    print(f"{len(writes)} API writes on versioned records, each with the version missing, old and current")


@pytest.mark.parametrize(
    "path", ["/api/v1/partners/{id}", "/api/v1/werkwijzen/{id}", "/api/v1/vergaderingen/{id}"]
)
def test_a_patch_without_its_version_no_longer_overwrites(world, path):
    """The issue's three reproductions, as they were reported."""
    client = world.client("beheerder")
    model = resolve(path.replace("{id}", "1")).func.cls.queryset.model
    record = model.objects.order_by("pk").first()
    response = client.patch(
        path.replace("{id}", str(record.pk)), json.dumps({}), content_type="application/json"
    )
    assert response.status_code == 400
    assert problem_names(response) == {"version"}
    record.refresh_from_db()
    assert record.version == model.objects.get(pk=record.pk).version
