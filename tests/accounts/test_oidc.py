"""Single sign-on against a real OpenID Connect provider (tests/oidc_op, started by the ``oidc_provider``
fixture): the authorization-code flow end to end, users found by issuer and subject, no rights from claims."""

import os
import re
import subprocess
import sys

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation

from regietafel.access.models import Membership, Role, RoleChange
from regietafel.accounts.models import ExternalIdentity
from regietafel.accounts.oidc import OIDCBackend, match_organisation
from regietafel.audit.models import Action, ProcessingLog, Result
from regietafel.audit.services import pseudonym
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area
from tests.accounts.conftest import PROVIDER_PASSWORD, ROOT

BACKEND = "regietafel.accounts.oidc.OIDCBackend"


def enable_sso(
    settings,
    *,
    client_id="regietafel-test",
    client_secret="unused",  # noqa: S107
    issuer="http://127.0.0.1:9/openid",
):
    settings.REGIETAFEL_OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = client_id
    settings.OIDC_RP_CLIENT_SECRET = client_secret
    settings.REGIETAFEL_OIDC_ISSUER = issuer
    settings.OIDC_RP_SCOPES = "openid profile email organisation"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]


@pytest.fixture
def sso(settings, oidc_provider):
    enable_sso(
        settings,
        client_id=oidc_provider.client_id,
        client_secret=oidc_provider.client_secret,
        issuer=oidc_provider.issuer,
    )
    return oidc_provider


def municipality(code, name):
    area = Area.objects.create(code=code, name=name, kind=Area.Kind.MUNICIPALITY)
    return Organisation.objects.create(
        name=f"Gemeente {name}", kind=Organisation.Kind.MUNICIPALITY, municipality=area
    )


@pytest.fixture
def raalte(transactional_db):
    return municipality("GM0177", "Raalte")


def sso_login(app_url: str, provider, username: str, next_url: str = "") -> requests.Response:
    """A browser without cookies: the app sends it to the provider, it logs in there, and comes back."""
    browser = requests.Session()
    browser.headers["Accept-Language"] = "en"
    query = f"?next={next_url}" if next_url else ""
    response = browser.get(f"{app_url}/oidc/authenticate/{query}", timeout=30)
    assert response.url.startswith(f"{provider.url}/login/"), response.url
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.text).group(1)
    assert "op_csrftoken" in browser.cookies.get_dict()
    return browser.post(
        response.url,
        data={"csrfmiddlewaretoken": token, "username": username, "password": PROVIDER_PASSWORD},
        timeout=30,
    )


def test_an_sso_login_creates_a_user_without_rights_in_the_claimed_organisation(sso, raalte, live_server):
    response = sso_login(live_server.url, sso, "anna")

    # Signed in, and sent to the page that says a beheerder still has to assign a role.
    assert response.url == f"{live_server.url}/start/"
    assert response.status_code == 403
    assert "Your account has no rights yet" in response.text

    identity = ExternalIdentity.objects.get()
    assert identity.issuer == sso.issuer
    user = identity.user
    assert user.username.startswith("sso-")
    assert (user.first_name, user.last_name, user.email) == ("Anna", "de Vries", "anna@raalte.example")
    assert not user.has_usable_password()
    # The provider also claims "role: beheerder" and "is_superuser": claims never grant rights.
    assert not user.is_staff and not user.is_superuser
    membership = Membership.objects.get(user=user)
    assert membership.organisation == raalte
    assert membership.role == Role.NONE
    assert RoleChange.objects.get(user=user).new_organisation == "Gemeente Raalte"

    line = ProcessingLog.objects.get(action=Action.LOGIN)
    assert line.subject == pseudonym("auth.User", user.pk)
    assert (line.actor_id, line.result) == (user.pk, Result.SUCCESS)


def test_a_second_login_finds_the_same_user_and_keeps_an_assigned_role(sso, raalte, live_server):
    sso_login(live_server.url, sso, "anna")
    user = ExternalIdentity.objects.get().user
    users = get_user_model().objects.count()
    # A beheerder assigns a role in another organisation: from now on the claim no longer moves the user.
    zwolle = municipality("GM0193", "Zwolle")
    Membership.objects.filter(user=user).update(role=Role.MUNICIPALITY, organisation=zwolle)

    response = sso_login(live_server.url, sso, "anna", next_url="/account/tweestapsverificatie/")

    # Signed in (as an SSO user: this page leaves the second factor to the organisation).
    assert response.url == f"{live_server.url}/account/tweestapsverificatie/"
    assert response.status_code == 200
    assert "You log in through your own organisation" in response.text
    assert get_user_model().objects.count() == users
    assert ExternalIdentity.objects.count() == 1
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.organisation) == (Role.MUNICIPALITY, zwolle)
    assert (
        ProcessingLog.objects.filter(action=Action.LOGIN, subject=pseudonym("auth.User", user.pk)).count()
        == 2
    )


def test_an_unknown_organisation_is_left_open_until_it_exists(sso, transactional_db, live_server):
    # Bram's claim names "Gemeente Nergenshuizen", which Regietafel does not know (yet).
    assert sso_login(live_server.url, sso, "bram").status_code == 403
    user = ExternalIdentity.objects.get().user
    assert Membership.objects.get(user=user).organisation is None

    # While the role is still NONE, the next login takes the organisation from the claim.
    organisation = Organisation.objects.create(name="Gemeente Nergenshuizen", kind=Organisation.Kind.OTHER)
    assert sso_login(live_server.url, sso, "bram").status_code == 403
    membership = Membership.objects.get(user=user)
    assert (membership.organisation, membership.role) == (organisation, Role.NONE)
    assert RoleChange.objects.filter(user=user).count() == 2


