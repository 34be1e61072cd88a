"""What the table's work tells people: the events of actions, referrals and agendas, and who hears of them.

Each function builds the event in the installation's language and hands it to ``notifications.notify``, which
tells each recipient once, only if they may see what it is about, as they chose."""

import datetime

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from regietafel.access.policy import Role
from regietafel.meetings.models import Action, Meeting, Referral, Signal
from regietafel.notifications.models import Kind
from regietafel.notifications.services import Event, house_language, members, notify


def action_owners(action: Action) -> list:
    """The users who own an action: its owner, and the members of its owner organisation."""
    users = (
        list(members(organisations=[action.owner_organisation_id])) if action.owner_organisation_id else []
    )
    if action.owner_user is not None:
        users.append(action.owner_user)
    return users


def action_assigned(action: Action) -> None:
    with house_language():
        owner = action.owner_organisation or action.owner_user
        event = Event(
            Kind.ACTION_ASSIGNED,
            f"action:{action.pk}:assigned:{action.owner_organisation_id or 0}:{action.owner_user_id or 0}",
            action,
            _("Action for %(owner)s: %(title)s") % {"owner": owner, "title": action.title},
            _("The steering table assigned an action to %(owner)s: “%(title)s”, due on %(date)s.")
            % {"owner": owner, "title": action.title, "date": date_format(action.deadline, "j F Y")},
            reverse("meetings:action", args=[action.pk]),
        )
    notify(event, action_owners(action))


def action_due(action: Action, today: datetime.date) -> None:
    """Tell the owners of an open action that it is due soon, or overdue: once per deadline for each."""
    overdue = action.deadline < today
    with house_language():
        values = {"title": action.title, "date": date_format(action.deadline, "j F Y")}
        event = Event(
            Kind.ACTION_OVERDUE if overdue else Kind.ACTION_DUE,
            f"action:{action.pk}:{'overdue' if overdue else 'due'}:{action.deadline:%Y-%m-%d}",
            action,
            (_("Overdue action: %(title)s") if overdue else _("Action due on %(date)s: %(title)s")) % values,
            (
                _("The action “%(title)s” of the steering table was due on %(date)s and is still open.")
                if overdue
                else _("The action “%(title)s” of the steering table is due on %(date)s.")
            )
            % values
            + "\n"
            + _("Update it in Regietafel when it is done."),
            reverse("meetings:action", args=[action.pk]),
        )
    notify(event, action_owners(action))


def referral_received(referral: Referral) -> None:
    if referral.forum.organisation_id is None:
        return
    with house_language():
        event = Event(
            Kind.REFERRAL_RECEIVED,
            f"referral:{referral.pk}:referred",
            referral,
            _("Question for %(forum)s: %(title)s") % {"forum": referral.forum, "title": referral.title},
            _("The steering table refers a question to %(forum)s: “%(title)s”. Answer it in Regietafel.")
            % {"forum": referral.forum, "title": referral.title},
            reverse("meetings:referral", args=[referral.pk]),
        )
    notify(event, members(organisations=[referral.forum.organisation_id]))


def referral_answered(referral: Referral) -> None:
    if referral.created_by is None:
        return
    with house_language():
        event = Event(
            Kind.REFERRAL_ANSWERED,
            f"referral:{referral.pk}:answered",
            referral,
            _("Answer from %(forum)s: %(title)s") % {"forum": referral.forum, "title": referral.title},
            _("%(forum)s answered the question “%(title)s” you referred on %(date)s.")
            % {
                "forum": referral.forum,
                "title": referral.title,
                "date": date_format(referral.sent_on, "j F Y"),
            },
            reverse("meetings:referral", args=[referral.pk]),
        )
    notify(event, [referral.created_by])


def agenda_published(meeting: Meeting) -> None:
    """Tell the members of the meeting's body (those with an account) that its agenda is published."""
    with house_language():
        values = {"title": meeting.title, "date": date_format(meeting.starts_at, "j F Y H:i")}
        event = Event(
            Kind.AGENDA_PUBLISHED,
            f"meeting:{meeting.pk}:agenda:{meeting.version}",
            meeting,
            _("Agenda published: %(title)s on %(date)s") % values,
            _("The agenda of “%(title)s” (%(date)s) is published.") % values,
            reverse("meetings:detail", args=[meeting.pk]),
        )
    notify(event, get_user_model().objects.filter(body_seats__body=meeting.body_id).distinct())


def signal_raised(signal: Signal) -> None:
    """Tell the programme team (the beheerders) of an urgent signal at once; other signals wait for its list."""
    if signal.urgency != Signal.Urgency.URGENT:
        return
    with house_language():
        values = {"organisation": signal.raised_by, "title": signal.title}
        event = Event(
            Kind.SIGNAL_URGENT,
            f"signal:{signal.pk}:urgent",
            signal,
            _("Urgent signal from %(organisation)s: %(title)s") % values,
            _(
                "%(organisation)s raises an urgent signal at the steering table: “%(title)s”. Put it on an agenda or "
                "take it up in Regietafel."
            )
            % values,
            reverse("meetings:signal", args=[signal.pk]),
        )
    team = get_user_model().objects.filter(is_active=True, membership__role=Role.ADMIN)
    notify(event, team)
