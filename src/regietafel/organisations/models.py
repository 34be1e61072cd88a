"""Organisations: the municipalities, the program team, the province and the network partners."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import Theme, Versioned
from regietafel.regions.models import Area


class Organisation(Versioned):
    # The fields a user writes, in the order of the form: the page form and the API derive from this.
    WRITABLE = (
        "name",
        "kind",
        "municipality",
        "description",
        "website",
        "themes",
        "works_in",
        "mayor",
        "town_clerk",
        "portfolio_holder",
    )

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("municipality")
        PROGRAM_TEAM = "program_team", _("program team")
        PROVINCE = "province", _("province")
        STATE = "state", _("state agency")
        HOUSING_CORPORATION = "housing_corporation", _("housing corporation")
        CIVIL_SOCIETY = "civil_society", _("civil society organisation")
        CHURCH = "church", _("church")
        EMPLOYER_SERVICE = "employer_service", _("employer service point")
        CARE = "care", _("care institution")
        EDUCATION = "education", _("education institution")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    # For a municipality: the area it governs.
    municipality = models.OneToOneField(
        Area,
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("description"), blank=True)
    website = models.URLField(_("website"), blank=True)
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="organisations")
    # Who does what where: the municipalities the organisation works in.
    works_in = models.ManyToManyField(
        Area, verbose_name=_("works in"), blank=True, related_name="organisations_working_here"
    )
    # A municipality's signatories and portfolio holder, as its council letters name them.
    mayor = models.CharField(_("mayor"), max_length=150, blank=True)
    town_clerk = models.CharField(_("town clerk"), max_length=150, blank=True)
    portfolio_holder = models.CharField(
        _("portfolio holder for refugees"),
        max_length=150,
        blank=True,
        help_text=_("Name and title, for example: wethouder J. de Vries."),
    )
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Optimistic locking: an edit based on an older version is refused instead of overwriting.
    # A register is only as good as its freshness: show when it was last touched, and by whom.
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, null=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Contact(Versioned):
    """A contact person at an organisation (work contact details only)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"
