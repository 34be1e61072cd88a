import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from regietafel.meetings import services
from regietafel.meetings.demo import ensure_bodies_and_forums
from regietafel.meetings.models import Action, AgendaItem, Document, Meeting

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


@pytest.fixture
def meeting(dataset):
    body = ensure_bodies_and_forums()
    return services.save_meeting(
        Meeting(body=body, title="RRVIJ", starts_at=datetime.datetime(2026, 3, 5, 10, tzinfo=datetime.UTC))
    )


def test_pages_need_a_login(client, meeting):
    for url in [
        reverse("meetings:list"),
        reverse("meetings:detail", args=[meeting.pk]),
        reverse("meetings:actions"),
    ]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_create_a_meeting_and_build_its_agenda(logged_in, meeting):
    response = logged_in.post(
        reverse("meetings:create"),
        {"body": meeting.body.pk, "title": "Werkbezoek", "starts_at": "2026-04-01T14:00", "place": "Kampen"},
    )
    created = Meeting.objects.get(title="Werkbezoek")
    assert response["Location"] == reverse("meetings:detail", args=[created.pk])
    logged_in.post(
        reverse("meetings:item_add", args=[created.pk]), {"title": "Opening", "version": created.version}
    )
    created.refresh_from_db()
    logged_in.post(
        reverse("meetings:item_add", args=[created.pk]), {"title": "Woningen", "version": created.version}
    )
    item = AgendaItem.objects.get(title="Woningen")
    page = logged_in.get(reverse("meetings:detail", args=[created.pk]))
    assert page.status_code == 200
    assert page.content.decode().index("Opening") < page.content.decode().index("Woningen")
    assert item.position == 2


def test_a_stale_move_shows_a_conflict(logged_in, meeting):
    services.add_item(meeting, meeting.version, "A")
    services.add_item(meeting, Meeting.objects.get(pk=meeting.pk).version, "B")
    item = AgendaItem.objects.get(title="B")
    response = logged_in.post(
        reverse("meetings:item_move", args=[item.pk]),
        {"version": 1, "direction": "up"},
        follow=True,
        **ENGLISH,
    )
    assert "Someone else changed this agenda" in response.content.decode()
    assert list(meeting.items.order_by("position").values_list("title", flat=True)) == ["A", "B"]


def test_documents_are_checked_and_served_only_to_logged_in_users(
    logged_in, client, meeting, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    item = services.add_item(meeting, meeting.version, "A")
    bad = SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream")
    response = logged_in.post(
        reverse("meetings:document_add", args=[item.pk]), {"file": bad}, follow=True, **ENGLISH
    )
    assert "not accepted" in response.content.decode()
    assert not Document.objects.exists()
    good = SimpleUploadedFile("notitie.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    logged_in.post(reverse("meetings:document_add", args=[item.pk]), {"file": good})
    document = Document.objects.get()
    download = logged_in.get(reverse("meetings:document", args=[document.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert Client().get(reverse("meetings:document", args=[document.pk])).status_code == 302


def test_decision_with_two_actions_and_my_actions(logged_in, user, meeting):
    item = services.add_item(meeting, meeting.version, "A")
    logged_in.post(reverse("meetings:decision_add", args=[item.pk]), {"text": "We doen het."})
    decision = item.decisions.get()
    for title in ("Eerste", "Tweede"):
        logged_in.post(
            reverse("meetings:action_add", args=[decision.pk]),
            {"title": title, "owner_user": user.pk, "deadline": "2020-01-01"},
        )
    assert decision.actions.count() == 2
    mine = logged_in.get(reverse("meetings:actions") + "?voor=mij")
    assert {action.title for action in mine.context["actions"]} == {"Eerste", "Tweede"}
    assert mine.content.decode().count("rt-overdue-label") == 2


def test_editing_an_action_that_changed_meanwhile_shows_a_conflict(logged_in, user, meeting):
    action = services.add_action(None, "Iets", datetime.date(2026, 5, 1), user, owner_user=user)
    form = {
        "title": "Iets",
        "owner_user": user.pk,
        "deadline": "2026-05-01",
        "status": "done",
        "version": action.version,
    }
    services.save_action(action, action.version, user, status=Action.Status.IN_PROGRESS)
    response = logged_in.post(reverse("meetings:action", args=[action.pk]), form, **ENGLISH)
    assert response.status_code == 200
    assert "Someone else changed this" in response.content.decode()
    assert Action.objects.get(pk=action.pk).status == Action.Status.IN_PROGRESS


def test_calendar_export(logged_in, meeting):
    response = logged_in.get(reverse("meetings:ics", args=[meeting.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VEVENT" in body and "SUMMARY:" in body and "DTSTART" in body
