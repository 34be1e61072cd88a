"""Every login, failed login and lock-out goes to the processing log (regietafel.audit).

The application log (python logging) names an account only by its id, or by a pseudonym when the name given
matches no account: never a user name, e-mail address or IP address.
"""

import logging

from django.contrib.auth import get_user_model

from regietafel.audit.models import Action, Result
from regietafel.audit.services import pseudonym, record_access

logger = logging.getLogger(__name__)


def account(username: str | None):
    """The account with exactly this user name (as the login form checks it), or None."""
    if not username:
        return None
    User = get_user_model()
    return User._default_manager.filter(**{User.USERNAME_FIELD: username}).first()


def describe(user, username: str | None = "") -> str:
    """How the application log names an account: its id, or a pseudonym of a name that has no account."""
    if user is not None:
        return f"user {user.pk}"
    return f"unknown account {pseudonym('auth.username', (username or '').strip().lower())[:12]}"


def _username(credentials: dict) -> str:
    User = get_user_model()
    return credentials.get(User.USERNAME_FIELD) or credentials.get("username") or ""


def logged_in(sender, request, user, **kwargs):
    record_access(request, subject_user=user, action=Action.LOGIN, result=Result.SUCCESS)
    logger.info("Login of %s", describe(user))


def login_failed(sender, credentials, request=None, **kwargs):
    username = _username(credentials)
    # Single sign-on has no user name: the backend names the account it refused (a deactivated one), if any.
    user = account(username) if username else getattr(request, "regietafel_refused_user", None)
    record_access(
        request, subject_user=user, action=Action.LOGIN_FAILED, result=Result.FAILURE, username=username
    )
    logger.warning("Failed login for %s", describe(user, username))


def locked_out(sender, request, username=None, **kwargs):
    """django-axes: the attempt that reached the limit, and every attempt refused while the lock lasts."""
    user = account(username)
    record_access(
        request, subject_user=user, action=Action.LOCKED_OUT, result=Result.FAILURE, username=username or ""
    )
    logger.warning("Login locked for %s", describe(user, username))


def describe_client(username, ip_address, user_agent, path_info, request) -> str:
    """AXES_CLIENT_STR_CALLABLE: what django-axes writes in its log lines about a client."""
    if isinstance(path_info, list | tuple):
        path_info = path_info[0] if path_info else ""
    return f"{{{describe(account(username), username)}, path: {path_info}}}"
