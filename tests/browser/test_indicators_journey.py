"""A beheerder defines a new indicator in the browser, imports its values for the eleven municipalities from a
workbook through the import page, and sees them in the region view with the statuses its thresholds give; then
changes a threshold and sees the statuses change."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from regietafel.regions.models import Area
from tests.browser.test_journeys import log_in
from tests.support import IJSSELLAND

pytestmark = pytest.mark.browser


def workbook(path) -> str:
    codes = dict(Area.objects.filter(name__in=IJSSELLAND, kind="municipality").values_list("name", "code"))
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["indicator_code", "area_code", "location", "period", "value", "reference_date", "source"])
    # Waiting days 14, 21, ... 84 in alphabetical order of the municipalities.
    for n, name in enumerate(IJSSELLAND):
        sheet.append(["ZRG-GGZ-WACHTTIJD", codes[name], None, "2025-Q3", 14 + 7 * n, None, "GGD IJsselland"])
    book.save(path)
    return str(path)


def statuses(page) -> list[str]:
    table = page.locator("table.rt-table").first
    return [
        table.locator("tbody tr", has=page.get_by_role("link", name=name, exact=True))
        .locator(".rt-status")
        .first.get_attribute("class")
        .split("--")[-1]
        for name in IJSSELLAND
    ]


def test_define_an_indicator_import_its_values_and_see_the_statuses(page, site, tmp_path):
    log_in(page, site)
    page.goto(f"{site.url}/indicatoren/definities/")
    page.locator("main a[href='/indicatoren/nieuw/']").click()
    page.fill("#id_code", "ZRG-GGZ-WACHTTIJD")
    page.fill("#id_name", "Wachttijd tot de eerste afspraak ggz")
    page.fill("#id_explanation", "Dagen tussen aanmelding en eerste afspraak in de ggz. Geen officiële norm.")
    page.select_option("#id_domain", label="Zorg")
    page.select_option("#id_unit", "days")
    page.select_option("#id_direction", "lower")
    page.select_option("#id_level", "municipality")
    page.select_option("#id_periodicity", "quarter")
    page.fill("#id_good_threshold", "28")
    page.fill("#id_poor_threshold", "56")
    page.fill("#id_expected_source", "GGD IJsselland")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/indicatoren/ZRG-GGZ-WACHTTIJD/$"))

    page.goto(f"{site.url}/import/indicator-values/")
    page.set_input_files("main input[type=file]", workbook(tmp_path / "wachttijden.xlsx"))
    page.locator("main form button[type=submit]").click()
    confirm = page.locator("main form:has(input[name=fingerprint]) button[type=submit]")
    expect(confirm).to_be_visible(timeout=60000)
    confirm.click()
    expect(page.locator("main")).to_contain_text("Geïmporteerd: 11 nieuw", timeout=60000)

    page.goto(f"{site.url}/indicatoren/")
    page.get_by_role("navigation", name=re.compile("Domein|Domains")).get_by_role("link", name="Zorg").click()
    expect(page.locator("table.rt-table").first).to_contain_text("Wachttijd tot de eerste afspraak ggz")
    assert statuses(page) == ["good"] * 3 + ["attention"] * 4 + ["poor"] * 4
    expect(page.locator("main")).to_contain_text("GGD IJsselland")

    # A threshold changed in the form changes the statuses, no code involved.
    page.goto(f"{site.url}/indicatoren/ZRG-GGZ-WACHTTIJD/wijzigen/")
    page.fill("#id_good_threshold", "42")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/indicatoren/ZRG-GGZ-WACHTTIJD/$"))
    page.goto(f"{site.url}/indicatoren/?domein=care")
    assert statuses(page) == ["good"] * 5 + ["attention"] * 2 + ["poor"] * 4
