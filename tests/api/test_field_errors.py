"""A wrong value sent to the API is refused with the import's own message, word for word, in Dutch, at the cell's
JSON Pointer: for every table the API writes through the import (its bulk endpoint) and every column that can hold
a wrong value. The API adds no validation of its own in between, so a row an import refuses in a file is refused the
same way in a request."""

import pytest
import tablib
from django import forms
from django.utils import translation

from regietafel.access.models import Role
from regietafel.api.resources import RESOURCES
from regietafel.imports.services import Guard, ImportRejected, import_rows
from tests.api.conftest import token_client

WRITTEN_THROUGH_IMPORTS = [
    (prefix, viewset.spec)
    for prefix, viewset, _basename, _text in RESOURCES
    if getattr(viewset, "spec", None)
]


def wrong(field: forms.Field) -> str | None:
    """A value this field refuses, or None for free text without a length limit."""
    if isinstance(field, forms.IntegerField | forms.DecimalField | forms.FloatField):
        return "veel"
    if isinstance(field, forms.DateField):
        return "gisteren"
    if isinstance(field, forms.ChoiceField):
        return "bestaat-niet"
    if getattr(field, "max_length", None):
        return "x" * (field.max_length + 1)
    return None


def seed(spec) -> dict | None:
    """A row the import takes: the template's example, or else a stored record as its export gives it."""
    if spec.example_rows:
        row = dict(spec.example_rows[0])
    elif record := spec.queryset().order_by("pk").first():
        row = spec.row(record)
    else:
        return None
    return {name: "" if value is None else str(value) for name, value in row.items() if name != "is_demo"}


def test_every_import_table_of_the_api_is_covered(dataset):
    assert len(WRITTEN_THROUGH_IMPORTS) >= 15
    assert [prefix for prefix, spec in WRITTEN_THROUGH_IMPORTS if seed(spec) is None] == []


@pytest.mark.parametrize(
    ("prefix", "spec"), WRITTEN_THROUGH_IMPORTS, ids=[p for p, _s in WRITTEN_THROUGH_IMPORTS]
)
def test_a_wrong_cell_gets_the_imports_own_message_at_its_pointer(dataset, issue, admin, prefix, spec):
    api = token_client(issue(Role.ADMIN, can_write=True))
    compared = 0
    for column, field in spec.form_class().fields.items():
        value = wrong(field)
        if value is None:
            continue
        row = {**seed(spec), column: value}
        with translation.override("nl"):
            file = tablib.Dataset(headers=spec.columns)
            file.append([row.get(name, "") for name in spec.columns])
            with pytest.raises(ImportRejected) as refused:
                import_rows(spec, file, guard=Guard(admin, None))
        expected = {(f"#/rows/0/{error.field}", error.message) for error in refused.value.validation.errors}
        response = api.post(
            f"/api/v1/{prefix}/bulk",
            {"rows": [row]},
            content_type="application/json",
            HTTP_ACCEPT_LANGUAGE="nl",
        )
        assert response.status_code == 400, (column, response.json())
        answered = {(error["location"], error["detail"]) for error in response.json()["errors"]}
        assert answered == expected, column
        assert (f"#/rows/0/{column}", next(m for c, m in expected if c == f"#/rows/0/{column}")) in answered
        compared += 1
    assert compared, prefix
