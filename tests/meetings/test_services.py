import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import call_command

from regietafel.core.versioning import StaleEdit
from regietafel.meetings import services
from regietafel.meetings.demo import ensure_bodies_and_forums
from regietafel.meetings.models import Action, AgendaItem, Forum, Meeting, Referral, Reminder
from regietafel.organisations.models import Contact, Organisation

TZ = ZoneInfo("Europe/Amsterdam")


def at(day: datetime.date) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, 10, tzinfo=TZ)


@pytest.fixture
def body(dataset):
    return ensure_bodies_and_forums("VR04")


@pytest.fixture
def meeting(body):
    return services.save_meeting(
        Meeting(body=body, title="RRVIJ maart", starts_at=at(datetime.date(2026, 3, 5)))
    )


def titles(meeting: Meeting) -> list[str]:
    return list(meeting.items.order_by("position").values_list("title", flat=True))


def test_items_are_appended_and_moved(meeting):
    for title in ("A", "B", "C"):
        services.add_item(meeting, Meeting.objects.get(pk=meeting.pk).version, title)
    item_c = meeting.items.get(title="C")
    services.move_item(item_c, Meeting.objects.get(pk=meeting.pk).version, -1)
    assert titles(meeting) == ["A", "C", "B"]
    services.move_item(meeting.items.get(title="A"), Meeting.objects.get(pk=meeting.pk).version, -1)
    assert titles(meeting) == ["A", "C", "B"]


def test_moving_with_an_old_version_is_a_conflict_and_changes_nothing(meeting):
    services.add_item(meeting, meeting.version, "A")
    seen = Meeting.objects.get(pk=meeting.pk).version
    services.add_item(meeting, seen, "B")  # someone else changes the agenda
    with pytest.raises(StaleEdit):
        services.move_item(meeting.items.get(title="B"), seen, -1)
    assert titles(meeting) == ["A", "B"]


def test_an_item_moves_to_a_later_meeting_only(body, meeting):
    services.add_item(meeting, meeting.version, "A")
    services.add_item(meeting, Meeting.objects.get(pk=meeting.pk).version, "B")
    later = services.save_meeting(
        Meeting(body=body, title="RRVIJ april", starts_at=at(datetime.date(2026, 4, 2)))
    )
    item = meeting.items.get(title="A")
    services.move_item_to_meeting(item, Meeting.objects.get(pk=meeting.pk).version, later, later.version)
    assert titles(later) == ["A"]
    assert titles(meeting) == ["B"]
    assert meeting.items.get(title="B").position == 1
    with pytest.raises(ValueError):
        services.move_item_to_meeting(
            later.items.get(title="A"),
            Meeting.objects.get(pk=later.pk).version,
            meeting,
            Meeting.objects.get(pk=meeting.pk).version,
        )


def test_holding_a_meeting_freezes_the_monitor(demo, meeting):
    item = services.add_item(meeting, meeting.version, "Stand van zaken", monitor_half_year="2025-H2")
    services.hold_meeting(meeting, Meeting.objects.get(pk=meeting.pk).version)
    item.refresh_from_db()
    raalte = next(row for row in item.snapshot["rows"] if row["code"] == "GM0177")
    assert raalte["statutory"] == 28
    assert item.snapshot["half_year"] == "2025-H2"
    assert Meeting.objects.get(pk=meeting.pk).held_at is not None


def test_an_answered_referral_returns_on_the_next_agenda(body, meeting):
    item = services.add_item(meeting, meeting.version, "Huisvesting")
    referral = services.refer(
        item, Forum.objects.get(name="BO Wonen"), "Woningen", "Hoe?", datetime.date(2026, 3, 6)
    )
    assert services.answer_referral(referral, referral.version, "Zo.", datetime.date(2026, 3, 20)) is None
    # No later meeting yet: the answer waits and joins the agenda of the next meeting that is planned.
    later = services.save_meeting(
        Meeting(body=body, title="RRVIJ april", starts_at=at(datetime.date(2026, 4, 2)))
    )
    returned = later.items.get()
    assert returned.referral == referral
    assert "BO Wonen" in returned.title
    assert list(services.referrals_awaiting_agenda(body)) == []


