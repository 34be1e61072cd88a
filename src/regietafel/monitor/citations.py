"""Which figures cite a source: every sourced table, counted per source."""

from dataclasses import dataclass

from django.db.models import Count, Max, Min, Q

from regietafel.core.models import Source
from regietafel.core.sources import sourced_models


def counts() -> dict[int, tuple[int, int]]:
    """Per source id, how many figures cite it, and how many of those are demo."""
    result: dict[int, tuple[int, int]] = {}
    for model in sourced_models():
        rows = (
            model._base_manager.order_by()
            .values_list("source")
            .annotate(n=Count("pk"), demo=Count("pk", filter=Q(is_demo=True)))
        )
        for source_id, count, demo in rows:
            total, demos = result.get(source_id, (0, 0))
            result[source_id] = (total + count, demos + demo)
    return result


@dataclass(frozen=True)
class Citing:
    """The figures of one table that cite a source."""

    table: str
    count: int
    first: object  # the earliest reference date, or None
    last: object
    demo: int


def citing(source: Source) -> list[Citing]:
    rows = []
    for model in sourced_models():
        found = model._base_manager.filter(source=source).aggregate(
            count=Count("pk"),
            first=Min("reference_date"),
            last=Max("reference_date"),
            demo=Count("pk", filter=Q(is_demo=True)),
        )
        if found["count"]:
            rows.append(Citing(str(model._meta.verbose_name_plural), **found))
    return rows
