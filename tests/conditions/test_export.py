"""The conditions as a Word document: the 'nog niet akkoord' package holds the open conditions by theme."""

import datetime
import io

import docx
import pytest
from docx.oxml.ns import qn

from regietafel.conditions.export import ALL, build_document, document_bytes, filename
from regietafel.conditions.models import Condition
from regietafel.regions.models import Area

NOT_AGREED = Condition.Status.NOT_AGREED
AGREED = Condition.Status.AGREED
PILOT = Condition.Status.PILOT_REQUESTED
ON = datetime.date(2026, 1, 15)


@pytest.fixture
def conditions(add, region):
    add("Structurele financiering", "finance", NOT_AGREED, description="Nu alleen incidenteel geld.")
    add("Vergoeding opvang Oekraïne", "finance", AGREED)
    add("Capaciteit nieuwkomersonderwijs", "education", PILOT)
    add("GGZ bij opvanglocaties", "care", NOT_AGREED, owner_name="Wethouder zorg")
    add("Leefbaarheid rond locaties", "liveability", NOT_AGREED, is_demo=True)
    twente = Area.objects.get(code="VR05")
    add("Twentse randvoorwaarde", "finance", NOT_AGREED, region=twente)


def read(region, status=NOT_AGREED) -> docx.document.Document:
    content, _count = document_bytes(region, status, ON)
    return docx.Document(io.BytesIO(content))


def outline(document) -> list[tuple[str, str]]:
    """The headings in order, as (style, text)."""
    return [
        (p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))
    ]


def text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def test_the_package_holds_the_not_agreed_conditions_under_their_theme_headings(conditions, region):
    document = read(region)

    assert outline(document) == [
        ("Title", "Nog niet akkoord"),
        ("Heading 1", "Financiën"),
        ("Heading 2", "Structurele financiering"),
        ("Heading 1", "Leefbaarheid"),
        ("Heading 2", "Leefbaarheid rond locaties (demo)"),
        ("Heading 1", "Zorg"),
        ("Heading 2", "GGZ bij opvanglocaties"),
        ("Heading 1", "Bronnen en status"),
    ]
    body = text(document)
    assert "Vergoeding opvang Oekraïne" not in body
    assert "Capaciteit nieuwkomersonderwijs" not in body
    assert "Twentse randvoorwaarde" not in body


def test_each_condition_shows_description_request_owner_status_and_last_change(conditions, region):
    body = text(read(region))

    assert "Nu alleen incidenteel geld." in body
    assert "Wat wij vragen van het Rijk: Wat wij vragen bij Structurele financiering." in body
    assert "Eigenaar: Wethouder zorg" in body
    assert "Eigenaar: nog niet belegd" in body
    assert "Status: nog niet akkoord" in body
    assert "Laatst gewijzigd: " in body


def test_the_document_is_dutch_dated_and_ends_with_sources_and_status(conditions, region):
    document = read(region)
    body = text(document)

    assert "Datum: 15 januari 2026" in body
    assert "nieuwe kabinet" in body
    closing = document.paragraphs[-1].text
    assert closing.startswith("Samengesteld op 15 januari 2026 uit het randvoorwaardenregister")
    assert "3 randvoorwaarden met status ‘nog niet akkoord’" in closing
    assert "Let op: 1 randvoorwaarde in dit document is gemarkeerd met ‘demo’" in closing
    language = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert language.get(qn("w:val")) == "nl-NL"
    assert document.core_properties.language == "nl-NL"
    assert document.core_properties.title == "Nog niet akkoord — regio IJsselland"


def test_the_agreed_package_holds_only_the_agreed_conditions(conditions, region):
    document, count = build_document(region, AGREED, ON)

    assert count == 1
    assert outline(document)[:3] == [
        ("Title", "Akkoord"),
        ("Heading 1", "Financiën"),
        ("Heading 2", "Vergoeding opvang Oekraïne"),
    ]
    assert "Structurele financiering" not in text(document)


def test_all_conditions_of_the_region_with_their_status(conditions, region):
    document, count = build_document(region, ALL, ON)

    assert count == 5
    body = text(document)
    assert "Status: pilot aangevraagd" in body
    assert "Status: akkoord" in body
    assert "Twentse randvoorwaarde" not in body


def test_an_empty_package_says_so(region):
    document, count = build_document(region, PILOT, ON)

    assert count == 0
    assert "Er zijn geen randvoorwaarden met deze status in het register." in text(document)
    assert ("Heading 1", "Bronnen en status") in outline(document)


def test_the_file_name_has_the_package_region_and_date(region):
    assert filename(region, NOT_AGREED, ON) == "nog-niet-akkoord-ijsselland-2026-01-15.docx"
    assert filename(region, ALL, ON) == "randvoorwaarden-ijsselland-2026-01-15.docx"


def test_line_breaks_and_paragraphs_of_typed_text_survive(add, region):
    add("Zorg", "care", description="Eerste alinea.\r\n\r\nTweede alinea,\r\nmet een tweede regel.")
    paragraphs = [p.text for p in read(region).paragraphs]
    assert "Eerste alinea." in paragraphs
    assert "Tweede alinea,\nmet een tweede regel." in paragraphs
