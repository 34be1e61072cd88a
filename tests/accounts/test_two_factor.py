"""Optional two-factor login with an authenticator app (TOTP): set up, two-step login, wrong codes."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from regietafel.accounts.views import PENDING
from regietafel.audit.models import Action, ProcessingLog
from regietafel.audit.services import pseudonym
from tests.accounts.conftest import PASSWORD

SETUP = "/account/tweestapsverificatie/"
CODE = "/inloggen/code/"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """The code the app shows now (or ``steps_ahead`` periods later: each code is accepted only once)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps_ahead * device.step
    return f"{totp.token():06d}"


def wrong(device: TOTPDevice) -> str:
    right = {code(device, offset) for offset in (-1, 0, 1)}
    return next(candidate for candidate in ("000000", "111111", "222222", "333333") if candidate not in right)


@pytest.fixture
def device(account):
    return TOTPDevice.objects.create(user=account, name="Regietafel", confirmed=True)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_setting_up_shows_a_qr_code_and_the_key(account, client):
    client.force_login(account)
    response = client.get(SETUP)
    html = response.content.decode()
    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=account)
    assert not device.confirmed
    svg = re.search(r"<svg[^>]*>", html).group(0)
    assert 'role="img"' in svg and "aria-label=" in svg
    secret = re.search(r'<code id="geheim">([A-Z2-7 ]+)</code>', html).group(1)
    assert b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8)) == device.bin_key
    # The page shows the same key until it is confirmed.
    client.get(SETUP)
    assert TOTPDevice.objects.get(user=account).pk == device.pk


def test_a_wrong_code_does_not_turn_it_on(account, client):
    client.force_login(account)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=account)
    response = client.post(SETUP, {"code": wrong(device)})
    assert response.status_code == 400
    assert 'aria-describedby="id_code_helptext id_code_error"' in response.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed


def test_confirming_with_a_code_turns_it_on_and_a_code_turns_it_off(account, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.force_login(account)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=account)
    response = client.post(SETUP, {"code": code(device)})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert "Two-factor login is on" in client.get(SETUP).content.decode()

    device.refresh_from_db()
    assert client.post(SETUP, {"code": wrong(device)}).status_code == 400
    assert TOTPDevice.objects.filter(user=account).exists()
    assert client.post(SETUP, {"code": code(device, 1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=account).exists()


def test_with_two_factor_login_takes_a_password_and_then_a_code(account, device, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    response = client.post(
        "/inloggen/", {"username": "medewerker", "password": PASSWORD, "next": "/landelijk/"}
    )
    assert response.status_code == 302
    assert response["Location"] == CODE
    # The right password alone signs nobody in; whom the code is for is in the session, not the URL.
    assert not signed_in(client)
    assert client.session[PENDING]["user"] == account.pk
    assert client.get("/landelijk/").status_code == 302
    page = client.get(CODE)
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    refused = client.post(CODE, {"code": wrong(device)})
    assert refused.status_code == 400
    assert "This code is not right" in refused.content.decode()
    assert not signed_in(client)
    subject = pseudonym("auth.User", account.pk)
    assert ProcessingLog.objects.filter(action=Action.LOGIN_FAILED, subject=subject).count() == 1
    assert not ProcessingLog.objects.filter(action=Action.LOGIN).exists()

    accepted = client.post(CODE, {"code": code(device)})
    assert accepted.status_code == 302
    assert accepted["Location"] == "/landelijk/"
    assert signed_in(client)
    assert client.session["otp_device_id"] == device.persistent_id
    assert PENDING not in client.session
    assert ProcessingLog.objects.filter(action=Action.LOGIN, subject=subject).count() == 1


def test_a_code_is_accepted_only_once(account, device, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    used = code(device)
    client.post("/inloggen/", {"username": "medewerker", "password": PASSWORD})
    assert client.post(CODE, {"code": used}).status_code == 302
    client.logout()
    client.post("/inloggen/", {"username": "medewerker", "password": PASSWORD})
    assert client.post(CODE, {"code": used}).status_code == 400
    assert not signed_in(client)


def test_wrong_codes_are_throttled(account, device, client):
    client.post("/inloggen/", {"username": "medewerker", "password": PASSWORD})
    client.post(CODE, {"code": wrong(device)})
    # Straight after a wrong code even the right one is not checked (django-otp waits 1, 2, 4 ... seconds).
    response = client.post(CODE, {"code": code(device)})
    assert response.status_code == 400
    assert re.search(r"Wait [12] seconds? and try again", response.content.decode())
    assert not signed_in(client)


def test_ten_wrong_codes_lock_the_account(account, device, client, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    client.post("/inloggen/", {"username": "medewerker", "password": PASSWORD})
    for _ in range(9):
        assert client.post(CODE, {"code": wrong(device)}).status_code == 400
    locked = client.post(CODE, {"code": wrong(device)})
    assert locked.status_code == 429
    assert PENDING not in client.session
    subject = pseudonym("auth.User", account.pk)
    assert ProcessingLog.objects.filter(action=Action.LOGIN_FAILED, subject=subject).count() == 10
    assert ProcessingLog.objects.filter(action=Action.LOCKED_OUT, subject=subject).count() == 1
    # The code step is gone, and the password step is locked.
    assert client.get(CODE).status_code == 302
    assert client.post("/inloggen/", {"username": "medewerker", "password": PASSWORD}).status_code == 429


def test_the_code_step_needs_a_fresh_password_step(account, device, client):
    assert client.get(CODE)["Location"] == "/inloggen/"
    client.post("/inloggen/", {"username": "medewerker", "password": PASSWORD})
    session = client.session
    session[PENDING] = {**session[PENDING], "since": int(time.time()) - 301}
    session.save()
    response = client.post(CODE, {"code": code(device)})
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/"
    assert not signed_in(client)


def test_users_without_two_factor_log_in_with_a_password(account, client):
    response = client.post("/inloggen/", {"username": "medewerker", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/"
    assert signed_in(client)


def test_single_sign_on_accounts_are_not_offered_a_second_factor(client, django_user_model):
    user = django_user_model.objects.create_user("sso-abc")  # no password: logs in through its organisation
    client.force_login(user)
    response = client.get(SETUP)
    assert response.status_code == 200
    assert "You log in through your own organisation" in response.content.decode()
    assert "<svg" not in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()
