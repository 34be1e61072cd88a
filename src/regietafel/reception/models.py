"""Reception places: asylum seekers under the Spreidingswet and displaced Ukrainians (GOO)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import SourcedFigure
from regietafel.regions.models import Area


class Programme(models.TextChoices):
    ASYLUM = "asylum", _("asylum seekers")
    UKRAINE = "ukraine", _("displaced Ukrainians")


class ReceptionTask(SourcedFigure):
    """A task figure for an area, such as a province's Spreidingswet task or a municipality's indicative places.

    Allocation rules change with the law, so tasks are data: a measure name and a value per area.
    """

    class Measure(models.TextChoices):
        NATIONAL_PLACES = "national_places", _("national number of places")
        PROVINCE_TASK = "province_task", _("provincial task")
        REGIONAL_TASK = "regional_task", _("regional task")
        INDICATIVE_PLACES = "indicative_places", _("indicative places for the municipality")
        # The Spreidingswet's stages for a municipality: its voluntary offer, the province's proposal (the table's
        # adopted distribution: agreed places) and the minister's decision.
        OFFERED_PLACES = "offered_places", _("places the municipality offered")
        AGREED_PLACES = "agreed_places", _("agreed places for the municipality")
        DECIDED_PLACES = "decided_places", _("places in the minister's decision")
        AGREED_MINOR_PLACES = "agreed_minor_places", _("agreed places for minors for the municipality")
        MINOR_SHARE = "minor_share", _("share of places for unaccompanied minors")
        GUARANTEED_PLACES = "guaranteed_places", _("guaranteed places")
        PLACES_INCLUDING_INTENTIONS = "places_including_intentions", _("places including intentions")

    area = models.ForeignKey(Area, verbose_name=_("area"), on_delete=models.CASCADE)
    programme = models.CharField(_("programme"), max_length=10, choices=Programme.choices)
    measure = models.CharField(_("measure"), max_length=40, choices=Measure.choices)
    cycle = models.PositiveSmallIntegerField(_("cycle"), null=True, blank=True)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=4)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "area__name", "measure"]
        verbose_name = _("reception task")
        verbose_name_plural = _("reception tasks")
        constraints = [
            models.UniqueConstraint(
                fields=["area", "programme", "measure", "cycle", "reference_date"],
                name="unique_reception_task",
            ),
        ]


class Location(SourcedFigure):
    """A reception location with its latest known capacity and occupancy (on the reference date). What each source
    said on each date is kept in ``LocationObservation``: saving a location records its figures there."""

    class Kind(models.TextChoices):
        AZC = "azc", _("asylum seekers' centre (azc)")
        EMERGENCY = "noodopvang", _("emergency reception")
        CRISIS_EMERGENCY = "crisisnoodopvang", _("crisis emergency reception")
        MINORS_SMALL_SCALE = "amv_kleinschalig", _("small-scale reception for unaccompanied minors")
        MUNICIPAL_UKRAINE = "goo", _("municipal reception of displaced Ukrainians (GOO)")

    municipality = models.ForeignKey(Area, verbose_name=_("municipality"), on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    capacity = models.PositiveIntegerField(_("capacity"))
    occupancy = models.PositiveIntegerField(_("occupancy"), null=True, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        ordering = ["municipality__name", "name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name"], name="unique_location_name"),
        ]

    @property
    def programme(self) -> str:
        return Programme.UKRAINE if self.kind == self.Kind.MUNICIPAL_UKRAINE else Programme.ASYLUM

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        self.observe()

    def observe(self) -> "LocationObservation":
        """Keep the location's figures as those of its reference date (a later import does not erase them)."""
        observation, _created = LocationObservation.objects.update_or_create(
            location=self,
            reference_date=self.reference_date,
            defaults={
                "capacity": self.capacity,
                "occupancy": self.occupancy,
                "source": self.source,
                "is_demo": self.is_demo,
            },
        )
        return observation


class LocationObservation(SourcedFigure):
    """A location's capacity and occupancy as a source gave them on a reference date: the history that lets every
    page read a location as it stood on its date."""

    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.CASCADE, related_name="observations"
    )
    capacity = models.PositiveIntegerField(_("capacity"))
    occupancy = models.PositiveIntegerField(_("occupancy"), null=True, blank=True)

    class Meta:
        ordering = ["location", "reference_date"]
        verbose_name = _("location observation")
        verbose_name_plural = _("location observations")
        constraints = [
            models.UniqueConstraint(
                fields=["location", "reference_date"], name="unique_location_observation"
            ),
        ]


