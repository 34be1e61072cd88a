"""Council letter drafts: sentences that follow the figures, unknown figures, demo marking, DOCX and PDF."""

import datetime
import io
from decimal import Decimal
from fractions import Fraction
from zoneinfo import ZoneInfo

import docx
import pypdf
import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear, ScheduleStatus, norm_share, schedule_status
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import AgreedTarget, Agreement, HousingRealisation, OpeningBalance
from regietafel.meetings.models import Body, Meeting
from regietafel.regions.models import Area
from regietafel.reports.docx import letter_docx
from regietafel.reports.letters import FactTable, build_letter, letter_filename, letter_pdf, number
from regietafel.reports.progress import AHEAD_FROM, RANK, Progress, progress

H2025_1 = HalfYear(2025, 1)
ON = datetime.date(2025, 5, 1)
SOURCE = "COA maandrapportage (test)"
TZ = ZoneInfo("Europe/Amsterdam")

# Statutory targets 2025-H1 (national 15,000): Deventer 87, Hardenberg 53, Kampen 47, Ommen 16, Raalte 33,
# Zwolle 112. The agreement below shifts 3 from Raalte to Zwolle.
AGREED = {"GM0177": 30, "GM0193": 115}

# Realisation January-March 2025, so the position is 1 April 2025 and half the corrected target is due pro rata.
# code: (opening balance, housed)
SCENARIO = {
    "GM0177": (-10, 22),  # Raalte: lead 10, target 30 -> corrected 20; housed 22: target met, ahead
    "GM0160": (0, 30),  # Hardenberg: corrected 53, due 26.5; housed 30 = 113%: ahead, 23 to go
    "GM0175": (0, 15),  # Ommen: corrected 16, due 8; housed 15: ahead, 1 to go
    "GM0150": (5, 45),  # Deventer: backlog 5, corrected 92, due 46; housed 45 = 98%: on schedule, 47 to go
    "GM0193": (20, 50),  # Zwolle: backlog 20, corrected 135, due 67.5; housed 50 = 74%: behind, 85 to go
    "GM0166": (0, 10),  # Kampen: corrected 47, due 23.5; housed 10 = 43%: far behind, 37 to go
}
# Dalfsen, Olst-Wijhe, Staphorst, Steenwijkerland and Zwartewaterland report nothing: their position is unknown.


def text_of(letter) -> str:
    parts = [letter.title]
    for _level, section in letter.outline():
        parts.append(section.heading)
        for block in section.blocks:
            if isinstance(block, FactTable):
                parts += [f"{fact.label}: {fact.value}" for fact in block.facts]
            else:
                parts.append(block)
    return "\n".join([*parts, letter.closing, *letter.source_lines])


def facts_of(letter) -> dict[str, str]:
    return {
        fact.label: fact.value
        for _level, section in letter.outline()
        for block in section.blocks
        if isinstance(block, FactTable)
        for fact in block.facts
    }


def area(code: str) -> Area:
    return Area.objects.get(code=code)


