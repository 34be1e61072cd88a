"""Draft council information letters (raadsinformatiebrieven), one per municipality and half-year.

The structure follows the seed letter: Kennis te nemen van, Inleiding, Kernboodschap, Opgaven (housing status
holders; asylum reception; displaced Ukrainians; unaccompanied minors) and Vervolg, then the sources of every
figure. All figures come from the existing readers (``HousingLedger``, ``housing_table``, ``ReceptionLedger``);
this module only words them. A figure that is not known is said to be not known, never filled in, and a figure
from demo data carries "(demo)".

Dates: the housing figures are the COA position of the half-year (``HousingLedger.position_date``); the
reception figures are those valid on ``on``, the letter's date (default today), and the next meeting is the
first one of the region's steering table on or after ``on`` that has not been held.

How the progress of a municipality is worded (ahead / on schedule / behind / far behind) is defined in
``regietafel.reports.progress``.
"""

import datetime
import re
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from regietafel.core.figures import DEMO_MARKER, Figure, SourceList, SourceRef, total
from regietafel.domain import indicators as rules
from regietafel.domain.targets import HalfYear
from regietafel.housing import supervision
from regietafel.housing.ledger import HousingLedger, HousingRow
from regietafel.indicators.ledger import IndicatorLedger
from regietafel.indicators.models import Indicator
from regietafel.indicators.models import Value as IndicatorValue
from regietafel.meetings.models import Body, Meeting
from regietafel.monitor.tables import (
    HOUSING_COLUMNS,
    RECEPTION_COLUMNS,
    Row,
    Table,
    housing_table,
    reception_table,
)
from regietafel.organisations.models import Organisation
from regietafel.reception.ledger import ReceptionLedger, ReceptionRow
from regietafel.regions.models import Area
from regietafel.reports.pdf import render_pdf
from regietafel.reports.progress import Progress, progress

# The letter ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fact:
    label: str
    value: str  # formatted, "(demo)" when from demo data, "not known" when unknown
    source: str  # the numbers of its sources in the letter's source list, e.g. "1, 3"


@dataclass
class FactTable:
    caption: str
    facts: list[Fact]


Block = str | FactTable  # a paragraph or a small table of facts


@dataclass
class Section:
    heading: str
    blocks: list[Block] = field(default_factory=list)
    subsections: list["Section"] = field(default_factory=list)


@dataclass
class Letter:
    municipality: Area
    region: Area
    half_year: HalfYear
    position_date: datetime.date  # the housing figures' position
    on: datetime.date  # the letter's date: the next meeting
    as_of: (
        datetime.date
    )  # the date every figure is read as of: ``on``, or the half-year's end when that is earlier
    title: str
    meta: list[tuple[str, str]]  # (label, value) lines under the title
    sections: list[Section]
    sources: list[SourceRef]  # numbered from 1 in this order; facts cite these numbers
    is_demo: bool
    # How the letter is signed: "Burgemeester en wethouders van Raalte," and (role, name) per signatory; a name the
    # municipality has not given is left empty, to be filled in before it is sent.
    closing: str = ""
    signatories: list[tuple[str, str]] = field(default_factory=list)

    def outline(self) -> list[tuple[int, Section]]:
        """Sections (level 1) and their subsections (level 2) in reading order."""
        result = []
        for section in self.sections:
            result.append((1, section))
            result.extend((2, subsection) for subsection in section.subsections)
        return result

    @property
    def demo_notice(self) -> str:
        if not self.is_demo:
            return ""
        return _(
            "This letter contains demo data: figures marked (demo) were generated for demonstration and are not "
            "real figures."
        )

    @property
    def source_lines(self) -> list[str]:
        lines = []
        for ref in self.sources:
            text = ref.source
            if ref.reference_date:
                text = _("%(source)s, reference date %(date)s") % {
                    "source": ref.source,
                    "date": long_date(ref.reference_date),
                }
            elif ref.published:
                text = _("%(source)s, published on %(date)s") % {
                    "source": ref.source,
                    "date": long_date(ref.published),
                }
            lines.append(demo_marked(text) if ref.is_demo else text)
        return lines


# Formatting ----------------------------------------------------------------------------------------------------


def number(value: int | Fraction | Decimal | float) -> str:
    """Dutch style, whatever the language: 1.234 and 12,5 (one decimal for a non-whole number)."""
    whole = isinstance(value, int) or value == int(value)
    text = f"{int(value):,}" if whole else f"{float(value):,.1f}"
    return text.translate(str.maketrans(",.", ".,"))


def percent(value: Fraction | float) -> str:
    return number(round(value * 100))


def long_date(day: datetime.date) -> str:
    """1 april 2025 (month name in the active language)."""
    return date_format(day, "j F Y")


