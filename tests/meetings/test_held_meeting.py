"""A held meeting is read-only on the server: its agenda, documents, decisions and frozen figures no longer change,
whatever path a request takes (service, page or API); only its minutes can still be edited (issue 21, hole 4)."""

import datetime
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from regietafel.housing.models import HousingRealisation
from regietafel.meetings import services
from regietafel.meetings.demo import ensure_bodies_and_forums
from regietafel.meetings.models import AgendaItem, Decision, Document, Meeting
from tests.meetings.test_services import at


@pytest.fixture
def held(demo):
    body = ensure_bodies_and_forums("VR04")
    meeting = services.save_meeting(
        Meeting(body=body, title="RRVIJ maart", starts_at=at(datetime.date(2026, 3, 5)))
    )
    later = services.save_meeting(
        Meeting(body=body, title="RRVIJ april", starts_at=at(datetime.date(2026, 4, 2)))
    )
    services.add_item(meeting, meeting.version, "Stand van zaken", monitor_half_year="2025-H2")
    services.add_item(meeting, Meeting.objects.get(pk=meeting.pk).version, "Rondvraag")
    services.hold_meeting(meeting, Meeting.objects.get(pk=meeting.pk).version)
    return Meeting.objects.get(pk=meeting.pk), later


def frozen(meeting: Meeting) -> dict:
    """Everything of a held meeting but its minutes and version."""
    stored = Meeting.objects.values().get(pk=meeting.pk)
    return {
        "meeting": {name: value for name, value in stored.items() if name not in ("minutes", "version")},
        "items": list(AgendaItem.objects.filter(meeting=meeting).order_by("pk").values()),
        "decisions": list(Decision.objects.filter(agenda_item__meeting=meeting).values()),
        "documents": list(Document.objects.filter(agenda_item__meeting=meeting).values_list("pk", flat=True)),
    }


def changes(meeting: Meeting, later: Meeting, user):
    item = meeting.items.order_by("position").first()
    version = Meeting.objects.get(pk=meeting.pk).version
    renamed = Meeting.objects.get(pk=meeting.pk)
    renamed.title = "Andere titel"
    return {
        "hold again": lambda: services.hold_meeting(meeting, version),
        "add an item": lambda: services.add_item(
            meeting, version, "Nagekomen punt", monitor_half_year="2025-H2"
        ),
        "move an item": lambda: services.move_item(item, version, 1),
        "postpone an item": lambda: services.move_item_to_meeting(item, version, later, later.version),
        "record a decision": lambda: services.add_decision(item, "Nagekomen besluit"),
        "attach a document": lambda: services.add_document(
            item, SimpleUploadedFile("nagekomen.pdf", b"%PDF-1.4"), user
        ),
        "rename it": lambda: services.save_meeting(renamed, version),
    }


def test_no_service_changes_a_held_meeting_and_its_figures_stay_frozen(held, user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    meeting, later = held
    before = frozen(meeting)
    # A figure changes after the meeting: the frozen snapshot must not follow it.
    record = HousingRealisation.objects.filter(
        municipality__code="GM0177", month__year=2025, month__month=9
    ).get()
    record.housed += 40
    record.save()

    for name, change in changes(meeting, later, user).items():
        with pytest.raises(services.MeetingHeld):
            change()
        assert frozen(meeting) == before, name


def test_the_minutes_of_a_held_meeting_can_still_be_written(held):
    meeting, _later = held
    meeting.minutes = "Besproken: de stand van zaken."
    services.save_meeting(meeting, meeting.version)
    stored = Meeting.objects.get(pk=meeting.pk)
    assert stored.minutes == "Besproken: de stand van zaken."
    assert stored.version == meeting.version
    assert stored.held_at is not None


def test_pages_and_api_refuse_changes_to_a_held_meeting(held, logged_in):
    meeting, _later = held
    before = frozen(meeting)
    item = meeting.items.order_by("position").first()

    logged_in.post(f"/regietafel/vergadering/{meeting.pk}/gehouden/", {"version": meeting.version})
    logged_in.post(
        f"/regietafel/vergadering/{meeting.pk}/agendapunt/",
        {"version": meeting.version, "title": "Nagekomen", "description": "", "monitor_half_year": "2025-H2"},
    )
    refused = logged_in.post(f"/regietafel/agendapunt/{item.pk}/besluit/", {"text": "Nagekomen"}, follow=True)
    assert "Alleen de notulen kunnen nog worden gewijzigd" in refused.content.decode()
    edit = logged_in.get(f"/regietafel/vergadering/{meeting.pk}/bewerken/").content.decode()
    assert 'name="title"' in edit and "disabled" in edit.split('name="title"')[1].split(">")[0]

    api_title = logged_in.patch(
        f"/api/v1/vergaderingen/{meeting.pk}",
        json.dumps({"title": "Andere titel", "version": meeting.version}),
        content_type="application/json",
    )
    assert api_title.status_code == 400
    assert api_title.json()["errors"][0]["location"] == "#/title"
    api_decision = logged_in.post(
        "/api/v1/besluiten",
        json.dumps({"agenda_item": item.pk, "text": "Nagekomen"}),
        content_type="application/json",
    )
    assert api_decision.status_code == 409
    assert frozen(meeting) == before

    minutes = logged_in.patch(
        f"/api/v1/vergaderingen/{meeting.pk}",
        json.dumps({"minutes": "Notulen", "version": meeting.version}),
        content_type="application/json",
    )
    assert minutes.status_code == 200, minutes.content
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Notulen"
    assert frozen(meeting) == before
