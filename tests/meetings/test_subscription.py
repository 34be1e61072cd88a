"""A personal calendar subscription (issue 24, part 5): a secret address, read-only, revocable, serving only the
meetings of the bodies the user sits in, with nothing of households; a partner sees the meetings they attend."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from regietafel.access.models import Membership, Role
from regietafel.meetings import services
from regietafel.meetings.models import AgendaItem, Body, BodyMember, CalendarFeed, Meeting
from regietafel.organisations.models import Organisation


@pytest.fixture
def bodies(dataset):
    soon = timezone.now() + datetime.timedelta(days=7)
    table = Body.objects.create(name="Regietafel", kind="steering_table")
    group = Body.objects.create(name="Werkgroep AMV", kind="working_group")
    Meeting.objects.create(body=table, title="Regietafel januari", starts_at=soon, place="Zwolle")
    meeting = Meeting.objects.create(body=group, title="Werkgroep AMV januari", starts_at=soon)
    AgendaItem.objects.create(meeting=meeting, position=1, title="Casus HH-ABC123 (vertrouwelijk)")
    return table, group


@pytest.fixture
def partner(bodies):
    organisation = Organisation.objects.create(name="Nidos", kind=Organisation.Kind.CIVIL_SOCIETY)
    user = get_user_model().objects.create_user("nidos")
    Membership.objects.create(user=user, role=Role.PARTNER, organisation=organisation)
    BodyMember.objects.create(body=bodies[1], name="N. Voogd", organisation=organisation, user=user)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user)
    return user, client


def address(page: str) -> str:
    return re.search(r'value="(http://testserver/regietafel/agenda/[^"]+\.ics)"', page).group(1)


def summaries(response) -> list[str]:
    return [str(event["summary"]) for event in Calendar.from_ical(response.content).walk("VEVENT")]


def test_a_partner_subscribes_to_the_meetings_of_the_body_they_sit_in(partner):
    _user, client = partner
    page = client.post(reverse("meetings:subscription"), {"action": "new"}).content.decode()
    url = address(page).removeprefix("http://testserver")
    feed = Client().get(url)  # a calendar app: no login
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    assert summaries(feed) == ["Werkgroep AMV: Werkgroep AMV januari"]
    assert b"HH-ABC123" not in feed.content  # no agenda, no household
    # The secret is stored only as a hash and never shown again.
    assert url.split("/")[-1].removesuffix(".ics") not in CalendarFeed.objects.get().key_hash
    assert "agenda/" not in client.get(reverse("meetings:subscription")).content.decode().split("<main")[1]


def test_a_revoked_or_replaced_address_answers_nothing(partner):
    user, client = partner
    first = address(client.post(reverse("meetings:subscription"), {"action": "new"}).content.decode())
    second = address(client.post(reverse("meetings:subscription"), {"action": "new"}).content.decode())
    anonymous = Client()
    assert anonymous.get(first.removeprefix("http://testserver")).status_code == 404
    assert anonymous.get(second.removeprefix("http://testserver")).status_code == 200
    client.post(reverse("meetings:subscription"), {"action": "revoke"})
    assert anonymous.get(second.removeprefix("http://testserver")).status_code == 404


def test_an_address_stops_with_its_user(partner):
    user, _client = partner
    key = services.new_calendar_feed(user)
    url = reverse("meetings:subscription_ics", args=[key])
    assert Client().get(url).status_code == 200
    user.is_active = False
    user.save()
    assert Client().get(url).status_code == 404
    user.is_active = True
    user.save()
    Membership.objects.filter(user=user).update(role=Role.NONE)
    assert Client().get(url).status_code == 404


def test_someone_in_no_body_gets_an_empty_calendar(bodies):
    user = get_user_model().objects.create_user("bestuurder")
    Membership.objects.create(user=user, role=Role.EXECUTIVE)
    key = services.new_calendar_feed(user)
    assert summaries(Client().get(reverse("meetings:subscription_ics", args=[key]))) == []
    BodyMember.objects.create(body=bodies[0], name="B. Stuurder", user=user)
    assert summaries(Client().get(reverse("meetings:subscription_ics", args=[key]))) == [
        "Regietafel: Regietafel januari"
    ]


def test_a_guessed_address_answers_404(db):
    assert Client().get(reverse("meetings:subscription_ics", args=["a" * 43])).status_code == 404
