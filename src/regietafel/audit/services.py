"""Writing the processing log. Called before a response with personal data is sent: if writing fails, the
request fails (the exception propagates), so nothing is shown that was not logged."""

import contextlib
import uuid
from collections.abc import Iterable

from auditlog.context import auditlog_value, set_actor
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import pre_save
from django.utils.crypto import salted_hmac

from regietafel.access.scope import principal
from regietafel.audit.models import Activity, Channel, ProcessingLog, Result


def pseudonym(label: str, key: object) -> str:
    """A stable keyed hash for a data subject (model label and primary key, or a user id)."""
    secret = getattr(settings, "REGIETAFEL_AUDIT_KEY", "") or settings.SECRET_KEY
    return salted_hmac(
        "regietafel.audit.subject", f"{label}:{key}", secret=secret, algorithm="sha256"
    ).hexdigest()[:32]


def _request_id(request) -> str:
    if request is None:
        return ""
    # The request id of the application log (django-guid), so a processing-log line and the request's log lines
    # can be found together; a UUID the proxy sent may have dashes.
    if not hasattr(request, "_regietafel_request_id"):
        given = getattr(request, "correlation_id", "") or uuid.uuid4().hex
        request._regietafel_request_id = given.replace("-", "")[:32]
    return request._regietafel_request_id


def _who(user) -> dict:
    if user is None or not getattr(user, "is_authenticated", False):
        return {"actor_id": None, "actor": "", "organisation": "", "role": ""}
    membership = getattr(user, "membership", None) if hasattr(user, "membership") else None
    return {
        "actor_id": user.pk,
        "actor": user.get_username(),
        "organisation": str(membership.organisation) if membership and membership.organisation else "",
        "role": principal(user).role.value,
    }


def record(
    request,
    *,
    subjects: Iterable[models.Model],
    action: str,
    channel: str,
    activity: str = Activity.HOUSING,
    result: str = Result.SUCCESS,
    user=None,
) -> int:
    """One line per data subject; returns how many were written."""
    user = user if user is not None else getattr(request, "user", None)
    common = {
        **_who(user),
        "activity": activity,
        "action": action,
        "channel": channel,
        "result": result,
        "request_id": _request_id(request),
    }
    lines = [
        ProcessingLog(
            object_type=subject._meta.label_lower,
            subject=pseudonym(subject._meta.label, subject.pk),
            **common,
        )
        for subject in subjects
    ]
    with transaction.atomic():
        ProcessingLog.objects.bulk_create(lines)
    return len(lines)


def record_access(
    request, *, subject_user, action: str, result: str = Result.SUCCESS, username: str = ""
) -> None:
    """A login, failed login, lock-out or role change. The actor is whoever is signed in on the request (nobody
    for a failed login); the subject is the account concerned."""
    if subject_user is not None:
        subject = pseudonym("auth.User", subject_user.pk)
    else:
        # An attempt on an unknown account: hash the name as given, never store it.
        subject = pseudonym("auth.username", username.strip().lower())
    ProcessingLog.objects.create(
        **_who(getattr(request, "user", None)),
        activity=Activity.ACCESS,
        action=action,
        channel=Channel.LOGIN,
        object_type="auth.user",
        subject=subject,
        result=result,
        request_id=_request_id(request),
    )


# Record history (django-auditlog): every line names who made the change --------------------------------------


def _history_context() -> dict | None:
    """The record-history context of the request or task running now, if there is one. django-auditlog leaves the
    context of an ended request in place (its receiver disconnected): that one does not count."""
    try:
        context = auditlog_value.get()
    except LookupError:
        return None
    if not context or "signal_duid" not in context:
        return None
    live = any(key[0] == context["signal_duid"] for key, *_rest in pre_save.receivers)
    return context if live else None


def attribute_history_to(user) -> None:
    """Name ``user`` as the actor of the record-history lines the rest of this request writes. For an API token's
    system account: the history middleware ran before the API authenticated the token, so it saw nobody."""
    context = _history_context()
    if context is not None and context.get("actor") is None:
        context["actor"] = user


@contextlib.contextmanager
def history_by(user):
    """Work done for ``user`` outside a request of theirs (a background task) writes record history in their name.

    Inside a request (the tests run tasks at once) the request's history context is kept and given the user if it
    has nobody: replacing it would leave the rest of the request's lines without an actor."""
    if user is None or not getattr(user, "is_authenticated", False):
        yield
        return
    if _history_context() is not None:
        attribute_history_to(user)
        yield
        return
    try:
        with set_actor(user):
            yield
    finally:
        auditlog_value.set(None)  # the task's context ends with it
