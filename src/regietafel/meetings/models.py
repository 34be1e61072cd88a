"""The table's own work: meetings and their agendas, decisions, actions and referrals to other forums."""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import Versioned
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area


class Body(Versioned):
    """Something that meets: the steering table itself, a working group, a council session."""

    WRITABLE = ("name", "kind", "region", "description")

    class Kind(models.TextChoices):
        STEERING_TABLE = "steering_table", _("steering table")
        WORKING_GROUP = "working_group", _("working group")
        COUNCIL_SESSION = "council_session", _("council session (Rond de Tafel)")
        OTHER = "other", _("other")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        Area, verbose_name=_("region"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.TextField(
        _("description"), blank=True, help_text=_("What it is for, how often it meets.")
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("body")
        verbose_name_plural = _("bodies")

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    """Who sits in a body: a person with their organisation and portfolio, as chair, secretary or member."""

    WRITABLE = ("name", "role", "organisation", "portfolio", "user")

    class Role(models.TextChoices):
        CHAIR = "chair", _("chair")
        SECRETARY = "secretary", _("secretary")
        MEMBER = "member", _("member")
        ADVISER = "adviser", _("adviser")

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.CASCADE, related_name="members")
    name = models.CharField(_("name"), max_length=150)
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL
    )
    portfolio = models.CharField(_("portfolio"), max_length=200, blank=True)
    # The member's own account, if they have one.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="body_seats",
    )

    class Meta:
        ordering = ["body", "role", "name"]
        verbose_name = _("member")
        verbose_name_plural = _("members")
        constraints = [
            models.UniqueConstraint(
                fields=["body"], condition=models.Q(role="chair"), name="one_chair_per_body"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Meeting(Versioned):
    # The fields a user writes, in the order of the form: the page form and the service derive from this.
    WRITABLE = ("body", "title", "starts_at", "ends_at", "place", "participants", "minutes")

    body = models.ForeignKey(Body, verbose_name=_("body"), on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.TextField(_("participants"), blank=True, help_text=_("One per line."))
    minutes = models.TextField(_("minutes"), blank=True)
    # Once held, the monitor figures on its agenda are frozen as they stood.
    held_at = models.DateTimeField(_("held at"), null=True, blank=True)
    # When its agenda was last published to the members of its body (who are then told).
    agenda_published_at = models.DateTimeField(_("agenda published at"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)
    # Every change to the meeting or its agenda raises this: an edit based on an older one is refused.

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%d-%m-%Y})"


class Forum(Versioned):
    """Where the table routes a question or proposal: it is a spelverdeler, not a commissioning body."""

    WRITABLE = ("name", "kind", "theme", "organisation", "contact", "answer_days", "description")

    class Kind(models.TextChoices):
        REGIONAL_CONSULTATION = "regional", _("regional consultation")
        VNG_COMMITTEE = "vng", _("VNG committee")
        PROVINCIAL_TABLE = "provincial", _("provincial steering table")
        NATIONAL_TABLE = "national", _("national steering table")
        MUNICIPALITY = "municipality", _("municipality")

    name = models.CharField(_("name"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    theme = models.CharField(_("domain"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), null=True, blank=True, on_delete=models.SET_NULL
    )
    contact = models.CharField(
        _("contact"),
        max_length=200,
        blank=True,
        help_text=_("Who receives the table's questions: a name, an e-mail address."),
    )
    answer_days = models.PositiveSmallIntegerField(
        _("expected answer time (days)"),
        null=True,
        blank=True,
        help_text=_("How long an answer usually takes; a referral not answered by then is shown as late."),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("forum")
        verbose_name_plural = _("forums")

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    # Show the housing monitor of this half-year with the item; frozen into `snapshot` when the meeting is held.
    monitor_half_year = models.CharField(_("monitor of half-year"), max_length=7, blank=True)
    snapshot = models.JSONField(_("monitor snapshot"), null=True, blank=True)
    # An answered referral returns to the agenda as an item.
    referral = models.ForeignKey(
        "Referral", null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )
    # A signal the table puts on its agenda.
    signal = models.ForeignKey(
        "Signal", null=True, blank=True, on_delete=models.SET_NULL, related_name="agenda_items"
    )

    class Meta:
        ordering = ["meeting", "position"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")

    def __str__(self) -> str:
        return self.title


class Document(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to="meetings/%Y/")
    name = models.CharField(_("name"), max_length=200)
    uploaded_at = models.DateTimeField(auto_now_add=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)

    class Meta:
        ordering = ["name"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.name


class Decision(models.Model):
    agenda_item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return self.text[:80]


class Action(Versioned):
    class Status(models.TextChoices):
        OPEN = "open", _("open")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    OPEN_STATUSES = (Status.OPEN, Status.IN_PROGRESS)

    decision = models.ForeignKey(
        Decision, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    title = models.CharField(_("action"), max_length=300)
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner (person)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner (organisation)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="actions",
    )
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["deadline", "id"]
        verbose_name = _("action")
        verbose_name_plural = _("actions")

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status in self.OPEN_STATUSES and self.deadline < today


class ActionStatusChange(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="history")
    changed_at = models.DateTimeField(auto_now_add=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL)
    old_status = models.CharField(max_length=12, blank=True)
    new_status = models.CharField(max_length=12)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.action}: {self.old_status} -> {self.new_status}"


class Referral(Versioned):
    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        ANSWERED = "answered", _("answered")
        CLOSED = "closed", _("closed")

    forum = models.ForeignKey(
        Forum, verbose_name=_("forum"), on_delete=models.PROTECT, related_name="referrals"
    )
    origin = models.ForeignKey(
        AgendaItem,
        verbose_name=_("from agenda item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="referrals_made",
    )
    title = models.CharField(_("title"), max_length=200)
    question = models.TextField(_("question or proposal"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.SENT)
    sent_on = models.DateField(_("sent on"))
    answer = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    # Who referred it: told when it is answered.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("referred by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")

    def __str__(self) -> str:
        return self.title

    @property
    def answer_due(self) -> datetime.date | None:
        """When the forum usually answers by (its expected answer time after sending); None if it has none."""
        days = self.forum.answer_days
        return None if days is None else self.sent_on + datetime.timedelta(days=days)

    def is_late(self, today: datetime.date) -> bool:
        due = self.answer_due
        return self.status == self.Status.SENT and due is not None and due < today


class Signal(Versioned):
    """An alarm a partner or municipality sounds at the table (the table "agendeert": COA and Nidos's "noodklok" about
    unaccompanied minors, a location closing, a risk to children's rights): who raised what, how urgent, what the
    table did with it and how it ended."""

    class Urgency(models.TextChoices):
        NORMAL = "normal", _("normal")
        HIGH = "high", _("high")
        URGENT = "urgent", _("urgent")

    class Group(models.TextChoices):
        STATUS_HOLDERS = "status_holders", _("status holders")
        ASYLUM_SEEKERS = "asylum_seekers", _("asylum seekers")
        MINORS = "minors", _("unaccompanied minors")
        UKRAINIANS = "ukrainians", _("displaced Ukrainians")
        OTHER = "other", _("other")

    class Status(models.TextChoices):
        NEW = "new", _("new")
        ON_AGENDA = "on_agenda", _("on the agenda")
        IN_ACTION = "in_action", _("in action")
        CLOSED = "closed", _("closed")

    OPEN_STATUSES = (Status.NEW, Status.ON_AGENDA, Status.IN_ACTION)

    title = models.CharField(_("subject"), max_length=200)
    description = models.TextField(_("description"))
    raised_by = models.ForeignKey(
        Organisation, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="signals"
    )
    raised_on = models.DateField(_("raised on"))
    urgency = models.CharField(_("urgency"), max_length=10, choices=Urgency.choices, default=Urgency.NORMAL)
    group = models.CharField(_("group concerned"), max_length=20, choices=Group.choices)
    municipalities = models.ManyToManyField(
        Area,
        verbose_name=_("municipalities concerned"),
        blank=True,
        related_name="signals",
        limit_choices_to={"kind": Area.Kind.MUNICIPALITY},
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    outcome = models.TextField(_("outcome"), blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["-raised_on", "-id"]
        verbose_name = _("signal")
        verbose_name_plural = _("signals")

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class CalendarFeed(models.Model):
    """A user's personal calendar subscription: a secret address that serves the meetings of the bodies they sit
    in as iCalendar, without a login. Only a hash of the secret is stored; the address is shown once. A new address
    revokes the old one; a revoked or an inactive user's address answers 404."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feeds"
    )
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("calendar subscription")
        verbose_name_plural = _("calendar subscriptions")

    def __str__(self) -> str:
        return str(self.user)
