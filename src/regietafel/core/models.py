"""Building blocks shared by every app: how a figure records where it comes from."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.domain.sources import source_key


class Confidence(models.TextChoices):
    """How sure a source is; the rule for each level is ``Confidence.rule`` (see docs/data.md)."""

    HIGH = "H", _("high")
    MEDIUM = "M", _("medium")
    LOW = "L", _("low")

    @property
    def rule(self) -> str:
        return CONFIDENCE_RULES[self]


CONFIDENCE_RULES = {
    Confidence.HIGH: _(
        "Law, regulation or a publication of a government body (the State, CBS, COA, a province or a "
        "municipality) that states the figure itself."
    ),
    Confidence.MEDIUM: _(
        "A reputable news medium or professional publication that reports a government figure, or a government "
        "page without a date."
    ),
    Confidence.LOW: _(
        "Indirect: an encyclopedia, a compilation or an approximation; replace it with a primary source."
    ),
}


class Source(models.Model):
    """Where figures come from: one record per source, cited by its name, which every sourced figure points to.

    A source is known by its ``key`` (``domain.sources.source_key``): a re-import that spells the name another way
    (case, quotes, spacing) cites the same record. ``core.sources.cite`` finds or adds one."""

    name = models.CharField(
        _("name"), max_length=300, unique=True, help_text=_("How figures cite the source.")
    )
    key = models.CharField(max_length=300, unique=True, editable=False)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    published = models.DateField(_("date published"), null=True, blank=True)
    address = models.URLField(_("address"), max_length=500, blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=1, choices=Confidence.choices, default=Confidence.MEDIUM
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.key = source_key(self.name)
        super().save(*args, **kwargs)

    @property
    def confidence_rule(self) -> str:
        return CONFIDENCE_RULES[Confidence(self.confidence)]


class SourcedManager(models.Manager):
    """Reads a figure with its source: every page that shows a figure also shows where it comes from."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().select_related("source")


class SourcedFigure(models.Model):
    """A figure that says where it comes from. Demo figures are generated and never pass as sourced.

    How sure the figure is, is how sure its source is (``confidence``)."""

    source = models.ForeignKey(Source, verbose_name=_("source"), on_delete=models.PROTECT, related_name="+")
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = SourcedManager()

    class Meta:
        abstract = True

    @property
    def confidence(self) -> str:
        return self.source.confidence

    def get_confidence_display(self) -> str:
        return self.source.get_confidence_display()


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
