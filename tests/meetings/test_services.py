import datetime
from zoneinfo import ZoneInfo

import pytest

from regietafel.core.versioning import StaleEdit
from regietafel.meetings import services
from regietafel.meetings.demo import ensure_bodies_and_forums
from regietafel.meetings.models import Action, AgendaItem, Forum, Meeting, Referral
from regietafel.organisations.models import Organisation

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


def test_the_meeting_page_shows_its_monitor_in_words_not_keys(demo, meeting, logged_in):
    """Kept by key (the snapshot), shown as people read it: labels, statuses, ja/nee (issue 25)."""
    services.add_item(meeting, meeting.version, "Stand van zaken", monitor_half_year="2025-H2")
    for held in (False, True):
        if held:
            services.hold_meeting(meeting, Meeting.objects.get(pk=meeting.pk).version)
        page = logged_in.get(
            f"/regietafel/vergadering/{meeting.pk}/", HTTP_ACCEPT_LANGUAGE="nl"
        ).content.decode()
        table = page[page.index("Huisvestingsmonitor") :]
        table = table[: table.index("</table>")]
        assert "Wettelijke taakstelling" in table and "statutory" not in table
        assert "far_behind" not in table and "True" not in table and "False" not in table


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


def test_agenda_item_positions_stay_dense(meeting):
    for title in ("A", "B", "C"):
        services.add_item(meeting, Meeting.objects.get(pk=meeting.pk).version, title)
    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("position", flat=True)) == [1, 2, 3]
