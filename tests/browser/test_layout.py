"""Every menu page on a 1366 px laptop and a 390 px phone (issue 25): the page never scrolls sideways, no table is
wider than its box (on the laptop the verdict columns are in sight; on the phone every table is a list of cards, each
figure with its column's name), every text is set in the self-hosted font (no serif fallback), nothing the page asks
for fails (a favicon, a font), and axe-core finds no WCAG 2.1 A/AA violation. Screenshots of both widths are written
to ``test-results/screenshots/<width>/`` as an artefact of the run."""

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-results" / "screenshots"
WIDTHS = {"laptop": (1366, 900), "phone": (390, 844)}

# What the page measures of itself: sideways scrolling, tables wider than their box, text in a font that is not one
# the page loaded (the first family of its computed font-family must be a loaded @font-face).
MEASURE = """() => {
  const root = document.documentElement;
  const loaded = new Set([...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/['"]/g, '')));
  const wide = [...document.querySelectorAll('main table')]
    .filter(t => t.offsetParent !== null)
    .filter(t => t.getBoundingClientRect().width > (t.parentElement.clientWidth || root.clientWidth) + 1)
    .map(t => (t.querySelector('caption') || t).textContent.trim().slice(0, 60));
  // A table shown as cards: every cell of a full row names its column (data-label, shown before the figure).
  const unlabelled = [...document.querySelectorAll('main table')]
    .filter(t => t.offsetParent !== null && t.tHead)
    .filter(t => !t.classList.contains('rt-table--cards') || [...t.querySelectorAll('tbody tr, tfoot tr')]
      .some(r => r.cells.length === t.tHead.rows[0].cells.length && [...r.cells].some(c => c.tagName === 'TD' && !c.dataset.label)))
    .map(t => (t.querySelector('caption') || t).textContent.trim().slice(0, 60));
  const fonts = {};
  for (const el of document.querySelectorAll('body *')) {
    if (!el.getClientRects().length) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const first = getComputedStyle(el).fontFamily.split(',')[0].trim().replace(/['"]/g, '');
    if (!loaded.has(first) && !['monospace', 'ui-monospace'].includes(first)) fonts[first] = el.tagName.toLowerCase();
  }
  // A filter row's controls on one line start at one height, whatever labels and descriptions they have.
  const misaligned = [];
  for (const form of document.querySelectorAll('main form.rt-filter')) {
    // The flex lines: children whose boxes overlap in height share a line.
    const items = [...form.children].map(child => {
      const control = child.matches('button, input, select') ? child : child.querySelector('button, input:not([type=hidden]), select');
      return control && control.getClientRects().length ? {box: child.getBoundingClientRect(), top: Math.round(control.getBoundingClientRect().top)} : null;
    }).filter(Boolean).sort((a, b) => a.box.top - b.box.top);
    const lines = [];
    for (const item of items) {
      const line = lines[lines.length - 1];
      if (line && item.box.top < line.bottom) { line.tops.push(item.top); line.bottom = Math.max(line.bottom, item.box.bottom); }
      else lines.push({bottom: item.box.bottom, tops: [item.top]});
    }
    if (lines.some(line => Math.max(...line.tops) - Math.min(...line.tops) > 2)) {
      misaligned.push(form.getAttribute('aria-label') || form.getAttribute('action'));
    }
  }
  // What sticks out on the right, to name in a failure: the innermost elements past the viewport, or text that
  // runs out of its box.
  const right = node => { const range = document.createRange(); range.selectNodeContents(node); return range.getBoundingClientRect().right; };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const past = [];
  while (walker.nextNode() && past.length < 3) {
    const text = walker.currentNode;
    if (text.textContent.trim() && right(text) > root.clientWidth + 1) {
      past.push(`${text.parentElement.tagName.toLowerCase()}.${text.parentElement.className}: ${text.textContent.trim().slice(0, 50)}`);
    }
  }
  for (const el of document.querySelectorAll('body *')) {
    if (past.length >= 3) break;
    if (el.getBoundingClientRect().right > root.clientWidth + 1 && ![...el.children].some(child => child.getBoundingClientRect().right > root.clientWidth + 1)) {
      past.push(`${el.tagName.toLowerCase()}.${el.className}`);
    }
  }
  const h1 = document.querySelector('main h1');
  return {sideways: root.scrollWidth - root.clientWidth, wide, unlabelled, misaligned, fonts, past,
          heading: h1 ? h1.getBoundingClientRect().bottom + window.scrollY : null};
}"""


