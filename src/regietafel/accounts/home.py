"""Where a user lands: a municipality officer on their municipality ("Mijn gemeente"), a partner on what is
assigned or referred to their organisation ("Mijn organisatie"), everyone else on the region's overview."""

import datetime

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone

from regietafel.access.policy import Role
from regietafel.access.scope import principal, restrict
from regietafel.core.figures import SourceList
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.services import missing_months
from regietafel.meetings.models import Action, Meeting, Referral
from regietafel.organisations.models import Organisation
from regietafel.reception.ledger import ReceptionLedger
from regietafel.regions.models import Area

OWN_PAGE_ROLES = (Role.MUNICIPALITY, Role.PARTNER)


def landing(user) -> str:
    """The page a user lands on: one's own page where there is one, else the overview (a URL name)."""
    return "mine" if principal(user).role in OWN_PAGE_ROLES else "monitor:overview"


def start(request):
    """After a single sign-on login (LOGIN_REDIRECT_URL): where the user lands."""
    return redirect(landing(request.user))


def _position(area: Area, today: datetime.date) -> dict:
    """The municipality's place on the three tasks, with the figures' sources."""
    region = area.parent
    housing = HousingLedger(region)
    half_year = housing.default_half_year(today)
    reception = ReceptionLedger(region)
    rows = {
        "asylum": reception.asylum_rows(),
        "ukraine": reception.ukraine_rows(),
    }
    at = reception.municipalities.index(area)
    return {
        "half_year": half_year,
        "housing": housing.row(area, half_year) if half_year else None,
        "asylum": rows["asylum"][at],
        "ukraine": rows["ukraine"][at],
    }


def mine(request):
    who = principal(request.user)
    if who.role not in OWN_PAGE_ROLES or who.organisation_id is None:
        raise Http404
    organisation = Organisation.objects.select_related("municipality__parent").get(pk=who.organisation_id)
    today = timezone.localdate()
    open_actions = restrict(
        Action.objects.filter(owner_organisation=organisation, status__in=Action.OPEN_STATUSES).order_by(
            "deadline"
        ),
        request.user,
    )
    referrals = restrict(
        Referral.objects.filter(forum__organisation=organisation, status=Referral.Status.SENT)
        .select_related("forum")
        .order_by("sent_on"),
        request.user,
    )
    context = {
        "organisation": organisation,
        "today": today,
        "actions": open_actions,
        "referrals": referrals,
        "sources": SourceList(),
    }
    area = organisation.municipality
    if (
        who.role == Role.MUNICIPALITY
        and area is not None
        and area.parent
        and area.parent.kind == Area.Kind.REGION
    ):
        context.update(area=area, missing=missing_months(area, today), **_position(area, today))
    # The next meeting the user may see: any of the table's for a municipality, its own bodies' for a partner.
    context["meeting"] = (
        restrict(Meeting.objects.filter(starts_at__gte=timezone.now()), request.user)
        .select_related("body")
        .prefetch_related("items")
        .order_by("starts_at")
        .first()
    )
    return render(request, "accounts/mine.html", context)
