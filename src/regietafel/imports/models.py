from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    """An uploaded file, kept from preview to apply so that what was checked is what gets written.

    Checking the file and applying it run as background tasks (``regietafel.imports.services``): the batch is
    *checking* until the check has run, *staged* (waiting for confirmation) or *rejected* after it, *importing*
    from the confirmation until the rows are written (*applied*) or refused (staged or rejected again, with the
    reason in ``summary["refused"]``), and *failed* when a task broke off with an error (``error``)."""

    class Status(models.TextChoices):
        CHECKING = "checking", _("being checked")
        STAGED = "staged", _("waiting for confirmation")
        IMPORTING = "importing", _("being imported")
        APPLIED = "applied", _("applied")
        REJECTED = "rejected", _("rejected")
        FAILED = "failed", _("failed")

    BUSY = (Status.CHECKING, Status.IMPORTING)

    kind = models.CharField(_("kind"), max_length=40)
    filename = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("content"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.STAGED)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    # The language of the user who uploaded or confirmed: the task words its messages in it.
    language = models.CharField(_("language"), max_length=10, default="nl")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, on_delete=models.SET_NULL
    )
    # What the user confirmed: the fingerprint of the preview they saw (empty: not given) and, for a locked
    # half-year, their reason. The task that writes the rows checks both.
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    fingerprint = models.CharField(_("confirmed fingerprint"), max_length=64, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    # When the running task began its work (None: waiting in the queue). A task holds the batch locked while
    # it works, so a batch that has started, is no longer locked and is still busy was broken off.
    started_at = models.DateTimeField(_("task started at"), null=True, blank=True)
    # Rows of the file, and rows the last step finished (the live count of a running step is in the cache:
    # the step works inside one transaction).
    progress_total = models.PositiveIntegerField(_("rows"), default=0)
    progress_done = models.PositiveIntegerField(_("rows done"), default=0)
    error = models.TextField(_("error"), blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import")
        verbose_name_plural = _("imports")

    def __str__(self) -> str:
        return f"{self.kind}: {self.filename}"

    @property
    def busy(self) -> bool:
        return self.status in self.BUSY
