"""The conditions as a Word document: the "nog niet akkoord" package for a new cabinet, or another status.

The document is written for a Dutch cabinet whatever language the user reads the app in, so its fixed texts
are Dutch here rather than msgids that a user's language would turn into English. Dates use Django's Dutch
formats. Headings use Word's built-in Heading styles, so the navigation pane, a table of contents and
further editing in Word work as with any document written there.
"""

import datetime
import io
from itertools import groupby

from django.utils import formats, timezone, translation
from django.utils.text import slugify
from docx import Document
from docx.oxml.ns import qn

from regietafel.conditions.models import Condition
from regietafel.core.figures import DEMO_MARKER
from regietafel.regions.models import Area

ALL = "all"
STATUS_NAMES = {
    Condition.Status.AGREED: "akkoord",
    Condition.Status.NOT_AGREED: "nog niet akkoord",
    Condition.Status.PILOT_REQUESTED: "pilot aangevraagd",
}
# Per package: document title, subtitle (with {region}), what the package holds, file name.
PACKAGES = {
    Condition.Status.NOT_AGREED: (
        "Nog niet akkoord",
        "Randvoorwaarden van de regio {region} voor het nieuwe kabinet",
        "Dit pakket bevat de randvoorwaarden die nu niet gerealiseerd worden en waarover nog geen afspraken met "
        "het Rijk zijn gemaakt. Het is bedoeld om aan het nieuwe kabinet te presenteren.",
        "nog-niet-akkoord",
    ),
    Condition.Status.AGREED: (
        "Akkoord",
        "Randvoorwaarden van de regio {region} waarover afspraken met het Rijk zijn gemaakt",
        "Dit overzicht bevat de randvoorwaarden waarover de regio met het Rijk akkoord is.",
        "akkoord",
    ),
    Condition.Status.PILOT_REQUESTED: (
        "Gevraagde pilots",
        "Randvoorwaarden van de regio {region} waarvoor een pilot is aangevraagd",
        "Dit overzicht bevat de randvoorwaarden waarvoor de regio een pilot buiten de reguliere regelingen om "
        "heeft aangevraagd.",
        "gevraagde-pilots",
    ),
    ALL: (
        "Randvoorwaarden",
        "Alle randvoorwaarden van de regio {region}, met hun status",
        "Dit overzicht bevat alle randvoorwaarden uit het register, akkoord of nog niet.",
        "randvoorwaarden",
    ),
}
INTRODUCTION = (
    "De gemeenten van de regio {region} maken met het Rijk afspraken over wat zij nodig hebben om de opgaven "
    "rond de opvang van asielzoekers en ontheemden en de huisvesting van statushouders te realiseren. Dan gaat "
    "het om financiën, maar ook om randvoorwaarden als onderwijs, zorg, participatie, voorinburgering en "
    "leefbaarheid. De regietafel werkt aan een akkoord en aan een ‘nog niet akkoord’."
)


def conditions_for(region: Area, status: str):
    """The conditions of a package: one status, or every condition for ``ALL``."""
    conditions = Condition.objects.filter(region=region).select_related("theme", "owner")
    if status != ALL:
        conditions = conditions.filter(status=status)
    return conditions.order_by("theme__name", "title", "pk")


def filename(region: Area, status: str, on: datetime.date) -> str:
    return f"{PACKAGES[status][3]}-{slugify(region.name)}-{on.isoformat()}.docx"


def _dutch_date(value: datetime.date) -> str:
    with translation.override("nl"):
        return formats.date_format(value, "j F Y")


def _count(number: int) -> str:
    return f"{number} randvoorwaarde" if number == 1 else f"{number} randvoorwaarden"


def _set_language(document, language: str) -> None:
    """The language of every run unless a style says otherwise: spelling check and screen readers follow it."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    run_properties = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = run_properties.find(qn("w:lang"))
    if lang is None:
        lang = run_properties.makeelement(qn("w:lang"), {})
        run_properties.append(lang)
    lang.set(qn("w:val"), language)
    document.core_properties.language = language


def _text(document, text: str) -> None:
    """Paragraphs for text typed in a form: a blank line starts a paragraph, a newline breaks the line."""
    for part in text.replace("\r\n", "\n").split("\n\n"):
        if part.strip():
            document.add_paragraph(part.strip())


def _labelled(document, label: str, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{label}: ").bold = True
    paragraph.add_run(text.replace("\r\n", "\n").strip())


def build_document(region: Area, status: str = Condition.Status.NOT_AGREED, on: datetime.date | None = None):
    """The package of one status (or ``ALL``) as a python-docx Document, and the number of conditions in it."""
    on = on or timezone.localdate()
    title, subtitle, purpose, _name = PACKAGES[status]
    conditions = list(conditions_for(region, status))
    document = Document()
    _set_language(document, "nl-NL")
    document.core_properties.title = f"{title} — regio {region.name}"
    document.core_properties.subject = subtitle.format(region=region.name)
    document.core_properties.author = "Regietafel"
    document.add_heading(title, level=0)
    document.add_paragraph(subtitle.format(region=region.name), style="Subtitle")
    _labelled(document, "Datum", _dutch_date(on))
    _text(document, INTRODUCTION.format(region=region.name))
    _text(document, purpose)
    if not conditions:
        _text(document, "Er zijn geen randvoorwaarden met deze status in het register.")
    for theme, items in groupby(conditions, key=lambda condition: condition.theme):
        document.add_heading(theme.name, level=1)
        for condition in items:
            document.add_heading(
                f"{condition.title} ({DEMO_MARKER})" if condition.is_demo else condition.title, level=2
            )
            _text(document, condition.description)
            _labelled(document, "Wat wij vragen van het Rijk", condition.what_we_ask)
            _labelled(document, "Eigenaar", condition.owner_display or "nog niet belegd")
            _labelled(document, "Status", STATUS_NAMES[condition.status])
            _labelled(document, "Laatst gewijzigd", _dutch_date(timezone.localdate(condition.updated_at)))
    document.add_heading("Bronnen en status", level=1)
    closing = (
        f"Samengesteld op {_dutch_date(on)} uit het randvoorwaardenregister van Regietafel, regio "
        f"{region.name}: {_count(len(conditions))}"
        + (f" met status ‘{STATUS_NAMES[status]}’." if status != ALL else ".")
        + " Bij elke randvoorwaarde staan de eigenaar en de datum van de laatste wijziging; de volledige "
        "geschiedenis staat in het register."
    )
    demo = sum(condition.is_demo for condition in conditions)
    if demo:
        closing += (
            f" Let op: {_count(demo)} in dit document {'is' if demo == 1 else 'zijn'} gemarkeerd met "
            f"‘{DEMO_MARKER}’: gegenereerde voorbeelden die de werking laten zien, geen echte afspraken of verzoeken."
        )
    _text(document, closing)
    return document, len(conditions)


def document_bytes(region: Area, status: str = Condition.Status.NOT_AGREED, on: datetime.date | None = None):
    """The package as .docx bytes, and the number of conditions in it."""
    document, count = build_document(region, status, on)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue(), count
