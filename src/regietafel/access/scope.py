"""The one access path: every view, list, search, export, report and API endpoint asks here.

``restrict(queryset, user, action)`` narrows a queryset to what the user may do; ``get_or_404`` fetches one
object through it, so an object outside the user's scope is simply not found (404, never 403 with details).
``require(user, action, model)`` guards pages that create objects or show aggregates. The rules themselves are in
``policy``; which resource a model belongs to, and how it is tied to a municipality or organisation, is in
``REGISTRY`` below. A model that is not registered cannot be queried through here at all.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from regietafel.access.models import Membership, TwoFactorRule
from regietafel.access.policy import ALL, OWN, Role, scope_of


@dataclass(frozen=True)
class Resource:
    name: str
    # Lookup from the model to the municipality (Area) it belongs to, and to the organisation that owns it.
    area: str | None = None
    organisation: str | None = None
    # The organisation lookup runs through a to-many relation (a body's members): matched through a subquery, so
    # an object two members of one organisation tie to is still listed once.
    many: bool = False


REGISTRY: dict[str, Resource] = {
    # reference data
    "regions.Area": Resource("reference"),
    "core.Theme": Resource("reference"),
    "core.Source": Resource("reference"),
    # figures
    "regions.PopulationFigure": Resource("figures", area="area"),
    "housing.NationalTarget": Resource("figures"),
    "housing.NationalOutcome": Resource("figures"),
    "housing.ReportedTarget": Resource("figures", area="municipality"),
    "housing.Agreement": Resource("figures"),
    "housing.AgreedTarget": Resource("figures"),
    "housing.OpeningBalance": Resource("figures", area="municipality"),
    "housing.HousingRealisation": Resource("figures", area="municipality"),
    "housing.CorporationAgreement": Resource("figures", area="municipality"),
    "housing.SupervisionStep": Resource("supervision"),
    "housing.SupervisionPlacement": Resource("supervision", area="municipality"),
    "reception.ReceptionTask": Resource("figures", area="area"),
    "reception.Location": Resource("figures", area="municipality"),
    "reception.ThirdCountryNationalCount": Resource("figures", area="municipality"),
    "reception.Rate": Resource("reference"),
    "reception.Cycle": Resource("reference"),
    "reception.ThirdCountryRule": Resource("reference"),
    "regions.Place": Resource("reference"),
    "matching.Dwelling": Resource("figures", area="municipality"),
    # indicators beyond counts: the definitions are reference data, the values figures of a place
    "indicators.Domain": Resource("reference"),
    "indicators.Indicator": Resource("reference"),
    "indicators.Target": Resource("reference"),
    "indicators.Value": Resource("figures", area="area"),
    # persons
    "persons.Household": Resource("persons", area="municipality"),
    "persons.Tie": Resource("persons", area="household__municipality"),
    "persons.HouseholdEvent": Resource("persons", area="household__municipality"),
    "matching.MatchRun": Resource("persons", area="municipality"),
    "matching.Proposal": Resource("persons", area="household__municipality"),
    # the table
    # A partner sees the bodies its organisation sits in, with their meetings, and the forums that are its own.
    "meetings.Body": Resource("table", organisation="members__organisation", many=True),
    "meetings.BodyMember": Resource("table", organisation="body__members__organisation", many=True),
    "meetings.Meeting": Resource("table", organisation="body__members__organisation", many=True),
    "meetings.Forum": Resource("table", organisation="organisation"),
    "meetings.AgendaItem": Resource("table", organisation="meeting__body__members__organisation", many=True),
    "meetings.Document": Resource(
        "table", organisation="agenda_item__meeting__body__members__organisation", many=True
    ),
    "meetings.Decision": Resource(
        "table", organisation="agenda_item__meeting__body__members__organisation", many=True
    ),
    "meetings.Action": Resource("work", organisation="owner_organisation"),
    "meetings.ActionStatusChange": Resource("work", organisation="action__owner_organisation"),
    "meetings.Referral": Resource("work", organisation="forum__organisation"),
    "meetings.Signal": Resource("signals", organisation="raised_by"),
    "conditions.Condition": Resource("conditions"),
    "distribution.DistributionKey": Resource("distribution"),
    "distribution.KeyEntry": Resource("distribution"),
    "distribution.Scenario": Resource("distribution"),
    "distribution.ScenarioLine": Resource("distribution"),
    "conditions.ConditionChange": Resource("conditions"),
    "organisations.Organisation": Resource("register", organisation="pk"),
    "organisations.Contact": Resource("register", organisation="organisation"),
    # A practice is its publishing organisation's (not every organisation's in the municipality it is about).
    "practices.Practice": Resource("practices", organisation="organisation"),
    "practices.Attachment": Resource("practices", organisation="practice__organisation"),
    "imports.ImportBatch": Resource("imports", organisation="created_by__membership__organisation"),
    "reports.ReportJob": Resource("reports", organisation="created_by__membership__organisation"),
    # administration
    "access.Membership": Resource("administration"),
    "access.RoleChange": Resource("administration"),
    "access.SystemToken": Resource("administration"),
    "audit.ProcessingLog": Resource("administration"),
    "housing.PeriodLock": Resource("administration"),
    "housing.PeriodEvent": Resource("administration"),
    "housing.DeliveryReminder": Resource("administration"),
    "publication.Publication": Resource("administration"),
    "auth.User": Resource("administration"),
}


@dataclass(frozen=True)
class Principal:
    """What access needs to know of a user: role, organisation and that organisation's municipality."""

    role: Role
    organisation_id: int | None = None
    area_id: int | None = None
    # The role must log in with a code from an authenticator app (a beheerder's TwoFactorRule).
    two_factor: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


