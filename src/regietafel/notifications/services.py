"""Telling users what happened. Each function is one transaction.

``notify`` records an event once for each recipient who may see what it is about and wants to hear of it. The
worker e-mails it after the request's transaction commits (``send``), once; a failed attempt is counted and tried
again (``retry``, and by the worker itself after a pause). The daily run (``regietafel notify``) sends the digests.
Texts are written in the installation's language and name no person of a household.
"""

import datetime
from collections.abc import Iterable
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Model, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from regietafel.access.policy import Role
from regietafel.access.scope import restrict
from regietafel.core.tasks import enqueue_on_commit
from regietafel.notifications.models import Kind, Mode, Notification, Preference

# A notification whose e-mail failed this many times is not tried again (it stays in the app's list).
MAX_ATTEMPTS = 5
# The worker's pause before trying a failed e-mail again: this times 2 ** (attempts - 1).
RETRY_PAUSE = datetime.timedelta(minutes=5)


@dataclass(frozen=True)
class Event:
    kind: Kind
    key: str  # names the event: told once per user
    target: Model  # what it is about; told only to users who may see it
    subject: str
    body: str
    url: str  # the page about it, without host


@contextmanager
def house_language():
    """Write an event's texts in the installation's language, whatever language the request that raised it uses."""
    with translation.override(settings.LANGUAGE_CODE):
        yield


def absolute(path: str) -> str:
    return settings.REGIETAFEL_BASE_URL.rstrip("/") + path


# Who hears of what -----------------------------------------------------------------------------------------------


def preferences(user) -> dict[str, str]:
    """How ``user`` hears of each kind of event (immediately unless they chose otherwise)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind: chosen.get(kind, Mode.IMMEDIATE) for kind in Kind.values}


@transaction.atomic
def save_preferences(user, modes: dict[str, str]) -> None:
    for kind, mode in modes.items():
        Preference.objects.update_or_create(user=user, kind=Kind(kind), defaults={"mode": Mode(mode)})


def members(*, organisations: Iterable[int] = (), municipalities: Iterable[int] = ()):
    """The active users with a role in these organisations, or in an organisation of these municipalities."""
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(membership__role=Role.NONE)
        .filter(
            Q(membership__organisation__in=list(organisations))
            | Q(membership__organisation__municipality__in=list(municipalities))
        )
    )


def may_see(user, target: Model) -> bool:
    """Through the one access path: may ``user`` see ``target`` now?"""
    return restrict(type(target)._default_manager.filter(pk=target.pk), user).exists()


@transaction.atomic
def notify(event: Event, users: Iterable) -> list[Notification]:
    """Tell ``users`` of ``event``: once each, only who may see its target, as each one chose.

    Immediate e-mail is handed to the worker when the caller's transaction commits: nothing is sent for work that
    was rolled back, and no request waits for a mail server."""
    target_type = ContentType.objects.get_for_model(event.target)
    told = []
    for user in {user.pk: user for user in users if user.is_active}.values():
        mode = preferences(user)[event.kind]
        if mode == Mode.OFF or not may_see(user, event.target):
            continue
        notification, created = Notification.objects.get_or_create(
            user=user,
            key=event.key,
            defaults={
                "kind": event.kind,
                "subject": event.subject[:300],
                "body": event.body,
                "url": event.url,
                "target_type": target_type,
                "target_id": event.target.pk,
                "mode": mode,
            },
        )
        if created:
            told.append(notification)
            if mode == Mode.IMMEDIATE:
                enqueue_on_commit(send, notification.pk)
    return told


# The in-app list -------------------------------------------------------------------------------------------------


def visible(notifications: Iterable[Notification], user) -> list[Notification]:
    """The notifications whose target ``user`` may still see (rights change; targets are deleted)."""
    notifications = list(notifications)
    seen: set[tuple[int, int]] = set()
    for type_id in {n.target_type_id for n in notifications}:
        model = ContentType.objects.get_for_id(type_id).model_class()
        ids = [n.target_id for n in notifications if n.target_type_id == type_id]
        if model is not None:
            found = restrict(model._default_manager.filter(pk__in=ids), user).values_list("pk", flat=True)
            seen |= {(type_id, pk) for pk in found}
    return [n for n in notifications if (n.target_type_id, n.target_id) in seen]


def unread_count(user_id: int) -> int:
    return Notification.objects.filter(user_id=user_id, read_at=None).count()


@transaction.atomic
def mark_read(user, notification_id: int | None = None) -> int:
    """Mark one of ``user``'s notifications, or all of them, read."""
    unread = Notification.objects.filter(user=user, read_at=None)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    return unread.update(read_at=timezone.now())


# E-mail ----------------------------------------------------------------------------------------------------------


def _target(notification: Notification) -> Model | None:
    model = notification.target_type.model_class()
    return None if model is None else model._default_manager.filter(pk=notification.target_id).first()


def _undeliverable(notification: Notification) -> str:
    """Why this notification may not be e-mailed now; empty if it may."""
    user = notification.user
    if not user.is_active:
        return "account inactive"
    if not user.email:
        return "no e-mail address"
    target = _target(notification)
    if target is None or not may_see(user, target):
        return "target not visible"
    return ""


