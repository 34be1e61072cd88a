"""Practices (werkwijzen): how a municipality tackled a problem, published for the others to learn from.

Practices are written through ``services.py`` only: it keeps the SQLite search index in step with the rows.
"""

import math
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import Theme, Versioned
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

ATTACHMENT_EXTENSIONS = ["pdf", "docx", "xlsx", "odt", "ods", "png", "jpg", "txt", "csv"]
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
RELATED_LIMIT = 5


def validate_attachment_size(file) -> None:
    if file.size > ATTACHMENT_MAX_BYTES:
        # Rounded up, so a file just over the limit never reads as "10.0 MB".
        tenths = math.ceil(file.size * 10 / 1024 / 1024)
        raise ValidationError(
            _("The file is %(size)s MB; an attachment may be at most %(limit)s MB."),
            code="file_too_large",
            params={
                "size": number_format(tenths / 10, decimal_pos=1),
                "limit": ATTACHMENT_MAX_BYTES // 1024 // 1024,
            },
        )


class TargetGroup(models.TextChoices):
    STATUS_HOLDERS = "status_holders", _("status holders")
    ASYLUM_SEEKERS = "asylum_seekers", _("asylum seekers")
    DISPLACED_UKRAINIANS = "displaced_ukrainians", _("displaced persons from Ukraine")
    UNACCOMPANIED_MINORS = "unaccompanied_minors", _("unaccompanied minors")
    ALL = "all", _("all groups")


class PracticeQuerySet(models.QuerySet):
    def for_group(self, group: str):
        """Practices for a target group; a practice for all groups serves every group."""
        return self.filter(target_group__in=[group, TargetGroup.ALL])


class Practice(Versioned):
    # The fields a user writes, in the order of the form: the page form and the service derive from this.
    WRITABLE = (
        "title",
        "municipality",
        "organisation",
        "target_group",
        "themes",
        "problem",
        "approach",
        "results",
        "contact",
    )

    title = models.CharField(_("title"), max_length=200)
    problem = models.TextField(_("problem"), help_text=_("What was the problem or the question?"))
    approach = models.TextField(_("approach"), help_text=_("What did you do, with whom?"))
    results = models.TextField(
        _("results"), blank=True, help_text=_("What did it bring, and what would you do differently?")
    )
    contact = models.TextField(
        _("contact"),
        max_length=500,
        help_text=_("Name, role and work e-mail address of the person to ask about this practice."),
    )
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="practices")
    target_group = models.CharField(
        _("target group"), max_length=30, choices=TargetGroup.choices, default=TargetGroup.STATUS_HOLDERS
    )
    municipality = models.ForeignKey(
        Area,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Area.Kind.MUNICIPALITY},
        related_name="practices",
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="practices",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    # Optimistic locking: an edit based on an older version is refused instead of overwriting.

    objects = PracticeQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        verbose_name = _("practice")
        verbose_name_plural = _("practices")

    def __str__(self) -> str:
        return self.title

    def related(self, limit: int = RELATED_LIMIT) -> list["Practice"]:
        """Practices sharing a theme or the municipality: most shared themes first, then the same place."""
        theme_ids = list(self.themes.values_list("pk", flat=True))
        shared = (
            Practice.themes.through.objects.filter(practice=OuterRef("pk"), theme__in=theme_ids)
            .values("practice")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return list(
            Practice.objects.exclude(pk=self.pk)
            .annotate(shared=Coalesce(Subquery(shared), Value(0)))
            .filter(Q(shared__gt=0) | Q(municipality=self.municipality_id))
            .annotate(
                same_place=models.Case(
                    models.When(municipality=self.municipality_id, then=Value(1)), default=Value(0)
                )
            )
            .select_related("municipality")
            .order_by("-shared", "-same_place", "title", "pk")[:limit]
        )


class Attachment(models.Model):
    """A document with a practice. Served only by a view that requires login, never from a public URL."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(
        _("file"),
        upload_to="practices/%Y/",
        max_length=255,
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size],
    )
    name = models.CharField(_("name"), max_length=200)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name

    @property
    def extension(self) -> str:
        return PurePath(self.file.name).suffix.lower().lstrip(".")

    @property
    def download_name(self) -> str:
        """The name the browser saves the file as: the given name, with the file's own extension."""
        suffix = PurePath(self.file.name).suffix.lower()
        return self.name if self.name.lower().endswith(suffix) else f"{self.name}{suffix}"
