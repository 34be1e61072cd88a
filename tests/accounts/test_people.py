"""Colleagues in the product's own pages (issue 24, part 2): invite in one step, choose a password from the
e-mail, deactivate instead of delete, see last login and two-factor status, require two-factor login per role."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from regietafel.access.models import Membership, Role, RoleChange
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area
from tests.accounts.test_two_factor import code

NEW_PASSWORD = "een-lang-nieuw-wachtwoord-7"


@pytest.fixture
def raalte(dataset):
    return Organisation.objects.create(
        name="Gemeente Raalte",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Area.objects.get(code="GM0177"),
    )


def invite(client, organisation, **extra):
    data = {
        "name": "Fatima de Vries",
        "email": "F.deVries@Raalte.nl",
        "organisation": organisation.pk if organisation else "",
        "role": Role.MUNICIPALITY,
        **extra,
    }
    return client.post(reverse("access:invite"), data)


def test_an_invited_colleague_chooses_a_password_and_lands_with_their_role(client_en, client, raalte):
    response = invite(client_en, raalte)
    colleague = get_user_model().objects.get(email="F.deVries@raalte.nl")
    assert response["Location"] == reverse("access:user", args=[colleague.pk])
    assert colleague.username == "f.devries@raalte.nl" and colleague.first_name == "Fatima de Vries"
    assert not colleague.has_usable_password()
    assert (colleague.membership.role, colleague.membership.organisation) == (Role.MUNICIPALITY, raalte)
    assert RoleChange.objects.get(user=colleague).reason == "Invited by medewerker"
    (message,) = mail.outbox
    assert message.to == ["F.deVries@raalte.nl"]
    link = re.search(r"http://127\.0\.0\.1:8000(/account/wachtwoord/\S+/)", message.body).group(1)
    assert "raalte" not in link.lower()  # no personal data in the address

    # The link leads to a form (the token leaves the address at once), which sets the password.
    form_page = client.get(link, follow=True)
    assert (
        "Choose your password" in form_page.content.decode()
        or "Kies uw wachtwoord" in form_page.content.decode()
    )
    target = form_page.redirect_chain[-1][0]
    done = client.post(target, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("login")
    assert (
        client.post(
            reverse("login"), {"username": "f.devries@raalte.nl", "password": NEW_PASSWORD}
        ).status_code
        == 302
    )
    assert client.get(reverse("monitor:overview")).status_code == 200
    # Used once, the link is worth nothing.
    again = client.get(link, follow=True).content.decode()
    assert "no longer valid" in again or "niet meer geldig" in again


def test_an_invitation_is_refused_whole_with_a_message(client_en, raalte):
    partner = Organisation.objects.create(name="Vluchtelingenwerk", kind=Organisation.Kind.CIVIL_SOCIETY)
    response = invite(client_en, partner)  # a municipality role in a partner organisation
    assert response.status_code == 400
    assert "A municipality user belongs to a municipality" in response.content.decode()
    invite(client_en, raalte)
    response = invite(client_en, raalte, email="f.devries@RAALTE.nl", name="Iemand anders")
    assert "There already is an account for f.devries@raalte.nl." in response.content.decode()
    response = invite(client_en, raalte, email="geen-adres")
    assert "Enter a valid email address." in response.content.decode()
    assert get_user_model().objects.filter(email__iexact="f.devries@raalte.nl").count() == 1
    assert len(mail.outbox) == 1


def test_deactivating_keeps_the_account_and_stops_its_logins(client_en, client, user, raalte):
    colleague = get_user_model().objects.create_user("oud-collega", password=NEW_PASSWORD)
    Membership.objects.create(user=colleague, role=Role.MUNICIPALITY, organisation=raalte)
    url = reverse("access:user-account", args=[colleague.pk])
    client_en.post(url, {"change": "deactivate", "deactivate-reason": ""})
    colleague.refresh_from_db()
    assert colleague.is_active
    client_en.post(url, {"change": "deactivate", "deactivate-reason": "uit dienst per 1 december"})
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert RoleChange.objects.filter(user=colleague).get().reason == "Deactivated: uit dienst per 1 december"
    assert (
        client.post(reverse("login"), {"username": "oud-collega", "password": NEW_PASSWORD}).status_code
        == 200
    )
    response = client_en.post(
        reverse("access:user-account", args=[user.pk]), {"change": "deactivate", "deactivate-reason": "x"}
    )
    assert "You cannot deactivate your own account." in [str(m) for m in response.wsgi_request._messages]
    client_en.post(url, {"change": "activate", "activate-reason": "terug"})
    colleague.refresh_from_db()
    assert colleague.is_active


def test_a_lost_phone_and_a_login_lock_are_handled_on_the_users_page(client_en, user, raalte, settings):
    client = Client()  # the colleague's browser (client_en is the beheerder's)
    colleague = get_user_model().objects.create_user("raalte", password=NEW_PASSWORD)
    Membership.objects.create(user=colleague, role=Role.MUNICIPALITY, organisation=raalte)
    TOTPDevice.objects.create(user=colleague, name="Regietafel", confirmed=True)
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "raalte", "password": "fout"})
    assert client.post(reverse("login"), {"username": "raalte", "password": NEW_PASSWORD}).status_code == 429
    page = client_en.get(reverse("access:user", args=[colleague.pk])).content.decode()
    assert "locked until" in page and "Lift the login lock" in page and "Turn off two-factor login" in page
    url = reverse("access:user-account", args=[colleague.pk])

    # Each change needs a reason; without one nothing changes.
    client_en.post(url, {"change": "unlock", "unlock-reason": " "})
    client_en.post(url, {"change": "two_factor_off", "two_factor_off-reason": ""})
    assert TOTPDevice.objects.filter(user=colleague).exists()
    assert client.post(reverse("login"), {"username": "raalte", "password": NEW_PASSWORD}).status_code == 429

    client_en.post(url, {"change": "unlock", "unlock-reason": "belde de servicedesk"})
    client_en.post(url, {"change": "two_factor_off", "two_factor_off-reason": "telefoon kwijt"})
    assert not TOTPDevice.objects.filter(user=colleague).exists()
    reasons = list(RoleChange.objects.filter(user=colleague).values_list("reason", flat=True))
    assert "Login lock lifted: belde de servicedesk" in reasons
    assert "Two-factor login turned off: telefoon kwijt" in reasons
    page = client_en.get(reverse("access:user", args=[colleague.pk])).content.decode()
    assert "Lift the login lock" not in page and "Turn off two-factor login" not in page
    # Without a lock and a code, the colleague logs in with the password alone.
    response = client.post(reverse("login"), {"username": "raalte", "password": NEW_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session

    # Not one's own code: that is turned off on one's own account page, with a code.
    response = client_en.post(
        reverse("access:user-account", args=[user.pk]),
        {"change": "two_factor_off", "two_factor_off-reason": "x"},
    )
    assert "Turn off your own two-factor login on your account page, with a code." in [
        str(m) for m in response.wsgi_request._messages
    ]
    # An unknown change is refused.
    client_en.post(url, {"change": "delete", "delete-reason": "x"})
    assert get_user_model().objects.filter(pk=colleague.pk).exists()


def test_the_record_history_shows_changes_in_words_but_no_household(client_en, raalte):
    from regietafel.persons.models import Household

    raalte.name = "Gemeente Raalte (gemeentehuis)"
    raalte.save()
    household = Household.objects.create(
        municipality=raalte.municipality, linked_on="2026-09-01", adults=1, reference="GEHEIM-1"
    )
    page = client_en.get(reverse("access:history")).content.decode()
    assert "Gemeente Raalte (gemeentehuis)" in page and "Organisations" in page
    assert household.reference not in page
    kinds = {label: pk for pk, label in re.findall(r'<option value="(\d+)">([^<]+)</option>', page)}
    assert "Organisations" in kinds and "Households" not in kinds
    organisations = client_en.get(
        reverse("access:history"), {"kind": kinds["Organisations"]}
    ).content.decode()
    assert "Gemeente Raalte (gemeentehuis)" in organisations
    users = client_en.get(reverse("access:history"), {"kind": kinds["Users"]}).content.decode()
    assert "Gemeente Raalte (gemeentehuis)" not in users and "medewerker" in users
    assert client_en.get(reverse("access:history"), {"kind": "nonsense"}).status_code == 200


def test_the_list_shows_last_login_two_factor_status_and_deactivated_accounts(client_en, user, raalte):
    invite(client_en, raalte)
    TOTPDevice.objects.create(user=user, name="Regietafel", confirmed=True)
    page = client_en.get(reverse("access:users")).content.decode()
    rows = {
        name: row
        for row in re.findall(r"<tr class=\"utrecht-table__row\">(.*?)</tr>", page, flags=re.S)
        for name in ("medewerker", "f.devries@raalte.nl")
        if f">{name}<" in row
    }
    assert ">on<" in rows["medewerker"] and ">never<" not in rows["medewerker"]
    assert ">never<" in rows["f.devries@raalte.nl"] and "not yet" in rows["f.devries@raalte.nl"]


def test_a_role_can_be_required_to_log_in_with_a_code(client_en, client, user, raalte, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    colleague = get_user_model().objects.create_user("raalte", password=NEW_PASSWORD)
    Membership.objects.create(user=colleague, role=Role.MUNICIPALITY, organisation=raalte)
    client_en.post(reverse("access:two-factor-rules"), {"roles": [Role.ADMIN]})
    # The beheerder's own session has no code yet: they are sent to set it up.
    response = client_en.get(reverse("monitor:overview"))
    assert response["Location"] == reverse("two_factor")
    assert client_en.get(reverse("two_factor")).status_code == 200
    # Another role is not affected.
    client.force_login(colleague)
    assert client.get(reverse("monitor:overview")).status_code == 200
    # With a confirmed device and a code, the beheerder goes on; turning it off is refused while the rule holds.
    device = TOTPDevice.objects.create(user=user, name="Regietafel", confirmed=True)
    client_en.logout()
    client_en.post(reverse("login"), {"username": "medewerker", "password": "a-long-test-password-1"})
    client_en.post(reverse("login_code"), {"code": code(device)})
    assert client_en.get(reverse("monitor:overview")).status_code == 200
    response = client_en.post(reverse("two_factor"), {"code": code(device, 1)})
    assert "cannot be turned off" in [str(m) for m in response.wsgi_request._messages][-1]
    assert TOTPDevice.objects.filter(user=user).exists()
    client_en.post(reverse("access:two-factor-rules"), {})
    assert client_en.get(reverse("monitor:overview")).status_code == 200
