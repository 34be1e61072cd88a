"""The table's own set-up in its own pages (issue 24, part 1): bodies with their members, and the forums questions
are referred to, on a database without demo data."""

import datetime

import pytest
from django.urls import reverse

from regietafel.audit.models import ProcessingLog
from regietafel.meetings import services
from regietafel.meetings.models import Body, BodyMember, Forum, Meeting, Referral
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area


@pytest.fixture
def region(dataset):
    return Area.objects.get(code="VR04")


@pytest.fixture
def raalte(dataset):
    return Organisation.objects.create(
        name="Gemeente Raalte",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Area.objects.get(code="GM0177"),
    )


def test_a_beheerder_sets_up_the_steering_table_and_its_members_and_plans_its_first_meeting(
    client_en, region, raalte
):
    assert not Body.objects.exists()
    response = client_en.post(
        reverse("meetings:body_create"),
        {"name": "Regietafel IJsselland", "kind": "steering_table", "region": region.pk, "description": ""},
    )
    body = Body.objects.get()
    assert response["Location"] == reverse("meetings:body", args=[body.pk])
    for name, role, portfolio in [
        ("A. Voorzitter", "chair", "Asiel en migratie"),
        ("B. Secretaris", "secretary", ""),
        ("C. Wethouder", "member", "Wonen"),
    ]:
        response = client_en.post(
            reverse("meetings:member_add", args=[body.pk]),
            {
                "name": name,
                "role": role,
                "organisation": raalte.pk,
                "portfolio": portfolio,
                "version": body.version,
            },
        )
        assert response.status_code == 302
        body.refresh_from_db()
    assert list(body.members.values_list("name", "role")) == [
        ("A. Voorzitter", "chair"),
        ("C. Wethouder", "member"),
        ("B. Secretaris", "secretary"),
    ]
    page = client_en.get(reverse("meetings:body", args=[body.pk])).content.decode()
    assert "A. Voorzitter" in page and "Asiel en migratie" in page and "chair" in page
    # The members are people: reading them is logged, as the partner register's contacts are.
    assert ProcessingLog.objects.filter(activity="partners").count() == 3
    response = client_en.post(
        reverse("meetings:create"),
        {"body": body.pk, "title": "Eerste vergadering", "starts_at": "2027-01-14T10:00", "place": "Zwolle"},
    )
    assert Meeting.objects.get().body == body


def test_a_body_has_one_chair(client_en, region):
    body = services.save_body(Body(name="Regietafel", kind="steering_table", region=region))
    services.save_member(body, body.version, BodyMember(name="A", role="chair"))
    body.refresh_from_db()
    response = client_en.post(
        reverse("meetings:member_add", args=[body.pk]),
        {"name": "B", "role": "chair", "version": body.version},
    )
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Regietafel already has a chair: A. Make them a member first."]
    assert body.members.count() == 1


def test_membership_edits_based_on_an_old_page_are_refused(client_en, region):
    body = services.save_body(Body(name="Werkgroep AMV", kind="working_group", region=region))
    seen = body.version
    services.save_member(body, seen, BodyMember(name="A"))
    response = client_en.post(
        reverse("meetings:member_add", args=[body.pk]), {"name": "B", "role": "member", "version": seen}
    )
    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Someone else changed this while you were editing. Reload the page and try again."]
    assert list(body.members.values_list("name", flat=True)) == ["A"]
    member = body.members.get()
    response = client_en.post(reverse("meetings:member_remove", args=[body.pk, member.pk]), {})
    assert [str(message) for message in response.wsgi_request._messages][-1] == (
        "Send the version you read: without it this change could overwrite someone else's."
    )
    body.refresh_from_db()
    client_en.post(reverse("meetings:member_remove", args=[body.pk, member.pk]), {"version": body.version})
    assert not body.members.exists()


def test_a_body_edit_based_on_an_old_version_is_refused_and_keeps_the_input(client_en, region):
    body = services.save_body(Body(name="Regietafel", kind="steering_table", region=region))
    services.save_body(body, body.version)  # someone else saved in between
    response = client_en.post(
        reverse("meetings:body_edit", args=[body.pk]),
        {"name": "Regietafel IJsselland", "kind": "steering_table", "region": region.pk, "version": 1},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed this" in page and 'value="Regietafel IJsselland"' in page
    assert Body.objects.get().name == "Regietafel"


def test_only_a_region_can_hold_a_body(client_en, region):
    response = client_en.post(
        reverse("meetings:body_create"),
        {"name": "Raalte", "kind": "other", "region": Area.objects.get(code="GM0177").pk},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Body.objects.exists()


def test_forums_with_their_contact_and_answer_time_mark_late_referrals(client_en, dataset):
    response = client_en.post(
        reverse("meetings:forum_create"),
        {
            "name": "BO Wonen",
            "kind": "regional",
            "theme": "wonen",
            "contact": "secretariaat@example.nl",
            "answer_days": "42",
        },
    )
    assert response["Location"] == reverse("meetings:forums")
    forum = Forum.objects.get()
    assert (forum.contact, forum.answer_days) == ("secretariaat@example.nl", 42)
    sent = datetime.date.today() - datetime.timedelta(days=50)
    referral = Referral.objects.create(
        forum=forum, title="Woningen voor grote gezinnen", question="?", sent_on=sent
    )
    assert referral.answer_due == sent + datetime.timedelta(days=42)
    assert referral.is_late(datetime.date.today())
    page = client_en.get(reverse("meetings:referrals")).content.decode()
    assert "answer expected by" in page and "late" in page
    listing = client_en.get(reverse("meetings:forums")).content.decode()
    assert "secretariaat@example.nl" in listing


def test_a_forum_without_an_answer_time_is_never_late(dataset):
    forum = services.save_forum(Forum(name="Landelijke Regietafel", kind="national"))
    referral = Referral.objects.create(
        forum=forum, title="t", question="?", sent_on=datetime.date(2020, 1, 1)
    )
    assert referral.answer_due is None and not referral.is_late(datetime.date.today())


def test_each_municipality_gets_a_forum_of_its_own_in_one_step(client_en, raalte):
    kampen = Organisation.objects.create(
        name="Gemeente Kampen",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Area.objects.get(code="GM0166"),
    )
    Forum.objects.create(name="Gemeente Kampen", kind="regional")  # a name already taken by another forum
    page = client_en.get(reverse("meetings:forums")).content.decode()
    assert "2 municipalities have no forum of their own yet" in page
    client_en.post(reverse("meetings:municipality_forums"))
    assert set(Forum.objects.filter(kind="municipality").values_list("name", "organisation")) == {
        ("Gemeente Raalte", raalte.pk),
        ("Gemeente Kampen (municipality)", kampen.pk),
    }
    client_en.post(reverse("meetings:municipality_forums"))
    assert Forum.objects.filter(kind="municipality").count() == 2


def test_a_municipality_forum_belongs_to_a_municipality(client_en, dataset):
    partner = Organisation.objects.create(name="COA", kind=Organisation.Kind.STATE)
    response = client_en.post(
        reverse("meetings:forum_create"), {"name": "COA", "kind": "municipality", "organisation": partner.pk}
    )
    assert (
        "A forum of type municipality belongs to the organisation of that municipality."
        in response.content.decode()
    )
    assert not Forum.objects.exists()
