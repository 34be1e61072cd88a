"""WCAG 2.1 A/AA checks with axe-core on every page of the partner register, in Chromium."""

import json

import pytest

from regietafel.organisations.demo import load_demo
from regietafel.organisations.models import Organisation
from tests.browser.conftest import browser, page, site  # noqa: F401  (fixtures)
from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


@pytest.fixture
def partner_site(site):  # noqa: F811
    load_demo()
    return site


def test_every_partner_page_has_no_wcag_violations(page, partner_site):  # noqa: F811
    coa = Organisation.objects.get(name="COA")
    contact = coa.contacts.get()
    log_in(page, partner_site)
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
        page.goto(f"{partner_site.url}{path}")
        if problems := violations(page):
            found[path] = problems
    # A form with errors, as a user sees it after submitting.
    page.goto(f"{partner_site.url}/partners/nieuw/")
    page.fill("#id_website", "geen url")
    page.locator("main button[type=submit]").click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()
    if problems := violations(page):
        found["/partners/nieuw/ (errors)"] = problems
    assert found == {}, json.dumps(found, indent=1)
