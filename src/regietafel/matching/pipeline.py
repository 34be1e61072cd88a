"""A household's way from linked to housed: offered a home, accepted or refused, housed.

Each step is one transaction that checks the household's version (an edit based on an older one is refused),
records a ``HouseholdEvent`` (refusals keep their reason) and writes the processing log. Housing a household adds its
members to the monitor's realisation of that month, so nobody types the figure in again; a locked half-year is
refused unless a beheerder gives a reason (``housing.periods.guarded``).
"""

import datetime

from django.db import transaction
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regietafel.audit.models import Action, Channel
from regietafel.audit.services import record
from regietafel.core.models import Confidence
from regietafel.core.sources import cite
from regietafel.core.versioning import check
from regietafel.domain.targets import HalfYear
from regietafel.housing.models import HousingRealisation
from regietafel.housing.periods import guarded
from regietafel.matching.models import Dwelling
from regietafel.persons.models import Household, HouseholdEvent
from regietafel.persons.services import HouseholdError, households

PIPELINE_SOURCE = "Regietafel, pijplijn huisvesting"
DEMO_PIPELINE_SOURCE = "Demogegevens, pijplijn huisvesting (demohuishoudens)"


def _locked_household(request, household: Household, version: int | None) -> Household:
    current = households(request.user, "change").select_for_update().filter(pk=household.pk).first()
    if current is None:
        raise HouseholdError(_("You may not change this household."))
    return check(current, version)


def _step(
    request, household: Household, kind: str, on: datetime.date, dwelling=None, reason: str = ""
) -> None:
    household.version = F("version") + 1
    household.updated_by = request.user
    household.save()
    household.refresh_from_db()
    HouseholdEvent.objects.create(
        household=household, kind=kind, on=on, by=request.user, dwelling=dwelling, reason=reason[:300]
    )
    record(request, subjects=[household], action=Action.UPDATE, channel=Channel.PAGE)


def room_left(dwelling: Dwelling, household: Household) -> bool:
    """Whether ``household`` can still move into ``dwelling`` next to the households already offered it."""
    others = list(dwelling.households.exclude(pk=household.pk).exclude(status=Household.Status.REFUSED))
    if not others:
        return True
    singles = all(other.size == 1 and not other.is_amv for other in others + [household])
    people = sum(other.size for other in others) + household.size
    return (
        dwelling.sharing_allowed
        and singles
        and len(others) + 1 <= dwelling.rooms
        and people <= dwelling.max_occupancy
    )


def offer(
    request, household: Household, dwelling: Dwelling, version: int | None, on: datetime.date
) -> Household:
    """The municipality offers ``dwelling`` to ``household`` (usually by accepting a proposal)."""
    with transaction.atomic():
        household = _locked_household(request, household, version)
        dwelling = Dwelling.objects.select_for_update().get(pk=dwelling.pk)
        if household.status not in (Household.Status.LINKED, Household.Status.REFUSED):
            raise HouseholdError(_("This household has already been offered a home."))
        if dwelling.status not in (Dwelling.Status.AVAILABLE, Dwelling.Status.OFFERED):
            raise HouseholdError(_("This home is no longer available."))
        if not room_left(dwelling, household):
            raise HouseholdError(_("This home has no room left for this household."))
        household.status = Household.Status.OFFERED
        household.dwelling = dwelling
        household.offered_on = on
        _step(request, household, HouseholdEvent.Kind.OFFERED, on, dwelling)
        Dwelling.objects.filter(pk=dwelling.pk).update(
            status=Dwelling.Status.OFFERED, version=F("version") + 1
        )
    return household


