"""A new user's first visit, in Chromium: log in, read the overview, change half-year, open a municipality,
download the table."""

import csv
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, site):
    page.goto(f"{site.url}/")
    expect(page).to_have_url(re.compile(r"/inloggen/"))
    page.fill("#id_username", "programmateam")
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/inloggen/"))


def test_monitor_journey(page, site):
    log_in(page, site)
    expect(page.locator("h1")).to_contain_text("IJsselland")
    table = page.locator("table.rt-table").first
    expect(table.locator("tbody tr")).to_have_count(11)
    expect(page.locator("#halfjaar")).to_have_value("2025-H2")

    page.select_option("#halfjaar", "2025-H1")
    page.locator(".rt-filter button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"halfjaar=2025-H1"))
    expect(page.locator("#halfjaar")).to_have_value("2025-H1")
    # 2025-H1 uses the revised national number 15,000; Raalte: 15000 * 38364 / 17942942 -> 33.
    raalte = page.locator("tbody tr", has=page.get_by_role("link", name="Raalte", exact=True))
    expect(raalte.locator("td").first).to_contain_text("33")
    expect(page.locator(".rt-demo-marker").first).to_be_visible()
    expect(page.locator("#bron-1")).to_be_attached()

    with page.expect_download() as download_info:
        page.get_by_role("link", name="CSV").first.click()
    download = download_info.value
    with open(download.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["code"] for row in rows if row["code"]} >= {"GM0177", "GM0193", "GM0150"}
    assert next(row for row in rows if row["code"] == "GM0177")["statutory"] == "33"

    raalte.get_by_role("link", name="Raalte", exact=True).click()
    expect(page.locator("h1")).to_contain_text("Raalte")
    expect(page.locator("svg[role=img]")).to_be_visible()
    history = page.locator("table.rt-table").first
    expect(history.locator("tbody tr", has_text="2024-H1")).to_contain_text("41")


def test_keyboard_reaches_content_first(page, site):
    log_in(page, site)
    # A new context's page does not always have window focus in headless Chromium.
    page.bring_to_front()
    page.keyboard.press("Tab")
    skip = page.locator(".utrecht-skip-link")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#inhoud$"))


def test_choosing_a_half_year_updates_the_page_in_place(page, site):
    log_in(page, site)
    page.bring_to_front()
    page.focus("#halfjaar")
    page.select_option("#halfjaar", "2025-H1")
    expect(page).to_have_url(re.compile(r"halfjaar=2025-H1"))
    raalte = page.locator("tbody tr", has=page.get_by_role("link", name="Raalte", exact=True))
    expect(raalte.locator("td").first).to_contain_text("33")
    expect(page.locator("#halfjaar")).to_be_focused()
