"""The program team makes the reports of a meeting in Chromium: the monitor on screen and as PDF, the letters of
all municipalities as one ZIP with progress; the new pages, and the public ones without login, pass axe."""

import io
import json
import re
import zipfile

import pytest
from docx import Document
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.test_accessibility import violations
from tests.browser.test_journeys import go_to, log_in

pytestmark = pytest.mark.browser


def test_letters_of_every_municipality_as_one_zip(page, site):
    log_in(page, site)
    go_to(page, "Rapportages", "Rapportages")
    expect(page.locator("h1")).to_have_text("Rapportages")
    page.fill("#id_half_year", "2025-H2")
    page.get_by_role("button", name="Brieven kiezen").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(11)
    with page.expect_download() as single:
        page.get_by_role("link", name="Word (.docx) Raalte").click()
    letter = Document(io.BytesIO(single.value.path().read_bytes()))
    assert "Raalte" in "\n".join(p.text for p in letter.paragraphs)

    # The tests run background work inside the request: 22 documents can take a while on a loaded machine.
    with page.expect_navigation(url=re.compile(r"/rapportages/taken/"), timeout=120_000):
        page.get_by_role("button", name="Alle brieven maken (zip)").click(no_wait_after=True)
    expect(page.get_by_role("status")).to_contain_text("11 van 11 documenten gemaakt")
    expect(page.locator("progress")).to_have_attribute("value", "11")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Downloaden")).click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    names = archive.namelist()
    assert len([n for n in names if n.endswith(".docx")]) == 11
    assert len([n for n in names if n.endswith(".pdf")]) == 11
    assert found_on_job_page_without_violations(page)


def found_on_job_page_without_violations(page) -> bool:
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)
    return True


def test_monitor_on_screen_then_as_pdf(page, site):
    log_in(page, site)
    page.goto(f"{site.url}/rapportages/")
    page.fill("#id_reference_date", "2025-12-31")
    page.get_by_role("button", name="Op het scherm tonen").click()
    expect(page.locator("h1")).to_have_text("Regionale monitor IJsselland")
    expect(page.locator("#tabel-huisvesting table tbody tr")).to_have_count(11)
    found = violations(page)
    assert found == [], json.dumps(found, indent=1)

    page.get_by_role("button", name="Pdf maken").click()
    expect(page.get_by_role("status")).to_contain_text("klaar")
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile("Downloaden")).click()
    reader = PdfReader(io.BytesIO(download.value.path().read_bytes()))
    assert "Regionale monitor IJsselland" in reader.pages[0].extract_text()


def test_reports_index_and_public_pages_have_no_wcag_violations(page, site):
    # Public pages first, without login.
    found = {}
    for path in ("/openbaar/", "/opendata/"):
        page.goto(f"{site.url}{path}")
        if problems := violations(page):
            found[path] = problems
    log_in(page, site)
    for path in ("/rapportages/", "/rapportages/?region=VR04&half_year=2025-H2", "/publicaties/"):
        page.goto(f"{site.url}{path}")
        if problems := violations(page):
            found[path] = problems
    assert found == {}, json.dumps(found, indent=1)
