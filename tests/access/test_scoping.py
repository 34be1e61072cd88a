"""What a municipality user sees of persons, everywhere; the processing log; role changes; the admin."""

import csv
import io

import pytest
from django.apps import apps
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import Client
from django.urls import reverse

from regietafel.access.models import Membership, Role, RoleChange
from regietafel.access.scope import can, restrict
from regietafel.accounts import services as access_services
from regietafel.audit.models import Action, AppendOnlyError, Channel, ProcessingLog
from regietafel.audit.services import pseudonym
from regietafel.persons.models import Household


def _lines(**filters):
    return ProcessingLog.objects.filter(object_type="persons.household", **filters)


def test_a_municipality_sees_only_its_own_households_on_every_channel(world):
    client = world.client("gemeente")
    own, other = world.own("household", "gemeente"), world.other("household")

    page = client.get(reverse("persons:list")).content.decode()
    assert own.reference in page and other.reference not in page

    exported = client.get(reverse("persons:export", args=["csv"]), {"variant": "systeem"}).content.decode()
    references = [row["reference"] for row in csv.DictReader(io.StringIO(exported))]
    assert references == [own.reference]

    listed = client.get(reverse("api:household-list")).json()
    assert [row["reference"] for row in listed["results"]] == [own.reference]

    assert client.get(reverse("api:household-detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("persons:detail", args=[other.pk])).status_code == 404
    # The filter cannot be used to reach another municipality either.
    filtered = client.get(reverse("persons:list"), {"gemeente": "GM0166"}).content.decode()
    assert other.reference not in filtered


def test_there_is_no_second_administration_beside_the_product(world):
    """Django's admin would bypass the services (no reasons, no role changes kept, no logged reads): users,
    two-factor login, login locks and the record history are managed on the product's own pages."""
    assert not apps.is_installed("django.contrib.admin")
    admin = world.users["beheerder"]
    admin.is_staff = admin.is_superuser = True
    admin.save()
    for path in ("/beheer/", "/beheer/login/", "/admin/"):
        assert world.client("beheerder").get(path).status_code == 404


def test_every_read_writes_one_log_line_per_household_before_the_response(world):
    client = world.client("beheerder")
    own, other = world.own("household", "gemeente"), world.other("household")

    client.get(reverse("persons:list"))
    assert _lines(action=Action.READ, channel=Channel.LIST).count() == 2
    client.get(reverse("persons:detail", args=[own.pk]))
    line = _lines(action=Action.READ, channel=Channel.PAGE).get()
    assert line.subject == pseudonym("persons.Household", own.pk)
    assert line.actor == "beheerder" and line.role == Role.ADMIN
    assert line.activity == "housing" and line.result == "success"
    client.get(reverse("persons:export", args=["xlsx"]))
    assert _lines(action=Action.EXPORT).count() == 2
    client.get(reverse("api:household-detail", args=[other.pk]))
    assert _lines(channel=Channel.API).count() == 1
    # The subject is pseudonymised: no reference, V-number or primary key in the line.
    assert own.reference not in line.subject and str(own.pk) != line.subject


def test_when_the_log_cannot_be_written_no_personal_data_is_sent(world, monkeypatch):
    def broken(*args, **kwargs):
        raise DatabaseError("log unavailable")

    monkeypatch.setattr(ProcessingLog.objects, "bulk_create", broken)
    client = world.client("gemeente")
    client.raise_request_exception = False
    own = world.own("household", "gemeente")
    for url in (
        reverse("persons:list"),
        reverse("persons:detail", args=[own.pk]),
        reverse("persons:export", args=["csv"]),
        reverse("api:household-list"),
    ):
        response = client.get(url)
        assert response.status_code == 500
        assert own.reference.encode() not in response.content


# The household form carries its ties as a formset; these fields say "no ties".
NO_TIES = {
    "banden-TOTAL_FORMS": 0,
    "banden-INITIAL_FORMS": 0,
    "banden-MIN_NUM_FORMS": 0,
    "banden-MAX_NUM_FORMS": 6,
}


def test_changes_are_logged_and_keep_their_history(world):
    client = world.client("gemeente")
    own = world.own("household", "gemeente")
    response = client.post(
        reverse("persons:edit", args=[own.pk]),
        {
            "municipality": own.municipality_id,
            "v_number": "1234567890",
            "linked_on": "2026-09-01",
            "adults": 2,
            "children": 1,
            "version": own.version,
            **NO_TIES,
        },
    )
    assert response.status_code == 302
    assert _lines(action=Action.UPDATE).count() == 1
    page = client.get(reverse("persons:detail", args=[own.pk])).content.decode()
    assert "Children: 0 → 1" in page  # the history: old -> new
    assert "1234567890" not in page.split('id="geschiedenis"')[1]  # masked in the history


def test_a_municipality_cannot_register_a_household_elsewhere(world):
    client = world.client("gemeente")
    kampen = world.other("household").municipality
    response = client.post(
        reverse("persons:create"),
        {
            "municipality": kampen.pk,
            "linked_on": "2026-10-01",
            "adults": 1,
            "children": 0,
            **NO_TIES,
        },
    )
    assert response.status_code == 200
    assert Household.objects.filter(municipality=kampen).count() == 1


def test_two_editors_the_second_is_refused(world):
    own = world.own("household", "gemeente")
    data = {
        "municipality": own.municipality_id,
        "linked_on": "2026-09-01",
        "adults": 1,
        "children": 1,
        "version": own.version,
        **NO_TIES,
    }
    assert world.client("gemeente").post(reverse("persons:edit", args=[own.pk]), data).status_code == 302
    refused = world.client("beheerder").post(reverse("persons:edit", args=[own.pk]), {**data, "adults": 3})
    assert refused.status_code == 200
    assert "Someone else changed this" in refused.content.decode()
    own.refresh_from_db()
    assert own.adults == 1


def test_the_log_is_append_only(world):
    world.client("beheerder").get(reverse("persons:list"))
    line = ProcessingLog.objects.first()
    line.result = "failure"
    with pytest.raises(AppendOnlyError):
        line.save()
    with pytest.raises(AppendOnlyError):
        line.delete()
    with pytest.raises(AppendOnlyError):
        ProcessingLog.objects.update(result="failure")
    with pytest.raises(AppendOnlyError):
        ProcessingLog.objects.all().delete()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL")
def test_postgresql_refuses_to_rewrite_the_log(world):
    world.client("beheerder").get(reverse("persons:list"))
    before = list(ProcessingLog.objects.values_list("pk", "result"))
    statements = (
        "UPDATE audit_processinglog SET result = 'failure'",
        "DELETE FROM audit_processinglog",
        "TRUNCATE audit_processinglog",
    )
    for statement in statements:
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            # As in production: no declaration that this replaces everything (the test database has one).
            cursor.execute("SET LOCAL regietafel.replace_all = 'off'")
            cursor.execute(statement)
    assert list(ProcessingLog.objects.values_list("pk", "result")) == before
    assert {result for _pk, result in before} == {"success"}


def test_the_beheerder_filters_and_exports_the_log(world):
    admin = world.client("beheerder")
    admin.get(reverse("persons:list"))
    world.client("gemeente").get(reverse("persons:list"))
    page = admin.get(reverse("access:log"), {"actor": "raalte"})
    assert page.context["page"].paginator.count == 1
    exported = admin.get(
        reverse("access:log-export"), {"actor": "beheerder", "action": "read", "variant": "systeem"}
    ).content.decode()
    rows = list(csv.DictReader(io.StringIO(exported)))
    assert len(rows) == 2 and {row["actor"] for row in rows} == {"beheerder"}


def test_a_role_change_is_kept_and_logged_and_takes_effect(world, rf):
    waiting = world.users["none"]
    client = world.client("none")
    assert client.get(reverse("monitor:overview")).status_code == 403
    raalte = world.own("organisation", "gemeente")
    read = Membership.objects.filter(user=waiting).values_list("version", flat=True).first()
    response = world.client("beheerder").post(
        reverse("access:user", args=[waiting.pk]),
        {
            "organisation": raalte.pk,
            "role": Role.MUNICIPALITY,
            "reason": "Verzoek per e-mail",
            "version": read or "",
        },
    )
    assert response.status_code == 302
    change = RoleChange.objects.get(user=waiting)
    assert (change.old_role, change.new_role, change.new_organisation) == (
        "none",
        "gemeente",
        "Gemeente Raalte",
    )
    assert ProcessingLog.objects.filter(
        action=Action.ROLE_CHANGE, subject=pseudonym("auth.User", waiting.pk)
    ).exists()
    assert client.get(reverse("monitor:overview")).status_code == 200
    assert (
        client.get(reverse("persons:detail", args=[world.own("household", "gemeente").pk])).status_code == 200
    )


def test_a_municipality_role_needs_a_municipality(world):
    request = type("R", (), {"user": world.users["beheerder"]})()
    with pytest.raises(access_services.AccessError):
        access_services.assign(
            request, world.users["none"], role=Role.MUNICIPALITY, organisation=None, reason="x", version=None
        )
    assert Membership.objects.get(user=world.users["none"]).role == Role.NONE


def test_partners_see_only_what_is_referred_or_assigned_to_them(world):
    client = world.client("partner")
    actions = client.get(reverse("meetings:actions")).context["actions"]
    assert list(actions) == [world.own("action", "partner")]
    referrals = client.get(reverse("meetings:referrals")).content.decode()
    assert f'href="{reverse("meetings:referral", args=[world.own("referral", "partner").pk])}"' in referrals
    assert f'href="{reverse("meetings:referral", args=[world.other("referral").pk])}"' not in referrals


def test_restrict_gives_nothing_for_unregistered_roles(world):
    assert restrict(Household.objects.all(), world.users["none"]).count() == 0
    assert not can(world.users["bestuurder"], "view", Household)
    assert not can(world.users["gemeente"], "change", world.other("household"))
    assert can(world.users["gemeente"], "change", world.own("household", "gemeente"))


def test_anonymous_api_calls_get_401_and_pages_redirect(db):
    client = Client()
    assert client.get(reverse("api:household-list")).status_code == 401
    response = client.get(reverse("persons:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_reading_contact_persons_is_logged(world):
    organisation = world.own("organisation", "gemeente")
    world.client("bestuurder").get(reverse("organisations:detail", args=[organisation.pk]))
    line = ProcessingLog.objects.get(activity="partners")
    assert line.object_type == "organisations.contact" and line.actor == "bestuurder"
    assert line.subject == pseudonym("organisations.Contact", organisation.contacts.get().pk)
