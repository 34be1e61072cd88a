"""Locking half-years: once a beheerder has validated a half-year's figures, they stay as they are.

A locked half-year's figures change only when a beheerder gives a reason; that change is kept as a
``PeriodEvent``. The guard is structural: ``FEEDS`` names every kind of record a half-year's position is computed
from (national targets, populations, reported and agreed targets, opening balances, realisations), and a write or
deletion of such a record that changes a locked half-year is refused at the model (``pre_save``/``pre_delete``)
unless it happens inside ``guarded``, the one place where a beheerder's reason clears it. A record feeds its own
half-year and, through the carry-over, every later one: a 1 January population feeds the next year's targets.
"""

import contextlib
import contextvars
from collections.abc import Callable, Iterable

from django.db import IntegrityError, transaction
from django.db.models.signals import pre_delete, pre_save
from django.utils.translation import gettext as _

from regietafel.access.scope import principal
from regietafel.domain.targets import HalfYear
from regietafel.housing.models import (
    AgreedTarget,
    Agreement,
    HousingRealisation,
    NationalTarget,
    OpeningBalance,
    PeriodEvent,
    PeriodLock,
    ReportedTarget,
)
from regietafel.regions.models import PopulationFigure


def _period(period: str) -> str:
    """A reported target's period, a year or a half-year, as the first half-year it covers."""
    return str(period) if "-" in str(period) else f"{period}-H1"


def _population(day) -> str:
    """A population count is used for both halves of the next year (``HalfYear.population_reference_date``)."""
    return f"{day.year + 1}-H1"


# The first half-year each kind of record feeds, from its field values (``get(name)``: a model instance's attribute
# or an import row's cleaned value of the same name).
FEEDS: dict[type, Callable[[Callable[[str], object]], str]] = {
    NationalTarget: lambda get: str(get("half_year")),
    ReportedTarget: lambda get: _period(get("period")),
    OpeningBalance: lambda get: str(get("half_year")),
    HousingRealisation: lambda get: str(HalfYear.containing(get("month"))),
    Agreement: lambda get: str(get("half_year")),
    AgreedTarget: lambda get: str(get("agreement").half_year),
    PopulationFigure: lambda get: _population(get("reference_date")),
}

# The locked half-years a ``guarded`` block was cleared to change.
_cleared: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar(
    "cleared_half_years", default=frozenset()
)


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


def first_fed(model, get: Callable[[str], object]) -> str | None:
    """The first half-year a record of ``model`` with these values feeds (None: it feeds no half-year)."""
    feeds = FEEDS.get(model)
    if feeds is None:
        return None
    try:
        return feeds(get)
    except (AttributeError, KeyError, TypeError, ValueError):
        return None  # an incomplete row: its own validation says what is wrong


def affected(first_half_years: Iterable[str | None], locked_now: set[str] | None = None) -> list[str]:
    """The locked half-years whose figures change when records feeding these half-years change."""
    first = min((half_year for half_year in first_half_years if half_year), default=None)
    if first is None:
        return []
    return sorted(
        half_year for half_year in (locked() if locked_now is None else locked_now) if half_year >= first
    )


@contextlib.contextmanager
def guarded(user, first_half_years: Iterable[str], reason: str, detail: str):
    """The one way to change what a locked half-year is computed from: raise PeriodLocked unless ``user`` may change
    the half-years these writes affect, record the override of a locked one, and let the writes of the block
    through. Use inside the transaction that writes the figures, so the record and the change stand or fall
    together."""
    cleared = affected(first_half_years)
    for half_year in cleared:
        message = refusal(user, half_year, reason)
        if message:
            raise PeriodLocked(message)
        PeriodEvent.objects.create(
            half_year=half_year,
            kind=PeriodEvent.Kind.OVERRIDE,
            by=user,
            reason=reason.strip(),
            detail=detail[:300],
        )
    token = _cleared.set(_cleared.get() | frozenset(cleared))
    try:
        yield
    finally:
        _cleared.reset(token)


def _stored(sender, instance):
    if instance.pk is None:
        return None
    return sender._default_manager.filter(pk=instance.pk).first()


def _refuse_unguarded(sender, instance, raw=False, **kwargs):
    """Refuse a write or deletion that changes a locked half-year outside ``guarded`` (a fixture or a restore,
    ``raw``, writes the database as it was)."""
    if raw:
        return
    locked_now = locked()
    if not locked_now:
        return
    firsts = [first_fed(sender, lambda name: getattr(instance, name))]
    stored = _stored(sender, instance) if kwargs.get("signal") is pre_save else None
    if stored is not None:
        firsts.append(first_fed(sender, lambda name: getattr(stored, name)))
    refuse_unguarded(firsts, locked_now)


def refuse_unguarded(first_half_years: Iterable[str | None], locked_now: set[str] | None = None) -> None:
    """Raise PeriodLocked when writes feeding these half-years would change a locked half-year outside ``guarded``.
    Saving a record asks this through its signal; writes in bulk (which send no signals) ask it themselves, with
    the half-years of the values written and of the values they replace."""
    refused = [
        half_year for half_year in affected(first_half_years, locked_now) if half_year not in _cleared.get()
    ]
    if refused:
        raise PeriodLocked(
            _(
                "%(half_year)s is locked: this change would alter its validated figures. A beheerder changes them "
                "with a reason."
            )
            % {"half_year": refused[0]}
        )


for _model in FEEDS:
    pre_save.connect(_refuse_unguarded, sender=_model, dispatch_uid=f"period-guard-save-{_model._meta.label}")
    pre_delete.connect(
        _refuse_unguarded, sender=_model, dispatch_uid=f"period-guard-delete-{_model._meta.label}"
    )
