"""The Spreidingswet cycle (issue 26, part 5): its stages and dates, the number per municipality at each stage, the
places realised against the latest stage over time, and the incentive; the adopted scenario is the proposal stage."""

import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.urls import reverse
from django.utils import translation

from regietafel.core.sources import cite
from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.imports.services import ImportRejected, import_rows
from regietafel.reception import cycles
from regietafel.reception.models import Cycle, Location, ReceptionTask
from regietafel.regions.models import Area
from tests.support import csv_bytes

TODAY = datetime.date(2025, 9, 15)
SOURCE = "Gemeente Raalte, raadsbrief Spreidingswet"


def stage(area: Area, measure: str, value: int) -> ReceptionTask:
    return ReceptionTask.objects.create(
        area=area, programme="asylum", measure=measure, cycle=1, value=value, source=cite(SOURCE, "H")
    )


def test_the_embedded_first_cycle_has_its_dates(dataset):
    [first] = cycles.cycles()
    assert (first.number, first.starts_on, first.proposal_due, first.realise_by) == (
        1,
        datetime.date(2024, 2, 1),
        datetime.date(2024, 11, 1),
        datetime.date(2025, 7, 1),
    )
    assert first.decision_on is None  # the minister decided in December 2024; the day was not found
    with translation.override("en"):
        assert cycles.stage_now(first, datetime.date(2024, 6, 1)).startswith("municipalities offer")


def test_stages_realisation_and_incentive_per_municipality(dataset, logged_in):
    raalte = Area.objects.get(code="GM0177")
    Location.objects.filter(municipality=raalte).exclude(kind=Location.Kind.MUNICIPAL_UKRAINE).delete()
    stage(raalte, ReceptionTask.Measure.OFFERED_PLACES, 200)
    stage(raalte, ReceptionTask.Measure.AGREED_PLACES, 220)  # what the table adopted: the province's proposal
    location = Location.objects.create(
        municipality=raalte,
        name="Azc Raalte",
        kind=Location.Kind.AZC,
        capacity=100,
        start_date=datetime.date(2025, 1, 1),
        reference_date=datetime.date(2025, 1, 1),
        source=cite(SOURCE, "H"),
    )
    location.capacity, location.reference_date = 180, datetime.date(2025, 6, 1)
    location.save()
    cycle = Cycle.objects.get(number=1)
    dates, rows = cycles.rows(cycle, [raalte], TODAY)
    [row] = rows
    with translation.override("en"):
        labels = {str(label): figure for label, figure in row.labelled}
    assert labels["Indicative (state)"].value == 233 and labels["Offered (municipality)"].value == 200
    assert labels["Proposal (province)"].value == 220 and not labels["Decision (minister)"].known
    assert row.target.value == 220  # the latest stage known
    assert dates[-1] == TODAY and datetime.date(2025, 7, 1) in dates
    by_date = dict(zip(dates, row.realised, strict=True))
    assert by_date[datetime.date(2025, 3, 31)].value == 100 and by_date[TODAY].value == 180
    assert row.share.value == Fraction(180, 220)
    # Without a set incentive: the range of the Spreidingswet's rates (€ 1,500 to € 5,000) times the places.
    assert (row.incentive_low.value, row.incentive_high.value) == (220 * 1500, 220 * 5000)
    cycle.incentive_per_place = Decimal("2500")
    cycle.save()
    with translation.override("en"):
        [row] = cycles.rows(cycle, [raalte], TODAY)[1]
    assert row.incentive.value == 220 * 2500 and row.incentive.note == "estimate"

    page = logged_in.get(reverse("monitor:cycle")).content.decode()
    assert "Voorstel (provincie)" in page and "Raalte" in page and "1 juli 2025" in page
    municipality = logged_in.get(reverse("monitor:municipality", args=["GM0177"])).content.decode()
    assert "Spreidingswet, cyclus 1" in municipality


def test_a_cycle_whose_stages_run_backwards_is_refused(dataset):
    header = ["programme", "number", "starts_on", "proposal_due", "realise_by", "source"]
    rows = [["asylum", "2", "2026-02-01", "2025-11-01", "2027-07-01", SOURCE]]
    with pytest.raises(ImportRejected) as refused:
        import_rows(get_spec("cycles"), read_table(csv_bytes(header, rows), "t.csv"))
    [error] = refused.value.validation.errors
    assert (error.row, error.field) == (2, "realise_by")
    assert not Cycle.objects.filter(number=2).exists()
