from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import SourcedFigure

# The Netherlands as an area (CBS code): national figures are stored against it.
NATIONAL_CODE = "NL01"


class AreaQuerySet(models.QuerySet):
    def municipalities(self):
        return self.filter(kind=Area.Kind.MUNICIPALITY)

    def regions(self):
        return self.filter(kind=Area.Kind.REGION)

    def in_region(self, area: "Area"):
        """The municipalities of a region, or of every region of a province (and any of its municipalities outside
        a region), or of the whole country: what a page about that area adds up."""
        if area.kind == Area.Kind.PROVINCE:
            return self.municipalities().filter(models.Q(parent=area) | models.Q(parent__parent=area))
        if area.kind == Area.Kind.COUNTRY:
            return self.municipalities()
        return self.municipalities().filter(parent=area)

    def overviews(self):
        """The areas an overview can add up: the regions, the provinces and the country."""
        return self.filter(kind__in=[Area.Kind.REGION, Area.Kind.PROVINCE, Area.Kind.COUNTRY])


class Area(models.Model):
    """A country, province, region (the area of one steering table) or municipality, by its CBS code."""

    class Kind(models.TextChoices):
        COUNTRY = "country", _("country")
        PROVINCE = "province", _("province")
        REGION = "region", _("region")
        MUNICIPALITY = "municipality", _("municipality")

    code = models.CharField(_("CBS code"), max_length=10, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Place on the region's tile map: roughly where the municipality lies, not its real boundary.
    tile_row = models.PositiveSmallIntegerField(_("tile row"), null=True, blank=True)
    tile_column = models.PositiveSmallIntegerField(_("tile column"), null=True, blank=True)
    # A region's own monitoring thresholds, in percent of the pro-rata norm (empty: the installation's settings).
    behind_below_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("behind below (% of the norm)"),
        null=True,
        blank=True,
    )
    far_behind_below_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("far behind below (% of the norm)"),
        null=True,
        blank=True,
    )

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("area")
        verbose_name_plural = _("areas")

    def __str__(self) -> str:
        return self.name

    @property
    def province(self) -> "Area | None":
        area = self
        while area is not None and area.kind != Area.Kind.PROVINCE:
            area = area.parent
        return area


class PopulationFigure(SourcedFigure):
    """Inhabitants of an area on a reference date (CBS: population on 1 January)."""

    area = models.ForeignKey(
        Area, verbose_name=_("area"), on_delete=models.CASCADE, related_name="populations"
    )
    population = models.PositiveIntegerField(_("population"))

    class Meta:
        ordering = ["area__name", "reference_date"]
        verbose_name = _("population figure")
        verbose_name_plural = _("population figures")
        constraints = [
            models.UniqueConstraint(fields=["area", "reference_date"], name="unique_population_per_date"),
        ]

    def __str__(self) -> str:
        return f"{self.area} {self.reference_date}: {self.population}"


class Place(SourcedFigure):
    """A town or village (woonplaats) in a municipality, with the approximate position of its centre.

    Used to say how far a dwelling lies from where a household works, studies, has family or gets care. The
    embedded positions are rounded centres (about 1 km), enough for "work in Raalte at 4 km", not for routing.
    """

    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="places"
    )
    name = models.CharField(_("name"), max_length=100)
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("place")
        verbose_name_plural = _("places")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="unique_place_name")]

    def __str__(self) -> str:
        return self.name


def default_region_id() -> int | None:
    """The region of the steering table that runs this installation (REGIETAFEL_DEFAULT_REGION)."""
    return (
        Area.objects.regions()
        .filter(code=settings.REGIETAFEL_DEFAULT_REGION)
        .values_list("pk", flat=True)
        .first()
    )
