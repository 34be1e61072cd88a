"""Supervision of the housing task (issue 26, part 2): the province's ladder as sourced data, the step each
municipality is on, proposals when the misses reach a step's threshold, and where the table sees it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.domain import supervision as rules
from regietafel.domain.targets import HalfYear
from regietafel.housing import supervision
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import SupervisionPlacement, SupervisionStep
from regietafel.imports.services import ImportRejected, export, import_rows
from regietafel.regions.models import Area
from regietafel.reports import monitor
from regietafel.reports.letters import build_letter
from tests.reports.test_letters import text_of
from tests.support import csv_bytes

H2 = HalfYear(2025, 2)
LETTER = "Brief GS Overijssel aan het college van Kampen, 3 maart 2026"
PLACEMENT_HEADER = ["municipality_code", "since", "step", "occasion", "note", "source"]


def with_thresholds():
    """The province's thresholds are not published; a region sets its own (here 0, 1, 2, and none for the last)."""
    for step in SupervisionStep.objects.filter(province__code="PV23"):
        step.threshold = {0: 0, 1: 1, 2: 2}.get(step.order)
        step.save()


def test_the_embedded_ladder_is_overijssels_own_with_its_sources(dataset):
    steps = list(SupervisionStep.objects.filter(province__code="PV23").order_by("order"))
    assert [step.name for step in steps] == ["Groen", "Oranje", "Rood", "Indeplaatsstelling"]
    # Overijssel does not publish after how many misses it takes a step: no threshold is made up.
    assert all(step.threshold is None for step in steps)
    assert all(step.source.address and not step.is_demo for step in steps)


def test_a_placement_on_a_step_the_province_does_not_have_is_refused_with_row_and_field(dataset):
    rows = [
        ["GM0166", "2026-03-03", "1", "letter", "", LETTER],
        ["GM0177", "2026-03-03", "7", "talk", "", LETTER],
    ]
    with pytest.raises(ImportRejected) as refused:
        import_rows(
            get_spec("supervision-placements"), read_table(csv_bytes(PLACEMENT_HEADER, rows), "t.csv")
        )
    errors = refused.value.validation.errors
    assert [(error.row, error.field) for error in errors] == [(3, "step")]
    assert "Overijssel" in errors[0].message and "7" in errors[0].message
    assert not SupervisionPlacement.objects.exists()  # nothing partial


def test_placements_import_and_export_again_unchanged(dataset):
    spec = get_spec("supervision-placements")
    rows = [
        ["GM0166", "2025-09-01", "1", "talk", "Ambtelijk gesprek", LETTER],
        ["GM0166", "2026-03-03", "2", "letter", "", LETTER],
    ]
    assert import_rows(spec, read_table(csv_bytes(PLACEMENT_HEADER, rows), "t.csv"))["create"] == 2
    again = import_rows(spec, read_table(export(spec, "csv", for_systems=True), "export.csv"))
    assert again == {"create": 0, "update": 0, "unchanged": 2}
    kampen = Area.objects.get(code="GM0166")
    [row] = supervision.rows(HousingLedger(kampen.parent), H2, [kampen])
    assert row.step.name == "Rood" and row.current.since == datetime.date(2026, 3, 3)
    assert [placement.step.order for placement in row.history] == [2, 1]
    assert row.placement_ref.refs and not row.placement_ref.is_demo


def test_proposals_follow_the_misses_and_carry_their_demo_marker(demo):
    with_thresholds()
    region = Area.objects.get(code="VR04")
    ledger = HousingLedger(region)
    found = supervision.rows(ledger, H2)
    assert len(found) == 11
    steps = [rules.Step(step.order, step.threshold) for step in found[0].ladder]
    proposed = 0
    for row in found:
        assert row.missed == ledger.row(row.municipality, H2).missed
        expected = rules.propose(steps, None, row.missed.value)
        assert (row.proposal.order if row.proposal else None) == (expected.order if expected else None)
        if row.proposal:
            proposed += 1
            # A proposal drawn from demo realisation is a demo conclusion.
            assert row.proposal_figure.is_demo == row.missed.is_demo
    assert proposed, "the demo region has municipalities that missed their targets"


def test_a_beheerder_records_the_decision_and_every_page_shows_it(demo, logged_in, client):
    with_thresholds()
    kampen = Area.objects.get(code="GM0166")
    rood = SupervisionStep.objects.get(province__code="PV23", order=2)
    url = reverse("monitor:supervision_record", args=["GM0166"])
    form = {"step": rood.pk, "since": "2026-03-03", "occasion": "letter", "source": LETTER, "note": ""}
    response = logged_in.post(url, form)
    assert response.status_code == 302 and response["Location"].endswith("#toezicht")
    placement = SupervisionPlacement.objects.get(municipality=kampen)
    assert placement.step == rood and placement.source.name == LETTER
    # One decision per day: a second is refused with a message, and nothing changes.
    again = logged_in.post(url, {**form, "occasion": "talk"})
    assert again.status_code == 400
    assert "Kampen" in again.context["form"].errors["since"][0]
    assert SupervisionPlacement.objects.count() == 1

    page = logged_in.get(reverse("monitor:municipality", args=["GM0166"])).content.decode()
    assert "Toezicht door de provincie" in page and "2. Rood" in page and LETTER in page
    overview = logged_in.get(reverse("monitor:overview")).content.decode()
    assert 'id="toezicht"' in overview and "2. Rood" in overview
    listing = logged_in.get(reverse("monitor:supervision")).content.decode()
    assert "Indeplaatsstelling" in listing and "2. Rood" in listing

    with translation.override("en"):
        letter = build_letter(kampen, HalfYear(2026, 1), datetime.date(2026, 3, 31))
    text = text_of(letter)
    assert "since 3 March 2026" in text and "(Rood)" in text
    assert LETTER in [ref.source for ref in letter.sources]
    report = monitor.build(kampen.parent, datetime.date(2026, 3, 31))
    assert kampen in [row.municipality for row in report.supervision]
    # As it stood before the decision, the report and the letter do not know it yet.
    earlier = monitor.build(kampen.parent, datetime.date(2026, 3, 1))
    assert all(row.current is None for row in earlier.supervision)
