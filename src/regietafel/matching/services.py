"""Writing homes and running the matcher: each write one transaction, person-level reads logged."""

from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from regietafel.access.scope import can, own_area_ids, restrict
from regietafel.audit.models import Action, Channel
from regietafel.audit.services import record
from regietafel.core.versioning import check
from regietafel.domain import matching
from regietafel.matching import pipeline
from regietafel.matching.models import Dwelling, MatchRun, Proposal
from regietafel.matching.reasons import to_json
from regietafel.persons import services as persons
from regietafel.persons.models import Household
from regietafel.regions.models import Area

# A single younger than this gets housing allowance only up to the quality-discount limit.
YOUNG_BEFORE = 23


class MatchingError(ValueError):
    pass


def save_dwelling(user, dwelling: Dwelling | None, data: dict, version: int | None) -> Dwelling:
    """Create or change a home of a municipality the user may change; refuse an edit based on an older version."""
    with transaction.atomic():
        if dwelling is not None:
            current = (
                restrict(Dwelling.objects.select_for_update(), user, "change").filter(pk=dwelling.pk).first()
            )
            if current is None:
                raise MatchingError(_("You may not change this home."))
            dwelling = check(current, version)
        else:
            dwelling = Dwelling()
        for name in Dwelling.WRITABLE:
            setattr(dwelling, name, data[name])
        allowed = own_area_ids(user)
        if not can(user, "add", Dwelling) or (
            allowed is not None and dwelling.municipality_id not in allowed
        ):
            raise MatchingError(_("You may only register homes of your own municipality."))
        if dwelling.pk is not None:
            dwelling.version = F("version") + 1
        dwelling.save()
        dwelling.refresh_from_db()
    return dwelling


# Matching ----------------------------------------------------------------------------------------------------


def max_rent(household: Household) -> Decimal:
    """The housing-allowance rent limit of the household's type (settings.REGIETAFEL_RENT_LIMIT_*)."""
    ages = household.ages
    young_single = household.size == 1 and (household.is_amv or (ages and ages[0] < YOUNG_BEFORE))
    if young_single or household.is_amv:
        return settings.REGIETAFEL_RENT_LIMIT_YOUNG
    if household.size <= 2:
        return settings.REGIETAFEL_RENT_LIMIT_SMALL
    return settings.REGIETAFEL_RENT_LIMIT_LARGE


def to_domain_household(household: Household) -> matching.Household:
    return matching.Household(
        id=str(household.pk),
        municipality=household.municipality.code,
        adults=household.adults,
        children=household.children,
        deadline=household.deadline,
        needs_accessible=household.needs_accessible,
        is_amv=household.is_amv,
        max_rent=max_rent(household),
        ties=tuple(
            matching.Tie(tie.kind, tie.place.name, float(tie.place.latitude), float(tie.place.longitude))
            for tie in household.ties.all()
        ),
    )


def to_domain_dwelling(dwelling: Dwelling) -> matching.Dwelling:
    return matching.Dwelling(
        id=str(dwelling.pk),
        municipality=dwelling.municipality.code,
        place=dwelling.place.name,
        lat=float(dwelling.place.latitude),
        lon=float(dwelling.place.longitude),
        rooms=max(dwelling.rooms, 1),
        max_occupancy=dwelling.max_occupancy,
        rent=dwelling.rent,
        accessible=dwelling.accessible,
        available_on=dwelling.available_on,
        owner=dwelling.owner,
        sharing_allowed=dwelling.sharing_allowed,
    )


def _summary(result: matching.Result) -> dict:
    return {
        "people_housed": result.people_housed,
        "households_housed": result.households_housed,
        "past_deadline": result.past_deadline,
        "seconds": round(result.seconds, 3),
        "status": result.status,
        "levels": [
            {"name": level.name, "objective": level.objective, "bound": level.bound, "optimal": level.optimal}
            for level in result.levels
        ],
    }


