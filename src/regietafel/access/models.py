"""Who is who: each user's organisation and role, and the history of role changes."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from rest_framework_api_key.models import AbstractAPIKey, APIKeyManager

from regietafel.access.policy import Role as PolicyRole
from regietafel.core.models import Versioned


class Role(models.TextChoices):
    NONE = PolicyRole.NONE.value, _("no rights yet")
    ADMIN = PolicyRole.ADMIN.value, _("administrator (program team)")
    MUNICIPALITY = PolicyRole.MUNICIPALITY.value, _("municipality")
    EXECUTIVE = PolicyRole.EXECUTIVE.value, _("executive")
    PARTNER = PolicyRole.PARTNER.value, _("partner")
    PROVINCE = PolicyRole.PROVINCE.value, _("province")


class Membership(Versioned):
    """A user's organisation and role. A user without one has no rights until a beheerder assigns them."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.NONE)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()}, {self.organisation or '-'})"


class RoleChange(models.Model):
    """One change of a user's organisation or role: kept for accountability, never edited."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_changes")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    old_role = models.CharField(max_length=12, blank=True)
    new_role = models.CharField(max_length=12)
    old_organisation = models.CharField(max_length=150, blank=True)
    new_organisation = models.CharField(max_length=150, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user}: {self.old_role or '-'} -> {self.new_role}"


class SystemTokenManager(APIKeyManager):
    def get_usable_keys(self):
        return super().get_usable_keys().select_related("user")


class SystemToken(AbstractAPIKey):
    """An API token for a system (a BI tool, a municipality's dashboard), issued and revoked by a beheerder.

    The key itself is shown once and stored only as a hash (djangorestframework-api-key). Each token acts as its
    own system account (``user``) with a membership, so it reaches data through the same access path as a person
    with that role and organisation; ``can_write`` False limits it to reading.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="system_token"
    )
    can_write = models.BooleanField(_("may write"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = SystemTokenManager()

    class Meta(AbstractAPIKey.Meta):
        ordering = ["-created"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")


class TwoFactorRule(models.Model):
    """A role whose users must log in with a code from an authenticator app as well as their password. Set by a
    beheerder; a role without a rule leaves two-factor login to each user."""

    role = models.CharField(_("role"), max_length=12, choices=Role.choices, unique=True)
    changed_at = models.DateTimeField(auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("two-factor rule")
        verbose_name_plural = _("two-factor rules")

    def __str__(self) -> str:
        return self.get_role_display()