def _footer() -> str:
    return _("Choose which notifications you receive, and how: %(url)s") % {
        "url": absolute(reverse("notifications:preferences"))
    }


def _message(notification: Notification) -> str:
    link = absolute(notification.url) if notification.url else absolute(reverse("notifications:list"))
    return f"{notification.body}\n\n{link}\n\n-- \n{_footer()}\n"


def _failed(notification_ids: list[int], error: Exception) -> None:
    Notification.objects.filter(pk__in=notification_ids).update(
        attempts=F("attempts") + 1, last_error=f"{type(error).__name__}: {error}"[:300]
    )


@task()
def send(notification_id: int) -> str:
    """E-mail one notification, unless it was sent already or may not be any more."""
    try:
        with transaction.atomic(), house_language():
            notification = (
                Notification.objects.select_for_update(of=("self",))
                .select_related("user")
                .filter(pk=notification_id)
                .first()
            )
            if notification is None:
                return "gone"
            if notification.sent_at is not None:
                return "already sent"
            reason = _undeliverable(notification)
            if reason:
                # Not for this user (any more): kept in the list, never e-mailed.
                notification.attempts = MAX_ATTEMPTS
                notification.last_error = reason
                notification.save(update_fields=["attempts", "last_error"])
                return reason
            send_mail(notification.subject, _message(notification), None, [notification.user.email])
            notification.sent_at = timezone.now()
            notification.attempts += 1
            notification.last_error = ""
            notification.save(update_fields=["sent_at", "attempts", "last_error"])
            return "sent"
    except Exception as error:  # a mail server's failure of any kind: counted, tried again
        _failed([notification_id], error)
        attempts = Notification.objects.filter(pk=notification_id).values_list("attempts", flat=True).first()
        if (
            attempts is not None
            and attempts < MAX_ATTEMPTS
            and not isinstance(send.get_backend(), ImmediateBackend)
        ):
            pause = RETRY_PAUSE * 2 ** (attempts - 1)
            send.using(run_after=timezone.now() + pause).enqueue(notification_id)
        return "failed"


def retry(now: datetime.datetime | None = None) -> int:
    """Hand every immediate notification not yet e-mailed back to the worker: those that failed fewer than
    MAX_ATTEMPTS times, and those a worker never took (older than ten minutes). Returns how many."""
    now = now or timezone.now()
    waiting = Notification.objects.filter(
        mode=Mode.IMMEDIATE, sent_at=None, attempts__lt=MAX_ATTEMPTS
    ).filter(created_at__lte=now - datetime.timedelta(minutes=10))
    ids = list(waiting.values_list("pk", flat=True))
    for pk in ids:
        send.enqueue(pk)
    return len(ids)


@task()
def send_digest(user_id: int) -> str:
    """E-mail one user's waiting digest notifications in one message."""
    ids: list[int] = []
    try:
        with transaction.atomic(), house_language():
            waiting = list(
                Notification.objects.select_for_update(of=("self",))
                .select_related("user", "target_type")
                .filter(user_id=user_id, mode=Mode.DIGEST, sent_at=None, attempts__lt=MAX_ATTEMPTS)
                .order_by("created_at", "id")
            )
            if not waiting:
                return "nothing waiting"
            user = waiting[0].user
            if not user.is_active or not user.email:
                Notification.objects.filter(pk__in=[n.pk for n in waiting]).update(
                    attempts=MAX_ATTEMPTS,
                    last_error="no e-mail address" if user.is_active else "account inactive",
                )
                return "undeliverable"
            shown = visible(waiting, user)
            hidden = [n.pk for n in waiting if n not in shown]
            Notification.objects.filter(pk__in=hidden).update(
                attempts=MAX_ATTEMPTS, last_error="target not visible"
            )
            if not shown:
                return "nothing visible"
            ids = [n.pk for n in shown]
            lines = [f"- {n.subject}\n  {absolute(n.url or reverse('notifications:list'))}" for n in shown]
            subject = ngettext(
                "Regietafel: %(count)d notification of the past day",
                "Regietafel: %(count)d notifications of the past day",
                len(shown),
            ) % {"count": len(shown)}
            body = "\n".join(
                [_("What happened in Regietafel for you:"), "", *lines, "", "-- ", _footer(), ""]
            )
            send_mail(subject, body, None, [user.email])
            Notification.objects.filter(pk__in=ids).update(sent_at=timezone.now(), attempts=F("attempts") + 1)
            return "sent"
    except Exception as error:  # a mail server's failure: counted; the next daily run tries again
        _failed(ids, error)
        return "failed"


def send_digests() -> int:
    """Hand each user with digest notifications waiting to the worker. Returns how many users."""
    users = (
        Notification.objects.filter(mode=Mode.DIGEST, sent_at=None, attempts__lt=MAX_ATTEMPTS)
        .values_list("user_id", flat=True)
        .distinct()
    )
    users = sorted(set(users))
    for user_id in users:
        send_digest.enqueue(user_id)
    return len(users)
