"""Reporting completeness (issue 24, part 6): per month and municipality which realisation has arrived, from which
source and when; late months marked; demo figures are not deliveries; a reminder to the municipality's contacts."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from regietafel.access.models import Membership, Role
from regietafel.core.sources import cite
from regietafel.housing.models import DeliveryReminder, HousingRealisation
from regietafel.organisations.models import Contact, Organisation
from regietafel.regions.models import Area

LAST_YEAR = timezone.localdate().year - 1


def row_of(page: str, name: str) -> str:
    return next(
        row
        for row in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, flags=re.S)
        if f">{name}<" in row
    )


def test_every_month_of_a_past_year_is_late_until_delivered(client_en, dataset):
    raalte = Area.objects.get(code="GM0177")
    HousingRealisation.objects.create(
        municipality=raalte,
        month=datetime.date(LAST_YEAR, 3, 1),
        housed=4,
        source=cite("Gemeente Raalte", "H"),
    )
    page = client_en.get(reverse("monitor:completeness") + f"?jaar={LAST_YEAR}").content.decode()
    raalte_row, zwolle_row = row_of(page, "Raalte"), row_of(page, "Zwolle")
    assert raalte_row.count("late") == 11 and "delivered: Gemeente Raalte" in raalte_row
    assert zwolle_row.count("late") == 12
    assert "131 months are late." in page  # 11 municipalities × 12 months, one delivered


def test_a_demo_figure_is_not_a_delivery(client_en, demo):
    page = client_en.get(reverse("monitor:completeness") + "?jaar=2025").content.decode()  # the demo's year
    assert "rt-demo-marker" in row_of(page, "Zwolle")
    assert "delivered:" not in row_of(page, "Zwolle")


def test_a_reminder_goes_to_the_municipalitys_contacts_and_users(client_en, dataset):
    raalte_area = Area.objects.get(code="GM0177")
    raalte = Organisation.objects.create(
        name="Gemeente Raalte", kind="municipality", municipality=raalte_area
    )
    Contact.objects.create(organisation=raalte, name="Statushouders Raalte", email="statushouders@raalte.nl")
    officer = get_user_model().objects.create_user("raalte", email="officer@raalte.nl")
    Membership.objects.create(user=officer, role=Role.MUNICIPALITY, organisation=raalte)
    response = client_en.post(reverse("monitor:remind", args=["GM0177"]))
    reminder = DeliveryReminder.objects.get()
    asked = timezone.localdate().month - 1
    assert len(reminder.months) == asked and reminder.recipients == 2
    if asked:
        (message,) = mail.outbox
        assert sorted(message.to) == ["officer@raalte.nl", "statushouders@raalte.nl"]
        assert "Raalte" in message.subject and "Raalte" in message.body
    assert response["Location"].endswith("?regio=VR04")
    page = client_en.get(reverse("monitor:completeness")).content.decode()
    assert "last reminded" in row_of(page, "Raalte")


def test_a_municipality_without_an_address_is_not_reminded(client_en, dataset):
    response = client_en.post(reverse("monitor:remind", args=["GM0193"]), follow=True)
    text = response.content.decode()
    if timezone.localdate().month > 1:
        assert "Zwolle has no contact or user with an e-mail address" in text
    assert not DeliveryReminder.objects.exists() and not mail.outbox


@pytest.mark.parametrize("year", ["1900", "x", str(LAST_YEAR + 5)])
def test_a_year_out_of_range_shows_this_year(client_en, dataset, year):
    page = client_en.get(reverse("monitor:completeness") + f"?jaar={year}").content.decode()
    assert f'<option value="{timezone.localdate().year}" selected>' in page