def demo_marked(text: str) -> str:
    """A value or conclusion computed from demo data, with the one demo marker (``core.figures.DEMO_MARKER``);
    a sentence keeps its full stop after the marker."""
    if text.endswith("."):
        return f"{text[:-1]} ({DEMO_MARKER})."
    return f"{text} ({DEMO_MARKER})"


def half_year_phrase(half_year: HalfYear) -> str:
    """For use in a sentence: "the first half of 2025"."""
    if half_year.half == 1:
        return _("the first half of %(year)s") % {"year": half_year.year}
    return _("the second half of %(year)s") % {"year": half_year.year}


def half_year_label(half_year: HalfYear) -> str:
    """For a heading or label: "first half of 2025"."""
    if half_year.half == 1:
        return _("first half of %(year)s") % {"year": half_year.year}
    return _("second half of %(year)s") % {"year": half_year.year}


def letter_filename(letter: Letter, extension: str) -> str:
    """raadsinformatiebrief-GM0177-raalte-2024-H1.docx: the municipality's code and name, no personal data."""
    code = re.sub(r"[^A-Za-z0-9]", "", letter.municipality.code)
    extension = re.sub(r"[^a-z0-9]", "", extension.lower())
    return f"raadsinformatiebrief-{code}-{slugify(letter.municipality.name)}-{letter.half_year}.{extension}"


def letter_pdf(letter: Letter) -> bytes:
    return render_pdf("reports/letter.html", {"letter": letter})


# Building ------------------------------------------------------------------------------------------------------


class _Writer:
    """Formats figures for the letter and numbers the sources of every figure it formats."""

    def __init__(self) -> None:
        self.sources = SourceList()
        self.is_demo = False

    def cite(self, *figures: Figure) -> str:
        numbers = set()
        for figure in figures:
            numbers.update(self.sources.numbers(figure))
            self.is_demo = self.is_demo or figure.is_demo
        return ", ".join(str(n) for n in sorted(numbers))

    def num(self, figure: Figure, unit: str = "") -> str:
        """A known figure's value for a sentence, its sources cited, "(demo)" when from demo data (after the
        unit: "71% (demo)")."""
        self.cite(figure)
        text = number(figure.value) + unit
        return demo_marked(text) if figure.is_demo else text

    def pct(self, figure: Figure) -> str:
        self.cite(figure)
        text = f"{percent(figure.value)}%"
        return demo_marked(text) if figure.is_demo else text

    def conclude(self, sentence: str, *figures: Figure) -> str:
        """A conclusion drawn from figures (on schedule, behind, how many are behind): marked demo when any of
        them is demo, as a value would be."""
        if any(figure.is_demo for figure in figures):
            self.is_demo = True
            return demo_marked(sentence)
        return sentence

    def fact(self, label, figure: Figure, kind: str = "int", absent: str = "") -> Fact:
        """A figure in a table of facts; unknown reads "not known", or ``absent`` where an unknown figure means
        there is none (no agreement made, no target published)."""
        if not figure.known:
            return Fact(str(label), absent or _("not known"), "")
        value = self.pct(figure) if kind == "pct" else self.num(figure)
        return Fact(str(label), value, self.cite(figure))

    def ref_list(self) -> list[SourceRef]:
        return [ref for _number, ref in self.sources.entries()]