def respond(
    request, household: Household, version: int | None, accepted: bool, on: datetime.date, reason: str = ""
):
    """The household accepts the offered home, or refuses it (the reason is kept; the home is free again)."""
    reason = reason.strip()
    if not accepted and not reason:
        raise HouseholdError(_("Say why the household refused the home."))
    with transaction.atomic():
        household = _locked_household(request, household, version)
        if household.status != Household.Status.OFFERED or household.dwelling_id is None:
            raise HouseholdError(_("This household has no open offer."))
        dwelling = household.dwelling
        if accepted:
            household.status = Household.Status.ACCEPTED
            _step(request, household, HouseholdEvent.Kind.ACCEPTED, on, dwelling, reason)
        else:
            household.status = Household.Status.REFUSED
            household.dwelling = None
            _step(request, household, HouseholdEvent.Kind.REFUSED, on, dwelling, reason)
            if not dwelling.households.exists():
                Dwelling.objects.filter(pk=dwelling.pk).update(
                    status=Dwelling.Status.AVAILABLE, version=F("version") + 1
                )
    return household


def house(
    request, household: Household, version: int | None, on: datetime.date, reason: str = ""
) -> Household:
    """The household moved in on ``on``: count its members in that month's realisation."""
    with transaction.atomic():
        household = _locked_household(request, household, version)
        if household.status not in (Household.Status.OFFERED, Household.Status.ACCEPTED):
            raise HouseholdError(_("Only a household that was offered a home can be housed."))
        if household.offered_on and on < household.offered_on:
            raise HouseholdError(_("The date of moving in lies before the offer."))
        if household.dwelling and on < household.dwelling.available_on:
            raise HouseholdError(
                _("The home is only available from %(date)s; correct that date of the home first.")
                % {"date": date_format(household.dwelling.available_on, "j F Y")}
            )
        with guarded(
            request.user,
            [str(HalfYear.containing(on))],
            reason,
            _("Household housed in %(municipality)s") % {"municipality": household.municipality.name},
        ):
            household.status = Household.Status.HOUSED
            household.housed_on = on
            _step(request, household, HouseholdEvent.Kind.HOUSED, on, household.dwelling, reason)
            count_housed(household, on)
        dwelling = household.dwelling
        if dwelling and not dwelling.households.exclude(status=Household.Status.HOUSED).exists():
            Dwelling.objects.filter(pk=dwelling.pk).update(
                status=Dwelling.Status.LET, version=F("version") + 1
            )
    return household


def count_housed(household: Household, on: datetime.date) -> HousingRealisation:
    """Add the household's members to the municipality's realisation of the month (within the caller's
    transaction); the record names the pipeline among its sources.

    A demo household counts only in a demo figure and a real one only in a real figure: sourced and generated
    figures never mix. The first real household of a month replaces a demo figure of that month; a demo household
    in a month with a real figure is refused with the reason.
    """
    month = on.replace(day=1)
    source = DEMO_PIPELINE_SOURCE if household.is_demo else PIPELINE_SOURCE
    realisation, _created = HousingRealisation.objects.select_for_update().get_or_create(
        municipality_id=household.municipality_id,
        month=month,
        defaults={
            "housed": 0,
            "housed_minors": 0,
            "source": cite(source, Confidence.LOW if household.is_demo else Confidence.HIGH),
            "reference_date": on,
            "is_demo": household.is_demo,
        },
    )
    if household.is_demo and not realisation.is_demo:
        raise HouseholdError(
            _(
                "A demo household cannot count in the real figure of %(municipality)s for %(month)s. "
                "Remove the demo data (regietafel load-demo --remove) before recording real households."
            )
            % {"municipality": household.municipality.name, "month": date_format(month, "F Y")}
        )
    if realisation.is_demo and not household.is_demo:
        # The first real household of a month replaces the generated figure: real figures win over demo ones.
        realisation.housed = realisation.housed_minors = 0
        realisation.source = cite(source, Confidence.HIGH)
        realisation.is_demo = False
        realisation.reference_date = on
    realisation.housed += household.size
    if household.is_amv:
        realisation.housed_minors += household.size
    if source not in realisation.source.name:
        # A month counted from an import and from the pipeline cites both, as one source.
        realisation.source = cite(
            f"{realisation.source.name} + {source}"[:300], realisation.source.confidence
        )
    if realisation.reference_date is None or realisation.reference_date < on:
        realisation.reference_date = on
    realisation.save()
    return realisation
