"""Changes to meetings, agendas, actions and referrals. Each function is one transaction.

Edits carry the version the user saw; when someone else saved in between, StaleEdit is raised and nothing
is written (the agenda of a meeting shares the meeting's version, so two people reordering conflict).
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from regietafel.access.policy import Role
from regietafel.core.versioning import bump, locked
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.meetings import notices
from regietafel.meetings.models import (
    Action,
    ActionStatusChange,
    AgendaItem,
    Body,
    BodyMember,
    CalendarFeed,
    Decision,
    Document,
    Forum,
    Meeting,
    Referral,
    Signal,
)
from regietafel.monitor.tables import housing_table
from regietafel.organisations.models import Organisation


class MeetingHeld(ValueError):
    """The meeting was held: its agenda, documents, decisions and frozen figures no longer change."""


# What a held meeting still lets change: its minutes (written up after the meeting, with the meeting's version).
CHANGEABLE_WHEN_HELD = ("minutes",)


def _open(meeting: Meeting) -> None:
    """Refuse a change to a held meeting (the caller holds the meeting locked)."""
    if meeting.held_at is not None:
        raise MeetingHeld(
            _(
                "This meeting was held: its agenda, documents, decisions and frozen figures no longer change. "
                "Only its minutes can still be edited."
            )
        )


def _locked_meeting(meeting_id: int) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting_id)


# Bodies and forums: what meets, who sits in it, and where questions go ---------------------------------


class SetUpError(ValueError):
    """A body or forum that cannot be saved as asked (the message says why, in the user's language)."""


def _save_versioned(record, version: int | None):
    """Create ``record`` or save it over the stored one if that still has the ``version`` its user read."""
    if record.pk is not None:
        record.version = locked(type(record), record.pk, version).version + 1
    record.save()
    return record


@transaction.atomic
def save_body(body: Body, version: int | None = None) -> Body:
    """Create a body (the steering table, a working group) or save an edited one."""
    if body.region_id is not None and body.region.kind != body.region.Kind.REGION:
        raise SetUpError(_("%(name)s is not a region.") % {"name": body.region.name})
    return _save_versioned(body, version)


@transaction.atomic
def save_member(body: Body, version: int | None, member: BodyMember) -> BodyMember:
    """Add a member to a body or save a changed one. Members share their body's version: two people changing
    the membership at the same time conflict instead of overwriting each other."""
    body = locked(Body, body.pk, version)
    if member.pk is not None and member.body_id != body.pk:
        raise SetUpError(_("This member sits in another body."))
    if member.role == BodyMember.Role.CHAIR:
        chair = body.members.filter(role=BodyMember.Role.CHAIR).exclude(pk=member.pk).first()
        if chair is not None:
            raise SetUpError(
                _("%(body)s already has a chair: %(name)s. Make them a member first.")
                % {"body": body.name, "name": chair.name}
            )
    member.body = body
    member.save()
    bump(body)
    return member


@transaction.atomic
def remove_member(member: BodyMember, version: int | None) -> None:
    body = locked(Body, member.body_id, version)
    body.members.filter(pk=member.pk).delete()
    bump(body)


@transaction.atomic
def save_forum(forum: Forum, version: int | None = None) -> Forum:
    """Create a forum the table refers questions to, or save an edited one."""
    if forum.kind == Forum.Kind.MUNICIPALITY and (
        forum.organisation is None or forum.organisation.kind != Organisation.Kind.MUNICIPALITY
    ):
        raise SetUpError(_("A forum of type municipality belongs to the organisation of that municipality."))
    return _save_versioned(forum, version)


def municipalities_without_forum() -> list[Organisation]:
    """The municipalities' organisations that no forum of type municipality belongs to."""
    have = Forum.objects.filter(kind=Forum.Kind.MUNICIPALITY).values("organisation")
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).exclude(pk__in=have).order_by("name")
    )


@transaction.atomic
def add_municipality_forums() -> list[Forum]:
    """A forum for every municipality's organisation that has none, so a question can go back to one
    municipality. A name already taken by another forum gets the type added. Returns the forums added."""
    taken = set(Forum.objects.values_list("name", flat=True))
    added = []
    for organisation in municipalities_without_forum():
        name = (
            organisation.name
            if organisation.name not in taken
            else f"{organisation.name} ({Forum.Kind.MUNICIPALITY.label})"
        )
        added.append(Forum.objects.create(name=name, kind=Forum.Kind.MUNICIPALITY, organisation=organisation))
        taken.add(name)
    return added


# Calendar subscriptions -----------------------------------------------------------------------------------