def build_letter(municipality: Area, half_year: HalfYear, on: datetime.date | None = None) -> Letter:
    """A draft council letter for one municipality of a region, worded from that half-year's figures."""
    region = municipality.parent
    if municipality.kind != Area.Kind.MUNICIPALITY or region is None or region.kind != Area.Kind.REGION:
        raise ValueError(f"{municipality} is not a municipality of a region.")
    on = on or timezone.localdate()
    # One as-of date governs every figure: the day of writing, or the half-year's last day for a past half-year
    # (a letter about 2023-H1 shows what was known then, not today's reception figures).
    as_of = min(on, half_year.end)
    ledger = HousingLedger(region, as_of)
    reception = ReceptionLedger(region, as_of)
    position_date = ledger.position_date(half_year)
    row = ledger.row(municipality, half_year)
    region_table = housing_table(ledger, half_year)
    writer = _Writer()
    context = {
        "municipality": municipality.name,
        "region": region.name,
        "period": half_year_phrase(half_year),
        "date": long_date(position_date),
        "today": long_date(as_of),  # the date the reception figures are as of
    }
    meeting = next_meeting(region, on)
    sections = [
        Section(_("Take note of"), _take_note(context)),
        Section(_("Introduction"), _introduction(context, len(ledger.municipalities))),
        Section(_("Key message"), _key_message(writer, context, row, region_table)),
        Section(
            _("Tasks"),
            subsections=[
                Section(
                    _("Housing status holders"),
                    _housing(writer, context, row, ledger, half_year)
                    + _supervision(
                        writer,
                        context,
                        supervision.rows(ledger, half_year, [municipality], {municipality.pk: row.missed})[0],
                    ),
                ),
                Section(
                    _("Reception of asylum seekers (Spreidingswet)"),
                    _asylum(writer, context, _row_of(reception.asylum_rows(), municipality)),
                ),
                Section(
                    _("Displaced persons from Ukraine (GOO)"),
                    _ukraine(writer, context, _row_of(reception.ukraine_rows(), municipality), reception),
                ),
                Section(
                    _("Unaccompanied minors (AMV)"),
                    _minors(writer, context, _row_of(reception.minors_rows(), municipality), row),
                ),
            ],
        ),
        Section(_("Quality and access"), _indicators(writer, context, municipality, as_of)),
        Section(_("Next steps"), _next_steps(writer, context, row, meeting)),
    ]
    return Letter(
        municipality=municipality,
        region=region,
        half_year=half_year,
        position_date=position_date,
        on=on,
        as_of=as_of,
        title=_("Council information letter: Regional Steering Table on Refugees %(region)s") % context,
        meta=_meta(municipality, half_year, context, on),
        sections=sections,
        sources=writer.ref_list(),
        is_demo=writer.is_demo or bool(meeting and meeting.is_demo),
        closing=_("The mayor and aldermen of %(municipality)s,") % context,
        signatories=_signatories(municipality),
    )


def _governing(municipality: Area) -> Organisation | None:
    return Organisation.objects.filter(municipality=municipality).first()


def _meta(municipality: Area, half_year: HalfYear, context: dict, on: datetime.date) -> list[tuple[str, str]]:
    """The head of a raadsinformatiebrief: addressee, sender, subject, date, portfolio holder."""
    organisation = _governing(municipality)
    meta = [
        (pgettext("letter head", "To"), _("the municipal council of %(municipality)s") % context),
        (pgettext("letter head", "From"), _("the mayor and aldermen of %(municipality)s") % context),
        (
            pgettext("letter head", "Subject"),
            _("Refugees: the position of %(municipality)s on the regional tasks, %(half_year)s")
            % {**context, "half_year": half_year_label(half_year)},
        ),
        (_("Date"), long_date(on)),
    ]
    if organisation is not None and organisation.portfolio_holder:
        meta.append((_("Portfolio holder"), organisation.portfolio_holder))
    meta.append((_("Figures as of"), context["date"]))
    return meta


def _signatories(municipality: Area) -> list[tuple[str, str]]:
    organisation = _governing(municipality)
    return [
        (_("the town clerk"), organisation.town_clerk if organisation else ""),
        (_("the mayor"), organisation.mayor if organisation else ""),
    ]


def _row_of(rows: list[ReceptionRow], municipality: Area) -> ReceptionRow:
    return next(row for row in rows if row.municipality.pk == municipality.pk)


def next_meeting(region: Area, on: datetime.date) -> Meeting | None:
    """The first meeting of the region's steering table on or after ``on`` that has not been held yet."""
    return (
        Meeting.objects.filter(
            body__kind=Body.Kind.STEERING_TABLE,
            body__region=region,
            held_at__isnull=True,
            starts_at__date__gte=on,
        )
        .order_by("starts_at")
        .first()
    )


def _progress(status, share: Figure, remaining: Figure) -> Progress | None:
    return progress(
        status, share.value if share.known else None, remaining.value if remaining.known else None
    )


def housing_progress(row: HousingRow) -> Progress | None:
    """How the letter words a municipality's housing progress (see ``regietafel.reports.progress``)."""
    return _progress(row.status, row.norm_share, row.remaining)


def _table_progress(row: Row) -> Progress | None:
    """The same for a row of the monitor's housing table (a municipality or the region total)."""
    return _progress(row.status, row.cells["norm_share"], row.cells["remaining"])


# Sections ------------------------------------------------------------------------------------------------------


def _take_note(context: dict) -> list[Block]:
    return [
        _(
            "The developments concerning refugees and the Regional Steering Table on Refugees %(region)s, and the "
            "figures of the municipality of %(municipality)s for %(period)s."
        )
        % context
    ]


def _introduction(context: dict, municipalities: int) -> list[Block]:
    return [
        ngettext(
            "In the Regional Steering Table on Refugees %(region)s, the %(count)s municipality of %(region)s is "
            "represented by an alderman or mayor.",
            "In the Regional Steering Table on Refugees %(region)s, all %(count)s municipalities of %(region)s are "
            "represented by an alderman or mayor.",
            municipalities,
        )
        % {**context, "count": number(municipalities)},
        _(
            "The table directs the tasks concerning refugees: housing status holders, including unaccompanied "
            "minors; reception of asylum seekers under the Spreidingswet; and municipal reception of displaced "
            "persons from Ukraine. It does not commission work itself, but routes questions and proposals to the "
            "existing administrative consultations."
        ),
        _(
            "This letter describes where the municipality of %(municipality)s stands on these tasks. The housing "
            "figures are the position on %(date)s; the reception figures are those known on %(today)s."
        )
        % context,
    ]


