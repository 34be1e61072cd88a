"""What a user is told: one notification per user per event, shown in the app and e-mailed as the user chose."""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The events a user can be told about, in the order of the preferences page."""

    ACTION_ASSIGNED = "action_assigned", _("An action is assigned to my organisation or to me")
    ACTION_DUE = "action_due", _("An action of mine is due within a week")
    ACTION_OVERDUE = "action_overdue", _("An action of mine is overdue")
    REFERRAL_RECEIVED = "referral_received", _("A question is referred to my forum")
    REFERRAL_ANSWERED = "referral_answered", _("A referral I made is answered")
    AGENDA_PUBLISHED = "agenda_published", _("The agenda of a meeting of a body I sit in is published")
    SIGNAL_URGENT = "signal_urgent", _("An urgent signal is raised at the table")
    FIGURES_DUE = "figures_due", _("My municipality's monthly figures are due")
    FIGURES_LATE = "figures_late", _("My municipality's monthly figures are late")


class Mode(models.TextChoices):
    IMMEDIATE = "immediate", _("immediately by e-mail")
    DIGEST = "digest", _("in a daily digest")
    OFF = "off", _("off")


class Preference(models.Model):
    """How a user wants to hear of one kind of event; without a record: immediately."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.kind}: {self.mode}"


class Notification(models.Model):
    """One event told to one user. ``key`` names the event: a user is told of it once, whoever raises it again.

    Its text is written when the event happens (in the installation's language) and names no person of a
    household. ``target`` is what it is about: the app shows and sends it only while the user may see that."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    key = models.CharField(max_length=200)
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("message"))
    url = models.CharField(max_length=300, blank=True)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.PositiveBigIntegerField()
    mode = models.CharField(_("how"), max_length=10, choices=Mode.choices)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # E-mail: sent once; a failed attempt is counted and retried (services.retry).
    sent_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_event")]
        indexes = [models.Index(fields=["user", "read_at"]), models.Index(fields=["mode", "sent_at"])]

    def __str__(self) -> str:
        return self.subject
