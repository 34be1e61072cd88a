"""A new user's first visit, in Chromium: log in, read the overview, change half-year, open a municipality,
download the table."""

import csv
import datetime
import re

import pytest
from playwright.sync_api import expect

from regietafel.domain.targets import HalfYear
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser


def log_in(page, site, username: str = "programmateam"):
    page.goto(f"{site.url}/")
    expect(page).to_have_url(re.compile(r"/inloggen/"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("main button[type=submit]").click()
    expect(page).not_to_have_url(re.compile(r"/inloggen/"))


def go_to(page, group: str, link: str):
    """Through the main menu: open the group, follow the link (as a user does)."""
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    menu.locator("summary", has_text=group).click()
    # Wait for the page the link leads to: a check that runs while the old page unloads finds no document.
    with page.expect_navigation():
        menu.get_by_role("link", name=link, exact=True).click()


def test_monitor_journey(page, site):
    log_in(page, site)
    expect(page.locator("h1")).to_contain_text("IJsselland")
    table = page.locator("table.rt-table").first
    expect(table.locator("tbody tr")).to_have_count(11)
    # The demo runs up to last month, with demo inputs where the current half-year's are not public yet: the
    # overview opens on the current half-year.
    expect(page.locator("#halfjaar")).to_have_value(str(HalfYear.containing(datetime.date.today())))

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
    # What a user downloads reads in Dutch (tests/core/test_downloads.py checks every download).
    assert {row["CBS-code"] for row in rows if row["CBS-code"]} >= {"GM0177", "GM0193", "GM0150"}
    assert next(row for row in rows if row["CBS-code"] == "GM0177")["Wettelijke taakstelling"] == "33"

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


# The focused element shows where it is: an outline or a shadow (WCAG 2.4.7), measured, not assumed.
FOCUS_VISIBLE = """() => {
  const element = document.activeElement;
  const style = getComputedStyle(element);
  const outline = style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0;
  return {tag: element.tagName, text: (element.textContent || element.name || '').trim().slice(0, 30),
          visible: outline || style.boxShadow !== 'none'};
}"""


def tab_to(page, selector: str, limit: int = 80) -> list[dict]:
    """Press Tab until ``selector`` has the focus; returns what each Tab focused on the way."""
    seen = []
    if page.evaluate("s => document.activeElement.matches(s)", selector):
        return seen  # there already (the login page puts the focus in its first field)
    for _ in range(limit):
        page.keyboard.press("Tab")
        seen.append(page.evaluate(FOCUS_VISIBLE))
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return seen
    raise AssertionError(f"{selector} not reached with Tab: {seen[-5:]}")


def test_keyboard_only_through_the_overview(page, site):
    """Log in, skip to the content, choose a half-year, open a municipality and download the table: keys only,
    and every element on the way shows its focus."""
    page.goto(f"{site.url}/")
    page.bring_to_front()
    focused = tab_to(page, "#id_username")
    page.keyboard.type("programmateam")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("IJsselland")
    page.goto(f"{site.url}/?halfjaar=2025-H2")  # a half-year whose figures the steps below know

    page.keyboard.press("Tab")
    expect(page.locator(".utrecht-skip-link")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#inhoud$"))

    focused += tab_to(page, "#halfjaar")
    page.keyboard.press("ArrowUp")  # from 2025-H2 to 2025-H1: the table follows at once
    expect(page).to_have_url(re.compile(r"halfjaar=2025-H1"))
    raalte = page.locator("tbody tr", has=page.get_by_role("link", name="Raalte", exact=True))
    expect(raalte.locator("td").first).to_contain_text("33")
    expect(page.locator("#halfjaar")).to_be_focused()

    focused += tab_to(page, "summary")  # "How these figures are computed" opens with Enter
    page.keyboard.press("Enter")
    expect(page.locator("details.rt-explain")).to_have_attribute("open", "")

    page.keyboard.press("Shift+Tab")
    with page.expect_download() as download:
        page.keyboard.press("Enter")  # the Excel link, just before the explanation
    assert download.value.suggested_filename.endswith(".xlsx")

    page.goto(f"{site.url}/?halfjaar=2025-H1")
    page.bring_to_front()
    focused += tab_to(page, 'a[href="/gemeente/GM0177/"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_contain_text("Raalte")

    hidden = [element for element in focused if not element["visible"]]
    assert hidden == [], hidden
