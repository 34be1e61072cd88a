"""The agreement conditions register: what the region needs from the state, and whether it has been agreed.

The table works on "een akkoord en een nog-niet-akkoord": conditions agreed with the state go into the
administrative agreement, the others are kept as a package for a new cabinet (seed letter, section
"Bestuursovereenkomst Overijssel").
"""

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import Theme, Versioned
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area, default_region_id


class Condition(Versioned):
    """A condition the region needs from the state (financing, education capacity, a pilot, ...)."""

    class Status(models.TextChoices):
        AGREED = "agreed", _("agreed")
        NOT_AGREED = "not_agreed", _("not yet agreed")
        PILOT_REQUESTED = "pilot_requested", _("pilot requested")

    region = models.ForeignKey(
        Area,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": Area.Kind.REGION},
        default=default_region_id,
    )
    theme = models.ForeignKey(
        Theme, verbose_name=_("theme"), on_delete=models.PROTECT, related_name="conditions"
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    what_we_ask = models.TextField(_("what we ask of the state"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.NOT_AGREED)
    owner = models.ForeignKey(
        Organisation,
        verbose_name=_("owner (organisation)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="conditions",
    )
    owner_name = models.CharField(_("owner (person)"), max_length=150, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    is_demo = models.BooleanField(_("demo data"), default=False, db_index=True)
    # Optimistic locking: an edit based on an older version is refused instead of overwriting.

    class Meta:
        ordering = ["theme__name", "title"]
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")

    def __str__(self) -> str:
        return self.title

    @property
    def status_css(self) -> str:
        """The status badge colour (app.css): agreed green, pilot requested amber, not yet agreed red."""
        return STATUS_CSS.get(self.status, "rt-status--none")

    @property
    def owner_display(self) -> str:
        if self.owner_name and self.owner_id:
            return f"{self.owner_name} ({self.owner})"
        return self.owner_name or (str(self.owner) if self.owner_id else "")


STATUS_CSS = {
    Condition.Status.AGREED: "rt-status--on_schedule",
    Condition.Status.PILOT_REQUESTED: "rt-status--behind",
    Condition.Status.NOT_AGREED: "rt-status--far_behind",
}


class ConditionChange(models.Model):
    """One changed field of a condition: its history, written by the services on every change.

    A new condition gets a line for every field it was created with (old value empty).
    """

    condition = models.ForeignKey(
        Condition, verbose_name=_("condition"), on_delete=models.CASCADE, related_name="changes"
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The model field name; foreign keys are kept as the name they had then, the status as its code.
    field = models.CharField(_("field"), max_length=50)
    old_value = models.TextField(_("old value"), blank=True)
    new_value = models.TextField(_("new value"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("condition change")
        verbose_name_plural = _("condition changes")

    def __str__(self) -> str:
        return f"{self.condition}: {self.field}"

    @property
    def field_label(self) -> str:
        try:
            return str(Condition._meta.get_field(self.field).verbose_name)
        except FieldDoesNotExist:  # a field removed since keeps its stored name
            return self.field

    def _label(self, value: str) -> str:
        if self.field == "status" and value in Condition.Status.values:
            return str(Condition.Status(value).label)
        return value

    @property
    def old_label(self) -> str:
        return self._label(self.old_value)

    @property
    def new_label(self) -> str:
        return self._label(self.new_value)
