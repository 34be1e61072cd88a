"""Concurrent edits: one rule for every versioned record (a model that inherits ``core.models.Versioned``).

A change or deletion of a versioned record carries the version its user read. The service locks the row
(``locked``), and the change is refused with ``StaleEdit`` when the version is missing, when the row is gone, or when
the row has another version: someone else saved in between, and saving now would silently overwrite their work.
A saved change raises the version by one (``bump``, or ``version += 1`` on the locked row before saving).

Pages carry the version in a required hidden field and show the refusal as a message; the API takes ``version`` in
the body of a ``PATCH`` (``?version=N`` on a ``DELETE``): without it the answer is a 400 problem document naming the
field, with an older one a 409.
"""

from django.db.models import F
from django.utils.translation import gettext as _


class StaleEdit(Exception):
    """The record changed or disappeared since its user read it, or the change did not say which version it read."""


def missing_message() -> str:
    return _("Send the version you read: without it this change could overwrite someone else's.")


def changed_message() -> str:
    return _("Someone else changed this while you were editing. Reload the page and try again.")


def gone_message() -> str:
    return _("This was deleted by someone else.")


def locked(queryset, pk, version: int | None, *, changed: str | None = None, gone: str | None = None):
    """The row ``pk`` of ``queryset`` (a model or a queryset), locked for this transaction, if it still has the
    ``version`` its user read. Refuses with ``StaleEdit`` when ``version`` is missing, the row is gone or newer."""
    if version is None:
        raise StaleEdit(missing_message())
    manager = getattr(queryset, "objects", queryset)
    current = manager.select_for_update().filter(pk=pk).first()
    if current is None:
        raise StaleEdit(gone or gone_message())
    return check(current, version, changed=changed)


def check(current, version: int | None, *, changed: str | None = None):
    """``current`` (a row the caller locked) if it has the ``version`` its user read; ``StaleEdit`` if not."""
    if version is None:
        raise StaleEdit(missing_message())
    if current.version != version:
        raise StaleEdit(changed or changed_message())
    return current


def bump(instance) -> None:
    """Raise a locked record's version by one in the database and on ``instance``."""
    type(instance)._default_manager.filter(pk=instance.pk).update(version=F("version") + 1)
    instance.version += 1
