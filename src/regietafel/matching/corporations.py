"""Housing corporations beside the housing task: per corporation, municipality and year the homes for status holders
agreed, and what reached the matching pipeline. A home is the corporation's when its owner names it (spaces, case
and hyphens aside: "Salland Wonen" is SallandWonen)."""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.utils.translation import gettext as _

from regietafel.core.figures import Figure, SourceRef, combine
from regietafel.housing.models import CorporationAgreement
from regietafel.matching.models import Dwelling
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area


@dataclass(frozen=True)
class CorporationRow:
    corporation: Organisation
    municipality: Area
    year: int
    agreed: Figure
    available: Figure  # homes of the corporation that reached the pipeline in the year (withdrawn ones not)
    let: Figure  # of which let to status holders

    @property
    def share(self) -> Figure:
        """What reached the pipeline as a part of what was agreed."""
        if not (self.agreed.known and self.available.known) or not self.agreed.value:
            return Figure.unknown(_("nothing agreed"))
        return combine(Fraction(self.available.value, self.agreed.value), self.agreed, self.available)


def plain(name: str) -> str:
    return "".join(character for character in name.casefold() if character.isalnum())


def _count(homes: list[Dwelling], note: str) -> Figure:
    if not homes:
        return Figure(0, note=note)
    return Figure(len(homes), frozenset(SourceRef.of(home) for home in homes))


def rows(municipalities: list[Area], years: list[int] | None = None) -> list[CorporationRow]:
    """One row per agreement of these municipalities (in ``years``, default all), two queries in all."""
    agreements = CorporationAgreement.objects.filter(municipality__in=municipalities).select_related(
        "corporation", "municipality", "source"
    )
    if years:
        agreements = agreements.filter(year__in=years)
    agreements = list(agreements.order_by("municipality__name", "year", "corporation__name"))
    if not agreements:
        return []
    first, last = min(a.year for a in agreements), max(a.year for a in agreements)
    homes: dict[tuple[int, str, int], list[Dwelling]] = {}
    for home in (
        Dwelling.objects.filter(
            municipality__in={a.municipality_id for a in agreements},
            available_on__gte=datetime.date(first, 1, 1),
            available_on__lte=datetime.date(last, 12, 31),
        )
        .exclude(status=Dwelling.Status.WITHDRAWN)
        .select_related("source")
    ):
        homes.setdefault((home.municipality_id, plain(home.owner), home.available_on.year), []).append(home)
    found = []
    none = _("none in the pipeline")
    for agreement in agreements:
        delivered = homes.get(
            (agreement.municipality_id, plain(agreement.corporation.name), agreement.year), []
        )
        found.append(
            CorporationRow(
                corporation=agreement.corporation,
                municipality=agreement.municipality,
                year=agreement.year,
                agreed=Figure(agreement.homes, frozenset({SourceRef.of(agreement)})),
                available=_count(delivered, none),
                let=_count([home for home in delivered if home.status == Dwelling.Status.LET], none),
            )
        )
    return found