def propose(
    request, region: Area, *, municipality: Area | None, available_before, across_municipalities: bool
):
    """Ask the matcher for proposals for the linked households the user may change, and keep them as a run.

    A user of a municipality matches its own households to its own homes; a beheerder may match the whole region,
    and across municipalities when they agreed to redistribute (art. 29 lid 2). Undecided proposals of earlier runs
    for the same households are set aside. Every household read is logged.
    """
    user = request.user
    allowed = own_area_ids(user)
    if across_municipalities and allowed is not None:
        raise MatchingError(_("Only the program team can match across municipalities."))
    areas = list(Area.objects.in_region(region))
    if municipality is not None:
        areas = [area for area in areas if area.pk == municipality.pk]
    if allowed is not None:
        areas = [area for area in areas if area.pk in allowed]
    if not areas:
        raise MatchingError(_("There is no municipality you may match for."))
    today = timezone.localdate()
    with transaction.atomic():
        households = list(
            persons.households(user, "change")
            .filter(municipality__in=areas, status=Household.Status.LINKED)
            .prefetch_related("ties__place")
        )
        homes = areas if not across_municipalities else list(Area.objects.in_region(region))
        dwellings = list(
            restrict(Dwelling.objects.select_related("municipality", "place"), user).filter(
                municipality__in=homes, status=Dwelling.Status.AVAILABLE, available_on__lte=available_before
            )
        )
        if not households:
            raise MatchingError(_("There are no linked households waiting for a home."))
        if not dwellings:
            raise MatchingError(_("There are no available homes before this date."))
        record(request, subjects=households, action=Action.READ, channel=Channel.MATCHING)
        options = matching.Options(
            available_before=available_before,
            today=today,
            redistribution=frozenset({frozenset(a.code for a in homes)})
            if across_municipalities
            else frozenset(),
            time_limit_seconds=settings.REGIETAFEL_MATCHING_SECONDS,
        )
        domain_households = [to_domain_household(h) for h in households]
        domain_dwellings = [to_domain_dwelling(d) for d in dwellings]
        result = matching.optimise(domain_households, domain_dwellings, options)
        baseline = matching.greedy(domain_households, domain_dwellings, options)
        proposed = {item.household_id for item in result.proposals}
        # Why each household without a proposal got none: the rule that leaves it no home, or that the homes it
        # could have had went to others (by the household's id, as its proposals are kept).
        unmatched = [
            {
                "household": int(household.id),
                **to_json([matching.unmatched_reason(household, domain_dwellings, options)])[0],
            }
            for household in domain_households
            if household.id not in proposed
        ]
        run = MatchRun.objects.create(
            created_by=user,
            region=region,
            municipality=municipality if municipality is not None else None,
            available_before=available_before,
            across_municipalities=across_municipalities,
            summary={
                **_summary(result),
                "households": len(households),
                "dwellings": len(dwellings),
                "greedy": _summary(baseline),
                "unmatched": unmatched,
            },
        )
        Proposal.objects.filter(household__in=households, status=Proposal.Status.PROPOSED).update(
            status=Proposal.Status.REJECTED,
            rejection_reason=_("Replaced by a newer proposal.")[:300],
            decided_at=timezone.now(),
            decided_by=user,
        )
        by_id = {str(h.pk): h for h in households}
        homes_by_id = {str(d.pk): d for d in dwellings}
        Proposal.objects.bulk_create(
            Proposal(
                run=run,
                household=by_id[item.household_id],
                dwelling=homes_by_id[item.dwelling_id],
                shared_with=len(item.shared_with),
                reasons=to_json(item.reasons),
            )
            for item in result.proposals
        )
    return run


def _proposal(proposal: Proposal, version: int | None) -> Proposal:
    current = Proposal.objects.select_for_update().select_related("household", "dwelling").get(pk=proposal.pk)
    if current.status != Proposal.Status.PROPOSED:
        raise MatchingError(_("This proposal has already been decided."))
    return check(
        current, version, changed=_("Someone else decided on this proposal meanwhile. Reload the page.")
    )


def accept(
    request,
    proposal: Proposal,
    version: int | None,
    *,
    dwelling: Dwelling | None,
    on,
    housed_on=None,
    reason: str = "",
) -> Proposal:
    """Offer the proposed home (or another one the officer chose, if it meets every hard rule) to the household.

    ``housed_on``: the household already accepted and moved in on that date (an officer recording a tenancy after
    the fact): the household is housed and counted in that month's realisation in the same transaction.
    """
    with transaction.atomic():
        proposal = _proposal(proposal, version)
        if dwelling is not None and dwelling.pk != proposal.dwelling_id:
            run = proposal.run
            options = matching.Options(
                available_before=max(run.available_before, dwelling.available_on),
                today=on,
                redistribution=frozenset({frozenset(a.code for a in Area.objects.in_region(run.region))})
                if run.across_municipalities
                else frozenset(),
            )
            household = to_domain_household(proposal.household)
            home = to_domain_dwelling(dwelling)
            sharers = dwelling.households.exclude(status=Household.Status.REFUSED).count() + 1
            needed = matching.min_sharers(household, home, options)
            if dwelling.status not in (Dwelling.Status.AVAILABLE, Dwelling.Status.OFFERED) or (
                needed is None or needed > sharers
            ):
                raise MatchingError(
                    _(
                        "Home %(code)s does not meet the rules for this household (size, rent, access or municipality)."
                    )
                    % {"code": dwelling.code}
                )
            proposal.dwelling = dwelling
            proposal.changed = True
            proposal.reasons = to_json(matching.reasons(household, home, sharers, options))
        household = pipeline.offer(
            request, proposal.household, proposal.dwelling, proposal.household.version, on
        )
        if housed_on is not None:
            household = pipeline.respond(request, household, household.version, True, on)
            pipeline.house(request, household, household.version, housed_on, reason)
        proposal.status = Proposal.Status.ACCEPTED
        proposal.decided_at = timezone.now()
        proposal.decided_by = request.user
        proposal.version = F("version") + 1
        proposal.save()
    return proposal


def reject(request, proposal: Proposal, version: int | None, reason: str) -> Proposal:
    if not reason.strip():
        raise MatchingError(_("Say why the proposal is rejected."))
    with transaction.atomic():
        proposal = _proposal(proposal, version)
        proposal.status = Proposal.Status.REJECTED
        proposal.rejection_reason = reason.strip()[:300]
        proposal.decided_at = timezone.now()
        proposal.decided_by = request.user
        proposal.version = F("version") + 1
        proposal.save()
    return proposal
