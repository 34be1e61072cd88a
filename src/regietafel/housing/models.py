"""Housing status holders: national numbers, targets, agreements between municipalities and realisation."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import SourcedFigure, Versioned
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

HALF_YEAR_HELP = _("As 2024-H1 or 2024-H2.")


class NationalTarget(SourcedFigure):
    """One version of the national half-year number (vg). The highest revision applies; all are kept.

    The headline number is what was announced; the distributed number is what was spread over the
    municipalities when that differs (2023-H1: 21,200 announced including about 100 evacuees).
    """

    half_year = models.CharField(_("half-year"), max_length=7, help_text=HALF_YEAR_HELP)
    revision = models.PositiveSmallIntegerField(
        _("revision"), default=0, help_text=_("0 is the first announcement.")
    )
    headline = models.PositiveIntegerField(_("announced number"))
    distributed = models.PositiveIntegerField(_("distributed number"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["half_year", "revision"]
        verbose_name = _("national number")
        verbose_name_plural = _("national numbers")
        constraints = [
            models.UniqueConstraint(fields=["half_year", "revision"], name="unique_national_target_revision"),
        ]

    def __str__(self) -> str:
        return f"{self.half_year} r{self.revision}: {self.number}"

    @property
    def number(self) -> int:
        """The number the statutory rule distributes."""
        return self.headline if self.distributed is None else self.distributed


class NationalOutcome(SourcedFigure):
    """What the country as a whole had to house (including carry-over) and housed in a half-year."""

    half_year = models.CharField(_("half-year"), max_length=7, unique=True, help_text=HALF_YEAR_HELP)
    task_including_carry_over = models.PositiveIntegerField(
        _("task including carry-over"), null=True, blank=True
    )
    housed = models.PositiveIntegerField(_("housed"), null=True, blank=True)

    class Meta:
        ordering = ["half_year"]
        verbose_name = _("national outcome")
        verbose_name_plural = _("national outcomes")


class ReportedTarget(SourcedFigure):
    """A municipal target as published by the municipality or the state, kept beside the computed one."""

    municipality = models.ForeignKey(Area, verbose_name=_("municipality"), on_delete=models.CASCADE)
    period = models.CharField(
        _("period"), max_length=7, help_text=_("A year (2023) or a half-year (2024-H1).")
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    target = models.PositiveIntegerField(_("target"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["municipality__name", "period", "revision"]
        verbose_name = _("published target")
        verbose_name_plural = _("published targets")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "period", "revision"], name="unique_reported_target_revision"
            ),
        ]


class Agreement(Versioned):
    """Municipalities of a region agree to shift targets among themselves (Huisvestingswet 2014 art. 29(2))."""

    region = models.ForeignKey(Area, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    half_year = models.CharField(_("half-year"), max_length=7, help_text=HALF_YEAR_HELP)
    agreed_on = models.DateField(_("agreed on"))
    source = models.CharField(
        _("source"), max_length=300, help_text=_("For example the decision of the table.")
    )
    note = models.TextField(_("note"), blank=True)
    # Optimistic locking: an edit based on an older version is refused instead of overwriting.
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("regional agreement")
        verbose_name_plural = _("regional agreements")
        constraints = [models.UniqueConstraint(fields=["region", "half_year"], name="unique_agreement")]

    def __str__(self) -> str:
        return f"{self.region} {self.half_year}"


class AgreedTarget(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="targets")
    municipality = models.ForeignKey(Area, verbose_name=_("municipality"), on_delete=models.CASCADE)
    target = models.PositiveIntegerField(_("agreed target"))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "municipality"], name="unique_agreed_target"),
        ]

    def __str__(self) -> str:
        return f"{self.municipality}: {self.target}"


class OpeningBalance(SourcedFigure):
    """Backlog (positive) or lead (negative) a municipality carries into the first half-year tracked here."""

    municipality = models.ForeignKey(Area, verbose_name=_("municipality"), on_delete=models.CASCADE)
    half_year = models.CharField(_("half-year"), max_length=7, help_text=HALF_YEAR_HELP)
    balance = models.IntegerField(_("balance"), help_text=_("Backlog positive, lead negative."))

    class Meta:
        ordering = ["municipality__name", "half_year"]
        verbose_name = _("opening balance")
        verbose_name_plural = _("opening balances")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "half_year"], name="unique_opening_balance"),
        ]


class HousingRealisation(SourcedFigure):
    """Status holders a municipality housed in one month; unaccompanied minors (AMV) also counted apart."""

    municipality = models.ForeignKey(Area, verbose_name=_("municipality"), on_delete=models.CASCADE)
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    housed = models.PositiveIntegerField(_("housed"))
    housed_minors = models.PositiveIntegerField(_("of whom unaccompanied minors"), default=0)

    class Meta:
        ordering = ["municipality__name", "month"]
        verbose_name = _("housing realisation")
        verbose_name_plural = _("housing realisations")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "month"], name="unique_realisation_per_month"),
            models.CheckConstraint(
                condition=models.Q(housed_minors__lte=models.F("housed")), name="minors_within_housed"
            ),
        ]


class PeriodLock(models.Model):
    """A half-year whose figures a beheerder validated: they no longer change, except by a beheerder with a
    reason (kept in ``PeriodEvent``)."""

    half_year = models.CharField(_("half-year"), max_length=7, unique=True, help_text=HALF_YEAR_HELP)
    locked_at = models.DateTimeField(_("locked at"), auto_now_add=True)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-half_year"]
        verbose_name = _("locked half-year")
        verbose_name_plural = _("locked half-years")

    def __str__(self) -> str:
        return self.half_year


class PeriodEvent(models.Model):
    """Locking, unlocking, or changing a locked half-year's figures: who, when, why."""

    class Kind(models.TextChoices):
        LOCK = "lock", _("locked")
        UNLOCK = "unlock", _("unlocked")
        OVERRIDE = "override", _("changed while locked")

    half_year = models.CharField(_("half-year"), max_length=7)
    kind = models.CharField(_("what"), max_length=10, choices=Kind.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    detail = models.CharField(_("what changed"), max_length=300, blank=True)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.half_year} {self.kind}"


