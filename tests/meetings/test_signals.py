"""Signals (issue 26, part 1): a partner or municipality raises an alarm at the table; the programme team is told of
an urgent one, puts it on an agenda; a decision's action puts it in action; it closes with its outcome."""

import csv
import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from regietafel.core.specs import get_spec
from regietafel.core.tables import read_table
from regietafel.core.versioning import StaleEdit
from regietafel.imports.services import ImportRejected, export, import_rows
from regietafel.meetings import services
from regietafel.meetings.models import AgendaItem, Meeting, Signal
from regietafel.notifications.models import Kind, Notification
from regietafel.regions.models import Area
from tests.support import csv_bytes


def raise_form(world, **extra):
    return {
        "title": "Noodklok AMV-opvang",
        "description": "Nidos en COA: binnen zes weken geen plek voor 20 AMV.",
        "raised_by": world.own("organisation", "partner").pk,
        "raised_on": "2026-11-20",
        "urgency": "urgent",
        "group": "minors",
        "municipalities": [Area.objects.get(code="GM0177").pk],
        **extra,
    }


def test_a_partner_raises_an_urgent_signal_and_the_programme_team_is_told(world):
    partner = world.client("partner")
    page = partner.get(reverse("meetings:signal_create")).content.decode()
    # A partner raises in its own name only: the list of organisations holds just its own.
    assert "Partner A" in page and "Partner B" not in page and "Gemeente Kampen" not in page
    refused = partner.post(
        reverse("meetings:signal_create"), raise_form(world, raised_by=world.other("organisation").pk)
    )
    assert refused.status_code == 400 and not Signal.objects.filter(title="Noodklok AMV-opvang").exists()

    response = partner.post(reverse("meetings:signal_create"), raise_form(world))
    signal = Signal.objects.get(title="Noodklok AMV-opvang")
    assert response["Location"] == reverse("meetings:signal", args=[signal.pk])
    assert signal.raised_by == world.own("organisation", "partner") and signal.status == Signal.Status.NEW
    assert [area.code for area in signal.municipalities.all()] == ["GM0177"]
    told = Notification.objects.filter(kind=Kind.SIGNAL_URGENT)
    assert {n.user.username for n in told} == {"beheerder"}  # the programme team, nobody else
    # A signal of normal urgency waits for the list.
    partner.post(reverse("meetings:signal_create"), raise_form(world, title="Gewoon", urgency="normal"))
    assert Notification.objects.filter(kind=Kind.SIGNAL_URGENT).count() == 1


def test_who_sees_which_signal(world):
    own, other = world.own("signal", "partner"), world.other("signal")
    for role, sees_other in (
        ("beheerder", True),
        ("gemeente", True),
        ("bestuurder", True),
        ("partner", False),
    ):
        page = world.client(role).get(reverse("meetings:signals")).content.decode()
        assert own.title in page
        assert (other.title in page) == sees_other, role
    assert world.client("partner").get(reverse("meetings:signal", args=[other.pk])).status_code == 404


def test_the_table_takes_a_signal_up_and_closes_it(world):
    signal = world.own("signal", "partner")
    admin = world.client("beheerder")
    url = reverse("meetings:signal", args=[signal.pk])
    meeting = world.own("meeting", "gemeente")
    response = admin.post(url, {"agenda": "", "agenda-version": signal.version, "agenda-meeting": meeting.pk})
    assert response.status_code == 302
    item = AgendaItem.objects.get(signal=signal)
    assert item.meeting == meeting and item.description == signal.description
    signal.refresh_from_db()
    assert signal.status == Signal.Status.ON_AGENDA

    decision = services.add_decision(item, "Gemeenten zoeken samen 20 kleinschalige plekken.")
    services.add_action(
        decision,
        "Plekken inventariseren",
        datetime.date(2027, 1, 15),
        None,
        owner_organisation=signal.raised_by,
    )
    signal.refresh_from_db()
    assert signal.status == Signal.Status.IN_ACTION
    page = admin.get(url).content.decode()
    assert "Plekken inventariseren" in page and "Gemeenten zoeken samen" in page

    # Closing needs an outcome; an edit over someone else's is refused.
    no_outcome = admin.post(
        url,
        {"close": "", "close-version": signal.version, "close-outcome": " ", "close-closed_on": "2026-12-01"},
    )
    assert no_outcome.status_code == 400
    stale = admin.post(
        url,
        {
            "close": "",
            "close-version": signal.version - 1,
            "close-outcome": "Opgelost",
            "close-closed_on": "2026-12-01",
        },
    )
    assert stale.status_code == 400
    admin.post(
        url,
        {
            "close": "",
            "close-version": signal.version,
            "close-outcome": "20 plekken in Raalte en Zwolle.",
            "close-closed_on": "2026-12-01",
        },
    )
    signal.refresh_from_db()
    assert (signal.status, signal.closed_on) == (Signal.Status.CLOSED, datetime.date(2026, 12, 1))
    with pytest.raises(services.SignalError):
        services.put_signal_on_agenda(signal, signal.version, meeting)


def test_only_the_programme_team_takes_a_signal_up(world):
    signal = world.own("signal", "gemeente")
    for role in ("gemeente", "bestuurder"):
        response = world.client(role).post(
            reverse("meetings:signal", args=[signal.pk]),
            {
                "close": "",
                "close-version": signal.version,
                "close-outcome": "x",
                "close-closed_on": "2026-12-01",
            },
        )
        assert response.status_code == 404
    signal.refresh_from_db()
    assert signal.status == Signal.Status.NEW


