"""Building blocks shared by every app: how a figure records where it comes from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Confidence(models.TextChoices):
    """How sure a source is (see docs/data.md)."""

    HIGH = "H", _("high: law or government source")
    MEDIUM = "M", _("medium: reputable news or municipal page")
    LOW = "L", _("low: indirect")


class SourcedFigure(models.Model):
    """A figure that says where it comes from. Demo figures are generated and never pass as sourced."""

    source = models.CharField(_("source"), max_length=300)
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.HIGH
    )
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class Theme(models.Model):
    """A policy theme (finance, education, care, ...) shared by partners, conditions and practices.

    The seeded themes come from the seed letter; users may add their own.
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name


class Versioned(models.Model):
    """A record that changes only with the version its user read (see ``core.versioning``)."""

    version = models.PositiveIntegerField(default=1)

    class Meta:
        abstract = True
