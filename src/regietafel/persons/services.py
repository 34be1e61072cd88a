"""Reading and changing households. Every function here writes the processing log in the same transaction as
the change, or before the data are handed to a page, export or API response."""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import F, QuerySet
from django.utils.translation import gettext as _

from regietafel.access.scope import can, own_area_ids, restrict
from regietafel.audit.models import Action, Channel
from regietafel.audit.services import record
from regietafel.core.versioning import check
from regietafel.persons.models import Household, Tie


# The status changes only through the pipeline (regietafel.matching.pipeline), which keeps each step.
class HouseholdError(ValueError):
    pass


def households(user, action: str = "view") -> QuerySet:
    """The households the user may see (or change): the only way to query them."""
    return restrict(Household.objects.select_related("municipality"), user, action)


def read(request, rows: Iterable[Household], channel: str) -> list[Household]:
    """Hand households to a page, export or API response: one log line each, written first."""
    rows = list(rows)
    action = Action.EXPORT if channel == Channel.EXPORT else Action.READ
    record(request, subjects=rows, action=action, channel=channel)
    return rows


def save_household(
    request, household: Household | None, data: dict, version: int | None, ties: list[tuple] | None = None
) -> Household:
    """Create (``household`` None) or change a household; refuse a concurrent edit and a municipality the user
    may not change. ``ties``: the household's ties as (kind, place) pairs, replacing the ones it had (None: keep)."""
    user = request.user
    with transaction.atomic():
        if household is not None:
            current = households(user, "change").select_for_update().filter(pk=household.pk).first()
            if current is None:
                raise HouseholdError(_("You may not change this household."))
            household = check(current, version)
        else:
            household = Household()
        for name in Household.WRITABLE:
            setattr(household, name, data[name])
        allowed = own_area_ids(user)
        if not can(user, "add", Household) or (
            allowed is not None and household.municipality_id not in allowed
        ):
            raise HouseholdError(_("You may only register households of your own municipality."))
        household.updated_by = user
        if household.pk is None:
            household.save()
            record(request, subjects=[household], action=Action.CREATE, channel=Channel.PAGE)
        else:
            household.version = F("version") + 1
            household.save()
            household.refresh_from_db()
            record(request, subjects=[household], action=Action.UPDATE, channel=Channel.PAGE)
        if ties is not None:
            household.ties.all().delete()
            Tie.objects.bulk_create(
                Tie(household=household, kind=kind, place=place) for kind, place in set(ties)
            )
    return household
