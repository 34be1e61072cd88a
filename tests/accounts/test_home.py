"""Where a user lands (issue 24, part 3): a municipality officer on their municipality, a partner on what is
assigned or referred to it, everyone else on the overview; on the data set alone, without demo data."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from regietafel.access.models import Membership, Role
from regietafel.core.sources import cite
from regietafel.housing.models import HousingRealisation
from regietafel.housing.services import missing_months
from regietafel.meetings import services
from regietafel.meetings.models import Action, AgendaItem, Body, Decision, Forum, Meeting, Referral
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

PASSWORD = "a-long-test-password-1"


@pytest.fixture
def raalte(dataset):
    return Organisation.objects.create(
        name="Gemeente Raalte",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Area.objects.get(code="GM0177"),
    )


def person(username: str, role: str, organisation) -> object:
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    Membership.objects.create(user=user, role=role, organisation=organisation)
    return user


def log_in(client, username: str):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client.post(reverse("login"), {"username": username, "password": PASSWORD})


@pytest.fixture
def work(raalte):
    """A meeting three days from now with an agenda; an action for Raalte; a question referred to Raalte."""
    body = services.save_body(
        Body(name="Regietafel", kind="steering_table", region=raalte.municipality.parent)
    )
    meeting = Meeting.objects.create(
        body=body, title="Regietafel december", starts_at=timezone.now() + datetime.timedelta(days=3)
    )
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Huisvesting grote gezinnen")
    decision = Decision.objects.create(agenda_item=item, text="Besluit")
    Action.objects.create(
        decision=decision,
        title="Woningen inventariseren",
        deadline=datetime.date(2020, 1, 1),
        owner_organisation=raalte,
    )
    forum = Forum.objects.create(
        name="Gemeente Raalte", kind="municipality", organisation=raalte, answer_days=14
    )
    Referral.objects.create(
        forum=forum, title="Vraag over kamerverhuur", question="?", sent_on=datetime.date(2020, 1, 1)
    )
    return meeting


def test_a_municipality_officer_lands_on_their_municipality(client, raalte, work):
    person("raalte", Role.MUNICIPALITY, raalte)
    response = log_in(client, "raalte")
    assert response["Location"] == reverse("mine")  # straight to one's own page
    page = client.get(reverse("start"), follow=True)  # where a single sign-on login lands first
    assert page.redirect_chain[-1][0] == reverse("mine")
    text = page.content.decode()
    assert "<h1" in text and "Raalte</h1>" in text
    for expected in (
        "Housing status holders",
        "Asylum reception (places)",
        "Reception of displaced Ukrainians (places)",
        "Woningen inventariseren",
        "overdue",
        "Vraag over kamerverhuur",
        "late",
        "Regietafel december",
        "Huisvesting grote gezinnen",
        "No realisation has been delivered",
    ):
        assert expected in text, expected
    assert "My municipality" in text  # in the menu
    assert "rt-demo-marker" not in text  # the data set alone: nothing is demo


def test_missing_months_are_the_months_of_this_year_without_realisation(raalte):
    area = raalte.municipality
    today = datetime.date(2026, 4, 15)
    assert missing_months(area, today) == [datetime.date(2026, month, 1) for month in (1, 2, 3)]
    HousingRealisation.objects.create(
        municipality=area, month=datetime.date(2026, 2, 1), housed=4, source=cite("COA", "H")
    )
    assert missing_months(area, today) == [datetime.date(2026, 1, 1), datetime.date(2026, 3, 1)]
    assert missing_months(area, datetime.date(2026, 1, 10)) == []


def test_a_partner_lands_on_what_is_assigned_or_referred_to_it(client, raalte, work):
    partner = Organisation.objects.create(name="Vluchtelingenwerk", kind=Organisation.Kind.CIVIL_SOCIETY)
    decision = Decision.objects.get()
    Action.objects.create(
        decision=decision,
        title="Taallessen regelen",
        deadline=datetime.date(2099, 1, 1),
        owner_organisation=partner,
    )
    person("vwn", Role.PARTNER, partner)
    log_in(client, "vwn")
    text = client.get(reverse("start"), follow=True).content.decode()
    assert "Vluchtelingenwerk</h1>" in text and "Taallessen regelen" in text
    assert "Woningen inventariseren" not in text and "Regietafel december" not in text
    assert "My organisation" in text


@pytest.mark.parametrize("role", [Role.ADMIN, Role.EXECUTIVE])
def test_the_programme_team_and_executives_land_on_the_overview(client, raalte, role):
    person("team", role, None)
    log_in(client, "team")
    assert client.get(reverse("start"))["Location"] == reverse("monitor:overview")
    assert client.get(reverse("mine")).status_code == 404


def test_every_status_judged_from_a_demo_figure_carries_the_marker(client, demo):
    raalte = Organisation.objects.create(
        name="Gemeente Raalte",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Area.objects.get(code="GM0177"),
    )
    person("raalte", Role.MUNICIPALITY, raalte)
    log_in(client, "raalte")
    page = client.get(reverse("mine")).content.decode()
    rows = re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, flags=re.S)
    assert len(rows) == 4
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        if len(cells) < 3:
            continue  # the header
        figures_demo = any("rt-demo-marker" in cell for cell in cells[:2])
        status = cells[2]
        if figures_demo and "—" not in status:
            assert "rt-demo-marker" in status, row
    assert page.count("<h2") == len(set(re.findall(r"<h2[^>]*>(.*?)</h2>", page)))  # no section twice
