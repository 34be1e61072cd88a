"""Notifications (issue 24, part 4): every kind is told once per event to whoever may see it, as each recipient
chose (immediately, daily digest, off); e-mail goes through the worker after the request commits and is tried
again after a mail server's failure."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from regietafel.access.models import Membership, Role
from regietafel.housing.models import HousingRealisation
from regietafel.housing.services import notify_figures
from regietafel.meetings import notices, services
from regietafel.meetings.models import Action, Body, BodyMember, Forum, Meeting
from regietafel.notifications import services as notifications
from regietafel.notifications.models import Kind, Mode, Notification
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

TODAY = datetime.date(2026, 12, 6)
TZ = ZoneInfo("Europe/Amsterdam")


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise ConnectionRefusedError("mail server down")


def _user(name: str, role: Role, organisation) -> object:
    user = get_user_model().objects.create_user(name, email=f"{name}@example.org")
    Membership.objects.create(user=user, role=role, organisation=organisation)
    return user


@pytest.fixture
def people(dataset):
    raalte_area = Area.objects.get(code="GM0177")
    team = Organisation.objects.create(name="Programmateam", kind="program_team")
    coa = Organisation.objects.create(name="COA", kind="state")
    other = Organisation.objects.create(name="Vluchtelingenwerk", kind="civil_society")
    raalte = Organisation.objects.create(
        name="Gemeente Raalte", kind="municipality", municipality=raalte_area
    )
    users = {
        "beheerder": _user("beheerder", Role.ADMIN, team),
        "coa": _user("coa", Role.PARTNER, coa),
        "other": _user("vwn", Role.PARTNER, other),
        "raalte": _user("raalte", Role.MUNICIPALITY, raalte),
    }
    body = Body.objects.create(name="Regietafel IJsselland", kind="steering_table", region=raalte_area.parent)
    BodyMember.objects.create(body=body, name="Secretaris", role="secretary", user=users["beheerder"])
    # A partner sits at the table for COA: it sees the table's meetings and is told of their agendas.
    BodyMember.objects.create(body=body, name="COA", organisation=coa, user=users["coa"])
    # A guest whose account is another partner's, seated without an organisation: its partner may not read the
    # table's meeting pages, so the guest is never told of them.
    BodyMember.objects.create(body=body, name="Gast", user=users["other"])
    forum = Forum.objects.create(name="Overleg COA", kind="regional", organisation=coa)
    meeting = services.save_meeting(
        Meeting(
            body=body, title="Regietafel december", starts_at=datetime.datetime(2026, 12, 17, 10, tzinfo=TZ)
        )
    )
    return {"users": users, "coa": coa, "other": other, "body": body, "forum": forum, "meeting": meeting}


def _action(people, deadline):
    return Action.objects.create(
        title="Opvang uitbreiden", owner_organisation=people["coa"], deadline=deadline
    )


def _refer(people):
    return services.refer(
        None, people["forum"], "Vraag over AMV", "Hoeveel plekken?", TODAY, people["users"]["beheerder"]
    )


def _answered(people):
    referral = _refer(people)
    return services.answer_referral(referral, referral.version, "Twintig.", TODAY) or referral


def _figures(people):
    HousingRealisation.objects.filter(municipality__code="GM0177", month__year=2026).delete()
    notify_figures(TODAY)
    return lambda: notify_figures(TODAY)


# Each kind: (who is told, how the event is raised; returns how to raise the same event again).
TRIGGERS = {
    Kind.ACTION_ASSIGNED: (
        "coa",
        lambda p: (lambda action: lambda: notices.action_assigned(action))(
            services.add_action(
                None, "Opvang uitbreiden", TODAY, p["users"]["beheerder"], owner_organisation=p["coa"]
            )
        ),
    ),
    Kind.ACTION_DUE: (
        "coa",
        lambda p: (
            (_action(p, TODAY + datetime.timedelta(days=3)), services.notify_due_actions(TODAY))
            and (lambda: services.notify_due_actions(TODAY))
        ),
    ),
    Kind.ACTION_OVERDUE: (
        "coa",
        lambda p: (
            (_action(p, TODAY - datetime.timedelta(days=3)), services.notify_due_actions(TODAY))
            and (lambda: services.notify_due_actions(TODAY))
        ),
    ),
    Kind.REFERRAL_RECEIVED: (
        "coa",
        lambda p: (lambda referral: lambda: notices.referral_received(referral))(_refer(p)),
    ),
    Kind.REFERRAL_ANSWERED: (
        "beheerder",
        lambda p: (lambda referral: lambda: notices.referral_answered(referral))(_answered(p)),
    ),
    Kind.AGENDA_PUBLISHED: (
        "beheerder",
        lambda p: (lambda meeting: lambda: notices.agenda_published(meeting))(
            services.publish_agenda(p["meeting"], p["meeting"].version)
        ),
    ),
    Kind.SIGNAL_URGENT: (
        "beheerder",
        lambda p: (lambda signal: lambda: notices.signal_raised(signal))(
            services.raise_signal(
                title="Noodklok AMV",
                description="Geen plek voor 20 AMV.",
                raised_by=p["coa"],
                raised_on=TODAY,
                urgency="urgent",
                group="minors",
            )
        ),
    ),
    Kind.FIGURES_DUE: ("raalte", _figures),
    Kind.FIGURES_LATE: ("raalte", _figures),
}


def test_every_kind_has_a_trigger():
    assert set(TRIGGERS) == set(Kind)


def _mails(user, subject=None):
    return [m for m in mail.outbox if m.to == [user.email] and (subject is None or m.subject == subject)]


@pytest.mark.parametrize("kind", list(Kind))
def test_each_kind_is_told_once_immediately(people, kind):
    who, trigger = TRIGGERS[kind]
    user = people["users"][who]
    again = trigger(people)
    again()
    told = Notification.objects.get(user=user, kind=kind)
    assert told.sent_at is not None and told.attempts == 1
    sent = _mails(user, told.subject)
    assert len(sent) == 1
    assert told.url in sent[0].body and "http" in sent[0].body
    assert reverse("notifications:preferences") in sent[0].body
    # Only to those who may see what it is about: nobody else of any kind was told.
    for notification in Notification.objects.select_related("user"):
        model = notification.target_type.model_class()
        assert notifications.may_see(notification.user, model.objects.get(pk=notification.target_id))


def test_an_agenda_is_told_to_the_members_who_may_see_the_meeting(people):
    services.publish_agenda(people["meeting"], people["meeting"].version)
    told = set(
        Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED).values_list("user__username", flat=True)
    )
    assert told == {"beheerder", "coa"}


def test_an_action_is_told_only_to_its_owners_who_may_see_it(people):
    # The other partner owns it personally but not through its organisation: the action is COA's, so it may not
    # see it and is not told.
    services.add_action(
        None,
        "Samen oppakken",
        TODAY,
        people["users"]["beheerder"],
        owner_organisation=people["coa"],
        owner_user=people["users"]["other"],
    )
    told = set(
        Notification.objects.filter(kind=Kind.ACTION_ASSIGNED).values_list("user__username", flat=True)
    )
    assert told == {"coa"}


def test_reassigning_an_action_tells_the_new_owner(people):
    action = services.add_action(
        None, "X", TODAY, people["users"]["beheerder"], owner_organisation=people["coa"]
    )
    services.save_action(
        action,
        action.version,
        people["users"]["beheerder"],
        status="open",
        owner_organisation=people["other"],
    )
    told = Notification.objects.filter(kind=Kind.ACTION_ASSIGNED).values_list("user__username", flat=True)
    assert sorted(told) == ["coa", "vwn"]


def test_figures_late_lists_the_months_once_and_due_names_the_month_just_ended(people):
    _figures(people)
    raalte = people["users"]["raalte"]
    due = Notification.objects.get(user=raalte, kind=Kind.FIGURES_DUE)
    late = Notification.objects.get(user=raalte, kind=Kind.FIGURES_LATE)
    assert "november 2026" in due.subject and "10 december 2026" in due.subject
    assert (
        "januari 2026" in late.subject and "oktober 2026" in late.subject and "november" not in late.subject
    )
    # The next day nothing new; a delivery of October, and a month later November is late: a new notice.
    notify_figures(TODAY + datetime.timedelta(days=1))
    assert Notification.objects.filter(user=raalte).count() == 2
    notify_figures(datetime.date(2026, 12, 11))
    assert Notification.objects.filter(user=raalte, kind=Kind.FIGURES_LATE).count() == 2


def test_digest_sends_one_mail_a_day_with_everything_waiting(people):
    coa = people["users"]["coa"]
    notifications.save_preferences(
        coa, {Kind.ACTION_ASSIGNED: Mode.DIGEST, Kind.REFERRAL_RECEIVED: Mode.DIGEST}
    )
    services.add_action(None, "Eerste", TODAY, people["users"]["beheerder"], owner_organisation=people["coa"])
    services.add_action(None, "Tweede", TODAY, people["users"]["beheerder"], owner_organisation=people["coa"])
    _refer(people)
    assert _mails(coa) == []
    assert notifications.send_digests() == 1
    sent = _mails(coa)
    assert len(sent) == 1
    assert "3" in sent[0].subject
    assert "Eerste" in sent[0].body and "Tweede" in sent[0].body and "Vraag over AMV" in sent[0].body
    assert notifications.send_digests() == 0
    assert len(_mails(coa)) == 1


def test_off_tells_nothing_and_other_kinds_still_arrive(people):
    coa = people["users"]["coa"]
    notifications.save_preferences(coa, {Kind.ACTION_ASSIGNED: Mode.OFF})
    services.add_action(None, "Stil", TODAY, people["users"]["beheerder"], owner_organisation=people["coa"])
    _refer(people)
    assert not Notification.objects.filter(user=coa, kind=Kind.ACTION_ASSIGNED).exists()
    assert [n.kind for n in Notification.objects.filter(user=coa)] == [Kind.REFERRAL_RECEIVED]
    assert len(_mails(coa)) == 1


def test_a_mail_failure_is_counted_and_retried_until_sent_once(people, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingBackend"
    _refer(people)
    told = Notification.objects.get(kind=Kind.REFERRAL_RECEIVED)
    assert told.sent_at is None and told.attempts == 1 and "mail server down" in told.last_error
    later = timezone.now() + datetime.timedelta(minutes=11)
    assert notifications.retry(later) == 1  # still down
    told.refresh_from_db()
    assert told.attempts == 2 and told.sent_at is None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.retry(later) == 1
    told.refresh_from_db()
    assert told.sent_at is not None and told.attempts == 3 and told.last_error == ""
    assert len(_mails(people["users"]["coa"])) == 1
    assert notifications.retry(later) == 0
    assert notifications.send.call(told.pk) == "already sent"
    assert len(_mails(people["users"]["coa"])) == 1


def test_retries_stop_after_the_last_attempt(people, settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingBackend"
    _refer(people)
    later = timezone.now() + datetime.timedelta(minutes=11)
    while notifications.retry(later):
        pass
    told = Notification.objects.get(kind=Kind.REFERRAL_RECEIVED)
    assert told.attempts == notifications.MAX_ATTEMPTS and told.sent_at is None


def test_a_digest_failure_is_retried_the_next_day(people, settings):
    coa = people["users"]["coa"]
    notifications.save_preferences(coa, {Kind.REFERRAL_RECEIVED: Mode.DIGEST})
    _refer(people)
    settings.EMAIL_BACKEND = "tests.notifications.test_notifications.FailingBackend"
    assert notifications.send_digests() == 1
    assert Notification.objects.get(user=coa).attempts == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.send_digests() == 1
    assert len(_mails(coa)) == 1


def test_rights_lost_before_sending_means_not_sent(people, django_capture_on_commit_callbacks, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _refer(people)
    assert (
        len(callbacks) == 1 and mail.outbox == []
    )  # handed to the worker on commit, never sent in the request
    Membership.objects.filter(user=people["users"]["coa"]).update(role=Role.NONE)
    told = Notification.objects.get(kind=Kind.REFERRAL_RECEIVED)
    assert notifications.send.call(told.pk) == "target not visible"
    assert mail.outbox == []
    assert notifications.retry(timezone.now() + datetime.timedelta(minutes=11)) == 0


def test_the_daily_command_reports_counts_without_names_or_addresses(people):
    _action(people, TODAY - datetime.timedelta(days=1))
    Action.objects.create(
        title="Niemand",
        owner_organisation=Organisation.objects.create(name="Kerk", kind="church"),
        deadline=TODAY,
    )
    HousingRealisation.objects.filter(municipality__code="GM0177", month__year=2026).delete()
    out, err = io.StringIO(), io.StringIO()
    call_command("notify", "--today", TODAY.isoformat(), stdout=out, stderr=err)
    assert out.getvalue().strip() == "actions: 2, figures: 2, retried: 0, digests: 0"
    assert "@" not in err.getvalue() and "Niemand" not in err.getvalue() and "actie" in err.getvalue()
    with pytest.raises(CommandError):
        call_command("notify", "--today", "06-12-2026")


def test_the_list_shows_what_the_user_may_see_and_opening_marks_read(people, client):
    coa = people["users"]["coa"]
    _refer(people)
    hidden = Notification.objects.get(user=coa)
    services.add_action(
        None, "Zichtbaar", TODAY, people["users"]["beheerder"], owner_organisation=people["coa"]
    )
    # The referral moves to another forum's organisation: COA may no longer see it, so it leaves COA's list.
    Forum.objects.filter(pk=people["forum"].pk).update(organisation=people["other"])
    client.force_login(coa)
    page = client.get(reverse("notifications:list"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Zichtbaar" in page and "Vraag over AMV" not in page
    assert client.get(reverse("notifications:open", args=[hidden.pk])).status_code == 404
    shown = Notification.objects.get(user=coa, kind=Kind.ACTION_ASSIGNED)
    response = client.get(reverse("notifications:open", args=[shown.pk]))
    assert response.status_code == 302 and response["Location"] == shown.url
    shown.refresh_from_db()
    assert shown.read_at is not None
    # Someone else's notification is not found.
    client.force_login(people["users"]["other"])
    assert client.get(reverse("notifications:open", args=[shown.pk])).status_code == 404


def test_preferences_are_saved_per_kind(people, client):
    coa = people["users"]["coa"]
    client.force_login(coa)
    page = client.get(reverse("notifications:preferences"), HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "dagelijks" in page.lower()
    data = {kind: Mode.IMMEDIATE for kind in Kind.values} | {
        Kind.FIGURES_LATE: Mode.OFF,
        Kind.ACTION_DUE: Mode.DIGEST,
    }
    assert client.post(reverse("notifications:preferences"), data).status_code == 302
    assert notifications.preferences(coa)[Kind.FIGURES_LATE] == Mode.OFF
    assert notifications.preferences(coa)[Kind.ACTION_DUE] == Mode.DIGEST
    bad = client.post(reverse("notifications:preferences"), data | {Kind.ACTION_DUE: "hourly"})
    assert bad.status_code == 200
    assert notifications.preferences(coa)[Kind.ACTION_DUE] == Mode.DIGEST


def test_mark_all_read(people, client):
    coa = people["users"]["coa"]
    _refer(people)
    client.force_login(coa)
    assert ">1<" in client.get(reverse("notifications:list")).content.decode().replace(" ", "")
    client.post(reverse("notifications:read"))
    assert not Notification.objects.filter(user=coa, read_at=None).exists()


def test_the_meeting_page_publishes_the_agenda_once_per_version(people, client):
    meeting = people["meeting"]
    client.force_login(people["users"]["beheerder"])
    url = reverse("meetings:publish", args=[meeting.pk])
    page = client.post(
        url, {"version": meeting.version}, follow=True, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "De agenda is gepubliceerd; de leden van Regietafel IJsselland krijgen een melding." in page
    assert Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED).count() == 2
    # The version the page showed is gone: refused, nobody told again.
    stale = client.post(
        url, {"version": meeting.version}, follow=True, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Iemand anders heeft deze vergadering gewijzigd" in stale
    assert Notification.objects.filter(kind=Kind.AGENDA_PUBLISHED).count() == 2
    Meeting.objects.filter(pk=meeting.pk).update(held_at=timezone.now())
    meeting.refresh_from_db()
    held = client.post(
        url, {"version": meeting.version}, follow=True, HTTP_ACCEPT_LANGUAGE="nl"
    ).content.decode()
    assert "Deze vergadering is gehouden" in held