def _status_sentence(context: dict, row: HousingRow, status: Progress | None) -> str:
    if status is None and row.housed.known:
        return (
            _(
                "Whether the municipality of %(municipality)s is on schedule with housing status holders is not "
                "known, because its target is not known."
            )
            % context
        )
    if status is None:
        return (
            _(
                "Whether the municipality of %(municipality)s is on schedule with housing status holders is not "
                "known, because the number of status holders housed is not known."
            )
            % context
        )
    if status == Progress.AHEAD and row.remaining.known and row.remaining.value == 0:
        return (
            _(
                "The municipality of %(municipality)s has already met its target for %(period)s and is ahead of "
                "schedule with housing status holders."
            )
            % context
        )
    sentences = {
        Progress.AHEAD: _(
            "The municipality of %(municipality)s is ahead of schedule with housing status holders."
        ),
        Progress.ON_SCHEDULE: _(
            "The municipality of %(municipality)s is on schedule with housing status holders."
        ),
        Progress.BEHIND: _(
            "The municipality of %(municipality)s is behind schedule with housing status holders."
        ),
        Progress.FAR_BEHIND: _(
            "The municipality of %(municipality)s is far behind schedule with housing status holders."
        ),
    }
    return sentences[status] % context


def _remaining_sentence(writer: _Writer, row: HousingRow) -> str:
    remaining = row.remaining
    if not remaining.known:
        return _("How many status holders the municipality still has to house this half-year is not known.")
    if remaining.value == 0:
        text = _("This half-year the municipality has no status holders left to house.")
    else:
        text = ngettext(
            "This half-year the municipality still has to house %(count)s status holder.",
            "This half-year the municipality still has to house %(count)s status holders.",
            remaining.value,
        ) % {"count": writer.num(remaining)}
    if not row.carry_over.known:
        text += " " + _(
            "This does not include the backlog or lead from earlier half-years, which is not known."
        )
    return text


def _key_message(writer: _Writer, context: dict, row: HousingRow, table: Table) -> list[Block]:
    status = housing_progress(row)
    first = writer.conclude(_status_sentence(context, row, status), row.basis, row.remaining, row.norm_share)
    if row.norm_share.known and not (row.remaining.known and row.remaining.value == 0):
        first += " " + _("It has housed %(percent)s of the number due pro rata by %(date)s.") % {
            **context,
            "percent": writer.pct(row.norm_share),
        }
    blocks: list[Block] = [first + " " + _remaining_sentence(writer, row)]

    region_status = _table_progress(table.total)
    region_sentences = {
        None: _(
            "How the region %(region)s as a whole is doing is not known, because not every "
            "municipality's figures are known."
        ),
        Progress.AHEAD: _(
            "The region %(region)s as a whole is ahead of schedule with housing status holders."
        ),
        Progress.ON_SCHEDULE: _(
            "The region %(region)s as a whole is on schedule with housing status holders."
        ),
        Progress.BEHIND: _(
            "The region %(region)s as a whole is behind schedule with housing status holders."
        ),
        Progress.FAR_BEHIND: _(
            "The region %(region)s as a whole is far behind schedule with housing status holders."
        ),
    }
    total_row = table.total
    sentences = [
        writer.conclude(
            region_sentences[region_status] % context,
            total_row.basis,
            total_row.cells["remaining"],
            total_row.cells["norm_share"],
        )
    ]
    housed, corrected = table.total.cells["housed"], table.total.cells["corrected"]
    if housed.known:
        sentences.append(
            ngettext(
                "Together the municipalities of the region have housed %(count)s status holder this half-year.",
                "Together the municipalities of the region have housed %(count)s status holders this half-year.",
                housed.value,
            )
            % {"count": writer.num(housed)}
        )
    if corrected.known:
        sentences.append(
            _("The corrected target of the region for this half-year is %(count)s.")
            % {"count": writer.num(corrected)}
        )

    statuses = [_table_progress(other) for other in table.rows]
    # The counts below are conclusions from every municipality's status: demo as soon as one status is.
    judged = [
        figure
        for other in table.rows
        for figure in (other.basis, other.cells["remaining"], other.cells["norm_share"])
    ]
    behind = sum(1 for s in statuses if s in (Progress.BEHIND, Progress.FAR_BEHIND))
    far_behind = sum(1 for s in statuses if s == Progress.FAR_BEHIND)
    unknown = sum(1 for s in statuses if s is None)
    counts = {**context, "total": number(len(statuses))}
    if behind:
        sentences.append(
            writer.conclude(
                ngettext(
                    "Of the %(total)s municipalities in %(region)s, %(count)s is behind on its target.",
                    "Of the %(total)s municipalities in %(region)s, %(count)s are behind on their targets.",
                    behind,
                )
                % {**counts, "count": number(behind)},
                *judged,
            )
        )
        if far_behind == behind:
            sentences.append(
                writer.conclude(ngettext("It is far behind.", "All of them are far behind.", behind), *judged)
            )
        elif far_behind:
            sentences.append(
                writer.conclude(
                    ngettext(
                        "Of these, %(count)s is far behind.",
                        "Of these, %(count)s are far behind.",
                        far_behind,
                    )
                    % {"count": number(far_behind)},
                    *judged,
                )
            )
    elif unknown < len(statuses):
        if unknown:
            text = _(
                "None of the municipalities in %(region)s whose figures are known is behind on its target."
            )
        else:
            text = _("None of the %(total)s municipalities in %(region)s is behind on its target.")
        sentences.append(writer.conclude(text % counts, *judged))
    if unknown:
        sentences.append(
            ngettext(
                "For %(count)s municipality the position is not known.",
                "For %(count)s municipalities the position is not known.",
                unknown,
            )
            % {"count": number(unknown)}
        )
    blocks.append(" ".join(sentences))
    return blocks


