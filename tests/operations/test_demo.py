import datetime
import re

import pytest
from django.core.management import CommandError, call_command

from regietafel.distribution.forms import population_dates
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation, NationalTarget
from regietafel.meetings.demo import load_demo as load_meetings_demo
from regietafel.meetings.models import Action, Meeting
from regietafel.operations.demo import load_demo, remove_demo
from regietafel.reception.models import Location, ThirdCountryNationalCount
from regietafel.regions.models import Area, PopulationFigure


def test_demo_records_are_labelled_and_never_beside_a_sourced_figure(dataset):
    load_demo(today=datetime.date(2026, 1, 1))
    assert HousingRealisation.objects.filter(is_demo=False).count() == 0
    assert HousingRealisation.objects.count() == 11 * 12
    assert all(
        "Demogegevens" in source
        for source in Location.objects.filter(is_demo=True).values_list("source__name", flat=True)
    )
    raalte_goo = Location.objects.filter(municipality__code="GM0177", kind=Location.Kind.MUNICIPAL_UKRAINE)
    assert [(location.capacity, location.is_demo) for location in raalte_goo] == [(265, False)]
    assert ThirdCountryNationalCount.objects.filter(municipality__code="GM0177").count() == 1


def test_demo_is_reproducible_and_removable(dataset):
    load_demo(seed=7, today=datetime.date(2026, 1, 1))
    first = list(
        HousingRealisation.objects.order_by("municipality__code", "month").values_list("housed", flat=True)
    )
    load_demo(seed=7, today=datetime.date(2026, 1, 1))
    second = list(
        HousingRealisation.objects.order_by("municipality__code", "month").values_list("housed", flat=True)
    )
    assert first == second
    assert remove_demo() > 0
    assert not HousingRealisation.objects.exists()
    assert Location.objects.filter(is_demo=False).count() == 1


def test_the_demo_runs_up_to_the_last_complete_month_of_the_day_it_is_loaded(dataset):
    today = datetime.date(2026, 12, 5)
    load_demo(today=today)
    months = sorted(set(HousingRealisation.objects.values_list("month", flat=True)))
    assert months[0] == datetime.date(2025, 1, 1)
    assert months[-1] == datetime.date(2026, 11, 1)
    # Each month's figure is known on the 1st of the next month; each location from its opening.
    assert all(record.reference_date > record.month for record in HousingRealisation.objects.all())
    for location in Location.objects.filter(is_demo=True):
        dates = list(location.observations.values_list("reference_date", flat=True))
        assert (
            dates
            == [location.start_date, datetime.date(2026, 12, 1)]
            == [location.start_date, location.reference_date]
        )


def test_the_current_half_year_gets_demo_inputs_only_where_the_public_ones_are_missing(dataset):
    today = datetime.date(2026, 12, 5)
    public = set(NationalTarget.objects.values_list("half_year", "revision", "headline"))
    load_demo(today=today)
    demo_targets = NationalTarget.objects.filter(is_demo=True)
    assert sorted(demo_targets.values_list("half_year", flat=True)) == ["2026-H1", "2026-H2"]
    assert set(
        NationalTarget.objects.filter(is_demo=False).values_list("half_year", "revision", "headline")
    ) == (public)
    assert all(target.reference_date < HalfYear.parse(target.half_year).start for target in demo_targets)
    demo_populations = PopulationFigure.objects.filter(is_demo=True)
    assert {figure.reference_date for figure in demo_populations} == {datetime.date(2025, 1, 1)}
    assert demo_populations.count() == 12  # the 11 municipalities and the Netherlands
    ledger = HousingLedger(Area.objects.get(code="VR04"))
    assert ledger.default_half_year(today) == HalfYear(2026, 2)
    row = ledger.row(Area.objects.get(code="GM0177"), HalfYear(2026, 2))
    assert row.target.known and row.target.is_demo and row.status is not None and row.basis.is_demo
    remove_demo()
    assert not NationalTarget.objects.filter(is_demo=True).exists()
    assert not PopulationFigure.objects.filter(is_demo=True).exists()


def test_make_run_shows_the_current_half_year_with_a_forecast(dataset, client_en):
    today = datetime.date.today()
    load_demo(today=today)
    html = client_en.get("/").content.decode()
    current = HalfYear.containing(today)
    assert f'<option value="{current}" selected>' in html
    assert "No national number is known yet for the current half-year" not in html
    assert f"Forecast for the end of {current}" in html


def test_the_meeting_cycle_is_current(dataset):
    today = datetime.date(2026, 12, 5)
    load_meetings_demo(today=today)
    upcoming = Meeting.objects.filter(starts_at__date__gt=today)
    assert upcoming.count() == 1 and 14 <= (upcoming.get().starts_at.date() - today).days <= 28
    open_actions = Action.objects.filter(status__in=Action.OPEN_STATUSES)
    assert sorted((action.deadline - today).days for action in open_actions) == [7, 35]
    assert not [action for action in open_actions if action.deadline < today]


def test_the_inputs_page_marks_inputs_that_are_only_demo(dataset, client_en):
    load_demo(today=datetime.date(2026, 12, 5))
    html = client_en.get("/ontbrekende-invoer/").content.decode()
    row = re.search(r">2026-H2.*?</tr>", html, re.S).group(0)
    assert row.count('class="rt-demo-marker"') == 3  # the national number, NL's population, 11 populations
    assert "complete" not in row


def test_a_half_year_with_demo_inputs_is_not_complete(dataset):
    load_demo(today=datetime.date(2026, 12, 5))
    ledger = HousingLedger(Area.objects.get(code="VR04"))
    assert not ledger.missing_inputs(HalfYear(2026, 2)).complete
    assert ledger.missing_inputs(HalfYear(2025, 2)).complete


def test_compute_targets_never_uses_a_demo_input(dataset):
    load_demo(today=datetime.date(2026, 12, 5))
    with pytest.raises(CommandError, match="Geen landelijk aantal voor 2026-H2"):
        call_command("compute_targets", "--half-year", "2026-H2")
    with pytest.raises(CommandError, match="Geen bevolking van Nederland"):
        call_command("compute_targets", "--half-year", "2026-H2", "--national", "13000")


def test_the_planner_never_divides_by_a_demo_population(dataset):
    load_demo(today=datetime.date(2026, 12, 5))
    assert datetime.date(2025, 1, 1) not in population_dates()
    assert datetime.date(2024, 1, 1) in population_dates()
