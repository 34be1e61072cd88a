"""Assigning organisations and roles. One transaction each; every change is kept and logged."""

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from regietafel.access.models import Membership, Role, RoleChange
from regietafel.access.scope import forget
from regietafel.audit.models import Action
from regietafel.audit.services import record_access
from regietafel.organisations.models import Organisation


class AccessError(ValueError):
    pass


class StaleEdit(AccessError):
    """Someone else changed the user's role after this form was opened."""


def check_role(role: str, organisation: Organisation | None) -> None:
    if role not in Role.values:
        raise AccessError(_("Unknown role %(role)s.") % {"role": role})
    if role == Role.MUNICIPALITY and (organisation is None or organisation.municipality_id is None):
        raise AccessError(_("A municipality user belongs to a municipality: choose its organisation."))
    if role == Role.PARTNER and organisation is None:
        raise AccessError(_("A partner user belongs to an organisation: choose it."))


def assign(request, user, *, role: str, organisation: Organisation | None, reason: str, version: int | None):
    """Give ``user`` a role in an organisation; refuse if someone else changed it since ``version``."""
    check_role(role, organisation)
    if not reason.strip():
        raise AccessError(_("Say why the role changes."))
    with transaction.atomic():
        membership, created = Membership.objects.select_for_update().get_or_create(user=user)
        if not created and version is not None and membership.version != version:
            raise StaleEdit(
                _(
                    "Someone else changed this user's role while you were editing. Reload the page and try again."
                )
            )
        old_role, old_organisation = (
            ("", "") if created else (membership.role, str(membership.organisation or ""))
        )
        if (
            not created
            and membership.role == role
            and membership.organisation_id == (organisation.pk if organisation else None)
        ):
            return membership
        Membership.objects.filter(pk=membership.pk).update(
            role=role, organisation=organisation, version=F("version") + 1
        )
        RoleChange.objects.create(
            user=user,
            changed_by=request.user,
            old_role=old_role,
            new_role=role,
            old_organisation=old_organisation,
            new_organisation=str(organisation or ""),
            reason=reason.strip(),
        )
        record_access(request, subject_user=user, action=Action.ROLE_CHANGE)
    forget(user)
    membership.refresh_from_db()
    return membership
