"""A partner sees the meetings of the bodies its organisation sits in (issue 24: "partners cannot see the meetings
they attend"), with their agenda, documents and decisions, and nothing of the other bodies."""

from django.urls import reverse

from regietafel.access.scope import restrict
from regietafel.meetings.models import AgendaItem, Body, BodyMember, Decision, Document, Meeting


def test_a_partner_sees_its_bodies_meetings_once_each_and_no_others(world):
    partner = world.users["partner"]
    body = world.own("body", "partner")
    # Two seats of one organisation: still one meeting, not two.
    BodyMember.objects.create(body=body, name="B. Partner", organisation=body.members.first().organisation)
    for model in (Body, Meeting, AgendaItem, Document, Decision):
        seen = list(restrict(model.objects.all(), partner).values_list("pk", flat=True))
        assert len(seen) == len(set(seen)) == 1, model
    assert list(restrict(Meeting.objects.all(), partner)) == [world.own("meeting", "partner")]
    page = world.client("partner").get(reverse("meetings:list")).content.decode()
    assert (
        page.count("Werkgroep opvang") >= 1
        and "Regietafel" not in page.split("<main", 1)[1].split("</main>")[0]
    )


def test_the_partners_own_page_shows_its_next_meeting(world):
    page = world.client("partner").get(reverse("mine")).content.decode()
    assert reverse("meetings:detail", args=[world.own("meeting", "partner").pk]) in page