NOBODY = Principal(Role.NONE)


class StandIn:
    """Someone of ``role`` (a province's role: of the province ``area_id``), for rendering ahead what that role sees
    of a page that shows the same to everyone of the role (``monitor.warmup``). Not a user: it has no organisation
    and cannot sign in."""

    is_authenticated = True
    is_active = True
    is_superuser = False
    pk = None

    def __init__(self, role: Role | str, area_id: int | None = None):
        self._regietafel_principal = Principal(Role(role), None, area_id, False)


def principal(user) -> Principal:
    """The user's role and organisation, read once per request (cached on the user object). A ``Principal`` stands
    for itself: what everyone with the same role and organisation may see can be read once for all of them."""
    if isinstance(user, Principal):
        return user
    if user is None or not user.is_authenticated or not user.is_active:
        return NOBODY
    cached = getattr(user, "_regietafel_principal", None)
    if cached is not None:
        return cached
    membership = (
        Membership.objects.select_related("organisation")
        .annotate(two_factor=Exists(TwoFactorRule.objects.filter(role=OuterRef("role"))))
        .filter(user=user)
        .first()
    )
    if user.is_superuser:
        admin_rule = (
            membership.two_factor
            if membership and membership.role == Role.ADMIN
            else TwoFactorRule.objects.filter(role=Role.ADMIN).exists()
        )
        found = Principal(
            Role.ADMIN,
            membership.organisation_id if membership else None,
            membership.organisation.municipality_id if membership and membership.organisation else None,
            admin_rule,
        )
    elif membership is None:
        found = NOBODY
    else:
        org = membership.organisation
        found = Principal(
            Role(membership.role),
            org.pk if org else None,
            org.municipality_id if org else None,
            membership.two_factor and membership.role != Role.NONE,
        )
    user._regietafel_principal = found
    return found


def forget(user) -> None:
    """Drop the cached principal (after a role change)."""
    if hasattr(user, "_regietafel_principal"):
        del user._regietafel_principal


def personal_models() -> list[str]:
    """The labels of the models that hold person-level data (special-category data under the AVG)."""
    return [label for label, resource in REGISTRY.items() if resource.name == "persons"]


def resource_of(model: type[Model] | Model) -> Resource:
    label = model._meta.label
    try:
        return REGISTRY[label]
    except KeyError:
        raise LookupError(f"{label} has no access rule; add it to regietafel.access.scope.REGISTRY") from None


def _own(resource: Resource, who: Principal, model: type[Model]) -> Q:
    conditions = Q(pk__in=[])
    if resource.area and who.area_id and who.role == Role.PROVINCE:
        # A province's own: the province itself, its regions and their municipalities (or its own municipalities).
        conditions |= (
            Q(**{resource.area: who.area_id})
            | Q(**{f"{resource.area}__parent": who.area_id})
            | Q(**{f"{resource.area}__parent__parent": who.area_id})
        )
    elif resource.area and who.area_id:
        conditions |= Q(**{resource.area: who.area_id})
    if resource.organisation and who.organisation_id:
        if resource.many:
            tied = model._default_manager.filter(**{resource.organisation: who.organisation_id})
            conditions |= Q(pk__in=tied.values("pk"))
        else:
            conditions |= Q(**{resource.organisation: who.organisation_id})
    return conditions


def restrict(queryset: QuerySet, user, action: str = "view") -> QuerySet:
    """The part of ``queryset`` the user may ``action``: everything, their own, or nothing."""
    resource = resource_of(queryset.model)
    who = principal(user)
    scope = scope_of(who.role, resource.name, action)
    if scope == ALL:
        return queryset
    if scope == OWN:
        return queryset.filter(_own(resource, who, queryset.model))
    return queryset.none()


def can(user, action: str, target: type[Model] | Model) -> bool:
    """May the user do ``action`` on this object, or (for a model class) on any object of it?"""
    resource = resource_of(target)
    who = principal(user)
    scope = scope_of(who.role, resource.name, action)
    if scope is None:
        return False
    if scope == ALL:
        return True
    if isinstance(target, type):
        # "Their own" is something only if the model is tied to their municipality or organisation.
        return bool((resource.area and who.area_id) or (resource.organisation and who.organisation_id))
    model = type(target)
    return model._default_manager.filter(pk=target.pk).filter(_own(resource, who, model)).exists()


def require(user, action: str, model: type[Model]) -> None:
    """Raise 404 unless the user may ``action`` some objects of ``model``."""
    if not can(user, action, model):
        raise Http404


def require_area(user, area) -> None:
    """Raise 404 unless the user may see the aggregates of ``area`` (a municipality, region, province or the country):
    a province's user those within its province, every other role every area its pages show."""
    who = principal(user)
    if who.role != Role.PROVINCE:
        return
    if area.pk == who.area_id or area.parent_id == who.area_id:
        return
    if area.parent_id and area.parent.parent_id == who.area_id:
        return
    raise Http404


def province_of(user) -> int | None:
    """The id of the province a province's user sees (its organisation governs it); None for every other role."""
    who = principal(user)
    return who.area_id if who.role == Role.PROVINCE else None


def get_or_404(queryset: QuerySet | type[Model], user, action: str = "view", **lookup) -> Model:
    """One object, if it exists and the user may ``action`` it; else 404 (whether it exists is not revealed)."""
    if not isinstance(queryset, QuerySet):
        queryset = queryset._default_manager.all()
    try:
        return restrict(queryset, user, action).get(**lookup)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def own_area_ids(user) -> set[int] | None:
    """The municipalities whose data the user may change (None: all of them)."""
    who = principal(user)
    if who.is_admin:
        return None
    return {who.area_id} if who.area_id else set()
