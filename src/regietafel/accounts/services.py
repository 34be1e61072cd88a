"""Assigning organisations and roles. One transaction each; every change is kept and logged."""

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks import task

from regietafel.access.models import Membership, Role, RoleChange, SystemToken, TwoFactorRule
from regietafel.access.scope import forget
from regietafel.audit.models import Action
from regietafel.audit.services import record_access
from regietafel.core.tasks import enqueue_on_commit
from regietafel.core.versioning import check
from regietafel.organisations.models import Organisation


class AccessError(ValueError):
    pass


def check_role(role: str, organisation: Organisation | None) -> None:
    if role not in Role.values:
        raise AccessError(_("Unknown role %(role)s.") % {"role": role})
    if role == Role.MUNICIPALITY and (organisation is None or organisation.municipality_id is None):
        raise AccessError(_("A municipality user belongs to a municipality: choose its organisation."))
    if role == Role.PROVINCE and (
        organisation is None
        or organisation.municipality is None
        or organisation.municipality.kind != "province"
    ):
        raise AccessError(
            _("A province user belongs to a province: choose the organisation that governs it.")
        )
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


# People: invitations, deactivation, two-factor rules ------------------------------------------------------------


def invite(request, *, name: str, email: str, organisation: Organisation | None, role: str):
    """A new colleague's account with its organisation and role, in one step; the invitation (a link to choose a
    password) is sent by the background worker once this is stored. The e-mail address is the user name."""
    name, email = name.strip(), get_user_model().objects.normalize_email(email.strip())
    if not name:
        raise AccessError(_("Give the colleague's name."))
    if role == Role.NONE:
        raise AccessError(_("Choose the role the colleague gets."))
    check_role(role, organisation)
    users = get_user_model().objects
    with transaction.atomic():
        if users.filter(Q(username__iexact=email) | Q(email__iexact=email)).exists():
            raise AccessError(_("There already is an account for %(email)s.") % {"email": email})
        user = users.create(username=email.lower(), email=email, first_name=name[:150])
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Membership.objects.create(user=user, role=role, organisation=organisation)
        RoleChange.objects.create(
            user=user,
            changed_by=request.user,
            new_role=role,
            new_organisation=str(organisation or ""),
            reason=_("Invited by %(name)s") % {"name": request.user.get_username()},
        )
        record_access(request, subject_user=user, action=Action.ROLE_CHANGE)
        enqueue_on_commit(send_invitation, user.pk)
    return user


def invitation_link(user) -> str:
    """The address where ``user`` chooses a password: valid until they do, or for PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.REGIETAFEL_BASE_URL.rstrip("/") + path


@task()
def send_invitation(user_id: int) -> str:
    """The invitation e-mail, sent by the worker (the worker retries a task that fails; a link sent twice is the
    same kind of link, so nothing is lost)."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return "skipped"
    days = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)
    body = _(
        "Dear %(name)s,\n\n"
        "An account in Regietafel was made for you. Choose your password here, within %(days)s days:\n\n"
        "%(link)s\n\n"
        "Your user name is %(username)s. If you did not expect this message, you can ignore it.\n"
    ) % {
        "name": user.first_name or user.username,
        "days": days,
        "link": invitation_link(user),
        "username": user.username,
    }
    send_mail(_("Your account in Regietafel"), body, None, [user.email])
    return "sent"


def set_active(request, user, *, active: bool, reason: str) -> None:
    """Deactivate an account (it can no longer log in; everything it did stays) or activate it again."""
    if not reason.strip():
        raise AccessError(_("Say why."))
    if user.pk == request.user.pk and not active:
        raise AccessError(_("You cannot deactivate your own account."))
    with transaction.atomic():
        current = get_user_model().objects.select_for_update().get(pk=user.pk)
        if current.is_active == active:
            return
        current.is_active = active
        current.save(update_fields=["is_active"])
        _account_change(
            request,
            current,
            reason,
            _("Activated again: %(reason)s") if active else _("Deactivated: %(reason)s"),
        )
    forget(user)


def _account_change(request, user, reason: str, note: str) -> None:
    """Keep an account change (not of role or organisation) with the role changes, and log it."""
    role = getattr(getattr(user, "membership", None), "role", "")
    RoleChange.objects.create(
        user=user,
        changed_by=request.user,
        old_role=role,
        new_role=role,
        reason=note % {"reason": reason.strip()},
    )
    record_access(request, subject_user=user, action=Action.ROLE_CHANGE)


def turn_off_two_factor(request, user, *, reason: str) -> bool:
    """Remove a user's authenticator app (a lost phone): the next login asks for the password only, or for a new
    app where the role requires one. Whether there was one to remove."""
    if not reason.strip():
        raise AccessError(_("Say why."))
    if user.pk == request.user.pk:
        raise AccessError(_("Turn off your own two-factor login on your account page, with a code."))
    with transaction.atomic():
        removed, _counts = TOTPDevice.objects.filter(user=user).delete()
        if removed:
            _account_change(request, user, reason, _("Two-factor login turned off: %(reason)s"))
    return bool(removed)


def locked_until(user):
    """Until when the login lock-out holds this user's name, or None (django-axes counts failures per name)."""
    cool_off = get_cool_off()  # axes's own reading of AXES_COOLOFF_TIME, as the lock page uses it
    attempt = (
        AccessAttempt.objects.filter(
            username=user.get_username(), failures_since_start__gte=settings.AXES_FAILURE_LIMIT
        )
        .order_by("-attempt_time")
        .first()
    )
    if attempt is None or attempt.attempt_time + cool_off <= timezone.now():
        return None
    return attempt.attempt_time + cool_off


def unlock(request, user, *, reason: str) -> bool:
    """Lift a login lock before its cool-off ends. Whether there was one."""
    if not reason.strip():
        raise AccessError(_("Say why."))
    with transaction.atomic():
        if locked_until(user) is None:
            return False
        reset(username=user.get_username())
        _account_change(request, user, reason, _("Login lock lifted: %(reason)s"))
    return True


def set_two_factor_roles(request, roles: set[str]) -> None:
    """Require two-factor login for exactly these roles."""
    roles = {role for role in roles if role in Role.values and role != Role.NONE}
    with transaction.atomic():
        TwoFactorRule.objects.exclude(role__in=roles).delete()
        for role in roles:
            TwoFactorRule.objects.update_or_create(role=role, defaults={"changed_by": request.user})