def _housing(
    writer: _Writer, context: dict, row: HousingRow, ledger: HousingLedger, half_year: HalfYear
) -> list[Block]:
    municipality = row.municipality
    year = total([ledger.target(municipality, HalfYear(half_year.year, half)) for half in (1, 2)])
    year_context = {**context, "year": half_year.year}
    published = ledger.published(municipality, str(half_year.year))
    year_sentences = []
    if published.known:
        # A target the municipality or the state published for the whole year stands as published, with every
        # revision; the sum of the computed half-year targets follows when it is known and differs.
        revisions = ledger.reported[(municipality.pk, str(half_year.year))]
        if len(revisions) > 1:
            year_sentences.append(
                _(
                    "For the whole of %(year)s the published target of the municipality of %(municipality)s was "
                    "first %(first)s status holders and was later revised to %(count)s."
                )
                % {
                    **year_context,
                    "first": ", ".join(
                        writer.num(Figure(revision.target, frozenset({SourceRef.of(revision)})))
                        for revision in revisions[:-1]
                    ),
                    "count": writer.num(published),
                }
            )
        else:
            year_sentences.append(
                _(
                    "For the whole of %(year)s the published target of the municipality of %(municipality)s is "
                    "%(count)s status holders."
                )
                % {**year_context, "count": writer.num(published)}
            )
        if year.known and year.value != published.value:
            year_sentences.append(
                _("The half-year targets computed here add up to %(count)s for %(year)s.")
                % {**year_context, "count": writer.num(year)}
            )
    elif year.known:
        year_sentences.append(
            ngettext(
                "For the whole of %(year)s the municipality of %(municipality)s has a target of %(count)s status holder.",
                "For the whole of %(year)s the municipality of %(municipality)s has a target of %(count)s status "
                "holders.",
                year.value,
            )
            % {**year_context, "count": writer.num(year)}
        )
    else:
        year_sentences.append(
            _("The target of the municipality of %(municipality)s for the whole of %(year)s is not known.")
            % year_context
        )

    sentences = year_sentences
    if row.target.known:
        sentences.append(
            ngettext(
                "For %(period)s the target is %(count)s status holder.",
                "For %(period)s the target is %(count)s status holders.",
                row.target.value,
            )
            % {**context, "count": writer.num(row.target)}
        )
        if row.agreed.known:
            if row.statutory.known and row.statutory.value != row.agreed.value:
                sentences.append(
                    _("This is the target agreed within the region; the statutory target is %(count)s.")
                    % {"count": writer.num(row.statutory)}
                )
            elif not row.statutory.known:
                sentences.append(
                    _("This is the target agreed within the region; the statutory target is not known.")
                )
    else:
        sentences.append(_("The target for %(period)s is not known.") % context)
    blocks: list[Block] = [" ".join(sentences)]

    sentences = [_carry_over_sentence(writer, row)]
    if row.housed.known:
        sentences.append(
            ngettext(
                "As of %(date)s the municipality has housed %(count)s status holder this half-year.",
                "As of %(date)s the municipality has housed %(count)s status holders this half-year.",
                row.housed.value,
            )
            % {**context, "count": writer.num(row.housed)}
        )
    else:
        sentences.append(
            _("The number of status holders the municipality housed this half-year is not known.")
        )
    sentences.append(_remaining_sentence(writer, row))
    if row.missed.known and row.missed.value > 0:
        sentences.append(
            ngettext(
                "The municipality has missed its corrected target %(count)s half-year in a row.",
                "The municipality has missed its corrected target %(count)s half-years in a row.",
                row.missed.value,
            )
            % {"count": writer.num(row.missed)}
        )
    blocks.append(" ".join(sentences))

    facts = [writer.fact(_("Target for %(year)s") % year_context, year)]
    facts += [
        writer.fact(column.label, getattr(row, column.key), column.kind, ABSENT.get(column.key, ""))
        for column in HOUSING_COLUMNS
    ]
    blocks.append(FactTable(_("Housing status holders in %(period)s") % context, facts))
    return blocks