def menu_pages(page, site) -> list[str]:
    log_in(page, site)
    hrefs = page.eval_on_selector_all("header nav a[href]", "links => links.map(a => a.getAttribute('href'))")
    return list(dict.fromkeys(href for href in hrefs if href.startswith("/")))


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-") or "overzicht"


def test_every_menu_page_fits_reads_in_its_font_and_has_no_violations(page, site):
    """Both widths, and the menu from the keyboard, in one test: the demo site is built once (on PostgreSQL that is
    most of the test's time)."""
    problems = {}
    paths = menu_pages(page, site)
    walk_the_menu(page, site)
    fold_the_menu_on_a_phone(page, site)
    for device, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        problems |= {
            f"{device} {path}": found for path, found in _check(page, site, device, paths, height).items()
        }
    assert problems == {}, json.dumps(problems, indent=1, ensure_ascii=False)


def _check(page, site, device: str, paths: list[str], height: int) -> dict:
    folder = SCREENSHOTS / device
    folder.mkdir(parents=True, exist_ok=True)
    problems = {}
    failed = []
    page.on("response", lambda response: response.status >= 400 and failed.append(response.url))
    for path in paths:
        failed.clear()
        page.goto(f"{site.url}{path}")
        page.evaluate("() => document.fonts.ready")
        page.screenshot(path=str(folder / f"{slug(path)}.png"), full_page=True)
        found = page.evaluate(MEASURE)
        here = {}
        if found["sideways"] > 0:
            here["scrolls sideways (px)"] = found["sideways"]
            here["sticks out"] = found["past"]
        if found["wide"]:
            here["tables wider than their box"] = found["wide"]
        if device == "phone" and (found["heading"] is None or found["heading"] > height / 2):
            here["the page's heading is not in the upper half of the first screen (px)"] = found["heading"]
        if found["misaligned"]:
            here["filter rows whose controls do not line up"] = found["misaligned"]
        if device == "phone" and found["unlabelled"]:
            here["tables not shown as cards with labels"] = found["unlabelled"]
        if found["fonts"]:
            here["text not in the page's font"] = found["fonts"]
        if failed:
            here["requests that failed (a favicon, a font, a script)"] = failed[:5]
        if axe := violations(page):
            here["axe"] = axe
        if here:
            problems[path] = here
    return problems


def walk_the_menu(page, site):
    """The menu opens a group from the keyboard, one at a time, and closes with Escape."""
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{site.url}/")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    link = menu.get_by_role("link", name="Acties")
    summary = menu.locator("summary", has_text="Tafel")
    # Every check retries until its deadline: the menu's script answers the toggle event, which comes a task later.
    expect(link).to_be_hidden()
    summary.focus()
    page.keyboard.press("Enter")
    expect(link).to_be_visible()
    # Another group opened closes this one; Escape closes it and leaves the focus on its summary.
    beheer = menu.locator("summary", has_text="Beheer")
    beheer.click()
    expect(link).to_be_hidden()
    expect(menu.get_by_role("link", name="Perioden")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="Perioden")).to_be_hidden()
    expect(beheer).to_be_focused()
    summary.focus()
    page.keyboard.press("Enter")
    expect(link).to_be_visible()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url("**/regietafel/acties/")
    # The current page's group is marked, for sight and for screen readers.
    current = menu.locator(".rt-nav__group--current summary")
    expect(current).to_contain_text("Tafel")
    expect(current).to_contain_text("huidige rubriek")


def fold_the_menu_on_a_phone(page, site):
    """On a phone the menu folds away behind one button, which opens and closes it from the keyboard."""
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{site.url}/")
    toggle = page.get_by_role("button", name="Menu")
    menu = page.get_by_role("navigation", name="Hoofdmenu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(menu.locator("summary", has_text="Tafel")).to_be_visible()
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(toggle).to_be_focused()
    # On a laptop there is no button: the menu is always there.
    page.set_viewport_size({"width": 1366, "height": 900})
    expect(toggle).to_be_hidden()
    expect(menu).to_be_visible()
