"""Indicators beyond counts (quality of reception, access to education, care, work and guidance), as data.

A definition says what is measured, in which unit, which way is better, at which level and how often, where the
figures are expected from, and optionally an official norm (only with its source) and the region's thresholds for
the status colours. Targets and values are sourced figures per period. The rules are in domain.indicators.
"""

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import SourcedFigure, Versioned
from regietafel.domain import indicators as rules
from regietafel.reception.models import Location
from regietafel.regions.models import Area


class Domain(models.Model):
    """A field the table looks after: reception quality, education, care, work, guidance; a region may add one."""

    code = models.SlugField(_("code"), max_length=40, unique=True)  # English: reception_quality, education …
    name = models.CharField(_("name"), max_length=100)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("indicator domain")
        verbose_name_plural = _("indicator domains")

    def __str__(self) -> str:
        return self.name


class Indicator(Versioned):
    class Unit(models.TextChoices):
        COUNT = "count", _("count")
        PERCENTAGE = "percentage", _("percentage")
        DAYS = "days", _("days")
        SCORE = "score", _("score")

    class Direction(models.TextChoices):
        HIGHER = rules.Direction.HIGHER.value, _("higher is better")
        LOWER = rules.Direction.LOWER.value, _("lower is better")

    class Level(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        LOCATION = "location", _("reception location")
        REGION = "region", _("region")

    class Periodicity(models.TextChoices):
        MONTH = rules.Periodicity.MONTH.value, _("month")
        QUARTER = rules.Periodicity.QUARTER.value, _("quarter")
        HALF_YEAR = rules.Periodicity.HALF_YEAR.value, _("half-year")

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        validators=[
            RegexValidator(r"^[A-Z][A-Z0-9-]*$", _("Capitals, digits and hyphens, e.g. OPV-DUURZAAM."))
        ],
    )
    name = models.CharField(_("name"), max_length=200)
    explanation = models.TextField(_("explanation"))
    domain = models.ForeignKey(
        Domain, verbose_name=_("domain"), on_delete=models.PROTECT, related_name="indicators"
    )
    unit = models.CharField(_("unit"), max_length=12, choices=Unit.choices)
    direction = models.CharField(_("direction"), max_length=6, choices=Direction.choices)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    periodicity = models.CharField(_("periodicity"), max_length=10, choices=Periodicity.choices)
    good_threshold = models.DecimalField(
        _("good from"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Good at or beyond this value (at or above when higher is better, at or below when lower is)."
        ),
    )
    poor_threshold = models.DecimalField(
        _("poor beyond"),
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_(
            "Poor beyond this value (below when higher is better, above when lower is); in between: attention."
        ),
    )
    norm = models.CharField(
        _("official norm"),
        max_length=300,
        blank=True,
        help_text=_(
            "Only a norm set by law or an authority, with its source; leave empty when there is none."
        ),
    )
    norm_source = models.CharField(_("source of the norm"), max_length=300, blank=True)
    expected_source = models.CharField(_("expected source of the figures"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["domain__position", "code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.CheckConstraint(
                condition=Q(norm="") | ~Q(norm_source=""), name="indicator_norm_has_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def thresholds(self) -> rules.Thresholds:
        return rules.Thresholds(good=self.good_threshold, poor=self.poor_threshold)

    def status(self, value) -> rules.Status:
        return rules.status(value, self.direction, self.thresholds)


class Target(SourcedFigure):
    """A target for one period (optional): what the region or an authority aims at, with its source."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    period = models.CharField(_("period"), max_length=7)
    value = models.DecimalField(_("target"), max_digits=12, decimal_places=4)

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("indicator target")
        verbose_name_plural = _("indicator targets")
        constraints = [models.UniqueConstraint(fields=["indicator", "period"], name="indicator_target_once")]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period}: {self.value}"


class Value(SourcedFigure):
    """An indicator's value for one municipality, the region, or one reception location (``area`` is then the
    location's municipality), in one period."""

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.PROTECT, related_name="+")
    location = models.ForeignKey(
        Location,
        verbose_name=_("reception location"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="indicator_values",
    )
    period = models.CharField(_("period"), max_length=7)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)

    class Meta:
        ordering = ["indicator", "period"]
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period"],
                condition=Q(location__isnull=True),
                name="indicator_value_once_per_area",
            ),
            models.UniqueConstraint(
                fields=["indicator", "location", "period"],
                condition=Q(location__isnull=False),
                name="indicator_value_once_per_location",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.location or self.area} {self.period}: {self.value}"
