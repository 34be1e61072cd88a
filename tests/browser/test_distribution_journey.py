"""The programme team in Chromium: makes a key, two scenarios, compares them, adopts one and sees the monitor use
it. The planner's pages pass axe."""

import json
import re

import pytest
from playwright.sync_api import expect

from regietafel.distribution.models import Scenario
from tests.browser.test_accessibility import violations
from tests.browser.test_matching_journey import sign_in

pytestmark = pytest.mark.browser


def assert_accessible(page):
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)


def test_two_scenarios_compared_one_adopted_and_the_monitor_uses_it(page, site):
    sign_in(page, site, "programmateam")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Verdeling").click()
    expect(page.locator("h1")).to_have_text("Verdeelplanner")
    assert_accessible(page)

    # A key: population share on 1 January 2024
    page.get_by_role("link", name="Nieuwe sleutel").click()
    page.get_by_label("Naam").fill("Bevolking 2024")
    page.get_by_label("Inwonertal op").select_option(label="1 januari 2024")
    assert_accessible(page)
    page.get_by_role("button", name="Sleutel opslaan").click()
    expect(page.locator(".utrecht-alert, [role=status]").first).to_contain_text("De sleutel is opgeslagen.")

    # Scenario A: IJsselland, 3,000 places by largest remainder
    page.goto(f"{site.url}/verdeling/nieuw/")
    page.get_by_label("Naam", exact=True).fill("IJsselland grootste overschot")
    page.get_by_label("Gebied").select_option(label="IJsselland (regio)")
    page.get_by_label("Totaal aantal plekken").fill("3000")
    page.get_by_label("Bron van het totaal").fill("Besluit provinciale regietafel")
    page.get_by_label("Methode").select_option(label="grootste overschot (Hamilton)")
    assert_accessible(page)
    page.get_by_role("button", name="Scenario aanmaken").click()
    expect(page.locator("h1")).to_contain_text("IJsselland grootste overschot")
    raalte = page.locator("tbody tr[data-code=GM0177]")
    a_raalte = int(raalte.locator("[data-column=proposal]").inner_text())
    raalte.get_by_role("link", name="Waarom Raalte").click()
    expect(page.locator("#uitleg-GM0177")).to_contain_text("Evenredig deel")
    assert_accessible(page)

    # Scenario B: the same, by D'Hondt
    page.get_by_role("link", name="Kopiëren met een andere methode of sleutel").click()
    page.get_by_label("Naam van het nieuwe scenario").fill("IJsselland D'Hondt")
    page.get_by_label("Methode").select_option(label="D'Hondt (Jefferson)")
    page.get_by_role("button", name="Kopie maken").click()
    expect(page.locator("h1")).to_contain_text("IJsselland D'Hondt")

    # Compare them
    page.get_by_label("Vergelijken met").select_option(label="IJsselland grootste overschot (IJsselland)")
    page.get_by_role("button", name="Vergelijken", exact=True).click()
    expect(page.locator("h1")).to_have_text("Scenario's vergelijken")
    row = page.locator("tbody tr[data-code=GM0177]")
    expect(row.locator("strong")).to_have_count(2)
    expect(page.locator("thead")).to_contain_text("IJsselland D'Hondt")
    expect(page.locator("thead")).to_contain_text("IJsselland grootste overschot")
    assert_accessible(page)

    # Adopt A
    page.get_by_role("link", name="IJsselland grootste overschot").click()
    page.get_by_role("link", name="Dit scenario vaststellen").click()
    page.get_by_label("Besluit").fill("Regietafel, agendapunt 4")
    assert_accessible(page)
    page.get_by_role("button", name="Vaststellen").click()
    expect(page.locator("main")).to_contain_text("Het scenario is vastgesteld")
    assert Scenario.objects.get(name="IJsselland grootste overschot").adopted_on is not None

    # The monitor now shows A's number as Raalte's task, with the scenario as its source
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.locator("summary", has_text="Monitor").click()
    menu.get_by_role("link", name="Asielopvang").click()
    task = (
        page.locator("tbody tr", has=page.get_by_role("link", name="Raalte", exact=True)).locator("td").first
    )
    expect(task).to_contain_text(re.compile(rf"^{a_raalte}(?!\d)"))
    expect(page.locator("main")).to_contain_text("scenario IJsselland grootste overschot, vastgesteld op")
