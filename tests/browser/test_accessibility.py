"""WCAG 2.1 A/AA checks with axe-core (from the npm lockfile) on every page a user reaches in the monitor."""

import json
import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.browser.test_journeys import log_in
from tests.support import MONITOR_PAGES

pytestmark = pytest.mark.browser

AXE = settings.NODE_MODULES_DIR / "axe-core" / "axe.min.js"
PAGES = [*MONITOR_PAGES, "/import/realisation/"]


def violations(page) -> list[dict]:
    # On a page that has finished loading: right after a click that navigates, the old document may be gone.
    page.wait_for_load_state()
    # Run as page script by the driver, not as an inline <script>: the Content Security Policy forbids those.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def test_every_page_has_no_wcag_violations(page, site):
    """The monitor's, the table's, access's and set-up's pages, in one test: the demo site is built once (a
    browser test's set-up costs more than checking a page)."""
    log_in(page, site)
    found = {}
    for path in [*PAGES, *table_pages(), *access_pages(), *setup_pages()]:
        page.goto(f"{site.url}{path}")
        if problems := violations(page):
            found[path] = problems
    assert found == {}, json.dumps(found, indent=1)


def test_the_check_itself_finds_a_violation(page, transactional_db, live_server):
    """On the login page (tests/browser/test_login_accessibility.py checks it has none): no demo site needed."""
    page.goto(f"{live_server.url}/inloggen/")
    page.evaluate(
        "() => document.querySelector('main').insertAdjacentHTML('beforeend', '<img src=\"x.png\">')"
    )
    assert "image-alt" in {violation["id"] for violation in violations(page)}


def table_pages() -> list[str]:
    from regietafel.conditions.models import Condition
    from regietafel.meetings.models import Action, Meeting, Referral
    from regietafel.practices.models import Practice

    meeting = Meeting.objects.order_by("starts_at").first()
    return [
        "/regietafel/",
        "/regietafel/vergadering/nieuw/",
        f"/regietafel/vergadering/{meeting.pk}/",
        f"/regietafel/vergadering/{Meeting.objects.order_by('starts_at').last().pk}/",
        "/regietafel/acties/",
        f"/regietafel/acties/{Action.objects.first().pk}/",
        "/regietafel/doorverwijzingen/",
        f"/regietafel/doorverwijzingen/{Referral.objects.first().pk}/",
        "/randvoorwaarden/",
        "/randvoorwaarden/nieuw/",
        f"/randvoorwaarden/{Condition.objects.first().pk}/",
        "/werkwijzen/",
        "/werkwijzen/?q=statushouders",
        "/werkwijzen/nieuw/",
        f"/werkwijzen/{Practice.objects.first().pk}/",
    ]


def access_pages() -> list[str]:
    from django.contrib.auth import get_user_model

    from regietafel.persons.models import Household

    household = Household.objects.first()
    return [
        "/personen/",
        "/personen/nieuw/",
        f"/personen/{household.pk}/",
        f"/personen/{household.pk}/bewerken/",
        "/toegang/gebruikers/",
        f"/toegang/gebruikers/{get_user_model().objects.first().pk}/",
        "/toegang/logboek/",
        "/toegang/api-tokens/",
        "/perioden/",
    ]


def test_a_beheerder_issues_a_token_and_a_system_reads_the_api_with_it(page, site):
    log_in(page, site)
    page.goto(f"{site.url}/toegang/api-tokens/")
    page.fill("#id_name", "Power BI regio")
    page.select_option("#id_role", "bestuurder")
    page.get_by_role("button", name="Token uitgeven").click()
    key = page.locator("#nieuwe-sleutel").input_value()
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)
    response = page.request.get(
        f"{site.url}/api/v1/gemeenten?regio=VR04", headers={"Authorization": f"Token {key}"}
    )
    assert response.status == 200 and response.headers["api-version"] == "1.0.0"
    assert response.json()["count"] == 11
    page.goto(f"{site.url}/toegang/api-tokens/")
    assert "Power BI regio" in page.content() and key not in page.content()  # the key is shown once


def setup_pages() -> list[str]:
    from regietafel.meetings.models import Body

    body = Body.objects.first()
    return [
        "/inrichting/",
        "/inrichting/VR05/tegelkaart/",
        "/regietafel/gremia/",
        "/regietafel/gremia/nieuw/",
        f"/regietafel/gremia/{body.pk}/",
        f"/regietafel/gremia/{body.pk}/bewerken/",
        "/regietafel/overleggen/",
        "/regietafel/overleggen/nieuw/",
        "/regietafel/agenda-abonnement/",
        "/toegang/gebruikers/uitnodigen/",
        "/aanlevering/",
    ]


def test_my_municipality_has_no_wcag_violations(page, site):
    from django.contrib.auth import get_user_model

    from regietafel.access.models import Membership, Role
    from regietafel.organisations.models import Organisation
    from regietafel.regions.models import Area
    from tests.browser.conftest import PASSWORD

    raalte, _created = Organisation.objects.get_or_create(
        municipality=Area.objects.get(code="GM0177"),
        defaults={"name": "Gemeente Raalte (test)", "kind": "municipality"},
    )
    officer = get_user_model().objects.create_user("raalte-officer", password=PASSWORD)
    Membership.objects.create(user=officer, role=Role.MUNICIPALITY, organisation=raalte)
    log_in(page, site, "raalte-officer")
    page.goto(f"{site.url}/start/")  # where the login form sends a user who came to it directly
    expect(page).to_have_url(re.compile(r"/mijn/$"))
    expect(page.locator("h1")).to_have_text("Raalte")
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)
