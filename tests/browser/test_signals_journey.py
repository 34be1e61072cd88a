"""A signal from raising to closing (issue 26, part 1), in Chromium: a partner raises an urgent signal; the
programme team is told, puts it on the agenda; the meeting decides an action; the signal closes with its outcome;
the monitor report lists it. Every page on the way passes axe."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from regietafel.access.models import Membership, Role
from regietafel.meetings.models import Body, Meeting
from regietafel.organisations.models import Organisation
from tests.browser.conftest import PASSWORD
from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import go_to, log_in

pytestmark = pytest.mark.browser

TITLE = "Noodklok: geen opvang voor 20 AMV"


def log_out(page):
    page.get_by_role("button", name="Uitloggen").click()
    expect(page).to_have_url(re.compile(r"/(inloggen/)?$"))


def test_a_signal_from_a_partner_to_its_outcome(page, site):
    nidos = Organisation.objects.get(name="Nidos")  # a partner of the demo
    partner = get_user_model().objects.create_user("nidos", password=PASSWORD)
    Membership.objects.create(user=partner, role=Role.PARTNER, organisation=nidos)
    table = Body.objects.get(kind=Body.Kind.STEERING_TABLE)
    meeting = Meeting.objects.create(
        body=table, title="RRVIJ signalen", starts_at=timezone.now() + datetime.timedelta(days=10)
    )
    problems = {}

    # The partner raises it, in its own name.
    log_in(page, site, "nidos")
    go_to(page, "Tafel", "Signalen")
    page.get_by_role("link", name="Signaal melden").click()
    problems["raise"] = violations(page)
    expect(page.get_by_label("Gemeld door")).to_have_value(str(nidos.pk))
    page.get_by_label("Onderwerp").fill(TITLE)
    page.get_by_label("Beschrijving").fill(
        "Nidos en COA: binnen zes weken geen bed voor 20 alleenstaande kinderen."
    )
    page.get_by_label("Urgentie").select_option("urgent")
    page.get_by_label("Doelgroep").select_option("minors")
    page.get_by_label("Raalte").check()
    page.get_by_role("button", name="Signaal vastleggen").click()
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator("#status")).to_have_text("nieuw")
    problems["signal (partner)"] = violations(page)
    log_out(page)

    # The programme team is told, and puts it on the agenda.
    log_in(page, site)
    page.goto(f"{site.url}/meldingen/")
    expect(page.locator("main")).to_contain_text(f"Urgent signaal van Nidos: {TITLE}")
    page.get_by_role("link", name=re.compile(TITLE)).first.click()
    expect(page.locator("h1")).to_have_text(TITLE)
    page.get_by_label("Vergadering").select_option(str(meeting.pk))
    page.get_by_role("button", name="Op de agenda zetten").click()
    expect(page.locator("#status")).to_have_text("geagendeerd")
    problems["signal (team)"] = violations(page)

    # The meeting decides an action on it.
    page.get_by_role("link", name=str(meeting)).click()
    item = page.locator(".rt-agenda__item", has_text=TITLE)
    expect(item).to_contain_text("Signaal gemeld door Nidos (urgentie: urgent)")
    item.locator("summary", has_text="Besluit vastleggen").click()
    item.get_by_label("Besluit").fill("De gemeenten zoeken samen 20 kleinschalige plekken.")
    item.get_by_role("button", name="Besluit vastleggen").click()
    item = page.locator(".rt-agenda__item", has_text=TITLE)
    item.locator("summary", has_text="Actie toevoegen").click()
    item.get_by_label("Actie", exact=True).fill("Plekken inventariseren bij de gemeenten")
    item.get_by_label("Actiehouder (organisatie)").select_option(label="Nidos")
    item.get_by_label("Deadline").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    item.get_by_role("button", name="Actie toevoegen").click()
    expect(page.locator("main")).to_contain_text("Plekken inventariseren bij de gemeenten")

    # The signal is in action; it closes with its outcome.
    go_to(page, "Tafel", "Signalen")
    page.get_by_role("link", name=TITLE).click()
    expect(page.locator("#status")).to_have_text("in actie")
    expect(page.locator("main")).to_contain_text("Plekken inventariseren bij de gemeenten")
    page.get_by_label("Uitkomst").fill("Twintig plekken gevonden in Raalte en Zwolle.")
    page.get_by_role("button", name="Signaal sluiten").click()
    expect(page.locator("#status")).to_contain_text("gesloten")

    # The monitor report lists it.
    page.goto(
        f"{site.url}/rapportages/monitor/?region=VR04&reference_date={timezone.localdate().isoformat()}"
    )
    closed = page.locator("table", has=page.locator("caption", has_text="Signalen gesloten sinds"))
    expect(closed).to_contain_text(TITLE)
    expect(closed).to_contain_text("Twintig plekken gevonden in Raalte en Zwolle.")
    problems["monitor"] = violations(page)
    assert {name: found for name, found in problems.items() if found} == {}