class DeliveryReminder(models.Model):
    """A reminder sent to a municipality's contacts about the monthly figures it has not delivered."""

    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    months = models.JSONField(_("months"), default=list, help_text=_("The months asked for, as 2026-03."))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveSmallIntegerField(_("recipients"), default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("delivery reminder")
        verbose_name_plural = _("delivery reminders")

    def __str__(self) -> str:
        return f"{self.municipality} {self.sent_at:%Y-%m-%d}"


class SupervisionStep(SourcedFigure):
    """A step of a province's intervention ladder for the housing task (interbestuurlijk toezicht), in the province's
    own words and cited from its policy framework."""

    province = models.ForeignKey(
        Area,
        verbose_name=_("province"),
        on_delete=models.CASCADE,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.PROVINCE},
    )
    order = models.PositiveSmallIntegerField(_("step"), help_text=_("0 for the first step, then 1, 2, …"))
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    threshold = models.PositiveSmallIntegerField(
        _("proposed after missed half-years"),
        null=True,
        blank=True,
        help_text=_(
            "The number of consecutive half-years with the target not met at which this step is proposed; empty: "
            "only ever taken by decision."
        ),
    )

    class Meta:
        ordering = ["province", "order"]
        verbose_name = _("supervision step")
        verbose_name_plural = _("supervision steps")
        constraints = [models.UniqueConstraint(fields=["province", "order"], name="one_step_per_order")]

    def __str__(self) -> str:
        return f"{self.order}. {self.name}"


class SupervisionPlacement(SourcedFigure):
    """What the province decided: from ``since`` the municipality is on ``step`` of its ladder. The placements of a
    municipality are its history; the latest is where it stands. The source is the letter, talk or decision."""

    class Occasion(models.TextChoices):
        ASSESSMENT = "assessment", _("assessment")
        LETTER = "letter", _("letter")
        TALK = "talk", _("talk")
        DECISION = "decision", _("decision")

    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="supervision"
    )
    step = models.ForeignKey(
        SupervisionStep, verbose_name=_("step"), on_delete=models.PROTECT, related_name="placements"
    )
    since = models.DateField(_("since"))
    occasion = models.CharField(_("occasion"), max_length=12, choices=Occasion.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["municipality", "-since", "-id"]
        verbose_name = _("supervision placement")
        verbose_name_plural = _("supervision placements")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "since"], name="one_placement_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.municipality} {self.since}: {self.step}"


class CorporationAgreement(SourcedFigure):
    """What a housing corporation agreed with a municipality: the number of homes for status holders it makes
    available in a year (a performance agreement, "prestatieafspraken"). What it delivered is read from the homes in
    the matching pipeline whose owner names the corporation."""

    corporation = models.ForeignKey(
        Organisation,
        verbose_name=_("housing corporation"),
        on_delete=models.PROTECT,
        related_name="agreements",
        limit_choices_to={"kind": Organisation.Kind.HOUSING_CORPORATION},
    )
    municipality = models.ForeignKey(
        Area, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="corporation_agreements"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    homes = models.PositiveIntegerField(_("homes agreed"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["municipality", "year", "corporation"]
        verbose_name = _("corporation agreement")
        verbose_name_plural = _("corporation agreements")
        constraints = [
            models.UniqueConstraint(
                fields=["corporation", "municipality", "year"], name="one_agreement_per_corporation_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.corporation} {self.municipality} {self.year}"
