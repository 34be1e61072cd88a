"""Assigning organisations and roles. One transaction each; every change is kept and logged."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from regietafel.access.models import Membership, Role, RoleChange, SystemToken
from regietafel.access.scope import forget
from regietafel.audit.models import Action
from regietafel.audit.services import record_access
from regietafel.core.versioning import check
from regietafel.organisations.models import Organisation


class AccessError(ValueError):
    pass


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
        if not created:
            check(membership, version)
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


# API tokens for systems ---------------------------------------------------------------------------------------


def issue_token(
    request, *, name: str, organisation: Organisation | None, role: str, can_write: bool
) -> tuple[SystemToken, str]:
    """A new token with its own system account (role and organisation as given); returns the token and its key,
    which is shown once and not stored."""
    if role == Role.NONE:
        raise AccessError(_("Choose the role the system acts in."))
    check_role(role, organisation)
    with transaction.atomic():
        account = get_user_model().objects.create(
            username=f"api-{get_random_string(12, 'abcdefghijklmnopqrstuvwxyz0123456789')}",
            first_name=name[:150],
        )
        account.set_unusable_password()
        account.save(update_fields=["password"])
        Membership.objects.create(user=account, role=role, organisation=organisation)
        token, key = SystemToken.objects.create_key(
            name=name, user=account, can_write=can_write, created_by=request.user
        )
        RoleChange.objects.create(
            user=account,
            changed_by=request.user,
            new_role=role,
            new_organisation=str(organisation or ""),
            reason=_("API token “%(name)s” issued (%(access)s)")
            % {"name": name, "access": _("read and write") if can_write else _("read only")},
        )
        record_access(request, subject_user=account, action=Action.ROLE_CHANGE)
    return token, key


def revoke_token(request, token: SystemToken) -> SystemToken:
    """Revoke a token at once: the key is refused from the next request on; the token stays as a record."""
    with transaction.atomic():
        current = SystemToken.objects.select_for_update().select_related("user").get(pk=token.pk)
        if current.revoked:
            return current
        current.revoked = True
        current.revoked_at = timezone.now()
        current.revoked_by = request.user
        current.save(update_fields=["revoked", "revoked_at", "revoked_by"])
        get_user_model().objects.filter(pk=current.user_id).update(is_active=False)
        RoleChange.objects.create(
            user=current.user,
            changed_by=request.user,
            old_role=current.user.membership.role,
            new_role=current.user.membership.role,
            reason=_("API token “%(name)s” revoked") % {"name": current.name},
        )
    forget(current.user)
    return current
