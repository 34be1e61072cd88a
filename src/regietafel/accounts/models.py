"""Links between our accounts and the identities a single sign-on provider vouches for."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExternalIdentity(models.Model):
    """An account at an OpenID Connect provider: the provider (issuer) and its stable id for the user (``sub``).

    SSO users are found through this link only, never by e-mail address or name: those can change or be reused.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities"
    )
    issuer = models.CharField(_("identity provider"), max_length=255)
    subject = models.CharField(_("identifier at the provider"), max_length=255)
    created_at = models.DateTimeField(_("linked at"), auto_now_add=True)

    class Meta:
        verbose_name = _("external identity")
        verbose_name_plural = _("external identities")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="accounts_unique_external_identity")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} #{self.pk}"