def test_a_deactivated_user_cannot_log_in_and_the_attempt_is_logged(sso, raalte, live_server):
    sso_login(live_server.url, sso, "anna")
    user = ExternalIdentity.objects.get().user
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)

    response = sso_login(live_server.url, sso, "anna")

    assert response.url == f"{live_server.url}/inloggen/"
    assert "Logging in with single sign-on did not succeed" in response.text
    line = ProcessingLog.objects.get(action=Action.LOGIN_FAILED)
    assert (line.subject, line.result) == (pseudonym("auth.User", user.pk), Result.FAILURE)


def test_a_local_account_with_the_same_e_mail_is_not_taken_over(sso, raalte, live_server, django_user_model):
    local = django_user_model.objects.create_user("anna", email="anna@raalte.example", password="x" * 20)
    sso_login(live_server.url, sso, "anna")
    assert ExternalIdentity.objects.get().user != local
    assert not ExternalIdentity.objects.filter(user=local).exists()


# Without configuration there is no single sign-on.


def test_without_configuration_there_is_no_sso(db, client, settings):
    assert BACKEND not in settings.AUTHENTICATION_BACKENDS
    assert settings.REGIETAFEL_OIDC_ENABLED is False
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/?code=x&state=y").status_code == 404
    assert "/oidc/authenticate/" not in client.get("/inloggen/").content.decode()


def test_the_login_page_offers_sso_when_it_is_configured(db, client, settings):
    enable_sso(settings)
    html = client.get("/inloggen/?next=/landelijk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/oidc/authenticate/?next=/landelijk/"' in html
    assert "Log in with single sign-on" in html


def _settings_from(env: dict) -> list[str]:
    code = (
        "from regietafel import settings as s; "
        "print(s.REGIETAFEL_OIDC_ENABLED, s.AUTHENTICATION_BACKENDS[-1], s.REGIETAFEL_OIDC_ISSUER, "
        "s.OIDC_RP_SIGN_ALGO, s.REGIETAFEL_OIDC_ORGANISATION_CLAIM, sep='|')"
    )
    clean = {key: value for key, value in os.environ.items() if not key.startswith("REGIETAFEL_OIDC_")}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        env={**clean, "PYTHONPATH": str(ROOT / "src"), **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().split("|")


def test_the_environment_switches_sso_on():
    assert _settings_from({}) == [
        "False",
        "django.contrib.auth.backends.ModelBackend",
        "",
        "RS256",
        "organisation",
    ]
    configured = _settings_from(
        {
            "REGIETAFEL_OIDC_CLIENT_ID": "regietafel",
            "REGIETAFEL_OIDC_CLIENT_SECRET": "secret",
            "REGIETAFEL_OIDC_ISSUER": "https://login.example.nl/",
            "REGIETAFEL_OIDC_ORGANISATION_CLAIM": "gemeente",
        }
    )
    assert configured == ["True", BACKEND, "https://login.example.nl", "RS256", "gemeente"]


def test_an_unreachable_provider_sends_the_user_back_to_the_login_page(db, client, settings):
    enable_sso(settings, issuer="http://127.0.0.1:9/openid")
    response = client.get("/oidc/authenticate/", HTTP_ACCEPT_LANGUAGE="en", follow=True)
    assert response.redirect_chain[-1][0] == "/inloggen/"
    assert "Single sign-on is not available at the moment" in response.content.decode()


# The claim mapping, without a provider.


def test_the_organisation_claim_matches_a_municipality_code_or_an_exact_name(db):
    raalte = municipality("GM0177", "Raalte")
    assert match_organisation("GM0177") == raalte
    assert match_organisation("gm0177") == raalte
    assert match_organisation("Gemeente Raalte") == raalte
    assert match_organisation(["unknown", "GM0177"]) == raalte
    assert match_organisation("gemeente raalte") is None
    assert match_organisation("GM9999") is None
    assert match_organisation(None) is None
    assert match_organisation({"code": "GM0177"}) is None


def test_claims_never_grant_rights(db, settings):
    raalte = municipality("GM0177", "Raalte")
    claims = {
        "sub": "42",
        "organisation": "GM0177",
        "role": "beheerder",
        "roles": ["admin"],
        "is_superuser": True,
        "is_staff": True,
        "groups": ["beheerder"],
    }
    user = OIDCBackend().create_user(claims, issuer="https://login.example.nl", subject="42")
    OIDCBackend().update_user(user, claims)
    user.refresh_from_db()
    assert not user.is_superuser and not user.is_staff
    assert not user.groups.exists() and not user.user_permissions.exists()
    membership = Membership.objects.get(user=user)
    assert (membership.role, membership.organisation) == (Role.NONE, raalte)


def test_an_id_token_for_another_client_or_issuer_is_refused(settings):
    settings.REGIETAFEL_OIDC_ISSUER = "https://login.example.nl"
    backend = OIDCBackend()
    backend.OIDC_RP_CLIENT_ID = "regietafel"
    good = {"iss": "https://login.example.nl", "aud": ["regietafel", "other"], "sub": "42"}
    backend._check_id_token(good)
    for bad in (
        {**good, "aud": "someone-else"},
        {**good, "iss": "https://evil.example"},
        {**good, "sub": ""},
    ):
        with pytest.raises(SuspiciousOperation):
            backend._check_id_token(bad)


def test_a_deactivated_sso_user_is_signed_out(db, django_user_model):
    user = django_user_model.objects.create_user("sso-123")
    assert OIDCBackend().get_user(user.pk) == user
    django_user_model.objects.filter(pk=user.pk).update(is_active=False)
    assert OIDCBackend().get_user(user.pk) is None
    assert OIDCBackend().get_user(user.pk + 1000) is None