def _supervision(writer: _Writer, context: dict, placed: supervision.SupervisionRow) -> list[Block]:
    """The step of the province's ladder the municipality is on, as the province decided it (never a proposal)."""
    if placed.current is None or placed.province is None:
        return []
    step = placed.current.step
    sentence = _(
        "Under the supervision of the province of %(province)s, the municipality has been on step %(step)s "
        "(%(name)s) of the province's ladder since %(since)s."
    ) % {
        "province": placed.province.name,
        "step": step.order,
        "name": step.name,
        "since": long_date(placed.current.since),
    }
    writer.cite(placed.placement_ref)
    return [writer.conclude(sentence, placed.placement_ref)]


# What an unknown figure means where there is simply none: no target agreed within the region, none published.
ABSENT = {"agreed": gettext_lazy("none agreed"), "published": gettext_lazy("none published")}


def _carry_over_sentence(writer: _Writer, row: HousingRow) -> str:
    carry, corrected = row.carry_over, row.corrected
    if not carry.known or not corrected.known:
        return _(
            "The backlog or lead from earlier half-years is not known, so the corrected target is not known either."
        )
    values = {"count": writer.num(Figure(abs(carry.value), carry.refs)), "corrected": writer.num(corrected)}
    if carry.value > 0:
        return (
            ngettext(
                "From earlier half-years the municipality has a backlog of %(count)s status holder; its corrected "
                "target is therefore %(corrected)s.",
                "From earlier half-years the municipality has a backlog of %(count)s status holders; its corrected "
                "target is therefore %(corrected)s.",
                carry.value,
            )
            % values
        )
    if carry.value < 0:
        return (
            ngettext(
                "From earlier half-years the municipality has a lead of %(count)s status holder; its corrected target "
                "is therefore %(corrected)s.",
                "From earlier half-years the municipality has a lead of %(count)s status holders; its corrected target "
                "is therefore %(corrected)s.",
                -carry.value,
            )
            % values
        )
    return (
        _(
            "The municipality has no backlog or lead from earlier half-years; its corrected target is therefore equal "
            "to its target: %(corrected)s."
        )
        % values
    )


def _asylum(writer: _Writer, context: dict, row: ReceptionRow) -> list[Block]:
    sentences = []
    if row.task.known and row.agreed:
        sentences.append(
            _(
                "Under the Spreidingswet, the steering table agreed that the municipality of %(municipality)s "
                "offers %(count)s reception places for asylum seekers."
            )
            % {**context, "count": writer.num(row.task)}
        )
    elif row.task.known:
        sentences.append(
            _(
                "Under the Spreidingswet, the indicative number of reception places for asylum seekers in the "
                "municipality of %(municipality)s is %(count)s."
            )
            % {**context, "count": writer.num(row.task)}
        )
    else:
        sentences.append(
            _(
                "No indicative number of reception places under the Spreidingswet is known for the municipality "
                "of %(municipality)s."
            )
            % context
        )
    if row.capacity.known:
        sentences.append(
            ngettext(
                "The municipality has %(count)s reception place for asylum seekers.",
                "The municipality has %(count)s reception places for asylum seekers.",
                int(row.capacity.value),
            )
            % {"count": writer.num(row.capacity)}
        )
    else:
        sentences.append(
            _("The number of reception places for asylum seekers in the municipality is not known.")
        )
    if row.share.known:
        shortfall = row.task.value - row.capacity.value
        values = {"percent": writer.pct(row.share)}
        if shortfall <= 0 and row.agreed:
            sentences.append(
                _("That is %(percent)s of the agreed number, so the municipality meets it.") % values
            )
        elif shortfall <= 0:
            sentences.append(
                _("That is %(percent)s of the indicative number, so the municipality meets it.") % values
            )
        elif row.agreed:
            sentences.append(
                ngettext(
                    "That is %(percent)s of the agreed number: %(count)s place short.",
                    "That is %(percent)s of the agreed number: %(count)s places short.",
                    int(shortfall),
                )
                % {**values, "count": number(shortfall)}
            )
        else:
            sentences.append(
                ngettext(
                    "That is %(percent)s of the indicative number: %(count)s place short.",
                    "That is %(percent)s of the indicative number: %(count)s places short.",
                    int(shortfall),
                )
                % {**values, "count": number(shortfall)}
            )
    facts = [
        writer.fact(column.label, getattr(row, column.key), column.kind)
        for column in RECEPTION_COLUMNS["asylum"]
    ]
    return [" ".join(sentences), FactTable(_("Reception of asylum seekers on %(today)s") % context, facts)]


