"""Supply and matching: the homes municipalities find, and the proposals that pair linked households with them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import SourcedFigure, Versioned
from regietafel.regions.models import Area, Place


class Dwelling(SourcedFigure, Versioned):
    """A home a municipality can offer to status holders: from a housing corporation or a temporary (flex) project."""

    # The fields a user writes, in the order of the form: the page form, the service and the API derive from this.
    WRITABLE = (
        "municipality",
        "code",
        "place",
        "kind",
        "rooms",
        "max_occupancy",
        "rent",
        "accessible",
        "available_on",
        "owner",
        "sharing_allowed",
        "status",
        "source",
        "reference_date",
    )

    class Kind(models.TextChoices):
        REGULAR = "regular", _("regular home")
        FLEX = "flex", _("flex home (temporary)")

    class Status(models.TextChoices):
        AVAILABLE = "available", _("available")
        OFFERED = "offered", _("offered")
        LET = "let", _("let")
        WITHDRAWN = "withdrawn", _("withdrawn")

    code = models.CharField(
        _("code"), max_length=40, help_text=_("The owner's number for the home (no address needed).")
    )
    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="dwellings"
    )
    place = models.ForeignKey(
        Place, verbose_name=_("place"), on_delete=models.PROTECT, related_name="dwellings"
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    rooms = models.PositiveSmallIntegerField(_("bedrooms"))
    max_occupancy = models.PositiveSmallIntegerField(_("maximum occupancy"))
    rent = models.DecimalField(_("rent per month (€)"), max_digits=7, decimal_places=2)
    accessible = models.BooleanField(_("accessible"), default=False)
    available_on = models.DateField(_("available on"))
    owner = models.CharField(_("owner"), max_length=150, help_text=_("Housing corporation or project."))
    sharing_allowed = models.BooleanField(_("sharing allowed"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AVAILABLE)

    class Meta:
        ordering = ["municipality__name", "available_on", "code"]
        verbose_name = _("home")
        verbose_name_plural = _("homes")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "code"], name="unique_dwelling_code"),
            models.CheckConstraint(condition=models.Q(max_occupancy__gte=1), name="dwelling_holds_someone"),
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.place})"


class MatchRun(models.Model):
    """One run of the matcher: who asked, for which municipalities, with which settings, and what it proved."""

    created_at = models.DateTimeField(_("made at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("made by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    region = models.ForeignKey(Area, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    # None: every municipality of the region the user may match for (a beheerder: the whole region).
    municipality = models.ForeignKey(
        Area,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    available_before = models.DateField(_("homes available before"))
    across_municipalities = models.BooleanField(_("across municipalities (art. 29 lid 2)"), default=False)
    summary = models.JSONField(_("result"), default=dict)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("matching run")
        verbose_name_plural = _("matching runs")

    def __str__(self) -> str:
        return f"{self.region} {self.created_at:%Y-%m-%d %H:%M}"


class Proposal(Versioned):
    """The matcher proposes a home for a household; a municipal officer accepts, changes or rejects it."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    run = models.ForeignKey(MatchRun, on_delete=models.CASCADE, related_name="proposals")
    household = models.ForeignKey(
        "persons.Household", verbose_name=_("household"), on_delete=models.CASCADE, related_name="proposals"
    )
    dwelling = models.ForeignKey(
        Dwelling, verbose_name=_("home"), on_delete=models.CASCADE, related_name="proposals"
    )
    shared_with = models.PositiveSmallIntegerField(_("sharing with"), default=0)
    reasons = models.JSONField(_("reasons"), default=list)
    changed = models.BooleanField(_("changed by hand"), default=False)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    rejection_reason = models.CharField(_("reason for rejecting"), max_length=300, blank=True)

    class Meta:
        ordering = ["run", "household__linked_on", "id"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")

    def __str__(self) -> str:
        return f"{self.household} → {self.dwelling}"
