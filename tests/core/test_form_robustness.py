"""Robustness gate for forms: whatever is posted to a form page, the answer is the page with its errors or the
saved result, never a server error, and a refused post writes nothing.

Each page's own form is read from its HTML (the field names a browser would send); Hypothesis fills them with
what people type and paste: grouped thousands, dates in other notations, formulas, control and null characters,
very long text, other scripts, numbers out of range.
"""

import os

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regietafel.meetings.models import Action
from tests.forms import FORM, FormFields

EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "25"))

PAGES = [
    "/regietafel/vergadering/nieuw/",
    "/randvoorwaarden/nieuw/",
    "/verdeling/nieuw/",
    "/verdeling/sleutels/nieuw/",
    "/koppelen/woningen/nieuw/",
    "/partners/nieuw/",
    "/personen/nieuw/",
    "/werkwijzen/nieuw/",
    "/toegang/api-tokens/",
    "/afspraken/2025-H2/",
    "/perioden/",
    "action",
]
# Written on every request or read of personal data; a refused post may still log that someone looked.
LOGS = ("audit", "auditlog", "axes", "sessions")

values = st.one_of(
    st.sampled_from(
        [
            "",
            "1.234",
            "12,5",
            "-1",
            "0",
            "99999999999999999999",
            "2025-02-30",
            "31-12-2025",
            "2025-H2",
            '=HYPERLINK("https://example.invalid")',
            "\x00",
            "GM0193",
            "on",
            "1",
            "x" * 5000,
            "<script>alert(1)</script>",
            "١٢٣",
        ]
    ),
    st.text(max_size=40),
)
# How a page says a post was refused: a field's error, or the form's (the page is shown again, with what was typed).
REFUSED = (b"utrecht-form-field-error-message", b"utrecht-alert--error")


def counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.app_label not in LOGS and model._meta.managed
    }


def form_fields(html: str) -> dict[str, str]:
    """The fields of the page's largest form (not the language or logout form in the header)."""
    forms = sorted(FORM.findall(html), key=len, reverse=True)
    assert forms, "no form on the page"
    parser = FormFields("Robuustheidstest")
    parser.feed(forms[0])
    return parser.plain


@pytest.mark.parametrize("path", PAGES)
def test_any_post_to_a_form_is_answered_without_a_server_error(path, demo, logged_in):
    if path == "action":
        action = Action.objects.create(title="Robuustheid", deadline="2026-12-31")
        path = f"/regietafel/acties/{action.pk}/"
    page = logged_in.get(path)
    assert page.status_code == 200
    fields = form_fields(page.content.decode())

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    # Each field keeps its plausible value or gets a nasty one: some posts are saved, most are refused.
    @given(
        data=st.fixed_dictionaries(
            {name: st.one_of(st.just(value), values) for name, value in fields.items()}
        )
    )
    def check(data):
        before = counts()
        response = logged_in.post(path, data)
        assert response.status_code in (200, 302, 400, 403, 404, 409), response.status_code
        refused = response.status_code >= 400 or any(mark in response.content for mark in REFUSED)
        if refused:
            assert counts() == before

    check()