def _ukraine(writer: _Writer, context: dict, row: ReceptionRow, reception: ReceptionLedger) -> list[Block]:
    sentences = []
    if row.capacity.known:
        sentences.append(
            ngettext(
                "The municipality of %(municipality)s has %(count)s municipal reception place for displaced "
                "persons from Ukraine.",
                "The municipality of %(municipality)s has %(count)s municipal reception places for displaced "
                "persons from Ukraine.",
                int(row.capacity.value),
            )
            % {**context, "count": writer.num(row.capacity)}
        )
        if row.occupancy.known:
            sentences.append(
                ngettext(
                    "Of these, %(count)s place is occupied.",
                    "Of these, %(count)s places are occupied.",
                    int(row.occupancy.value),
                )
                % {"count": writer.num(row.occupancy)}
            )
        else:
            sentences.append(_("How many of these places are occupied is not known."))
    else:
        sentences.append(
            _(
                "The number of municipal reception places for displaced persons from Ukraine in the municipality "
                "of %(municipality)s is not known."
            )
            % context
        )
    third = row.extra
    if not third.known:
        sentences.append(_("The number of third-country nationals in the municipal reception is not known."))
    elif third.value == 0:
        writer.cite(third)
        sentences.append(_("No third-country nationals are staying in the municipal reception."))
    else:
        sentences.append(
            ngettext(
                "%(count)s third-country national is staying in the municipal reception.",
                "%(count)s third-country nationals are staying in the municipal reception.",
                int(third.value),
            )
            % {"count": writer.num(third)}
        )
    blocks: list[Block] = [" ".join(sentences)]

    region_total = reception_table(reception, "ukraine").total
    capacity, task, share = (region_total.cells[key] for key in ("capacity", "task", "share"))
    if capacity.known:
        sentences = [
            ngettext(
                "Together the municipalities of %(region)s have %(count)s municipal reception place for displaced "
                "persons from Ukraine.",
                "Together the municipalities of %(region)s have %(count)s municipal reception places for displaced "
                "persons from Ukraine.",
                int(capacity.value),
            )
            % {**context, "count": writer.num(capacity)}
        ]
        if share.known:
            sentences.append(
                _("That is %(percent)s of the regional task of %(task)s places.")
                % {"percent": writer.pct(share), "task": writer.num(task)}
            )
        blocks.append(" ".join(sentences))
    else:
        blocks.append(
            _(
                "The total number of municipal reception places in %(region)s is not known, because it is not known "
                "for every municipality."
            )
            % context
        )
    facts = [
        writer.fact(column.label, getattr(row, column.key), column.kind)
        for column in RECEPTION_COLUMNS["ukraine"]
    ]
    facts += [
        writer.fact(_("Municipal places in the region"), capacity),
        writer.fact(_("Regional task"), task),
    ]
    blocks.append(FactTable(_("Reception of displaced persons from Ukraine on %(today)s") % context, facts))
    return blocks


def _minors(writer: _Writer, context: dict, row: ReceptionRow, housing: HousingRow) -> list[Block]:
    sentences = []
    if row.task.known:
        sentences.append(
            ngettext(
                "The municipality's share of the reception places for unaccompanied minors is %(count)s place.",
                "The municipality's share of the reception places for unaccompanied minors is %(count)s places.",
                int(row.task.value),
            )
            % {"count": writer.num(row.task)}
        )
    else:
        sentences.append(
            _("The municipality's share of the reception places for unaccompanied minors is not known.")
        )
    if row.capacity.known:
        sentences.append(
            ngettext(
                "The municipality has %(count)s small-scale reception place for unaccompanied minors.",
                "The municipality has %(count)s small-scale reception places for unaccompanied minors.",
                int(row.capacity.value),
            )
            % {"count": writer.num(row.capacity)}
        )
    else:
        sentences.append(
            _(
                "The number of small-scale reception places for unaccompanied minors in the municipality is not known."
            )
        )
    minors = housing.housed_minors
    if not minors.known:
        sentences.append(
            _(
                "How many unaccompanied minors with a residence permit the municipality housed this half-year is "
                "not known."
            )
        )
    elif minors.value == 0:
        writer.cite(minors)
        sentences.append(
            _(
                "As of %(date)s the municipality has not housed any unaccompanied minors with a residence permit this half-year."
            )
            % context
        )
    else:
        sentences.append(
            ngettext(
                "As of %(date)s the municipality has housed %(count)s unaccompanied minor with a residence permit "
                "this half-year.",
                "As of %(date)s the municipality has housed %(count)s unaccompanied minors with a residence permit "
                "this half-year.",
                minors.value,
            )
            % {**context, "count": writer.num(minors)}
        )
    facts = [
        writer.fact(column.label, getattr(row, column.key), column.kind)
        for column in RECEPTION_COLUMNS["minors"]
    ]
    facts.append(writer.fact(_("Unaccompanied minors housed this half-year"), minors))
    return [" ".join(sentences), FactTable(_("Unaccompanied minors on %(today)s") % context, facts)]


