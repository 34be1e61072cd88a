from fractions import Fraction

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from regietafel.core.figures import DEMO_MARKER, STATUS_LABELS, Figure, SourceList

register = template.Library()


def _footnotes(refs, sources: SourceList):
    # A line may break after each comma (<wbr>), never inside a number or before a comma.
    return format_html_join(
        mark_safe(",<wbr>"),  # noqa: S308 (a constant)
        '<a class="rt-footnote" href="#bron-{0}" aria-label="{1} {0}">{0}</a>',
        ((number, _("source")) for number in sources.numbers(Figure(None, frozenset(refs)))),
    )


@register.simple_tag
def footnotes(value: Figure, sources: SourceList):
    """Footnote links for the sources of a figure (a column header cites what all its cells share)."""
    notes = _footnotes(value.refs, sources)
    return format_html('<sup class="rt-notes">{}</sup>', notes) if notes else ""


@register.simple_tag
def demo_marker():
    """The one mark of a value or conclusion computed from demo data, the same word on every page."""
    return format_html('<abbr class="rt-demo-marker" title="{}">{}</abbr>', _("demo data"), DEMO_MARKER)


@register.simple_tag
def source_link(record):
    """A sourced record's source, as a link to the source's page (who published it, when, how sure it is)."""
    source = record.source
    return format_html(
        '<a class="utrecht-link" href="{}">{}</a>', reverse("monitor:source", args=[source.pk]), source.name
    )


@register.simple_tag
def status(row):
    """A row's status, marked demo when it was judged from a demo figure; a dash when there is none."""
    if row is None or row.status is None:
        return "—"
    marker = demo_marker() if row.basis.is_demo else ""
    return format_html(
        '<span class="rt-status {}">{}</span>{}', status_class(row.status), status_label(row.status), marker
    )


@register.simple_tag
def figure(value: Figure, sources: SourceList, kind: str = "int", cited=frozenset()):
    """A figure with footnote links to its sources, marked when it is (partly) demo data.

    ``cited`` are sources already cited in the column header; they are not repeated in the cell.
    """
    if not value.known:
        title = value.note or _("unknown")
        return format_html(
            '<span class="rt-unknown" title="{}">—<span class="rt-sr-only"> {}</span></span>', title, title
        )
    if kind == "pct":
        text = f"{number_format(round(Fraction(value.value) * 100))}%"
    elif isinstance(value.value, Fraction):
        text = number_format(float(value.value), decimal_pos=1, use_l10n=True)
    else:
        text = number_format(value.value, force_grouping=True)
    if kind == "signed" and value.value > 0:
        text = f"+{text}"  # a change: its sign is part of the figure
    notes = _footnotes(value.refs - cited, sources)
    demo = demo_marker() if value.is_demo else ""
    css = "rt-figure rt-figure--demo" if value.is_demo else "rt-figure"
    # A known figure's note qualifies it ("last known: 1 August 2023", "for the whole of 2023", "published target").
    note = format_html(' <small class="rt-figure__note">({})</small>', value.note) if value.note else ""
    return format_html(
        '<span class="{}">{}</span><sup class="rt-notes">{}{}</sup>{}', css, text, notes, demo, note
    )


@register.filter
def status_label(status) -> str:
    return str(STATUS_LABELS.get(status, ""))


@register.filter
def status_class(status) -> str:
    return f"rt-status--{status.value}" if status else "rt-status--none"


@register.filter
def cells_of(row, table):
    return table.cells(row)


@register.filter
def get_item(mapping, key):
    """mapping[key] in a template; an area shows as its code."""
    value = mapping.get(key)
    return getattr(value, "code", value)


@register.filter
def is_overdue(action, today) -> bool:
    return action.is_overdue(today)


@register.filter
def is_late(referral, today) -> bool:
    """A referral whose forum's expected answer time has passed without an answer."""
    return referral.is_late(today)


@register.filter
def grouped(value, decimals: int | None = None):
    """A number as the user's language writes it, with thousands grouped (13.000; € 1.362,00 with ``:2``); None and
    empty stay as they are (for ``default_if_none``)."""
    if value is None or value == "":
        return value
    return number_format(value, decimal_pos=decimals, use_l10n=True, force_grouping=True)
