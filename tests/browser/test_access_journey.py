"""A municipality officer's day: signs in, sees only Raalte's households, updates one; a new account waits."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from regietafel.access.models import Membership, Role
from regietafel.organisations.models import Organisation
from regietafel.persons.models import Household
from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import go_to
from tests.conftest import PASSWORD

pytestmark = pytest.mark.browser


def sign_in(page, site, username):
    page.goto(f"{site.url}/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()


def test_a_municipality_officer_sees_and_updates_only_own_households(page, site):
    raalte = Organisation.objects.get(municipality__code="GM0177")
    officer = get_user_model().objects.create_user("raalte-medewerker", password=PASSWORD)
    Membership.objects.create(user=officer, role=Role.MUNICIPALITY, organisation=raalte)
    own = Household.objects.filter(municipality__code="GM0177").first()
    other = Household.objects.exclude(municipality__code="GM0177").first()

    sign_in(page, site, "raalte-medewerker")
    go_to(page, "Huisvesting", "Huishoudens")
    expect(page.get_by_role("heading", level=1)).to_have_text("Huishoudens gekoppeld aan de gemeente")
    expect(page.get_by_role("link", name=own.reference)).to_be_visible()
    expect(page.get_by_role("link", name=other.reference)).to_have_count(0)
    # No administration in the menu for a municipality.
    expect(page.get_by_role("link", name="Gebruikers")).to_have_count(0)

    page.get_by_role("link", name=own.reference).click()
    page.get_by_role("link", name="Huishouden bewerken").click()
    page.get_by_label("Medische behoeften").set_checked(not own.needs_medical)
    page.get_by_role("button", name="Huishouden opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("is opgeslagen")
    expect(page.locator("#geschiedenis ~ div table")).to_contain_text("edische behoeften")

    # Another municipality's household is simply not there.
    response = page.goto(f"{site.url}/personen/{other.pk}/")
    assert response.status == 404


def test_a_new_account_waits_for_a_role(page, site):
    get_user_model().objects.create_user("nieuw", password=PASSWORD)
    sign_in(page, site, "nieuw")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uw account heeft nog geen rechten")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_have_count(0)
    assert violations(page) == []
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/inloggen/"))
