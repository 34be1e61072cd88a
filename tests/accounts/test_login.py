"""Local login: django-axes locks a user name after ten failures; every attempt and the lock are logged."""

import datetime
import logging
import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

from regietafel.audit.models import Action, ProcessingLog, Result
from regietafel.audit.services import pseudonym
from tests.accounts.conftest import PASSWORD

LOGIN = "/inloggen/"


@pytest.fixture
def client(client):
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def log_in(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def lines(action, subject):
    return ProcessingLog.objects.filter(action=action, subject=subject)


def signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limits_are_explicit():
    assert settings.AXES_FAILURE_LIMIT == 10
    assert settings.AXES_COOLOFF_TIME == 1
    assert settings.AXES_LOCKOUT_PARAMETERS == ["username"]
    assert settings.AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT is False
    assert settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_the_login_page_labels_its_fields(db, client):
    response = client.get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<label class="utrecht-form-label" for="id_username">User name</label>' in html
    assert '<label class="utrecht-form-label" for="id_password">Password</label>' in html
    assert 'autocomplete="current-password"' in html
    # No single sign-on unless it is configured.
    assert "/oidc/authenticate/" not in html


def test_missing_fields_are_linked_to_their_messages(db, client):
    html = log_in(client, "", "").content.decode()
    for name in ("username", "password"):
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in field
        assert f'aria-describedby="id_{name}_error"' in field
        assert f'id="id_{name}_error"' in html


def test_a_good_login_is_logged(account, client):
    response = log_in(client, "medewerker", PASSWORD, next="/landelijk/")
    assert response.status_code == 302
    assert response["Location"] == "/landelijk/"
    assert signed_in(client)
    line = ProcessingLog.objects.get(action=Action.LOGIN)
    assert line.result == Result.SUCCESS
    assert line.subject == pseudonym("auth.User", account.pk)
    assert line.actor_id == account.pk
    assert line.channel == "login"


def test_a_wrong_password_is_refused_and_logged(account, client):
    response = log_in(client, "medewerker", "wrong-password")
    assert response.status_code == 200
    assert not signed_in(client)
    assert 'role="alert"' in response.content.decode()
    line = ProcessingLog.objects.get(action=Action.LOGIN_FAILED)
    assert (line.result, line.subject, line.actor_id) == (
        Result.FAILURE,
        pseudonym("auth.User", account.pk),
        None,
    )


def test_ten_wrong_passwords_lock_the_account(account, client):
    subject = pseudonym("auth.User", account.pk)
    for attempt in range(1, 10):
        assert log_in(client, "medewerker", f"wrong-{attempt}").status_code == 200
    assert not lines(Action.LOCKED_OUT, subject).exists()

    tenth = log_in(client, "medewerker", "wrong-10")
    assert tenth.status_code == 429
    assert "Logging in is blocked for now" in tenth.content.decode()
    assert lines(Action.LOGIN_FAILED, subject).count() == 10
    assert lines(Action.LOCKED_OUT, subject).count() == 1

    # The right password does not help while the lock lasts; the refused attempt is logged too.
    eleventh = log_in(client, "medewerker", PASSWORD)
    assert eleventh.status_code == 429
    assert not signed_in(client)
    assert not ProcessingLog.objects.filter(action=Action.LOGIN).exists()
    assert lines(Action.LOGIN_FAILED, subject).count() == 11
    assert lines(Action.LOCKED_OUT, subject).count() == 2
    assert all(line.result == Result.FAILURE for line in ProcessingLog.objects.all())


def test_the_lock_page_says_when_to_try_again_and_nothing_about_the_account(account, client):
    for attempt in range(10):
        known = log_in(client, "medewerker", f"wrong-{attempt}")
        unknown = log_in(client, "niemand", f"wrong-{attempt}")
    assert known.status_code == unknown.status_code == 429
    text = known.content.decode()
    assert "There were 10 failed attempts to log in with this user name." in text
    assert re.search(r"You can try again in (59|60)\sminutes|You can try again in 1\shour", text), text
    # The same page for an existing and an unknown name: it does not tell whether an account exists.
    assert text.replace("medewerker", "") == unknown.content.decode().replace("niemand", "")
    stranger = pseudonym("auth.username", "niemand")
    assert lines(Action.LOGIN_FAILED, stranger).count() == 10
    assert lines(Action.LOCKED_OUT, stranger).count() == 1


def test_attempts_during_the_lock_do_not_extend_it(account, client):
    for attempt in range(10):
        log_in(client, "medewerker", f"wrong-{attempt}")
    locked = AccessAttempt.objects.get(username="medewerker")
    for attempt in range(3):
        assert log_in(client, "medewerker", f"again-{attempt}").status_code == 429
    after = AccessAttempt.objects.get(username="medewerker")
    assert (after.failures_since_start, after.attempt_time) == (10, locked.attempt_time)


def test_the_lock_ends_after_the_cool_off_time(account, client):
    for attempt in range(10):
        log_in(client, "medewerker", f"wrong-{attempt}")
    assert log_in(client, "medewerker", PASSWORD).status_code == 429
    # An hour later (the attempts are dated back rather than waiting).
    AccessAttempt.objects.update(
        attempt_time=datetime.datetime.now(datetime.UTC) - datetime.timedelta(hours=1, minutes=1)
    )
    response = log_in(client, "medewerker", PASSWORD)
    assert response.status_code == 302
    assert signed_in(client)
    assert (
        ProcessingLog.objects.filter(action=Action.LOGIN, subject=pseudonym("auth.User", account.pk)).count()
        == 1
    )
    # A good login clears the count: nine new failures do not lock.
    client.logout()
    for attempt in range(9):
        assert log_in(client, "medewerker", f"wrong-again-{attempt}").status_code == 200


def test_the_lock_is_per_user_name(account, client, django_user_model):
    for attempt in range(10):
        log_in(client, "iemand-anders", f"wrong-{attempt}")
    assert log_in(client, "medewerker", PASSWORD).status_code == 302


def test_the_application_log_names_no_accounts(account, client, caplog):
    caplog.set_level(logging.DEBUG)
    for attempt in range(10):
        log_in(client, "medewerker", f"wrong-{attempt}")
        log_in(client, "onbekende-naam", f"wrong-{attempt}")
    AccessAttempt.objects.filter(username="medewerker").delete()
    log_in(client, "medewerker", PASSWORD)
    text = caplog.text
    assert "medewerker" not in text
    assert "onbekende-naam" not in text
    assert "127.0.0.1" not in text
    assert f"user {account.pk}" in text
    assert "Login locked for unknown account" in text
    assert "AXES: Locking out {user" in text


def test_the_logout_page_still_works(account, client):
    log_in(client, "medewerker", PASSWORD)
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert not signed_in(client)
