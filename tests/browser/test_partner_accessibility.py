"""WCAG 2.1 A/AA checks with axe-core on every page of the partner register, in Chromium."""

import json

import pytest

from regietafel.organisations.models import Organisation
from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def test_every_partner_page_has_no_wcag_violations(page, site):
    coa = Organisation.objects.get(name="COA")
    contact = coa.contacts.get()
    log_in(page, site)
    found = {}
    for path in [
        "/partners/",
        "/partners/?soort=guild",
        "/partners/nieuw/",
        f"/partners/{coa.pk}/",
        f"/partners/{coa.pk}/bewerken/",
        f"/partners/{coa.pk}/contactpersonen/nieuw/",
        f"/partners/{coa.pk}/contactpersonen/{contact.pk}/",
        f"/partners/{coa.pk}/contactpersonen/{contact.pk}/verwijderen/",
        "/partners/wie-doet-wat-waar/",
    ]:
        page.goto(f"{site.url}{path}")
        if problems := violations(page):
            found[path] = problems
    # A form with errors, as a user sees it after submitting.
    page.goto(f"{site.url}/partners/nieuw/")
    page.fill("#id_website", "geen url")
    page.locator("main button[type=submit]").click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()
    if problems := violations(page):
        found["/partners/nieuw/ (errors)"] = problems
    assert found == {}, json.dumps(found, indent=1)
