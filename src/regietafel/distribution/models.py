"""The distribution planner: keys (the rule, as data) and scenarios (a key applied to a total, with offers).

A changed law or policy is a new key, not new code. A scenario applies a key to a total for the municipalities of
an area (a province, a region or the country) with a method; the table compares scenarios and adopts one. The
adopted numbers are written as reception tasks ("agreed places"), which the monitor then uses as targets.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import Versioned
from regietafel.domain.apportionment import DHONDT, HAMILTON, HUNTINGTON_HILL, SAINTE_LAGUE
from regietafel.reception.models import Programme
from regietafel.regions.models import Area


class Method(models.TextChoices):
    HAMILTON = HAMILTON, _("largest remainder (Hamilton)")
    SAINTE_LAGUE = SAINTE_LAGUE, _("Sainte-Laguë (Webster)")
    DHONDT = DHONDT, _("D'Hondt (Jefferson)")
    HUNTINGTON_HILL = HUNTINGTON_HILL, _("Huntington-Hill (equal proportions)")


class DistributionKey(Versioned):
    """The rule: population share on a reference date, times an optional factor, with bounds and an AMV share."""

    name = models.CharField(_("name"), max_length=150, unique=True)
    description = models.TextField(_("description"), blank=True)
    population_date = models.DateField(
        _("population reference date"), help_text=_("CBS population on this date (1 January).")
    )
    amv_share = models.DecimalField(
        _("share for unaccompanied minors"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.085"),
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(1))],
        help_text=_("As a fraction: 0.085 is 8.5%."),
    )
    count_realised = models.BooleanField(
        _("count places already realised first"),
        default=True,
        help_text=_("A municipality never gets fewer places than its existing locations already offer."),
    )
    source = models.CharField(
        _("source of the factors"),
        max_length=300,
        blank=True,
        help_text=_("Where the factors, minimums and maximums come from."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("distribution key")
        verbose_name_plural = _("distribution keys")

    def __str__(self) -> str:
        return self.name

    @property
    def amv_percentage(self) -> Decimal:
        return self.amv_share * 100


class KeyEntry(models.Model):
    """A municipality's deviation from the default (factor 1, no minimum, no maximum) in a key."""

    key = models.ForeignKey(DistributionKey, on_delete=models.CASCADE, related_name="entries")
    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    factor = models.DecimalField(
        _("factor"),
        max_digits=8,
        decimal_places=4,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal(0))],
    )
    minimum = models.PositiveIntegerField(_("minimum"), default=0)
    maximum = models.PositiveIntegerField(_("maximum"), null=True, blank=True)

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("key entry")
        verbose_name_plural = _("key entries")
        constraints = [
            models.UniqueConstraint(fields=["key", "municipality"], name="unique_key_entry"),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.municipality}"

    @property
    def is_default(self) -> bool:
        return self.factor == 1 and self.minimum == 0 and self.maximum is None


class Scenario(Versioned):
    """A key applied to a total for the municipalities of an area, with a method and the offers made."""

    name = models.CharField(_("name"), max_length=150)
    area = models.ForeignKey(
        Area,
        verbose_name=_("area"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The province, region or country whose municipalities share the total."),
    )
    programme = models.CharField(
        _("programme"), max_length=10, choices=Programme.choices, default=Programme.ASYLUM
    )
    cycle = models.PositiveSmallIntegerField(_("cycle"), null=True, blank=True)
    total = models.PositiveIntegerField(_("total number of places"))
    total_source = models.CharField(_("source of the total"), max_length=300)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices, default=Method.HAMILTON)
    key = models.ForeignKey(
        DistributionKey, verbose_name=_("key"), on_delete=models.PROTECT, related_name="scenarios"
    )
    realised_on = models.DateField(
        _("existing locations on"), help_text=_("Places already realised are counted on this date.")
    )
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    adopted_note = models.CharField(_("adoption note"), max_length=300, blank=True)
    superseded_on = models.DateField(_("superseded on"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "name"]
        verbose_name = _("scenario")
        verbose_name_plural = _("scenarios")

    def __str__(self) -> str:
        return self.name

    @property
    def is_adopted(self) -> bool:
        return self.adopted_on is not None and self.superseded_on is None


class ScenarioLine(models.Model):
    """A municipality in a scenario: what it already has, what it offers, and, once adopted, its numbers."""

    scenario = models.ForeignKey(Scenario, on_delete=models.CASCADE, related_name="lines")
    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="+"
    )
    realised = models.PositiveIntegerField(_("places already realised"), default=0)
    realised_is_demo = models.BooleanField(default=False)
    offer = models.PositiveIntegerField(_("offer"), null=True, blank=True)
    adopted_places = models.PositiveIntegerField(_("adopted places"), null=True, blank=True)
    adopted_minors = models.PositiveIntegerField(_("adopted places for minors"), null=True, blank=True)

    class Meta:
        ordering = ["municipality__name"]
        verbose_name = _("scenario line")
        verbose_name_plural = _("scenario lines")
        constraints = [
            models.UniqueConstraint(fields=["scenario", "municipality"], name="unique_scenario_line"),
        ]

    def __str__(self) -> str:
        return f"{self.scenario}: {self.municipality}"
