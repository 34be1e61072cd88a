"""Person-level data: status-holder households linked to a municipality (special-category data, AVG art. 9).

Shown only through ``regietafel.access.scope`` (a municipality sees its own households) and every read or change
is written to the processing log. The UI and URLs use the pseudonymous reference; the V-number appears only on
the household's own page.
"""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import Versioned
from regietafel.regions.models import Area

REFERENCE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_reference() -> str:
    return "HH-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))


class Household(Versioned):
    # The fields a user writes, in the order of the form: the page form and the service derive from this (the API
    # shows a pseudonymous reference instead of the V-number).
    WRITABLE = (
        "municipality",
        "v_number",
        "linked_on",
        "adults",
        "children",
        "member_ages",
        "is_amv",
        "nidos",
        "needs_accessible",
        "needs_medical",
    )

    class Status(models.TextChoices):
        LINKED = "linked", _("linked")
        OFFERED = "offered", _("offered a home")
        ACCEPTED = "accepted", _("accepted")
        HOUSED = "housed", _("housed")
        REFUSED = "refused", _("refused")

    reference = models.CharField(
        _("reference"), max_length=9, unique=True, default=new_reference, editable=False
    )
    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="households"
    )
    v_number = models.CharField(
        _("V-number"),
        max_length=10,
        blank=True,
        validators=[RegexValidator(r"^\d{10}$", _("A V-number has ten digits."))],
        help_text=_("The COA/IND V-number, only when needed; it is never shown in lists or addresses."),
    )
    linked_on = models.DateField(_("linked on"))
    adults = models.PositiveSmallIntegerField(_("adults"))
    children = models.PositiveSmallIntegerField(_("children"), default=0)
    is_amv = models.BooleanField(_("unaccompanied minor (AMV)"), default=False)
    nidos = models.BooleanField(
        _("guardianship by Nidos"),
        default=False,
        help_text=_("For an unaccompanied minor: Nidos is the guardian."),
    )
    member_ages = models.CharField(
        _("ages"),
        max_length=60,
        blank=True,
        validators=[
            RegexValidator(r"^\d{1,3}(, ?\d{1,3})*$", _("Write the ages as numbers separated by commas."))
        ],
        help_text=_("The ages of the members, adults first, e.g. 34, 31, 6."),
    )
    needs_accessible = models.BooleanField(_("needs an accessible home"), default=False)
    needs_medical = models.BooleanField(_("medical needs"), default=False)
    dwelling = models.ForeignKey(
        "matching.Dwelling",
        verbose_name=_("home"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="households",
    )
    offered_on = models.DateField(_("offered on"), null=True, blank=True)
    housed_on = models.DateField(_("housed on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.LINKED)
    is_demo = models.BooleanField(_("demo data"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["linked_on", "reference"]
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(adults__gt=0) | models.Q(children__gt=0), name="household_has_people"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def size(self) -> int:
        return self.adults + self.children

    @property
    def deadline(self) -> date:
        return self.linked_on + timedelta(weeks=settings.REGIETAFEL_HOUSING_DEADLINE_WEEKS)

    @property
    def ages(self) -> list[int]:
        return [int(age) for age in self.member_ages.replace(" ", "").split(",") if age]

    @property
    def is_large_family(self) -> bool:
        return self.size >= settings.REGIETAFEL_LARGE_FAMILY_FROM


class Tie(models.Model):
    """Where a household works, studies, has family or gets care: a reason to house it nearby."""

    class Kind(models.TextChoices):
        WORK = "work", _("work")
        STUDY = "study", _("study")
        FAMILY = "family", _("family")
        CARE = "care", _("care")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="ties")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    place = models.ForeignKey("regions.Place", verbose_name=_("place"), on_delete=models.PROTECT)

    class Meta:
        ordering = ["household", "kind"]
        verbose_name = _("tie")
        verbose_name_plural = _("ties")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.place}"


class HouseholdEvent(models.Model):
    """A step of a household through the pipeline: offered a home, accepted, refused (with the reason), housed."""

    class Kind(models.TextChoices):
        OFFERED = "offered", _("offered a home")
        ACCEPTED = "accepted", _("accepted the offer")
        REFUSED = "refused", _("refused the offer")
        HOUSED = "housed", _("housed")
        WITHDRAWN = "withdrawn", _("offer withdrawn")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    on = models.DateField(_("date"))
    at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    dwelling = models.ForeignKey(
        "matching.Dwelling",
        verbose_name=_("home"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("pipeline step")
        verbose_name_plural = _("pipeline steps")

    def __str__(self) -> str:
        return f"{self.household} {self.kind} {self.on}"