def _key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def new_calendar_feed(user) -> str:
    """A new personal subscription address's secret for ``user`` (returned once, stored as a hash); any earlier
    address of theirs stops working."""
    now = timezone.now()
    CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=now)
    key = secrets.token_urlsafe(32)
    CalendarFeed.objects.create(user=user, key_hash=_key_hash(key))
    return key


@transaction.atomic
def revoke_calendar_feeds(user) -> int:
    return CalendarFeed.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def calendar_feed(key: str) -> CalendarFeed | None:
    """The live subscription with this secret, of an active user with a role; None for anything else."""
    feed = (
        CalendarFeed.objects.select_related("user__membership")
        .filter(key_hash=_key_hash(key), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if feed is None or getattr(getattr(feed.user, "membership", None), "role", Role.NONE) == Role.NONE:
        return None
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
    return feed


def subscribed_meetings(user):
    """The meetings of the bodies ``user`` sits in (as a member with this account), from a month ago on."""
    since = timezone.now() - datetime.timedelta(days=31)
    return (
        Meeting.objects.filter(body__members__user=user, starts_at__gte=since)
        .select_related("body")
        .distinct()
        .order_by("starts_at")
    )


# Meetings and agendas -----------------------------------------------------------------------------------


@transaction.atomic
def save_meeting(meeting: Meeting, version: int | None = None) -> Meeting:
    """Create a meeting (it takes up answered referrals waiting for an agenda) or save an edited one."""
    if meeting.pk is None:
        meeting.save()
        for referral in referrals_awaiting_agenda(meeting.body, before=meeting.starts_at.date()):
            _append_item(meeting, _answer_title(referral), referral.answer, referral=referral)
        return meeting
    stored = locked(Meeting, meeting.pk, version)
    if stored.held_at is not None:
        # Compared by column (body_id, not the body), so nothing is read to compare.
        columns = [Meeting._meta.get_field(name).attname for name in Meeting.WRITABLE]
        changed = [
            name
            for name in columns
            if name not in CHANGEABLE_WHEN_HELD and getattr(meeting, name) != getattr(stored, name)
        ]
        if changed:
            _open(stored)
    meeting.held_at = stored.held_at
    meeting.version = stored.version + 1
    meeting.save()
    return meeting


def _append_item(meeting: Meeting, title: str, description: str = "", **fields) -> AgendaItem:
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    return AgendaItem.objects.create(
        meeting=meeting, position=last + 1, title=title, description=description, **fields
    )


@transaction.atomic
def add_item(
    meeting: Meeting, version: int, title: str, description: str = "", monitor_half_year: str = ""
) -> AgendaItem:
    meeting = locked(Meeting, meeting.pk, version)
    _open(meeting)
    if monitor_half_year:
        monitor_half_year = str(HalfYear.parse(monitor_half_year))
    item = _append_item(meeting, title, description, monitor_half_year=monitor_half_year)
    bump(meeting)
    return item


@transaction.atomic
def move_item(item: AgendaItem, version: int, step: int) -> None:
    """Move an item one place up (step -1) or down (step +1) on its agenda."""
    meeting = locked(Meeting, item.meeting_id, version)
    _open(meeting)
    items = list(meeting.items.order_by("position"))
    index = next(i for i, other in enumerate(items) if other.pk == item.pk)
    target = index + step
    if 0 <= target < len(items):
        items[index], items[target] = items[target], items[index]
        _renumber(items)
    bump(meeting)


@transaction.atomic
def move_item_to_meeting(item: AgendaItem, version: int, target: Meeting, target_version: int) -> None:
    """Postpone an item to a later meeting of the same body; it goes to the end of that agenda."""
    source = locked(Meeting, item.meeting_id, version)
    _open(source)
    target = locked(Meeting, target.pk, target_version)
    if target.body_id != source.body_id or target.starts_at <= source.starts_at or target.held_at:
        raise ValueError(
            _("An item can only move to a later meeting of the same body that was not held yet.")
        )
    last = target.items.aggregate(last=Max("position"))["last"] or 0
    AgendaItem.objects.filter(pk=item.pk).update(meeting=target, position=last + 1)
    _renumber(list(source.items.order_by("position")))
    bump(source)
    bump(target)


def _renumber(items: list[AgendaItem]) -> None:
    for position, item in enumerate(items, start=1):
        if item.position != position:
            AgendaItem.objects.filter(pk=item.pk).update(position=position)


@transaction.atomic
def hold_meeting(meeting: Meeting, version: int) -> Meeting:
    """Mark a meeting as held and freeze the monitor figures on its agenda as they stand now."""
    meeting = locked(Meeting, meeting.pk, version)
    _open(meeting)
    region = meeting.body.region
    for item in meeting.items.exclude(monitor_half_year=""):
        item.snapshot = monitor_snapshot(region, HalfYear.parse(item.monitor_half_year)) if region else None
        item.save(update_fields=["snapshot"])
    meeting.held_at = timezone.now()
    meeting.save(update_fields=["held_at"])
    bump(meeting)
    return meeting


@transaction.atomic
def publish_agenda(meeting: Meeting, version: int) -> Meeting:
    """Publish the agenda to the members of the meeting's body: each one with an account is told. Publishing
    again after a change tells them again (the agenda's version is part of the event)."""
    meeting = locked(Meeting, meeting.pk, version)
    _open(meeting)
    meeting.agenda_published_at = timezone.now()
    meeting.version += 1
    meeting.save(update_fields=["agenda_published_at", "version"])
    notices.agenda_published(meeting)
    return meeting


def monitor_snapshot(region, half_year: HalfYear) -> dict:
    table = housing_table(HousingLedger(region), half_year)
    return {
        "region": region.name,
        "half_year": str(half_year),
        "taken_at": timezone.now().isoformat(),
        "columns": [column.key for column in table.export_columns()],
        "rows": table.export_rows(),
    }


@transaction.atomic
def add_document(item: AgendaItem, upload, user) -> Document:
    _open(_locked_meeting(item.meeting_id))
    return Document.objects.create(agenda_item=item, file=upload, name=upload.name[:200], uploaded_by=user)


@transaction.atomic
def add_decision(item: AgendaItem, text: str) -> Decision:
    _open(_locked_meeting(item.meeting_id))
    decision = Decision.objects.create(agenda_item=item, text=text)
    Meeting.objects.filter(pk=item.meeting_id).update(version=F("version") + 1)
    return decision


# Actions ------------------------------------------------------------------------------------------------


@transaction.atomic
def add_action(
    decision: Decision | None,
    title: str,
    deadline: datetime.date,
    user,
    owner_user=None,
    owner_organisation=None,
) -> Action:
    if owner_user is None and owner_organisation is None:
        raise ValueError(_("An action needs an owner: a person or an organisation."))
    action = Action.objects.create(
        decision=decision,
        title=title,
        deadline=deadline,
        owner_user=owner_user,
        owner_organisation=owner_organisation,
    )
    ActionStatusChange.objects.create(action=action, changed_by=user, new_status=action.status)
    if decision is not None:
        # A signal the decision was taken on is now being acted upon.
        Signal.objects.filter(
            agenda_items=decision.agenda_item_id, status__in=(Signal.Status.NEW, Signal.Status.ON_AGENDA)
        ).update(status=Signal.Status.IN_ACTION, version=F("version") + 1)
    notices.action_assigned(action)
    return action


@transaction.atomic
def save_action(action: Action, version: int, user, *, status: str, note: str = "", **fields) -> Action:
    """Change an action's fields and status; every status change is kept in its history."""
    current = locked(Action, action.pk, version)
    if current.status != status:
        ActionStatusChange.objects.create(
            action=current, changed_by=user, old_status=current.status, new_status=status, note=note
        )
    owners = (current.owner_organisation_id, current.owner_user_id)
    for name, value in fields.items():
        setattr(current, name, value)
    current.status = status
    current.version += 1
    current.save()
    if (current.owner_organisation_id, current.owner_user_id) != owners and status in Action.OPEN_STATUSES:
        notices.action_assigned(current)
    return current


def due_actions(today: datetime.date, days: int):
    """Open actions due within ``days`` days or overdue (generated demo actions are nobody's)."""
    return (
        Action.objects.filter(
            status__in=Action.OPEN_STATUSES,
            deadline__lte=today + datetime.timedelta(days=days),
            is_demo=False,
        )
        .select_related("owner_user", "owner_organisation")
        .order_by("deadline", "id")
    )


def notify_due_actions(today: datetime.date, days: int = 7) -> tuple[int, list[Action]]:
    """Tell the owners of open actions due within ``days`` days, or overdue: once per action and deadline (a new
    deadline is a new event). Returns how many actions were told of, and those whose owners have no account with
    an e-mail address (the programme team reminds them itself). Safe to run from cron every day."""
    told, unreachable = 0, []
    for action in due_actions(today, days):
        notices.action_due(action, today)
        told += 1
        owners = notices.action_owners(action)
        if not any(user.email for user in owners):
            unreachable.append(action)
    return told, unreachable


# Referrals ----------------------------------------------------------------------------------------------


@transaction.atomic
def refer(
    origin: AgendaItem | None, forum, title: str, question: str, sent_on: datetime.date, user=None
) -> Referral:
    """Refer a question to a forum; the forum's organisation is told."""
    referral = Referral.objects.create(
        origin=origin, forum=forum, title=title, question=question, sent_on=sent_on, created_by=user
    )
    notices.referral_received(referral)
    return referral


def _answer_title(referral: Referral) -> str:
    return _("Answer from %(forum)s: %(title)s") % {"forum": referral.forum.name, "title": referral.title}


def referrals_awaiting_agenda(body: Body, before: datetime.date | None = None):
    """Answered referrals from this body's meetings that are not on a later agenda yet."""
    referrals = Referral.objects.filter(
        status=Referral.Status.ANSWERED, origin__meeting__body=body, agenda_items=None
    )
    if before is not None:
        referrals = referrals.filter(answered_on__lte=before)
    return referrals.select_related("forum")


@transaction.atomic
def answer_referral(
    referral: Referral, version: int, answer: str, answered_on: datetime.date
) -> AgendaItem | None:
    """Record the answer; it returns on the next agenda of the body that referred it (now, or when planned)."""
    referral = locked(Referral, referral.pk, version)
    referral.answer = answer
    referral.answered_on = answered_on
    referral.status = Referral.Status.ANSWERED
    referral.version += 1
    referral.save()
    notices.referral_answered(referral)
    if referral.origin is None:
        return None
    next_meeting = (
        Meeting.objects.filter(
            body=referral.origin.meeting.body, held_at=None, starts_at__date__gte=answered_on
        )
        .exclude(pk=referral.origin.meeting_id)
        .order_by("starts_at")
        .first()
    )
    if next_meeting is None:
        return None
    item = _append_item(next_meeting, _answer_title(referral), answer, referral=referral)
    bump(next_meeting)
    return item


@transaction.atomic
def close_referral(referral: Referral, version: int) -> Referral:
    referral = locked(Referral, referral.pk, version)
    referral.status = Referral.Status.CLOSED
    referral.version += 1
    referral.save()
    return referral


# Signals ------------------------------------------------------------------------------------------------------


class SignalError(ValueError):
    """A signal that cannot change as asked (the message says why, in the user's language)."""


@transaction.atomic
def raise_signal(
    *,
    title: str,
    description: str,
    raised_by: Organisation,
    raised_on: datetime.date,
    urgency: str,
    group: str,
    municipalities=(),
    user=None,
) -> Signal:
    """Record a signal; an urgent one is told to the programme team at once."""
    signal = Signal.objects.create(
        title=title,
        description=description,
        raised_by=raised_by,
        raised_on=raised_on,
        urgency=urgency,
        group=group,
        created_by=user,
    )
    signal.municipalities.set(municipalities)
    notices.signal_raised(signal)
    return signal


@transaction.atomic
def put_signal_on_agenda(signal: Signal, version: int, meeting: Meeting) -> AgendaItem:
    """Put a signal on a meeting's agenda as an item of its own (the signal's description goes with it), at the
    end: it changes no item someone else is editing, so the meeting's own version is not asked for."""
    signal = locked(Signal, signal.pk, version)
    if not signal.is_open:
        raise SignalError(_("This signal is closed."))
    meeting = _locked_meeting(meeting.pk)
    _open(meeting)
    title = _("Signal from %(organisation)s: %(title)s") % {
        "organisation": signal.raised_by,
        "title": signal.title,
    }
    item = _append_item(meeting, title[:200], signal.description, signal=signal)
    bump(meeting)
    if signal.status == Signal.Status.NEW:
        signal.status = Signal.Status.ON_AGENDA
    signal.version += 1
    signal.save()
    return item


@transaction.atomic
def close_signal(signal: Signal, version: int, outcome: str, closed_on: datetime.date) -> Signal:
    """Close a signal with what came of it."""
    signal = locked(Signal, signal.pk, version)
    if not signal.is_open:
        raise SignalError(_("This signal is closed."))
    if not outcome.strip():
        raise SignalError(_("Say what came of the signal."))
    if closed_on < signal.raised_on:
        raise SignalError(_("A signal cannot be closed before it was raised."))
    signal.status = Signal.Status.CLOSED
    signal.outcome = outcome.strip()
    signal.closed_on = closed_on
    signal.version += 1
    signal.save()
    return signal