@pytest.fixture
def figures(dataset):
    """The public figures plus this module's own opening balances, realisation and agreement for 2025-H1."""
    region = area("VR04")
    agreement = Agreement.objects.create(
        region=region,
        half_year=str(H2025_1),
        agreed_on=datetime.date(2025, 1, 15),
        source="Besluit regietafel",
    )
    ledger = HousingLedger(region)
    for municipality in ledger.municipalities:
        statutory = ledger.statutory(municipality, H2025_1)[0].value
        AgreedTarget.objects.create(
            agreement=agreement, municipality=municipality, target=AGREED.get(municipality.code, statutory)
        )
    sourced = {"source": cite(SOURCE, "H"), "reference_date": datetime.date(2025, 4, 1)}
    for code, (balance, housed) in SCENARIO.items():
        municipality = area(code)
        OpeningBalance.objects.create(
            municipality=municipality, half_year=str(H2025_1), balance=balance, **sourced
        )
        per_month = [housed // 3 + (1 if index < housed % 3 else 0) for index in range(3)]
        for month, count in zip(H2025_1.months()[:3], per_month, strict=True):
            minors = 1 if code == "GM0177" and month.month == 2 else 0
            HousingRealisation.objects.create(
                municipality=municipality, month=month, housed=count, housed_minors=minors, **sourced
            )


def letter_en(code: str, on: datetime.date = ON):
    with translation.override("en"):
        letter = build_letter(area(code), H2025_1, on)
        return letter, text_of(letter)


# The sentences follow the figures -----------------------------------------------------------------------------


def test_a_municipality_that_met_its_corrected_target_is_ahead(figures):
    letter, text = letter_en("GM0177")

    assert letter.position_date == datetime.date(2025, 4, 1)
    assert (
        "The municipality of Raalte has already met its target for the first half of 2025 and is ahead of "
        "schedule with housing status holders." in text
    )
    assert "This half-year the municipality has no status holders left to house." in text
    assert "For the first half of 2025 the target is 30 status holders." in text
    assert "This is the target agreed within the region; the statutory target is 33." in text
    assert (
        "From earlier half-years the municipality has a lead of 10 status holders; its corrected target is "
        "therefore 20." in text
    )
    assert "As of 1 April 2025 the municipality has housed 22 status holders this half-year." in text
    assert "housed 1 unaccompanied minor with a residence permit this half-year." in text
    facts = facts_of(letter)
    assert facts["Agreed target"] == "30"
    assert facts["Carry-over"] == "-10"
    assert facts["Still to house"] == "0"


def test_a_municipality_clearly_above_the_pro_rata_norm_is_ahead(figures):
    _letter, text = letter_en("GM0160")

    assert "The municipality of Hardenberg is ahead of schedule with housing status holders." in text
    assert "It has housed 113% of the number due pro rata by 1 April 2025." in text
    assert "This half-year the municipality still has to house 23 status holders." in text
    assert (
        "The municipality has no backlog or lead from earlier half-years; its corrected target is therefore "
        "equal to its target: 53." in text
    )


def test_one_status_holder_to_go_is_singular(figures):
    _letter, text = letter_en("GM0175")

    assert "This half-year the municipality still has to house 1 status holder." in text


def test_a_municipality_on_schedule(figures):
    letter, text = letter_en("GM0150")

    assert "The municipality of Deventer is on schedule with housing status holders." in text
    assert "It has housed 98% of the number due pro rata by 1 April 2025." in text
    assert "This half-year the municipality still has to house 47 status holders." in text
    assert (
        "From earlier half-years the municipality has a backlog of 5 status holders; its corrected target is "
        "therefore 92." in text
    )
    assert facts_of(letter)["Still to house"] == "47"


def test_a_municipality_behind_and_one_far_behind(figures):
    _letter, zwolle = letter_en("GM0193")
    _letter, kampen = letter_en("GM0166")

    assert "The municipality of Zwolle is behind schedule with housing status holders." in zwolle
    assert "This half-year the municipality still has to house 85 status holders." in zwolle
    assert "making up the backlog in housing status holders" in zwolle
    assert "The municipality of Kampen is far behind schedule with housing status holders." in kampen
    assert "This half-year the municipality still has to house 37 status holders." in kampen


def test_the_region_counts_the_municipalities_behind_and_unknown(figures):
    _letter, text = letter_en("GM0150")

    assert (
        "Of the 11 municipalities in IJsselland, 2 are behind on their targets. Of these, 1 is far behind."
        in text
    )
    assert "For 5 municipalities the position is not known." in text
    # A total would be partial while five municipalities have not reported.
    assert "How the region IJsselland as a whole is doing is not known" in text


def test_the_region_total_once_every_municipality_reported(figures):
    sourced = {"source": cite(SOURCE, "H"), "reference_date": datetime.date(2025, 4, 1)}
    for code in ("GM0148", "GM1773", "GM0180", "GM1708", "GM1896"):
        municipality = area(code)
        OpeningBalance.objects.create(municipality=municipality, half_year=str(H2025_1), balance=0, **sourced)
        for month in H2025_1.months()[:3]:
            HousingRealisation.objects.create(municipality=municipality, month=month, housed=4, **sourced)

    _letter, text = letter_en("GM0150")

    # Housed 172 + 5 x 12 = 232 of a corrected 363 + 115 = 478 (due 239): 97%, on schedule.
    assert "The region IJsselland as a whole is on schedule with housing status holders." in text
    assert "Together the municipalities of the region have housed 232 status holders this half-year." in text
    assert "The corrected target of the region for this half-year is 478." in text
    # Steenwijkerland joins Zwolle and Kampen: housed 12 of 39, due 19.5 (62%).
    assert (
        "Of the 11 municipalities in IJsselland, 3 are behind on their targets. Of these, 2 are far behind."
        in text
    )
    assert "position is not known" not in text
    # An agreed target equal to the statutory one needs no explanation.
    assert "the statutory target is" not in text


def test_unknown_figures_are_said_to_be_unknown(figures):
    letter, text = letter_en("GM0148")  # Dalfsen reported nothing and has no indicative asylum places

    assert (
        "Whether the municipality of Dalfsen is on schedule with housing status holders is not known, because "
        "the number of status holders housed is not known." in text
    )
    assert "How many status holders the municipality still has to house this half-year is not known." in text
    assert "The backlog or lead from earlier half-years is not known" in text
    assert (
        "No indicative number of reception places under the Spreidingswet is known for the municipality"
        in text
    )
    assert (
        "municipal reception places for displaced persons from Ukraine in the municipality of Dalfsen is not known"
        in text
    )
    assert "How many unaccompanied minors with a residence permit the municipality housed" in text
    facts = facts_of(letter)
    assert facts["Still to house"] == "not known"
    assert facts["Housed so far"] == "not known"
    # Its target is known and stated.
    assert "For the first half of 2025 the target is 25 status holders." in text


def test_the_year_target_is_unknown_without_a_national_number_for_the_other_half(dataset):
    with translation.override("en"):
        text = text_of(build_letter(area("GM0177"), HalfYear(2024, 1), ON))
    assert "The target of the municipality of Raalte for the whole of 2024 is not known." in text
    assert "For the first half of 2024 the target is 41 status holders." in text


def test_reception_figures_of_raalte(figures):
    _letter, text = letter_en("GM0177")

    assert (
        "Under the Spreidingswet, the indicative number of reception places for asylum seekers in the "
        "municipality of Raalte is 233." in text
    )
    assert (
        "The municipality of Raalte has 265 municipal reception places for displaced persons from Ukraine."
        in text
    )
    assert "1 third-country national is staying in the municipal reception." in text
    # 233 indicative places x 8.5%, rounded up.
    assert "The municipality's share of the reception places for unaccompanied minors is 20 places." in text


def test_every_source_is_listed_with_its_reference_date(figures):
    letter, _text = letter_en("GM0177")
    with translation.override("en"):
        lines = letter.source_lines

    assert f"{SOURCE}, reference date 1 April 2025" in lines
    assert (
        "Gemeente Raalte, 'Gemeente Raalte roept samenleving op om mee te denken over opvang van asielzoekers' (16 mei 2024), reference date 31 January 2024"
        in lines
    )
    assert "Besluit regietafel, reference date 15 January 2025" in lines
    assert not letter.is_demo
    assert "(demo)" not in text_of(letter)


def test_demo_figures_are_marked(demo):
    with translation.override("en"):
        letter = build_letter(area("GM0177"), HalfYear(2025, 2), datetime.date(2026, 3, 1))
        text = text_of(letter)
        notice = letter.demo_notice

    assert letter.is_demo
    assert notice.startswith("This letter contains demo data")
    # Raalte's 265 GOO places are sourced; the region total includes generated places.
    assert "has 265 municipal reception places" in text
    assert "(demo) municipal reception places for displaced persons from Ukraine" in text
    assert any(line.endswith("(demo)") for line in letter.source_lines)


# Next steps -----------------------------------------------------------------------------------------------


def test_next_steps_name_the_next_meeting_of_the_table(figures):
    body = Body.objects.create(name="RRVIJ", kind=Body.Kind.STEERING_TABLE, region=area("VR04"))
    Meeting.objects.create(
        body=body, title="RRVIJ maart", starts_at=datetime.datetime(2025, 3, 6, 10, tzinfo=TZ)
    )
    Meeting.objects.create(
        body=body, title="RRVIJ juni", starts_at=datetime.datetime(2025, 6, 12, 10, tzinfo=TZ), place="Zwolle"
    )
    Meeting.objects.create(
        body=body, title="RRVIJ oktober", starts_at=datetime.datetime(2025, 10, 2, 10, tzinfo=TZ)
    )

    _letter, text = letter_en("GM0177")

    assert "The next meeting of the steering table, RRVIJ juni, is on 12 June 2025. Location: Zwolle." in text


def test_next_steps_without_a_planned_meeting(figures):
    _letter, text = letter_en("GM0177")

    assert "No next meeting of the steering table has been scheduled yet." in text
    assert "The mayor and aldermen of Raalte," in text


# Files -----------------------------------------------------------------------------------------------------


def test_filename(figures):
    letter, _text = letter_en("GM0177")

    assert letter_filename(letter, "docx") == "raadsinformatiebrief-GM0177-raalte-2025-H1.docx"
    assert letter_filename(letter, ".PDF") == "raadsinformatiebrief-GM0177-raalte-2025-H1.pdf"


def test_docx_has_word_headings_tables_and_properties(figures):
    with translation.override("en"):
        letter = build_letter(area("GM0150"), H2025_1, ON)
        content = letter_docx(letter)

    document = docx.Document(io.BytesIO(content))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [
        ("Heading 1", "Take note of"),
        ("Heading 1", "Introduction"),
        ("Heading 1", "Key message"),
        ("Heading 1", "Tasks"),
        ("Heading 2", "Housing status holders"),
        ("Heading 2", "Reception of asylum seekers (Spreidingswet)"),
        ("Heading 2", "Displaced persons from Ukraine (GOO)"),
        ("Heading 2", "Unaccompanied minors (AMV)"),
        ("Heading 1", "Quality and access"),
        ("Heading 1", "Next steps"),
        ("Heading 1", "Sources"),
    ]
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert "This half-year the municipality still has to house 47 status holders." in paragraphs
    housing = document.tables[0]
    rows = {row.cells[0].text: row.cells[1].text for row in housing.rows}
    assert rows["Figure"] == "Value"
    assert rows["Still to house"] == "47"
    assert rows["Corrected target"] == "92"
    assert document.core_properties.title == letter.title
    assert document.core_properties.author == "Regietafel"
    assert document.sections[0].header.paragraphs[0].text == "DRAFT"


def test_pdf_contains_the_municipality_and_its_figures(figures):
    with translation.override("en"):
        letter = build_letter(area("GM0193"), H2025_1, ON)
        content = letter_pdf(letter)

    reader = pypdf.PdfReader(io.BytesIO(content))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "DRAFT" in text
    assert "The municipality of Zwolle is behind schedule with housing status holders." in text
    assert "still has to house 85 status holders" in text
    assert (
        "Under the Spreidingswet, the indicative number of reception places for asylum seekers in the" in text
    )
    assert "Zwolle is 717." in text
    assert SOURCE in text


def test_a_region_is_not_a_municipality(dataset):
    with pytest.raises(ValueError):
        build_letter(area("VR04"), H2025_1, ON)


# Formatting and the progress classification -------------------------------------------------------------------


def test_numbers_are_dutch_style():
    assert number(1234) == "1.234"
    assert number(-1234567) == "-1.234.567"
    assert number(Decimal("12.5")) == "12,5"
    assert number(Decimal("717.000")) == "717"
    assert number(Fraction(7, 2)) == "3,5"


def test_progress_examples():
    assert progress(None, None, None) is None
    assert progress(ScheduleStatus.ON_SCHEDULE, None, 0) == Progress.AHEAD
    assert progress(ScheduleStatus.ON_SCHEDULE, Fraction(11, 10), 5) == Progress.AHEAD
    assert progress(ScheduleStatus.ON_SCHEDULE, Fraction(109, 100), 5) == Progress.ON_SCHEDULE
    assert progress(ScheduleStatus.BEHIND, Fraction(8, 10), 5) == Progress.BEHIND
    assert progress(ScheduleStatus.FAR_BEHIND, Fraction(1, 10), 5) == Progress.FAR_BEHIND


housed_st = st.integers(min_value=0, max_value=500)
target_st = st.integers(min_value=-100, max_value=500)
months_st = st.integers(min_value=0, max_value=6)


def classify(housed: int, corrected: int, months: int) -> Progress:
    """What the letter says, from the inputs the ledger derives its row from."""
    return progress(
        schedule_status(housed, corrected, months),
        norm_share(housed, corrected, months),
        max(corrected - housed, 0),
    )


@given(housed_st, target_st, months_st)
def test_progress_never_contradicts_the_monitor(housed, corrected, months):
    status = schedule_status(housed, corrected, months)
    result = classify(housed, corrected, months)
    if result == Progress.AHEAD:
        assert status == ScheduleStatus.ON_SCHEDULE
    else:
        assert result.value == status.value


@given(housed_st, target_st, months_st)
def test_ahead_means_target_met_or_clearly_above_the_norm(housed, corrected, months):
    share = norm_share(housed, corrected, months)
    met = housed >= corrected
    assert (classify(housed, corrected, months) == Progress.AHEAD) == (
        met or (share is not None and share >= AHEAD_FROM)
    )


@given(housed_st, st.integers(min_value=1, max_value=100), target_st, months_st)
def test_housing_more_never_reads_worse(housed, extra, corrected, months):
    assert RANK[classify(housed + extra, corrected, months)] >= RANK[classify(housed, corrected, months)]


def test_a_missing_target_is_said_to_be_unknown(dataset):
    # 2024-H2 has no national number: Raalte's target is unknown even though it reported realisation.
    HousingRealisation.objects.create(
        municipality=area("GM0177"), month=datetime.date(2024, 7, 1), housed=6, source=cite(SOURCE, "H")
    )
    with translation.override("en"):
        text = text_of(build_letter(area("GM0177"), HalfYear(2024, 2), ON))

    assert (
        "Whether the municipality of Raalte is on schedule with housing status holders is not known, because "
        "its target is not known." in text
    )
    assert "The target for the second half of 2024 is not known." in text
    assert "As of 1 August 2024 the municipality has housed 6 status holders this half-year." in text


def test_the_letter_states_a_published_annual_target_with_its_revision(dataset):
    # Raalte published 105 for the whole of 2023, later revised to 84 (Raalte's council letter; raalte.nl); the
    # computed half-year targets of 2023 are not known (no CBS population for Raalte on 1 January 2022).
    with translation.override("en"):
        letter = build_letter(area("GM0177"), HalfYear(2023, 2), datetime.date(2024, 3, 1))
        text = text_of(letter)

    assert (
        "For the whole of 2023 the published target of the municipality of Raalte was first 105 status holders "
        "and was later revised to 84." in text
    )
    assert "is not known" not in text.split("For the whole of 2023")[1].split(".")[0]
    sources = {ref.source for ref in letter.sources}
    assert "Gemeente Raalte, raadsinformatiebrief over de RRVIJ (zomer 2023)" in sources
    assert any(source.startswith("Gemeente Raalte, 'Tijdelijke huisvesting") for source in sources)


def test_a_letter_about_a_past_half_year_reads_the_figures_of_then(dataset):
    # Written today about 2023-H1: reception figures are as of 30 June 2023, not of the day of writing.
    with translation.override("en"):
        letter = build_letter(area("GM0177"), HalfYear(2023, 1), datetime.date(2026, 12, 4))
        text = text_of(letter)
    assert letter.as_of == datetime.date(2023, 6, 30)
    assert "4 December 2026" not in text
    assert "30 June 2023" in text
    assert ("Date", "4 December 2026") in [(str(label), value) for label, value in letter.meta]
