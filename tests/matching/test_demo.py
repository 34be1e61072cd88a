"""The demo homes: consistent with the demo households that live in them, and enough to match in every municipality."""

import datetime
from io import StringIO

from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory

from regietafel.core.sources import cite
from regietafel.housing.models import HousingRealisation
from regietafel.matching import services
from regietafel.matching.models import Dwelling
from regietafel.persons.models import Household
from regietafel.regions.models import Area


def request_for(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


def test_homes_of_offered_and_housed_demo_households_were_available_by_the_offer(dataset):
    call_command("load_demo", stdout=StringIO())
    placed = Household.objects.filter(is_demo=True, dwelling__isnull=False).select_related("dwelling")
    assert placed.exists()
    for household in placed:
        assert household.dwelling.available_on <= household.offered_on
        assert household.dwelling.status in (Dwelling.Status.OFFERED, Dwelling.Status.LET)
        assert household.dwelling.municipality_id == household.municipality_id
        if household.status == Household.Status.HOUSED:
            assert household.offered_on <= household.housed_on <= datetime.date.today()
    # Housed demo households count in the demo realisation of their month, never in a sourced figure.
    housed = placed.filter(status=Household.Status.HOUSED)
    assert housed.exists()
    for household in housed:
        figure = HousingRealisation.objects.get(
            municipality=household.municipality, month=household.housed_on.replace(day=1)
        )
        assert figure.is_demo and figure.housed >= household.size


def test_the_program_team_gets_proposals_for_the_demo_with_the_default_date(dataset):
    call_command("load_demo", stdout=StringIO())
    region = Area.objects.get(code="VR04")
    admin = get_user_model().objects.create_superuser("team", password=None)
    default = datetime.date.today() + datetime.timedelta(weeks=4)  # the form's initial value
    run = services.propose(
        request_for(admin), region, municipality=None, available_before=default, across_municipalities=False
    )
    proposals = run.proposals.all()
    assert proposals.count() > 0
    assert run.summary["people_housed"] >= run.summary["greedy"]["people_housed"]
    assert all(p.dwelling.available_on <= default for p in proposals)
    assert all(p.dwelling.municipality_id == p.household.municipality_id for p in proposals)


def test_demo_loads_again_when_this_month_has_a_real_figure_and_leaves_it_alone(dataset):
    # Demo households moved in during the last weeks: this month and the one before have real figures.
    this_month = datetime.date.today().replace(day=1)
    months = [this_month, (this_month - datetime.timedelta(days=1)).replace(day=1)]
    for area in Area.objects.in_region(Area.objects.get(code="VR04")):
        for month in months:
            HousingRealisation.objects.create(
                municipality=area, month=month, housed=3, source=cite("COA", "H"), reference_date=month
            )
    call_command("load_demo", stdout=StringIO())
    real = HousingRealisation.objects.filter(month__in=months)
    assert all(not figure.is_demo and figure.housed == 3 for figure in real) and real.count() == 22