class ThirdCountryNationalCount(SourcedFigure):
    """Derdelanders: third-country nationals who fled Ukraine, counted per municipality, date and status (in the
    municipality's reception, responded to the state's letter, applied for asylum, returned, another permit, left)."""

    class Status(models.TextChoices):
        IN_RECEPTION = "in_reception", _("in municipal reception")
        RESPONDED = "responded", _("responded")
        APPLIED_ASYLUM = "applied_asylum", _("applied for asylum")
        RETURNED = "returned", _("returned")
        OTHER_PERMIT = "other_permit", _("another residence permit")
        LEFT = "left", _("left for an unknown destination")

    municipality = models.ForeignKey(Area, verbose_name=_("municipality"), on_delete=models.CASCADE)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_RECEPTION)
    count = models.PositiveIntegerField(_("number"))

    class Meta:
        ordering = ["municipality__name", "reference_date", "status"]
        verbose_name = _("third-country nationals")
        verbose_name_plural = _("third-country nationals")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "reference_date", "status"], name="unique_tcn_count_status"
            ),
        ]


class ThirdCountryRule(SourcedFigure):
    """A version of the state's rule for derdelanders: from ``valid_from`` their temporary protection ends on
    ``cut_off`` (4 September 2023, later 4 March 2024 after the Raad van State's ruling)."""

    edition = models.CharField(_("version"), max_length=100)
    valid_from = models.DateField(_("valid from"))
    cut_off = models.DateField(_("protection ends on"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["valid_from"]
        verbose_name = _("rule for third-country nationals")
        verbose_name_plural = _("rules for third-country nationals")
        constraints = [models.UniqueConstraint(fields=["valid_from"], name="one_rule_per_date")]

    def __str__(self) -> str:
        return self.edition


class Rate(SourcedFigure):
    """An amount the state pays, from a date until the next rate of the same scheme: the normbedrag per place per day
    for municipal reception of displaced Ukrainians (BOOO), or the Spreidingswet's incentive per place."""

    class Scheme(models.TextChoices):
        UKRAINE_PLACE_DAY = (
            "booo_goo",
            _("BOOO: municipal reception of displaced Ukrainians, per place per day"),
        )
        DISTRIBUTION_INCENTIVE = "spreidingswet", _("Spreidingswet: incentive per reception place, once")

    scheme = models.CharField(_("scheme"), max_length=20, choices=Scheme.choices)
    valid_from = models.DateField(_("valid from"))
    amount = models.DecimalField(_("amount (€)"), max_digits=9, decimal_places=2)
    condition = models.CharField(
        _("condition"),
        max_length=200,
        blank=True,
        help_text=_("When the amount applies, where a scheme has several (durable places offered early, …)."),
    )

    class Meta:
        ordering = ["scheme", "valid_from", "condition"]
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        constraints = [
            models.UniqueConstraint(fields=["scheme", "valid_from", "condition"], name="one_rate_per_date")
        ]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()} {self.valid_from}: € {self.amount}"


class Cycle(SourcedFigure):
    """A cycle of the Spreidingswet: its stages' dates (municipalities offer places, the province proposes a
    distribution, the minister decides, the places are realised by a deadline) and, where the table knows which
    applies, the incentive per place. The numbers per municipality at each stage are reception tasks of the cycle."""

    programme = models.CharField(
        _("programme"), max_length=10, choices=Programme.choices, default=Programme.ASYLUM
    )
    number = models.PositiveSmallIntegerField(_("cycle"))
    starts_on = models.DateField(_("starts on"))
    offers_until = models.DateField(_("offers until"), null=True, blank=True)
    proposal_due = models.DateField(_("province's proposal due"), null=True, blank=True)
    decision_on = models.DateField(_("minister's decision"), null=True, blank=True)
    realise_by = models.DateField(_("places ready by"), null=True, blank=True)
    incentive_per_place = models.DecimalField(
        _("incentive per place (€)"),
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the amount depends on each offer; the range of the rates is shown."),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("Spreidingswet cycle")
        verbose_name_plural = _("Spreidingswet cycles")
        constraints = [models.UniqueConstraint(fields=["programme", "number"], name="one_cycle_per_number")]

    def __str__(self) -> str:
        return f"{self.get_programme_display()} {self.number}"
