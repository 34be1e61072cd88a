"""Who may call the API: a system's token or a signed-in user with a role; reading or writing; how often.

A token is sent as ``Authorization: Token <key>``. It authenticates as the token's system account, whose membership
(role and organisation) then goes through the one access path like any user's. Revoking a token deactivates that
account, so a revoked key is refused at once.
"""

import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.throttling import SimpleRateThrottle

from regietafel.access.models import SystemToken
from regietafel.access.policy import Role
from regietafel.access.scope import principal
from regietafel.audit.services import attribute_history_to

# ``last_used_at`` is written at most this often per token, so that reading does not mean a write per request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


class SystemTokenAuthentication(BaseAuthentication):
    keyword = "Token"

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise AuthenticationFailed(_("Send the token as: Authorization: Token <key>."))
        try:
            key = header[1].decode("ascii")
            if not key.isprintable():
                raise SystemToken.DoesNotExist
            token = SystemToken.objects.get_from_key(key)
        except (UnicodeDecodeError, SystemToken.DoesNotExist):
            raise AuthenticationFailed(_("This token is not valid or has been revoked.")) from None
        if not token.user.is_active:
            raise AuthenticationFailed(_("This token is not valid or has been revoked."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            SystemToken.objects.filter(pk=token.pk).update(last_used_at=now)
        attribute_history_to(token.user)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class HasRole(BasePermission):
    """A signed-in caller without a role (waiting for a beheerder) gets nothing from the API."""

    message = _("Your account has no role yet.")

    def has_permission(self, request, view):
        return principal(request.user).role != Role.NONE


class TokenScope(BasePermission):
    """A read-only token may read, never write (whatever its role would allow)."""

    message = _("This token may only read.")

    def has_permission(self, request, view):
        token = request.auth
        return request.method in SAFE_METHODS or not isinstance(token, SystemToken) or token.can_write


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``REGIETAFEL_API_RATE`` requests per token (or signed-in user) per period; then 429."""

    scope = "api"

    def get_rate(self):
        return settings.REGIETAFEL_API_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, SystemToken):
            ident = f"token-{request.auth.prefix}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}


class SystemTokenScheme(OpenApiAuthenticationExtension):
    """The token in the OpenAPI document: an ``Authorization: Token <key>`` header."""

    target_class = SystemTokenAuthentication
    name = "systemToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "Token <key>, as issued by a beheerder on /toegang/api-tokens/.",
        }
