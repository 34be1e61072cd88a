"""Report jobs: documents made in the background, with their progress and result kept in the database."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.regions.models import Area


class ReportJob(models.Model):
    """One request for documents: the monitor of a region, or the council letters of its municipalities.

    The result (a PDF, or a ZIP of letters) is kept in the database, so any app server can hand it out and a
    backup holds it. ``failures`` names every municipality whose letter could not be made, with the reason.
    """

    class Kind(models.TextChoices):
        MONITOR = "monitor", _("regional monitor (PDF)")
        LETTERS = "letters", _("council letters (DOCX and PDF)")

    class Status(models.TextChoices):
        QUEUED = "queued", _("waiting")
        RUNNING = "running", _("in progress")
        DONE = "done", _("ready")
        FAILED = "failed", _("failed")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    region = models.ForeignKey(Area, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    reference_date = models.DateField(_("reference date"), null=True, blank=True)
    half_year = models.CharField(_("half-year"), max_length=7, blank=True)
    municipalities = models.JSONField(_("municipalities"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=10, default="nl")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(_("documents"), default=0)
    done = models.PositiveIntegerField(_("documents made"), default=0)
    failures = models.JSONField(_("failures"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    content = models.BinaryField(_("content"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("requested by"), null=True, on_delete=models.SET_NULL
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        indexes = [models.Index(fields=["kind", "region", "reference_date"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.region_id} {self.reference_date or self.half_year}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else (100 if self.finished else 0)
