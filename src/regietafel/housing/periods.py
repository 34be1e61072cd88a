"""Locking half-years: once a beheerder has validated a half-year's figures, they stay as they are.

A locked half-year's figures change only when a beheerder gives a reason; that change is kept as a
``PeriodEvent``. Every service that writes half-year figures (imports, agreements) asks ``guard`` first.
"""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from regietafel.access.scope import principal
from regietafel.domain.targets import HalfYear
from regietafel.housing.models import PeriodEvent, PeriodLock


class PeriodLocked(ValueError):
    pass


def locked() -> set[str]:
    return set(PeriodLock.objects.values_list("half_year", flat=True))


def lock(user, half_year: HalfYear, reason: str = "") -> PeriodLock:
    with transaction.atomic():
        try:
            with transaction.atomic():
                period = PeriodLock.objects.create(half_year=str(half_year), locked_by=user)
        except IntegrityError:
            raise PeriodLocked(_("%(half_year)s is already locked.") % {"half_year": half_year}) from None
        PeriodEvent.objects.create(
            half_year=str(half_year), kind=PeriodEvent.Kind.LOCK, by=user, reason=reason
        )
    return period


def unlock(user, half_year: HalfYear, reason: str) -> None:
    if not reason.strip():
        raise PeriodLocked(_("Say why the half-year is unlocked."))
    with transaction.atomic():
        deleted, _rows = PeriodLock.objects.filter(half_year=str(half_year)).delete()
        if not deleted:
            raise PeriodLocked(_("%(half_year)s is not locked.") % {"half_year": half_year})
        PeriodEvent.objects.create(
            half_year=str(half_year), kind=PeriodEvent.Kind.UNLOCK, by=user, reason=reason.strip()
        )


def refusal(user, half_year: str, reason: str = "") -> str | None:
    """Why ``user`` may not change ``half_year``'s figures now, or None if they may."""
    if half_year not in locked():
        return None
    if not principal(user).is_admin:
        return _("%(half_year)s is locked: its figures were validated and can no longer change.") % {
            "half_year": half_year
        }
    if not reason.strip():
        return _("%(half_year)s is locked: give a reason to change its figures.") % {"half_year": half_year}
    return None


def guard(user, half_years, reason: str, detail: str) -> None:
    """Raise PeriodLocked unless ``user`` may change these half-years; record an override of a locked one.

    Call inside the transaction that writes the figures, so the record and the change stand or fall together.
    """
    for half_year in sorted({str(item) for item in half_years}):
        message = refusal(user, half_year, reason)
        if message:
            raise PeriodLocked(message)
        if half_year in locked():
            PeriodEvent.objects.create(
                half_year=half_year,
                kind=PeriodEvent.Kind.OVERRIDE,
                by=user,
                reason=reason.strip(),
                detail=detail[:300],
            )
