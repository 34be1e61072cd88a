"""The program team runs a meeting cycle in Chromium: plan, agenda, document, decision, actions, referral,
answer, the answer back on the next agenda; then the not-yet-agreed package and a practice found by a word."""

import re

import pytest
from playwright.sync_api import expect

from regietafel.meetings.demo import ensure_bodies_and_forums
from tests.browser.test_journeys import log_in

pytestmark = pytest.mark.browser


def create_meeting(page, site, title: str, starts_at: str) -> str:
    page.goto(f"{site.url}/regietafel/vergadering/nieuw/")
    page.select_option("#id_body", label="Regionale Regietafel Vluchtelingen IJsselland (RRVIJ)")
    page.fill("#id_title", title)
    page.fill("#id_starts_at", starts_at)
    page.fill("#id_place", "Zwolle")
    page.locator("main form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text(title)
    return page.url


def add_item(page, title: str) -> str:
    page.fill("#id_title", title)
    page.locator("#nieuw-punt form").first.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"#punt-\d+$"))
    return page.url.rsplit("#punt-", 1)[1]


def test_a_meeting_cycle(page, site, tmp_path):
    ensure_bodies_and_forums()
    log_in(page, site)
    first = create_meeting(page, site, "RRVIJ januari", "2027-01-14T10:00")
    add_item(page, "Opening en mededelingen")
    item = add_item(page, "Huisvesting statushouders")
    section = page.locator(f"#punt-{item}")
    expect(page.locator(".rt-agenda__item h3")).to_have_text(
        ["1. Opening en mededelingen", "2. Huisvesting statushouders"]
    )

    notitie = tmp_path / "notitie.pdf"
    notitie.write_bytes(b"%PDF-1.4 notitie")
    section.locator("summary").nth(2).click()
    page.set_input_files(f"#punt{item}_file", str(notitie))
    section.locator(f"form[action$='/agendapunt/{item}/document/'] button").click()
    expect(page.locator(f"#punt-{item}").get_by_role("link", name="notitie.pdf")).to_be_visible()

    section = page.locator(f"#punt-{item}")
    section.locator("summary").nth(0).click()
    page.fill(f"#punt{item}_text", "Huisvesting gaat naar het BO Wonen; de gemeenten zoeken samen woningen.")
    section.locator(f"form[action$='/agendapunt/{item}/besluit/'] button").click()
    decision_form = page.locator(f"#punt-{item} .rt-decision form")
    for title in ("Overzicht flexwoningen maken", "Corporaties uitnodigen"):
        page.locator(f"#punt-{item} .rt-decision summary").click()
        decision_form.locator("input[name=title]").fill(title)
        decision_form.locator("select[name=owner_user]").select_option(label="programmateam")
        decision_form.locator("input[name=deadline]").fill("2027-02-01")
        decision_form.locator("button").click()
        expect(page.locator(f"#punt-{item} .rt-decision").get_by_role("link", name=title)).to_be_visible()

    section = page.locator(f"#punt-{item}")
    section.locator("summary").nth(2).click()
    page.select_option(f"#punt{item}_forum", label="BO Wonen")
    page.fill(f"#punt{item}_title", "Woningen voor statushouders")
    page.fill(f"#punt{item}_question", "Kunnen corporaties extra woningen toewijzen?")
    section.locator(f"form[action$='/agendapunt/{item}/doorverwijzen/'] button").click()
    referral = page.locator(f"#punt-{item}").get_by_role("link", name="Woningen voor statushouders")
    expect(referral).to_be_visible()

    second = create_meeting(page, site, "RRVIJ februari", "2027-02-11T10:00")
    page.goto(first)
    page.locator(f"#punt-{item}").get_by_role("link", name="Woningen voor statushouders").click()
    page.fill("#id_answer", "Ja: 20 extra woningen in 2027.")
    page.fill("#id_answered_on", "2027-01-20")
    page.locator("button[name=answer_submit]").click()
    expect(page.locator("#status")).to_have_text("beantwoord")

    page.goto(second)
    expect(page.locator(".rt-agenda__item h3").first).to_contain_text("BO Wonen")
    expect(page.locator(".rt-agenda__item").first).to_contain_text("20 extra woningen")

    export_the_not_yet_agreed_package(page, site)
    find_a_practice_by_a_word_from_its_body(page, site)


def export_the_not_yet_agreed_package(page, site):
    import docx

    from regietafel.conditions.models import Condition

    page.goto(f"{site.url}/randvoorwaarden/")
    with page.expect_download() as download_info:
        page.locator("a[href*='/randvoorwaarden/export/']").first.click()
    download = download_info.value
    assert download.suggested_filename.startswith("nog-niet-akkoord")
    document = docx.Document(download.path())
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "Nog niet akkoord" in text
    expected = Condition.objects.filter(status=Condition.Status.NOT_AGREED)
    assert expected.exists()
    assert all(condition.title in text for condition in expected)
    assert not any(c.title in text for c in Condition.objects.exclude(status=Condition.Status.NOT_AGREED))


def find_a_practice_by_a_word_from_its_body(page, site):
    page.goto(f"{site.url}/werkwijzen/")
    search = page.locator("#zoeken")
    search.locator("input[name=q]").fill("kantoorpand")
    search.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"q=kantoorpand"))
    result = page.get_by_role("link", name="Flexwonen in leegstaande panden")
    expect(result).to_be_visible()
    expect(page.get_by_role("link", name="Taalcafé in de bibliotheek")).to_have_count(0)
    result.click()
    expect(page.locator("h1")).to_contain_text("Flexwonen in leegstaande panden")
    expect(page.locator("main")).to_contain_text("kantoorpand")
