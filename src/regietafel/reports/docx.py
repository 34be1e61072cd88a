"""A council letter as a Word document: real headings, paragraphs and tables, so it can be edited in Word.

Built on python-docx's own blank document; nothing is fetched. The header of every page says "CONCEPT".
"""

import io

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from regietafel.reports.letters import FactTable, Letter


def letter_docx(letter: Letter) -> bytes:
    document = Document()
    properties = document.core_properties
    properties.title = letter.title
    properties.subject = letter.municipality.name
    properties.author = "Regietafel"
    properties.last_modified_by = "Regietafel"
    properties.comments = ""
    properties.language = get_language() or ""

    header = document.sections[0].header.paragraphs[0]
    header.text = _("DRAFT")
    header.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    header.runs[0].bold = True

    document.add_heading(letter.title, level=0)
    for label, value in letter.meta:
        paragraph = document.add_paragraph()
        paragraph.add_run(f"{label}: ").bold = True
        paragraph.add_run(value)
    if letter.is_demo:
        document.add_paragraph().add_run(letter.demo_notice).bold = True

    for level, section in letter.outline():
        document.add_heading(section.heading, level=level)
        for block in section.blocks:
            if isinstance(block, FactTable):
                _add_table(document, block)
            else:
                document.add_paragraph(block)

    document.add_paragraph(letter.closing)
    for role, name in letter.signatories:
        paragraph = document.add_paragraph(f"{role},")
        paragraph.add_run().add_break()
        paragraph.add_run(name)

    document.add_heading(_("Sources"), level=1)
    for number, line in enumerate(letter.source_lines, start=1):
        document.add_paragraph(f"{number}. {line}")

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_table(document, facts: FactTable) -> None:
    document.add_paragraph(facts.caption, style="Caption")
    table = document.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, (_("Figure"), _("Value"), _("Sources")), strict=True):
        cell.paragraphs[0].add_run(text).bold = True
    _repeat_as_header(table.rows[0])
    for fact in facts.facts:
        cells = table.add_row().cells
        cells[0].text = fact.label
        cells[1].text = fact.value
        cells[1].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        cells[2].text = fact.source
    document.add_paragraph()


def _repeat_as_header(row) -> None:
    """Mark a row as the table's header row (Word repeats it on every page and reads it as a header)."""
    properties = row._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    properties.append(marker)
