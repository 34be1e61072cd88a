"""A Raalte officer in Chromium: asks for proposals, offers a home, records the move, and sees it in the monitor.
The matching pages pass axe."""

import datetime
import json
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from regietafel.access.models import Membership, Role
from regietafel.core.sources import cite
from regietafel.housing.models import HousingRealisation
from regietafel.matching.models import Dwelling
from regietafel.organisations.models import Organisation
from regietafel.persons.models import Household
from regietafel.regions.models import Area, Place
from tests.browser.conftest import PASSWORD
from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import go_to

pytestmark = pytest.mark.browser


def sign_in(page, site, username):
    page.goto(f"{site.url}/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/inloggen/"))


def test_an_officer_matches_offers_and_houses(page, site):
    raalte = Area.objects.get(code="GM0177")
    officer = get_user_model().objects.create_user("raalte-koppelaar", password=PASSWORD)
    Membership.objects.create(
        user=officer, role=Role.MUNICIPALITY, organisation=Organisation.objects.get(municipality=raalte)
    )
    today = datetime.date.today()
    family = Household.objects.create(
        municipality=raalte, linked_on=today - datetime.timedelta(days=40), adults=2, children=2
    )
    Dwelling.objects.create(
        code="SW-77",
        municipality=raalte,
        place=Place.objects.get(name="Heino"),
        rooms=3,
        max_occupancy=5,
        rent="700.00",
        available_on=today,
        owner="Salland Wonen",
        source=cite("Salland Wonen", "H"),
    )
    sign_in(page, site, "raalte-koppelaar")
    go_to(page, "Huisvesting", "Koppelen")
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)
    page.get_by_role("button", name="Voorstellen maken").click()
    expect(page.locator("h1")).to_contain_text("Koppelvoorstellen")
    row = page.locator("tbody tr", has=page.get_by_role("link", name=family.reference))
    expect(row).to_contain_text("SW-77")
    expect(row).to_contain_text("past qua grootte: 4 personen")
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)

    row.get_by_role("button", name=f"Deze woning aanbieden {family.reference}").click()
    expect(page.get_by_role("status")).to_contain_text("is de woning aangeboden")
    page.get_by_role("link", name=family.reference).click()
    expect(page.locator("main")).to_contain_text("SW-77, Heino")
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)
    page.get_by_role("button", name="Het huishouden heeft de woning aanvaard").click()
    expect(page.get_by_role("status")).to_contain_text("vastgelegd")
    page.get_by_label("Ingetrokken op").fill(today.isoformat())
    page.get_by_role("button", name="Vastleggen als gehuisvest").click()
    expect(page.get_by_role("status")).to_contain_text("4 personen zijn opgeteld")
    expect(page.locator("main")).to_contain_text("Gehuisvest")

    realisation = HousingRealisation.objects.get(municipality=raalte, month=today.replace(day=1))
    assert realisation.housed >= 4 and "pijplijn" in realisation.source.name


def test_the_homes_pages_pass_axe(page, site):
    sign_in(page, site, "programmateam")
    found = {}
    for path in ("/koppelen/woningen/", "/koppelen/woningen/nieuw/", "/personen/nieuw/"):
        page.goto(f"{site.url}{path}")
        if problems := violations(page):
            found[path] = problems
    assert found == {}, json.dumps(found, indent=1)
