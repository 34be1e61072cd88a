"""Figures with provenance: every number on a page carries the sources it was made from."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol, runtime_checkable

from django.utils.translation import gettext_lazy as _

from regietafel.domain.targets import ScheduleStatus


@dataclass(frozen=True, order=True)
class SourceRef:
    """A source as a figure cites it: its name, the figure's reference date and whether it is demo; ``source_id``
    is the source's record (``core.Source``, its page in the app), None for what the app computes itself."""

    source: str
    reference_date: datetime.date | None
    is_demo: bool = False
    # Not part of the reference's identity: a source's name is unique, and a snapshot read back has no record.
    source_id: int | None = field(default=None, compare=False)
    # When the source was published: said where the figure has no reference date of its own.
    published: datetime.date | None = field(default=None, compare=False)
    # How sure the source is (H, M, L: ``core.models.Confidence``).
    confidence: str = field(default="", compare=False)

    @classmethod
    def of(cls, record) -> "SourceRef":
        source = record.source
        return cls(
            source.name, record.reference_date, record.is_demo, source.pk, source.published, source.confidence
        )


@dataclass(frozen=True)
class Figure:
    """A value (int, Fraction, Decimal, or None when unknown) and the sources behind it."""

    value: int | Fraction | Decimal | None
    refs: frozenset[SourceRef] = field(default_factory=frozenset)
    note: str = ""

    def __post_init__(self):
        # Figures are exact: a float (a division of two ints) compares wrongly with the thresholds (0.7 < 7/10).
        if isinstance(self.value, float):
            raise TypeError(
                f"A Figure's value is exact (int, Fraction or Decimal), not the float {self.value!r}."
            )

    @property
    def known(self) -> bool:
        return self.value is not None

    @property
    def is_demo(self) -> bool:
        return any(ref.is_demo for ref in self.refs)

    @classmethod
    def unknown(cls, note: str = "") -> "Figure":
        return cls(None, frozenset(), note)


@runtime_checkable
class Reader(Protocol):
    """The one way figures are read. Every reader (``HousingLedger``, ``ReceptionLedger``, ``IndicatorLedger``,
    ``PipelineLedger``) is built as ``Reader(region, on)``: the figures of one region as they stood on one date
    (``on`` None: as of now), read in a fixed number of queries. It gives rows, one per municipality (or place), of
    ``Figure`` values that carry their sources, each row with its status."""

    region: Any  # a regions.Area of kind region
    on: datetime.date | None


def combine(value, *figures: Figure, note: str = "") -> Figure:
    """A figure computed from others carries all their sources."""
    refs: frozenset[SourceRef] = frozenset()
    for figure in figures:
        refs |= figure.refs
    return Figure(value, refs, note)


def total(figures: list[Figure]) -> Figure:
    """Sum of figures; unknown as soon as one is unknown, because a partial total would mislead."""
    if not figures or any(not figure.known for figure in figures):
        return Figure.unknown()
    return combine(sum(figure.value for figure in figures), *figures)


@dataclass(frozen=True)
class KnownPart:
    """The sum of the figures that are known, and of how many: for a sentence such as "1.234 in the 4 of the 11
    municipalities whose figure is known", where the total itself is unknown."""

    sum: "Figure"
    known: int
    of: int


def known_part(figures: list["Figure"]) -> KnownPart:
    known = [figure for figure in figures if figure.known]
    value = combine(sum(figure.value for figure in known), *known) if known else Figure.unknown()
    return KnownPart(value, len(known), len(figures))


class SourceList:
    """Numbers the sources on one page, in order of first use, for footnotes."""

    def __init__(self) -> None:
        self._numbers: dict[SourceRef, int] = {}

    def numbers(self, figure: Figure) -> list[int]:
        result = []
        for ref in sorted(
            figure.refs, key=lambda ref: (ref.is_demo, ref.source, ref.reference_date or datetime.date.min)
        ):
            if ref not in self._numbers:
                self._numbers[ref] = len(self._numbers) + 1
            result.append(self._numbers[ref])
        return sorted(set(result))

    @property
    def has_records(self) -> bool:
        """Whether any numbered source has a page in the app (a published snapshot's sources do not)."""
        return any(ref.source_id is not None for ref in self._numbers)

    def entries(self) -> list[tuple[int, SourceRef]]:
        return sorted(((number, ref) for ref, number in self._numbers.items()), key=lambda item: item[0])


# How a municipality's schedule status is named on every page, report and export.
STATUS_LABELS = {
    ScheduleStatus.ON_SCHEDULE: _("on schedule"),
    ScheduleStatus.BEHIND: _("behind"),
    ScheduleStatus.FAR_BEHIND: _("far behind"),
}

# The one word that marks a value or conclusion computed from at least one demo figure: on pages, tiles, statuses,
# letters, PDF, DOCX and exports alike (``{% demo_marker %}``, ``reports.letters.demo_marked``).
DEMO_MARKER = _("demo")

# What generated demo data says about itself (``regietafel load-demo``): its source. Its dates are relative to the
# day it is loaded (``operations.demo``).
DEMO_SOURCE_PREFIX = "Demogegevens"
DEMO_SOURCE = DEMO_SOURCE_PREFIX + ", gegenereerd door regietafel load-demo (seed {seed})"
