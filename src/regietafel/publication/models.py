"""Published half-years: a frozen snapshot of a region's aggregate figures, as the public may see them."""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from regietafel.regions.models import Area


class PublicationQuerySet(models.QuerySet):
    def current(self):
        """What the public sees: per region and half-year the latest version, unless that one was withdrawn."""
        latest = (
            Publication.objects.filter(region=OuterRef("region"), half_year=OuterRef("half_year"))
            .order_by("-version")
            .values("version")[:1]
        )
        return self.filter(version=Subquery(latest), withdrawn_at__isnull=True)


class Publication(models.Model):
    """One version of a region's figures for a validated (locked) half-year.

    The snapshot holds aggregate figures only (see ``publication.snapshot``), frozen at publication: later changes
    to the figures are not public until a beheerder publishes again, which makes a new version. Only the latest
    version of a region and half-year is public, and only while it is not withdrawn; every version is kept.
    """

    region = models.ForeignKey(
        Area,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="publications",
        limit_choices_to={"kind": Area.Kind.REGION},
    )
    half_year = models.CharField(_("half-year"), max_length=7)
    version = models.PositiveIntegerField(_("version"))
    snapshot = models.JSONField(_("published figures"))
    published_at = models.DateTimeField(_("published at"))
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=300, blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "-half_year", "-version"]
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "half_year", "version"], name="unique_publication_version"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region.code} {self.half_year} v{self.version}"

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None
