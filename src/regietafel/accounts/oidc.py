"""OpenID Connect single sign-on (mozilla-django-oidc), on when REGIETAFEL_OIDC_* is configured.

Users are found by the provider's stable identifier (issuer and ``sub`` claim, kept in ``ExternalIdentity``),
never by e-mail address. A new user gets no rights (role NONE) until a beheerder assigns them; the organisation
claim (a CBS municipality code such as GM0177, or an organisation's exact name) only suggests the organisation,
and only while the role is still NONE. Claims never grant rights.
"""

import hashlib
import logging

import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ImproperlyConfigured, SuspiciousOperation
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from regietafel.access.models import Membership, Role, RoleChange
from regietafel.accounts.models import ExternalIdentity
from regietafel.organisations.models import Organisation

logger = logging.getLogger(__name__)

# Our settings for the provider's endpoints, and their names in its discovery document.
DISCOVERED = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
}
_discovery: dict[str, dict] = {}


def oidc_enabled() -> bool:
    return bool(getattr(settings, "REGIETAFEL_OIDC_ENABLED", False))


def discover(issuer: str) -> dict:
    """The provider's discovery document (fetched once per process)."""
    if issuer not in _discovery:
        response = requests.get(
            f"{issuer}/.well-known/openid-configuration", timeout=getattr(settings, "OIDC_TIMEOUT", 10)
        )
        response.raise_for_status()
        document = response.json()
        if document.get("issuer", "").rstrip("/") != issuer:
            raise ImproperlyConfigured("The provider's discovery document names another issuer.")
        _discovery[issuer] = document
    return _discovery[issuer]


def get_setting(name: str, *default):
    """A mozilla-django-oidc setting; an endpoint left empty comes from the issuer's discovery document."""
    value = import_from_settings(name, *default)
    if name in DISCOVERED and not value:
        issuer = getattr(settings, "REGIETAFEL_OIDC_ISSUER", "")
        if not issuer:
            if default:
                return default[0]
            raise ImproperlyConfigured(f"Set REGIETAFEL_OIDC_ISSUER or the endpoint for {name}.")
        value = discover(issuer).get(DISCOVERED[name])
    return value


def match_organisation(value) -> Organisation | None:
    """The organisation a claim names: by CBS municipality code (GM0177) or by exact name; else None."""
    values = value if isinstance(value, list | tuple) else [value]
    for item in values:
        if not isinstance(item, str) or not item.strip():
            continue
        item = item.strip()
        found = Organisation.objects.filter(municipality__code__iexact=item).first()
        found = found or Organisation.objects.filter(name=item).first()
        if found is not None:
            return found
    return None


def sso_username(issuer: str, subject: str) -> str:
    """A stable user name that says nothing about the person."""
    return "sso-" + hashlib.sha256(f"{issuer}\n{subject}".encode()).hexdigest()[:20]


class OIDCBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(get_setting)

    def __init__(self, *args, **kwargs):
        # Django makes a backend for every request of a signed-in SSO user (get_user); the provider's settings,
        # and the discovery that may need the network, are read only when a login needs them.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or not oidc_enabled() or "nonce" not in kwargs:
            return None
        OIDCAuthenticationBackend.__init__(self)
        user = super().authenticate(request, **kwargs)
        if user is not None and not self.user_can_authenticate(user):
            # A deactivated account: Django reports a failed login, which the processing log records for it.
            request.regietafel_refused_user = user
            return None
        return user

    def get_user(self, user_id):
        """As Django's ModelBackend: a deactivated account is signed out at its next request."""
        user = super().get_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None

    def describe_user_by_claims(self, claims):
        return "an unknown subject"

    def verify_claims(self, claims):
        return bool(claims.get("sub"))

    def filter_users_by_claims(self, claims):
        """Never by e-mail: see ``get_or_create_user``."""
        return self.UserModel._default_manager.none()

    def _check_id_token(self, payload: dict) -> None:
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token is meant for another client.")
        issuer = getattr(settings, "REGIETAFEL_OIDC_ISSUER", "")
        if issuer and payload.get("iss", "").rstrip("/") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        if not payload.get("iss") or not payload.get("sub"):
            raise SuspiciousOperation("The ID token has no issuer or subject.")

    def get_or_create_user(self, access_token, id_token, payload):
        """The user linked to the token's issuer and subject; a new one (no rights) on the first login."""
        self._check_id_token(payload)
        claims = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(claims) or claims["sub"] != payload["sub"]:
            raise SuspiciousOperation("The user info does not belong to the ID token's subject.")
        claims = {**payload, **claims}
        issuer, subject = payload["iss"].rstrip("/"), payload["sub"]
        with transaction.atomic():
            identity = (
                ExternalIdentity.objects.select_for_update()
                .select_related("user")
                .filter(issuer=issuer, subject=subject)
                .first()
            )
            if identity is not None:
                return self.update_user(identity.user, claims)
            if not self.get_settings("OIDC_CREATE_USER", True):
                return None
            user = self.create_user(claims, issuer=issuer, subject=subject)
        logger.info("New single sign-on user %s, waiting for a role", user.pk)
        return user

    def _profile(self, claims: dict) -> dict:
        return {
            "email": str(claims.get("email") or "")[:254],
            "first_name": str(claims.get("given_name") or "")[:150],
            "last_name": str(claims.get("family_name") or "")[:150],
        }

    def _organisation(self, claims: dict) -> Organisation | None:
        return match_organisation(claims.get(settings.REGIETAFEL_OIDC_ORGANISATION_CLAIM))

    def create_user(self, claims, *, issuer: str, subject: str):
        user = self.UserModel._default_manager.create_user(
            sso_username(issuer, subject), **self._profile(claims)
        )
        ExternalIdentity.objects.create(user=user, issuer=issuer, subject=subject)
        organisation = self._organisation(claims)
        Membership.objects.create(user=user, organisation=organisation, role=Role.NONE)
        RoleChange.objects.create(
            user=user,
            new_role=Role.NONE,
            new_organisation=str(organisation or ""),
            reason=_("First login with single sign-on; organisation from the identity provider."),
        )
        return user

    def update_user(self, user, claims):
        """Names and e-mail follow the provider. The organisation too, but only while the user has no role:
        after a beheerder assigned one, only a beheerder changes it."""
        profile = self._profile(claims)
        changed = [field for field, value in profile.items() if value and getattr(user, field) != value]
        for field in changed:
            setattr(user, field, profile[field])
        if changed:
            user.save(update_fields=changed)
        organisation = self._organisation(claims)
        membership, created = Membership.objects.select_for_update().get_or_create(
            user=user, defaults={"organisation": organisation, "role": Role.NONE}
        )
        if created or (
            membership.role == Role.NONE and membership.organisation_id != getattr(organisation, "pk", None)
        ):
            old = "" if created else str(membership.organisation or "")
            if not created:
                membership.organisation = organisation
                membership.version += 1
                membership.save(update_fields=["organisation", "version"])
            RoleChange.objects.create(
                user=user,
                old_role="" if created else Role.NONE,
                new_role=Role.NONE,
                old_organisation=old,
                new_organisation=str(organisation or ""),
                reason=_("Organisation from the identity provider at login (no role yet)."),
            )
        return user


class AuthenticateView(OIDCAuthenticationRequestView):
    """Sends the browser to the provider. 404 when single sign-on is not configured."""

    get_settings = staticmethod(get_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = get_setting("OIDC_OP_AUTHORIZATION_ENDPOINT")
        except (requests.RequestException, ValueError, ImproperlyConfigured) as error:
            logger.error("Single sign-on provider not reachable: %s", type(error).__name__)
            messages.error(request, _("Single sign-on is not available at the moment. Try again later."))
            return redirect("login")
        self.OIDC_RP_CLIENT_ID = get_setting("OIDC_RP_CLIENT_ID")
        return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider sends the browser back here with a code; the backend turns it into a user."""

    get_settings = staticmethod(get_setting)

    def get(self, request):
        if not oidc_enabled():
            raise Http404
        try:
            return super().get(request)
        except requests.RequestException as error:
            logger.error("Single sign-on provider did not answer: %s", type(error).__name__)
            return self.login_failure()

    def login_failure(self):
        messages.error(
            self.request,
            _("Logging in with single sign-on did not succeed. Try again, or ask the program team."),
        )
        return redirect("login")
