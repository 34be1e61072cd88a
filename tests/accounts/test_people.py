"""Colleagues in the product's own pages (issue 24, part 2): invite in one step, choose a password from the
e-mail, deactivate instead of delete, see last login and two-factor status, require two-factor login per role."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
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
    url = reverse("access:user-active", args=[colleague.pk])
    client_en.post(url, {"active": "0", "account-reason": ""})
    colleague.refresh_from_db()
    assert colleague.is_active
    client_en.post(url, {"active": "0", "account-reason": "uit dienst per 1 december"})
    colleague.refresh_from_db()
    assert not colleague.is_active
    assert RoleChange.objects.filter(user=colleague).get().reason == "Deactivated: uit dienst per 1 december"
    assert (
        client.post(reverse("login"), {"username": "oud-collega", "password": NEW_PASSWORD}).status_code
        == 200
    )
    response = client_en.post(
        reverse("access:user-active", args=[user.pk]), {"active": "0", "account-reason": "x"}
    )
    assert "You cannot deactivate your own account." in [str(m) for m in response.wsgi_request._messages]
    client_en.post(url, {"active": "1", "account-reason": "terug"})
    colleague.refresh_from_db()
    assert colleague.is_active


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
