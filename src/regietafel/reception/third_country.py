"""Derdelanders per municipality: counts by status through time, each date read beside the version of the state's
rule (and its cut-off date) that applied then."""

import datetime
from dataclasses import dataclass

from regietafel.core.figures import Figure, SourceRef
from regietafel.reception.models import ThirdCountryNationalCount, ThirdCountryRule
from regietafel.regions.models import Area

STATUSES = ThirdCountryNationalCount.Status


@dataclass(frozen=True)
class CountRow:
    municipality: Area
    reference_date: datetime.date
    counts: dict  # status -> Figure (unknown where that status was not counted on the date)
    rule: ThirdCountryRule | None

    def cells(self) -> list[Figure]:
        return [self.counts[status] for status in STATUSES.values]


def rules() -> list[ThirdCountryRule]:
    return list(ThirdCountryRule.objects.select_related("source").order_by("valid_from"))


def rule_on(found: list[ThirdCountryRule], day: datetime.date) -> ThirdCountryRule | None:
    """The version that applied on ``day``: the latest valid from on or before it."""
    applying = None
    for rule in found:
        if rule.valid_from > day:
            break
        applying = rule
    return applying


def history(municipalities: list[Area]) -> dict[int, list[CountRow]]:
    """Per municipality id, one row per date it was counted, newest first; two queries in all."""
    found = rules()
    dates: dict[tuple[int, datetime.date], dict] = {}
    for count in (
        ThirdCountryNationalCount.objects.filter(
            municipality__in=municipalities, reference_date__isnull=False
        )
        .select_related("source")
        .order_by("reference_date")
    ):
        dates.setdefault((count.municipality_id, count.reference_date), {})[count.status] = Figure(
            count.count, frozenset({SourceRef.of(count)})
        )
    by_id = {municipality.pk: municipality for municipality in municipalities}
    rows: dict[int, list[CountRow]] = {municipality.pk: [] for municipality in municipalities}
    for (municipality_id, day), counts in sorted(dates.items(), key=lambda item: item[0][1], reverse=True):
        cells = {status: counts.get(status, Figure.unknown()) for status in STATUSES.values}
        rows[municipality_id].append(CountRow(by_id[municipality_id], day, cells, rule_on(found, day)))
    return rows
