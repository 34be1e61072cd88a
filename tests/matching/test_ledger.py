"""The forecast of the end-of-half-year balance on the overview and the municipality page."""

import datetime

from django.urls import reverse

from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation, NationalTarget, OpeningBalance
from regietafel.matching.ledger import PipelineLedger
from regietafel.persons.models import Household
from regietafel.regions.models import Area, PopulationFigure

TODAY = datetime.date.today()
CURRENT = HalfYear.containing(TODAY)


def _current_target(raalte):
    """A national number and the populations it needs for the running half-year (test figures)."""
    NationalTarget.objects.create(half_year=str(CURRENT), headline=17_000, source=cite("test", "H"))
    day = CURRENT.population_reference_date()
    PopulationFigure.objects.create(
        area=raalte, reference_date=day, population=38_000, source=cite("test", "H")
    )
    PopulationFigure.objects.create(
        area=Area.objects.get(code="NL01"),
        reference_date=day,
        population=18_000_000,
        source=cite("test", "H"),
    )
    OpeningBalance.objects.create(
        municipality=raalte, half_year=str(CURRENT), balance=4, source=cite("test", "H")
    )


def test_the_forecast_counts_the_pipeline(dataset, logged_in):
    raalte = Area.objects.get(code="GM0177")
    _current_target(raalte)
    Household.objects.create(municipality=raalte, linked_on=TODAY, adults=2, children=2, status="offered")
    Household.objects.create(municipality=raalte, linked_on=TODAY, adults=1, status="linked")
    if CURRENT.months_elapsed(TODAY) > 0:
        HousingRealisation.objects.create(
            municipality=raalte, month=CURRENT.start, housed=5, source=cite("test", "H")
        )
    ledger = HousingLedger(raalte.parent)
    row = next(
        r
        for r in PipelineLedger(ledger.region, TODAY, housing=ledger).rows(CURRENT)
        if r.municipality == raalte
    )
    target = 17_000 * 38_000 // 18_000_000 + 1 + 4  # statutory (rounded up) plus the backlog carried in
    assert (row.committed, row.waiting) == (4, 1)
    assert row.forecast.target == target
    assert row.worst.value == target - row.forecast.housed_low
    assert row.balance.known and any(ref.source.startswith("Regietafel") for ref in row.balance.refs)
    page = logged_in.get(reverse("monitor:municipality", args=["GM0177"])).content.decode()
    assert "Prognose voor het einde van" in page
    overview = logged_in.get(reverse("monitor:overview")).content.decode()
    assert "Prognose per gemeente" in overview


def test_without_a_national_number_the_pages_say_why_there_is_no_forecast(dataset, logged_in):
    page = logged_in.get(reverse("monitor:overview"), {"halfjaar": "2025-H2"}).content.decode()
    assert "geen prognose" in page