STATUS_WORDS = {
    rules.Status.GOOD: gettext_lazy("good"),
    rules.Status.ATTENTION: gettext_lazy("attention"),
    rules.Status.POOR: gettext_lazy("poor"),
    rules.Status.UNKNOWN: gettext_lazy("no thresholds"),
}


def _indicators(writer: _Writer, context: dict, municipality: Area, on: datetime.date) -> list[Block]:
    """Beyond counts: the latest value of each indicator in use for the municipality, with its status."""
    readings = [
        reading
        for reading in IndicatorLedger(municipality.parent, on).for_place(
            IndicatorValue.objects.all(), Indicator.Level.MUNICIPALITY, area_id=municipality.pk
        )
        if reading.known
    ]
    if not readings:
        return [
            _(
                "No values are known yet of the indicators the steering table follows beyond counts (the quality "
                "of reception and access to education, care, work and guidance) for %(municipality)s."
            )
            % context
        ]
    judged = [reading for reading in readings if reading.status != rules.Status.UNKNOWN]
    counts = {status: sum(1 for r in judged if r.status == status) for status in rules.Status}
    sentence = ngettext(
        "Beyond counts, the steering table follows the quality of reception and access to education, care, work "
        "and guidance; %(count)s indicator has a value for %(municipality)s.",
        "Beyond counts, the steering table follows the quality of reception and access to education, care, work "
        "and guidance; %(count)s indicators have a value for %(municipality)s.",
        len(readings),
    ) % {**context, "count": len(readings)}
    if judged:
        sentence += " " + _(
            "Against the thresholds the region agreed: %(good)s good, %(attention)s asking for attention, "
            "%(poor)s poor."
        ) % {
            "good": counts[rules.Status.GOOD],
            "attention": counts[rules.Status.ATTENTION],
            "poor": counts[rules.Status.POOR],
        }
    facts = []
    for reading in readings:
        unit = "%" if reading.indicator.unit == Indicator.Unit.PERCENTAGE else ""
        value = f"{writer.num(reading.figure, unit)} ({reading.period}), {STATUS_WORDS[reading.status]}"
        facts.append(Fact(reading.indicator.name, value, writer.cite(reading.figure)))
    return [sentence, FactTable(_("Indicators for %(municipality)s") % context, facts)]


def _next_steps(writer: _Writer, context: dict, row: HousingRow, meeting: Meeting | None) -> list[Block]:
    blocks: list[Block] = []
    status = housing_progress(row)
    judged = (row.basis, row.remaining, row.norm_share)
    if status in (Progress.BEHIND, Progress.FAR_BEHIND):
        blocks.append(
            writer.conclude(
                _(
                    "The municipality continues, together with its partners, to work on making up the backlog in "
                    "housing status holders."
                ),
                *judged,
            )
        )
    elif status is not None and row.remaining.known and row.remaining.value == 0:
        blocks.append(
            writer.conclude(
                _(
                    "The municipality has met its target for %(period)s and keeps housing the status holders "
                    "linked to it as they come."
                )
                % context,
                *judged,
            )
        )
    elif status is not None:
        blocks.append(
            writer.conclude(
                _("The municipality continues, together with its partners, to work on meeting its target."),
                *judged,
            )
        )
    if meeting is None:
        blocks.append(
            _(
                "No next meeting of the steering table has been scheduled yet. The council will be informed when "
                "there are new developments."
            )
        )
    else:
        day = long_date(timezone.localtime(meeting.starts_at).date())
        text = _("The next meeting of the steering table, %(meeting)s, is on %(date)s.") % {
            "date": demo_marked(day) if meeting.is_demo else day,
            "meeting": meeting.title,
        }
        if meeting.place:
            text += " " + _("Location: %(place)s.") % {"place": meeting.place}
        blocks.append(text)
    return blocks
