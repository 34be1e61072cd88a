"""Logboek dataverwerkingen: one line per data subject for every read or change of personal data.

Lines are only ever added. The model refuses updates and deletes; on PostgreSQL a trigger refuses them in the
database as well (migration 0002), so not even a bug or a raw query in the application can rewrite history. The one
exception is retention: ``ProcessingLog.objects.expire(before)`` removes lines older than the retention period
(migration 0006 lets exactly that through on PostgreSQL).
"""

import datetime

from django.apps import apps
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(Exception):
    pass


def data_kinds() -> dict[str, str]:
    """Every kind of data a line may name, by the label the line keeps (``persons.household``), as people read it
    (in the active language)."""
    return {model._meta.label_lower: capfirst(model._meta.verbose_name) for model in apps.get_models()}


class Activity(models.TextChoices):
    """The processing activities (verwerkingsactiviteiten) in the register of processing (AVG art. 30)."""

    HOUSING = "housing", _("Housing status holders (Huisvestingswet 2014, art. 28)")
    PARTNERS = "partners", _("Partner register (work contact details)")
    ACCESS = "access", _("Access to Regietafel (login, roles)")


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    DELETE = "delete", _("delete")
    EXPORT = "export", _("export")
    LOGIN = "login", _("login")
    LOGIN_FAILED = "login_failed", _("failed login")
    LOCKED_OUT = "locked_out", _("locked out")
    ROLE_CHANGE = "role_change", _("role change")


class Channel(models.TextChoices):
    PAGE = "page", _("page")
    LIST = "list", _("list")
    EXPORT = "export", _("export")
    REPORT = "report", _("report")
    MATCHING = "matching", _("matching")
    IMPORT = "import", _("import")
    API = "api", _("API")
    LOGIN = "login", _("login")


class Result(models.TextChoices):
    SUCCESS = "success", _("success")
    FAILURE = "failure", _("failure")


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The processing log is append-only.")

    def delete(self):
        raise AppendOnlyError("The processing log is append-only.")

    def expire(self, before: datetime.datetime) -> int:
        """Remove the lines written before ``before`` (retention, ``regietafel retention``): the only way a line
        is ever deleted. Returns how many.

        On PostgreSQL the trigger of migration 0006 lets a DELETE through only for lines older than the cut-off
        this transaction declares (``regietafel.retention_before``, set for this transaction alone); a plain
        DELETE, or one reaching for younger lines, is still refused, and UPDATE always is.
        """
        if timezone.is_naive(before):
            raise ValueError("The retention cut-off needs a time zone.")
        with transaction.atomic(using=self.db):
            postgresql = connections[self.db].vendor == "postgresql"
            if postgresql:
                _declare_retention(self.db, before.isoformat())
            # A single DELETE ... WHERE at < before: no rows are loaded, whatever the size of the log.
            removed = self.filter(at__lt=before)._raw_delete(self.db)
            if postgresql:
                _declare_retention(self.db, "")  # the rest of the caller's transaction is append-only again
            return removed


def _declare_retention(using: str, before: str) -> None:
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT set_config('regietafel.retention_before', %s, true)", [before])


class ProcessingLog(models.Model):
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # Who: kept as values, not a foreign key, so a line outlives the account it names.
    actor_id = models.IntegerField(_("user id"), null=True, blank=True)
    actor = models.CharField(_("who"), max_length=150, blank=True)
    organisation = models.CharField(_("organisation"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=12, blank=True)
    activity = models.CharField(_("processing activity"), max_length=20, choices=Activity.choices)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    object_type = models.CharField(_("kind of data"), max_length=60)
    # A keyed hash of the subject's identity: lines about one person can be found and linked, never read back.
    subject = models.CharField(_("pseudonymised subject"), max_length=64, db_index=True)
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, default=Result.SUCCESS)
    # The lines written for one request share this id.
    request_id = models.CharField(_("request"), max_length=32, blank=True)

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("processing log line")
        verbose_name_plural = _("processing log")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor} {self.action} {self.object_type} {self.subject[:8]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("The processing log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The processing log is append-only.")

    def get_object_type_display(self) -> str:
        return data_kinds().get(self.object_type, self.object_type)
