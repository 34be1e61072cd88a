"""From linked households and homes to proposals, offers, refusals and housed households counted in the monitor."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from regietafel.access.models import Membership, Role
from regietafel.audit.models import Channel, ProcessingLog
from regietafel.core.sources import cite
from regietafel.core.versioning import StaleEdit
from regietafel.housing.models import HousingRealisation, PeriodLock
from regietafel.housing.periods import PeriodLocked
from regietafel.matching import pipeline, services
from regietafel.matching.models import Dwelling, MatchRun, Proposal
from regietafel.organisations.models import Organisation
from regietafel.persons.models import Household, HouseholdEvent, Tie
from regietafel.persons.services import HouseholdError
from regietafel.regions.models import Area, Place

TODAY = datetime.date.today()


@pytest.fixture
def raalte(dataset):
    return Area.objects.get(code="GM0177")


def home(area, code, *, rooms=2, occupancy=4, rent="600.00", place="Raalte", available_on=TODAY, **extra):
    return Dwelling.objects.create(
        code=code,
        municipality=area,
        place=Place.objects.get(municipality=area, name=place),
        rooms=rooms,
        max_occupancy=occupancy,
        rent=Decimal(rent),
        available_on=available_on,
        owner="Salland Wonen",
        source=cite("test", "H"),
        **extra,
    )


def household(area, *, adults=2, children=0, days_ago=30, **extra):
    return Household.objects.create(
        municipality=area,
        linked_on=TODAY - datetime.timedelta(days=days_ago),
        adults=adults,
        children=children,
        **extra,
    )


def request_for(user):
    request = RequestFactory().post("/")
    request.user = user
    return request


@pytest.fixture
def officer(raalte):
    organisation = Organisation.objects.create(
        name="Gemeente Raalte", kind="municipality", municipality=raalte
    )
    user = get_user_model().objects.create_user("raalte")
    Membership.objects.create(user=user, role=Role.MUNICIPALITY, organisation=organisation)
    return user


def test_proposals_house_more_people_than_first_come_first_served(raalte, officer):
    # The couple came first; first come, first served gives it the only large home and the family of five waits.
    couple = household(raalte, adults=2, days_ago=60)
    family = household(raalte, adults=2, children=3, days_ago=20)
    Tie.objects.create(household=family, kind=Tie.Kind.WORK, place=Place.objects.get(name="Heino"))
    home(raalte, "R-1", rooms=3, occupancy=6)
    home(raalte, "R-2", rooms=1, occupancy=2, rent="550.00")
    run = services.propose(
        request_for(officer),
        raalte.parent,
        municipality=raalte,
        available_before=TODAY,
        across_municipalities=False,
    )
    assert run.summary["people_housed"] == 7 and run.summary["greedy"]["people_housed"] >= 2
    assert all(level["optimal"] for level in run.summary["levels"])
    pairs = {(p.household_id, p.dwelling.code) for p in run.proposals.all()}
    assert pairs == {(couple.pk, "R-2"), (family.pk, "R-1")}
    codes = [reason["code"] for reason in run.proposals.get(household=family).reasons]
    assert {"deadline", "size_fit", "tie_nearby", "rent_within_limit"} <= set(codes)
    lines = ProcessingLog.objects.filter(channel=Channel.MATCHING)
    assert lines.count() == 2  # one line per household the matcher read


def test_a_municipality_matches_only_its_own_households_and_homes(raalte, officer):
    kampen = Area.objects.get(code="GM0166")
    household(kampen)
    home(kampen, "K-1", place="Kampen")
    with pytest.raises(services.MatchingError):
        services.propose(
            request_for(officer),
            raalte.parent,
            municipality=kampen,
            available_before=TODAY,
            across_municipalities=False,
        )
    with pytest.raises(services.MatchingError, match="program team"):
        services.propose(
            request_for(officer),
            raalte.parent,
            municipality=None,
            available_before=TODAY,
            across_municipalities=True,
        )


def _proposed(raalte, officer, **household_extra):
    family = household(raalte, **household_extra)
    home(raalte, "R-1", rooms=3, occupancy=6)
    run = services.propose(
        request_for(officer),
        raalte.parent,
        municipality=raalte,
        available_before=TODAY,
        across_municipalities=False,
    )
    return family, run.proposals.get()


def test_accept_refuse_and_house_through_the_pipeline(raalte, officer):
    family, proposal = _proposed(raalte, officer, children=1, member_ages="30, 29, 4")
    request = request_for(officer)
    services.accept(request, proposal, proposal.version, dwelling=None, on=TODAY)
    family.refresh_from_db()
    assert (family.status, family.dwelling.code, family.offered_on) == (
        Household.Status.OFFERED,
        "R-1",
        TODAY,
    )
    assert Dwelling.objects.get(code="R-1").status == Dwelling.Status.OFFERED
    with pytest.raises(services.MatchingError, match="already been decided"):
        services.accept(request, proposal, proposal.version, dwelling=None, on=TODAY)

    with pytest.raises(HouseholdError, match="Say why"):
        pipeline.respond(request, family, family.version, False, TODAY, "")
    pipeline.respond(request, family, family.version, False, TODAY, "Te ver van school")
    family.refresh_from_db()
    assert family.status == Household.Status.REFUSED and family.dwelling is None
    assert Dwelling.objects.get(code="R-1").status == Dwelling.Status.AVAILABLE
    refusal = HouseholdEvent.objects.get(household=family, kind=HouseholdEvent.Kind.REFUSED)
    assert refusal.reason == "Te ver van school" and refusal.dwelling.code == "R-1"

    before = HousingRealisation.objects.filter(municipality=raalte, month=TODAY.replace(day=1)).first()
    pipeline.offer(request, family, Dwelling.objects.get(code="R-1"), family.version, TODAY)
    family.refresh_from_db()
    pipeline.house(request, family, family.version, TODAY)
    family.refresh_from_db()
    assert family.status == Household.Status.HOUSED and family.housed_on == TODAY
    realisation = HousingRealisation.objects.get(municipality=raalte, month=TODAY.replace(day=1))
    assert realisation.housed == (before.housed if before else 0) + 3
    assert pipeline.PIPELINE_SOURCE in realisation.source.name
    assert Dwelling.objects.get(code="R-1").status == Dwelling.Status.LET
    assert [e.kind for e in family.events.order_by("at", "id")] == ["offered", "refused", "offered", "housed"]


def test_accepting_a_proposal_with_a_move_in_date_updates_that_months_realisation(raalte, officer, client):
    minors = household(raalte, adults=0, children=1, is_amv=True, nidos=True, member_ages="16")
    moved_in = TODAY.replace(day=1)
    home(raalte, "R-9", rooms=1, occupancy=1, rent="450.00", available_on=moved_in)
    run = services.propose(
        request_for(officer),
        raalte.parent,
        municipality=raalte,
        available_before=TODAY,
        across_municipalities=False,
    )
    proposal = run.proposals.get(household=minors)
    client.force_login(officer)
    response = client.post(
        reverse("matching:decide", args=[proposal.pk]),
        {"version": proposal.version, "housed_on": moved_in},
        follow=True,
    )
    with translation.override("nl"):
        month = date_format(moved_in, "F Y")
    done = f"{minors.reference} is gehuisvest; 1 persoon is opgeteld bij de realisatie van {month}."
    assert done in response.content.decode()
    realisation = HousingRealisation.objects.get(municipality=raalte, month=moved_in)
    assert (realisation.housed, realisation.housed_minors) == (1, 1)
    proposal.refresh_from_db()
    assert proposal.status == Proposal.Status.ACCEPTED


def test_moving_in_before_the_home_is_available_is_refused(raalte, officer):
    family, proposal = _proposed(raalte, officer)
    services.accept(request_for(officer), proposal, proposal.version, dwelling=None, on=TODAY)
    family.refresh_from_db()
    Dwelling.objects.filter(pk=family.dwelling_id).update(available_on=TODAY + datetime.timedelta(days=10))
    with pytest.raises(HouseholdError, match="only available from"):
        pipeline.house(request_for(officer), family, family.version, TODAY)
    family.refresh_from_db()
    assert family.status == Household.Status.OFFERED and family.housed_on is None


def test_demo_households_count_only_in_demo_figures_and_real_ones_only_in_real_figures(raalte, officer):
    demo, proposal = _proposed(raalte, officer, is_demo=True)
    services.accept(request_for(officer), proposal, proposal.version, dwelling=None, on=TODAY)
    demo.refresh_from_db()
    pipeline.house(request_for(officer), demo, demo.version, TODAY)
    month = TODAY.replace(day=1)
    figure = HousingRealisation.objects.get(municipality=raalte, month=month)
    assert (figure.housed, figure.is_demo, figure.source.name) == (2, True, pipeline.DEMO_PIPELINE_SOURCE)

    real = household(raalte)
    offered = home(raalte, "R-5")
    pipeline.offer(request_for(officer), real, offered, real.version, TODAY)
    real.refresh_from_db()
    pipeline.house(request_for(officer), real, real.version, TODAY)
    figure.refresh_from_db()
    # The real household replaces the generated figure of the month; the demo household no longer counts in it.
    assert (figure.housed, figure.is_demo, figure.source.name) == (2, False, pipeline.PIPELINE_SOURCE)

    late = household(raalte, adults=1, is_demo=True)
    pipeline.offer(request_for(officer), late, home(raalte, "R-6"), late.version, TODAY)
    late.refresh_from_db()
    with pytest.raises(HouseholdError, match="A demo household cannot count in the real figure"):
        pipeline.house(request_for(officer), late, late.version, TODAY)
    late.refresh_from_db()
    figure.refresh_from_db()
    assert late.status == Household.Status.OFFERED and figure.housed == 2  # nothing written


def test_a_locked_half_year_refuses_housing_without_a_reason(raalte, officer, user):
    family, proposal = _proposed(raalte, officer)
    services.accept(request_for(officer), proposal, proposal.version, dwelling=None, on=TODAY)
    family.refresh_from_db()
    from regietafel.domain.targets import HalfYear

    PeriodLock.objects.create(half_year=str(HalfYear.containing(TODAY)))
    with pytest.raises(PeriodLocked):
        pipeline.house(request_for(officer), family, family.version, TODAY)
    family.refresh_from_db()
    assert family.status == Household.Status.OFFERED  # nothing written
    pipeline.house(request_for(user), family, family.version, TODAY, "COA-opgave nagekomen")
    family.refresh_from_db()
    assert family.status == Household.Status.HOUSED


def test_a_stale_household_version_is_refused(raalte, officer):
    family, proposal = _proposed(raalte, officer)
    services.accept(request_for(officer), proposal, proposal.version, dwelling=None, on=TODAY)
    family.refresh_from_db()
    with pytest.raises(StaleEdit):
        pipeline.respond(request_for(officer), family, family.version - 1, True, TODAY)


def test_rejecting_needs_a_reason_and_changing_the_home_checks_the_rules(raalte, officer):
    family, proposal = _proposed(raalte, officer, adults=2, children=3)
    with pytest.raises(services.MatchingError, match="Say why"):
        services.reject(request_for(officer), proposal, proposal.version, " ")
    too_small = home(raalte, "R-2", rooms=1, occupancy=2)
    with pytest.raises(services.MatchingError, match="does not meet the rules"):
        services.accept(request_for(officer), proposal, proposal.version, dwelling=too_small, on=TODAY)
    bigger = home(raalte, "R-3", rooms=4, occupancy=7, place="Heino")
    services.accept(request_for(officer), proposal, proposal.version, dwelling=bigger, on=TODAY)
    proposal.refresh_from_db()
    assert proposal.changed and proposal.dwelling == bigger
    family.refresh_from_db()
    assert family.dwelling == bigger


def test_pages_show_reasons_in_dutch(raalte, officer, client):
    family, proposal = _proposed(raalte, officer, children=1)
    client.force_login(officer)
    page = client.get(reverse("matching:run", args=[proposal.run_id])).content.decode()
    assert family.reference in page
    # A household of three: the higher capping limit of the housing allowance.
    assert "past qua grootte: 3 personen" in page and "binnen de grens van € 731,93" in page
    # The objective levels in words, each proven optimal here.
    assert "Personen gehuisvest: 3 — bewezen optimaal" in page
    assert "Aansluiting: bindingen dichtbij en grootte (score)" in page and "people:" not in page
    assert client.get(reverse("matching:index")).status_code == 200
    assert client.get(reverse("matching:dwellings")).status_code == 200


def test_the_run_page_of_another_municipality_is_not_found(raalte, officer, client):
    kampen = Area.objects.get(code="GM0166")
    other = MatchRun.objects.create(region=raalte.parent, municipality=kampen, available_before=TODAY)
    client.force_login(officer)
    assert client.get(reverse("matching:run", args=[other.pk])).status_code == 404


def test_the_households_history_shows_the_offer_without_empty_values_or_bookkeeping(raalte, officer, client):
    family, proposal = _proposed(raalte, officer)
    services.accept(request_for(officer), proposal, proposal.version, dwelling=None, on=TODAY)
    client.force_login(officer)
    page = client.get(reverse("persons:detail", args=[family.pk])).content.decode()
    assert "— → R-1" in page
    assert "None" not in page and "Updated by" not in page and "Bijgewerkt door" not in page


def test_the_run_page_says_why_each_waiting_household_got_no_proposal(raalte, officer, client):
    """Issue 25: 22 waiting, 37 homes, 8 proposals: why only 8? Each household without a proposal gets its reason."""
    large = household(raalte, adults=2, children=5, days_ago=50)  # seven people: no home takes seven
    wheelchair = household(raalte, adults=1, children=1, days_ago=40, needs_accessible=True)
    first = household(raalte, adults=2, days_ago=60)
    later = household(
        raalte, adults=2, days_ago=10
    )  # the one home for two went to the household linked first
    home(raalte, "R-1", rooms=2, occupancy=4)
    run = services.propose(
        request_for(officer),
        raalte.parent,
        municipality=raalte,
        available_before=TODAY,
        across_municipalities=False,
    )
    assert {p.household_id for p in run.proposals.all()} == {first.pk}
    reasons = {item["household"]: item["code"] for item in run.summary["unmatched"]}
    assert reasons == {large.pk: "none_large_enough", wheelchair.pk: "none_accessible", later.pk: "taken"}
    client.force_login(officer)
    with translation.override("nl"):
        page = client.get(reverse("matching:run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "3 huishoudens zonder voorstel" in page
    assert "Geen woning is groot genoeg voor 7 personen: de grootste biedt plaats aan 4." in page
    assert "toegankelijke woning" in page
    assert later.reference in page and large.reference in page
    # Reading the waiting households on the page is logged, like every read of a household.
    assert ProcessingLog.objects.filter(channel=Channel.PAGE, subject__isnull=False).exists()