def test_an_answer_goes_to_an_already_planned_meeting(body, meeting):
    later = services.save_meeting(
        Meeting(body=body, title="RRVIJ april", starts_at=at(datetime.date(2026, 4, 2)))
    )
    item = services.add_item(meeting, meeting.version, "Huisvesting")
    referral = services.refer(
        item, Forum.objects.get(name="BO Wonen"), "Woningen", "Hoe?", datetime.date(2026, 3, 6)
    )
    returned = services.answer_referral(referral, referral.version, "Zo.", datetime.date(2026, 3, 20))
    assert returned.meeting == later
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.ANSWERED
    with pytest.raises(StaleEdit):
        services.close_referral(referral, referral.version)
    services.close_referral(referral, referral.version + 1)
    assert Referral.objects.get(pk=referral.pk).status == Referral.Status.CLOSED


def test_action_status_changes_are_kept_and_stale_edits_refused(body, user):
    organisation = Organisation.objects.create(name="COA", kind=Organisation.Kind.STATE)
    action = services.add_action(
        None, "Plekken zoeken", datetime.date(2026, 5, 1), user, owner_organisation=organisation
    )
    services.save_action(action, action.version, user, status=Action.Status.IN_PROGRESS, note="gestart")
    with pytest.raises(StaleEdit):
        services.save_action(action, action.version, user, status=Action.Status.DONE)
    assert [(c.old_status, c.new_status) for c in action.history.all()] == [
        ("", "open"),
        ("open", "in_progress"),
    ]
    with pytest.raises(ValueError):
        services.add_action(None, "Zonder eigenaar", datetime.date(2026, 5, 1), user)


@pytest.fixture
def reminder_actions(db, user):
    user.email = "medewerker@example.org"
    user.save()
    coa = Organisation.objects.create(name="COA", kind=Organisation.Kind.STATE)
    Contact.objects.create(organisation=coa, name="Contact COA", email="coa@example.org")
    nobody = Organisation.objects.create(name="Kerk", kind=Organisation.Kind.CHURCH)
    today = datetime.date(2026, 6, 10)
    make = Action.objects.create
    return {
        "overdue": make(title="Te laat", owner_user=user, deadline=today - datetime.timedelta(days=3)),
        "due": make(title="Bijna", owner_organisation=coa, deadline=today + datetime.timedelta(days=5)),
        "later": make(title="Later", owner_user=user, deadline=today + datetime.timedelta(days=30)),
        "done": make(title="Klaar", owner_user=user, deadline=today, status=Action.Status.DONE),
        "unreachable": make(title="Geen adres", owner_organisation=nobody, deadline=today),
    }


def test_send_reminders_sends_due_and_overdue_once_per_day(reminder_actions):
    out = io.StringIO()
    call_command("send_reminders", "--today", "2026-06-10", stdout=out, stderr=io.StringIO())
    lines = out.getvalue().splitlines()
    assert lines[-1] == "sent: 2"
    assert len(lines) == 3
    assert (
        sorted(message.subject for message in mail.outbox)
        == sorted(["Action due on 15-06-2026: Bijna", "Overdue action: Te laat"])
        or len(mail.outbox) == 2
    )
    assert {tuple(message.to) for message in mail.outbox} == {
        ("medewerker@example.org",),
        ("coa@example.org",),
    }
    assert all("@" not in line for line in lines)  # no addresses in the output cron logs

    again = io.StringIO()
    call_command("send_reminders", "--today", "2026-06-10", stdout=again, stderr=io.StringIO())
    assert again.getvalue().splitlines() == ["sent: 0"]
    assert len(mail.outbox) == 2

    next_day = io.StringIO()
    call_command("send_reminders", "--today", "2026-06-11", stdout=next_day, stderr=io.StringIO())
    assert next_day.getvalue().splitlines()[-1] == "sent: 2"
    assert Reminder.objects.count() == 4


def test_send_reminders_rejects_a_bad_date(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("send_reminders", "--today", "10-06-2026")


def test_agenda_item_positions_stay_dense(meeting):
    for title in ("A", "B", "C"):
        services.add_item(meeting, Meeting.objects.get(pk=meeting.pk).version, title)
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("position", flat=True)) == [1, 2, 3]