def test_closing_checks_its_dates_and_versions(world):
    signal = world.own("signal", "gemeente")
    with pytest.raises(services.SignalError):
        services.close_signal(signal, signal.version, "Klaar", signal.raised_on - datetime.timedelta(days=1))
    with pytest.raises(StaleEdit):
        services.close_signal(signal, signal.version + 1, "Klaar", signal.raised_on)
    held = Meeting.objects.create(
        body=world.own("body", "gemeente"), title="Gehouden", starts_at=timezone.now(), held_at=timezone.now()
    )
    with pytest.raises(services.MeetingHeld):
        services.put_signal_on_agenda(signal, signal.version, held)


def test_the_download_has_dutch_headers_and_words(world):
    client = world.client("beheerder")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "nl"
    content = client.get(reverse("meetings:signal_export", args=["csv"])).content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert rows[0][:3] == ["Onderwerp", "Gemeld door", "Gemeld op"]
    assert "alleenstaande minderjarigen" in {cell for row in rows[1:] for cell in row}


def test_the_monitor_report_lists_open_signals_urgent_first_and_those_closed_since(world):
    from regietafel.reports import monitor

    region = Area.objects.get(code="VR04")
    urgent = world.other("signal")
    Signal.objects.filter(pk=urgent.pk).update(urgency=Signal.Urgency.URGENT)
    closed = world.own("signal", "partner")
    services.close_signal(closed, closed.version, "Opgelost met Nidos.", datetime.date(2026, 12, 1))
    later = Signal.objects.create(
        title="Na de peildatum",
        description="x",
        raised_by=closed.raised_by,
        raised_on=datetime.date(2026, 12, 10),
        group=Signal.Group.OTHER,
    )
    report = monitor.build(region, datetime.date(2026, 12, 3))
    assert [s.pk for s in report.signals_open] == [urgent.pk, world.own("signal", "gemeente").pk]
    assert [s.pk for s in report.signals_closed] == [closed.pk]
    assert later not in report.signals_open
    # As the report stood before the signal was closed, it was open.
    earlier = monitor.build(region, datetime.date(2026, 11, 30))
    assert closed in earlier.signals_open and not earlier.signals_closed
    # A partner's report holds only what it may see.
    partner = monitor.build(region, datetime.date(2026, 12, 3), user=world.users["partner"])
    assert partner.signals_open == [] and [s.pk for s in partner.signals_closed] == [closed.pk]


def test_the_overview_says_how_many_signals_wait_and_how_many_are_urgent(world):
    Signal.objects.filter(pk=world.other("signal").pk).update(urgency=Signal.Urgency.URGENT)
    page = world.client("beheerder").get(reverse("monitor:overview")).content.decode()
    assert "3 signals wait for the table, 1 of them urgent." in " ".join(page.split())
    # A partner counts what it may see: its own signal, not urgent.
    page = world.client("partner").get(reverse("monitor:overview")).content.decode()
    assert "1 signal waits for the table." in " ".join(page.split())
    closed = world.own("signal", "partner")
    services.close_signal(closed, closed.version, "Klaar.", datetime.date(2026, 12, 1))
    page = world.client("partner").get(reverse("monitor:overview")).content.decode()
    assert "waits for the table" not in page and "wait for the table" not in page


SIGNAL_HEADER = [
    "title",
    "description",
    "raised_by",
    "raised_on",
    "urgency",
    "group",
    "municipality_codes",
    "status",
    "outcome",
    "closed_on",
]


def test_a_region_brings_its_register_of_signals_and_nobody_is_told(world):
    spec = get_spec("signals")
    rows = [
        [
            "Noodklok AMV",
            "Geen plek voor 20 AMV",
            "Partner A",
            "2025-03-01",
            "urgent",
            "minors",
            "GM0177, GM0166",
            "closed",
            "Extra plekken in Zwolle",
            "2025-04-15",
        ],
        [
            "Locatie sluit",
            "Noodopvang dicht per juni",
            "partner a",
            "2025-05-01",
            "high",
            "asylum_seekers",
            "",
            "new",
            "",
            "",
        ],
    ]
    told = Notification.objects.count()
    assert import_rows(spec, read_table(csv_bytes(SIGNAL_HEADER, rows), "signalen.csv"))["create"] == 2
    closed = Signal.objects.get(title="Noodklok AMV")
    assert closed.raised_by.name == "Partner A" and closed.status == Signal.Status.CLOSED
    assert sorted(area.code for area in closed.municipalities.all()) == ["GM0166", "GM0177"]
    assert Notification.objects.count() == told  # history tells nobody
    again = import_rows(spec, read_table(export(spec, "csv", for_systems=True), "export.csv"))
    assert again["create"] == 0 and again["update"] == 0
    wrong = [rows[0][:7] + ["closed", "", ""], rows[1][:2] + ["Onbekend", *rows[1][3:]]]
    with pytest.raises(ImportRejected) as refused:
        import_rows(spec, read_table(csv_bytes(SIGNAL_HEADER, wrong), "fout.csv"))
    assert [(error.row, error.field) for error in refused.value.validation.errors] == [
        (2, "outcome"),
        (3, "raised_by"),
    ]
