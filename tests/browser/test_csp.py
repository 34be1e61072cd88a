"""The Content Security Policy holds on every page, in Chromium: no inline script or style is needed, so the
browser blocks nothing, and the language switcher and htmx work under it."""

import json
import re

import pytest
from playwright.sync_api import expect

from regietafel.organisations.models import Organisation
from tests.browser.test_accessibility import PAGES, access_pages, table_pages
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

# Chromium fires securitypolicyviolation on the document for everything the policy blocks; collect them from
# the first script of every page on (an init script is not itself subject to the page's policy).
COLLECT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile || "?"}:${event.lineNumber}: ${event.sample || ""}`);
});
"""


@pytest.fixture
def watched(page):
    """The page, with a list of the CSP violations its console reported."""
    page.context.add_init_script(COLLECT)
    console = []
    page.on(
        "console",
        lambda message: console.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return page, console


def problems(page, console) -> list[str]:
    page.wait_for_load_state("load")
    found = page.evaluate("() => window.__cspViolations || []") + console
    console.clear()
    return found


def policy(response) -> str:
    header = response.headers.get("content-security-policy", "")
    assert header, f"no Content-Security-Policy on {response.url}"
    assert "unsafe-inline" not in header and "unsafe-eval" not in header, header
    return header


def partner_pages() -> list[str]:
    coa = Organisation.objects.get(name="COA")
    contact = coa.contacts.get()
    return [
        "/partners/",
        "/partners/nieuw/",
        f"/partners/{coa.pk}/",
        f"/partners/{coa.pk}/bewerken/",
        f"/partners/{coa.pk}/contactpersonen/{contact.pk}/",
        "/partners/wie-doet-wat-waar/",
    ]


def test_no_page_violates_the_content_security_policy(watched, site):
    page, console = watched
    found = {}
    response = page.goto(f"{site.url}/inloggen/")
    policy(response)
    if violations := problems(page, console):
        found["/inloggen/"] = violations
    log_in(page, site)
    for path in [
        *PAGES,
        *table_pages(),
        *partner_pages(),
        *access_pages(),
        "/account/tweestapsverificatie/",
        "/bestaat-niet/",
    ]:
        response = page.goto(f"{site.url}{path}")
        assert response.status == (404 if path == "/bestaat-niet/" else 200), path
        policy(response)
        if violations := problems(page, console):
            found[path] = violations
    assert found == {}, json.dumps(found, indent=1)


def test_the_check_itself_sees_a_violation(watched, site):
    page, console = watched
    page.goto(f"{site.url}/inloggen/")
    page.evaluate("() => document.body.insertAdjacentHTML('beforeend', '<p style=\"color: red\">x</p>')")
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert any("style-src" in violation for violation in problems(page, console))


def test_htmx_updates_the_page_under_the_policy(watched, site):
    page, console = watched
    log_in(page, site)
    problems(page, console)
    page.select_option("#halfjaar", "2025-H1")
    expect(page).to_have_url(re.compile(r"halfjaar=2025-H1"))
    expect(page.locator(".rt-tile").first).to_be_visible()
    # The tile map keeps its grid: Raalte (row 4, column 3) sits below Dalfsen (row 1, column 3).
    raalte = page.locator(".rt-tile", has_text="Raalte").bounding_box()
    dalfsen = page.locator(".rt-tile", has_text="Dalfsen").bounding_box()
    assert raalte["y"] > dalfsen["y"] and abs(raalte["x"] - dalfsen["x"]) < 2
    assert problems(page, console) == []


def test_the_language_switcher_works_without_an_inline_handler(watched, site):
    page, console = watched
    log_in(page, site)
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    page.select_option("#taal", "en")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("#taal")).to_have_value("en")
    page.select_option("#taal", "nl")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    assert problems(page, console) == []


def test_the_api_reference_shows_every_resource_under_the_policy(watched, transactional_db, live_server):
    """Swagger UI from our own static files reads the OpenAPI document (no demo data needed: it is the schema)."""
    page, console = watched
    response = page.goto(f"{live_server.url}/api/v1/docs")
    assert response.status == 200
    policy(response)
    expect(page.locator(".opblock-tag-section").first).to_be_visible()
    expect(page.locator(".opblock-tag-section")).not_to_have_count(0)
    assert page.locator(".opblock-tag-section").count() >= 20  # one per resource
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("Regietafel")
    assert problems(page, console) == []
