"""Retention (regietafel.operations.retention and `regietafel retention`) with a fixed clock.

Today is 15 March 2027 (Amsterdam). With the defaults a household closed before 15 March 2025 goes and one closed on
that day or later stays; processing log lines written before 15 March 2024 go.
"""

import datetime
import io
import logging
import zoneinfo
from decimal import Decimal

import pytest
import time_machine
from auditlog.models import LogEntry
from axes.models import AccessAttempt
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.utils import DatabaseError

from regietafel.audit.models import Action, AppendOnlyError, Channel, ProcessingLog
from regietafel.core.sources import cite
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation
from regietafel.imports.models import ImportBatch
from regietafel.matching.ledger import PipelineLedger
from regietafel.matching.models import Dwelling, MatchRun, Proposal
from regietafel.matching.pipeline import count_housed
from regietafel.operations import retention
from regietafel.persons.models import Household, HouseholdEvent, Tie
from regietafel.regions.models import Area, Place

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = datetime.datetime(2027, 3, 15, 10, 0, tzinfo=AMSTERDAM)
TODAY = NOW.date()
HOUSEHOLD_CUTOFF = datetime.date(2025, 3, 15)  # 24 months before today
LOG_CUTOFF = datetime.datetime(2024, 3, 15, tzinfo=AMSTERDAM)  # 36 months before today, at midnight
ONE_DAY = datetime.timedelta(days=1)
V_NUMBER = "2700112233"


def at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=AMSTERDAM)


@pytest.fixture
def raalte(dataset):
    return Area.objects.get(code="GM0177")


@pytest.fixture(autouse=True)
def default_periods(settings):
    """The shipped defaults, whatever the environment of the test run says."""
    settings.REGIETAFEL_RETENTION_HOUSEHOLD_MONTHS = 24
    settings.REGIETAFEL_RETENTION_LOG_MONTHS = 36


def household(area, closed_on: datetime.date, status=Household.Status.HOUSED, **extra) -> Household:
    """A household with ties and pipeline steps, made (and last changed) on ``closed_on``: its case closed then."""
    with time_machine.travel(at(closed_on), tick=False):
        values = {
            "municipality": area,
            "v_number": V_NUMBER,
            "linked_on": closed_on - datetime.timedelta(days=90),
            "adults": 2,
            "children": 1,
            "member_ages": "34, 31, 6",
            "needs_medical": True,
            "status": status,
            "housed_on": closed_on if status == Household.Status.HOUSED else None,
        }
        record = Household.objects.create(**{**values, **extra})
        Tie.objects.create(
            household=record, kind=Tie.Kind.WORK, place=Place.objects.filter(municipality=area)[0]
        )
        HouseholdEvent.objects.create(
            household=record, kind=HouseholdEvent.Kind.OFFERED, on=closed_on - datetime.timedelta(days=20)
        )
        if status == Household.Status.REFUSED:
            HouseholdEvent.objects.create(
                household=record,
                kind=HouseholdEvent.Kind.REFUSED,
                on=closed_on,
                reason="Te ver van zijn werk",
            )
        elif status == Household.Status.HOUSED:
            HouseholdEvent.objects.create(household=record, kind=HouseholdEvent.Kind.HOUSED, on=closed_on)
    return record


def history(model, pks) -> int:
    return LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id__in=list(pks)
    ).count()


def log_line(when: datetime.datetime) -> ProcessingLog:
    return ProcessingLog.objects.create(
        at=when,
        actor="medewerker",
        activity="housing",
        action=Action.READ,
        channel=Channel.PAGE,
        object_type="persons.household",
        subject="0" * 32,
    )


def test_households_closed_longer_ago_than_the_period_go_with_their_history_and_the_rest_stays(raalte):
    gone = [
        household(raalte, HOUSEHOLD_CUTOFF - ONE_DAY),  # housed one day past the period
        household(raalte, HOUSEHOLD_CUTOFF - ONE_DAY, Household.Status.REFUSED),
        household(raalte, datetime.date(2023, 5, 1), is_amv=True, nidos=True, adults=0, member_ages="16"),
    ]
    kept = [
        household(raalte, HOUSEHOLD_CUTOFF),  # housed exactly 24 months ago: not more than the period
        household(raalte, HOUSEHOLD_CUTOFF + ONE_DAY),  # one day inside the period
        household(raalte, HOUSEHOLD_CUTOFF + ONE_DAY, Household.Status.REFUSED),
        household(raalte, datetime.date(2021, 1, 4), Household.Status.LINKED),  # open: never removed by age
        household(raalte, datetime.date(2022, 6, 1), Household.Status.OFFERED),
    ]
    # Housed long ago, but corrected last month: the correction shows someone still uses it.
    corrected = household(raalte, datetime.date(2023, 1, 10))
    Household.objects.filter(pk=corrected.pk).update(updated_at=at(datetime.date(2027, 2, 1)))
    kept.append(corrected)
    # Refused long ago, then offered a new home (an open case again) that was refused last month.
    reoffered = household(raalte, datetime.date(2023, 1, 10), Household.Status.REFUSED)
    HouseholdEvent.objects.create(
        household=reoffered, kind="refused", on=datetime.date(2027, 2, 20), reason="x"
    )
    Household.objects.filter(pk=reoffered.pk).update(updated_at=at(datetime.date(2023, 1, 10)))
    kept.append(reoffered)

    gone_ties = list(Tie.objects.filter(household__in=gone).values_list("pk", flat=True))
    gone_events = list(HouseholdEvent.objects.filter(household__in=gone).values_list("pk", flat=True))
    assert history(Household, [h.pk for h in gone]) == 3 and history(Tie, gone_ties) == 3
    kept_history = history(Household, [h.pk for h in kept])

    report = retention.run(NOW)

    assert report.today == TODAY and report.cutoffs.households == HOUSEHOLD_CUTOFF
    assert report.counts["households"] == 3
    assert report.counts["ties"] == 3
    assert report.counts["household_events"] == len(gone_events) == 6  # offered, then housed or refused
    assert report.counts["history_entries"] == 3 + 3 + 6
    assert set(Household.objects.values_list("pk", flat=True)) == {h.pk for h in kept}
    assert not Tie.objects.filter(pk__in=gone_ties).exists()
    assert not HouseholdEvent.objects.filter(pk__in=gone_events).exists()
    # Their history went with them (ages, needs and reasons were in it); the deletions wrote none.
    assert history(Household, [h.pk for h in gone]) + history(Tie, gone_ties) == 0
    assert history(HouseholdEvent, gone_events) == 0
    assert history(Household, [h.pk for h in kept]) == kept_history
    assert not Household.objects.filter(v_number=V_NUMBER, pk__in=[h.pk for h in gone]).exists()


def test_retention_leaves_every_figure_as_it_was(raalte):
    """Closed households are deleted, not anonymised: no figure is computed from them (see the module)."""
    region = raalte.parent
    for day in (datetime.date(2024, 11, 4), datetime.date(2025, 2, 3), datetime.date(2026, 9, 7)):
        housed = household(raalte, day)
        with time_machine.travel(at(day), tick=False):
            count_housed(housed, day)  # as the pipeline does when a household is housed
    household(raalte, datetime.date(2024, 12, 2), Household.Status.REFUSED)
    household(raalte, datetime.date(2027, 2, 1), Household.Status.LINKED)
    household(raalte, datetime.date(2024, 1, 8), Household.Status.LINKED)  # waiting past its deadline
    household(raalte, datetime.date(2027, 3, 1), Household.Status.OFFERED)

    def figures():
        with time_machine.travel(NOW, tick=False):
            ledger = HousingLedger(region)
            rows = [
                (row.municipality.code, row.waiting, row.committed, row.past_deadline, row.balance.value)
                for row in PipelineLedger(ledger.region, TODAY, housing=ledger).rows(
                    HalfYear.containing(TODAY)
                )
            ]
            housed = {
                str(half_year): [ledger.row(area, half_year).housed.value for area in ledger.municipalities]
                for half_year in (HalfYear.parse(code) for code in ("2024-H2", "2025-H1", "2026-H2"))
            }
        realisation = list(HousingRealisation.objects.order_by("pk").values())
        return rows, housed, realisation

    before = figures()
    report = retention.run(NOW)
    assert report.counts["households"] == 3
    assert figures() == before
    assert before[1]["2024-H2"][[a.code for a in HousingLedger(region).municipalities].index("GM0177")] == 3


def test_proposals_go_with_their_household(raalte):
    gone = household(raalte, datetime.date(2024, 6, 3))
    stays = household(raalte, datetime.date(2027, 1, 4), Household.Status.LINKED)
    with time_machine.travel(at(datetime.date(2024, 5, 1)), tick=False):
        dwelling = Dwelling.objects.create(
            code="W-1",
            municipality=raalte,
            place=Place.objects.filter(municipality=raalte)[0],
            rooms=2,
            max_occupancy=4,
            rent=Decimal("600.00"),
            available_on=datetime.date(2024, 6, 1),
            owner="Salland Wonen",
            source=cite("test", "H"),
        )
        run = MatchRun.objects.create(region=raalte.parent, available_before=datetime.date(2024, 7, 1))
        proposals = [Proposal.objects.create(run=run, household=h, dwelling=dwelling) for h in (gone, stays)]
    report = retention.run(NOW)
    assert report.counts["proposals"] == 1
    assert list(Proposal.objects.values_list("pk", flat=True)) == [proposals[1].pk]
    assert history(Proposal, [proposals[0].pk]) == 0 and history(Proposal, [proposals[1].pk]) == 1
    assert Dwelling.objects.filter(pk=dwelling.pk).exists() and MatchRun.objects.filter(pk=run.pk).exists()


def test_history_of_person_level_records_deleted_otherwise_goes_after_the_period(raalte):
    open_case = household(raalte, datetime.date(2022, 3, 1), Household.Status.LINKED)
    place = Place.objects.filter(municipality=raalte)[0]
    with time_machine.travel(at(HOUSEHOLD_CUTOFF - ONE_DAY), tick=False):
        old_tie = Tie.objects.create(household=open_case, kind=Tie.Kind.STUDY, place=place)
        old_pk = old_tie.pk
        old_tie.delete()  # replaced in an edit: a create and a delete line in the history
    with time_machine.travel(at(HOUSEHOLD_CUTOFF), tick=False):
        recent_tie = Tie.objects.create(household=open_case, kind=Tie.Kind.CARE, place=place)
        recent_pk = recent_tie.pk
        recent_tie.delete()
    assert history(Tie, [old_pk]) == 2 and history(Tie, [recent_pk]) == 2

    report = retention.run(NOW)

    assert report.counts["households"] == 0 and report.counts["history_entries"] == 2
    assert history(Tie, [old_pk]) == 0 and history(Tie, [recent_pk]) == 2
    assert history(Household, [open_case.pk]) == 1  # the household itself exists: its history stays


def test_processing_log_lines_older_than_the_period_go_and_younger_ones_stay(db):
    old = [log_line(LOG_CUTOFF - datetime.timedelta(seconds=1)), log_line(at(datetime.date(2020, 1, 1)))]
    young = [log_line(LOG_CUTOFF), log_line(LOG_CUTOFF + ONE_DAY), log_line(NOW)]
    report = retention.run(NOW)
    assert report.counts["processing_log"] == 2
    assert set(ProcessingLog.objects.values_list("pk", flat=True)) == {line.pk for line in young}
    assert not ProcessingLog.objects.filter(pk__in=[line.pk for line in old]).exists()


def test_notifications_go_with_the_processing_log(db, user):
    from django.contrib.contenttypes.models import ContentType

    from regietafel.notifications.models import Notification

    def told(when: datetime.datetime) -> Notification:
        notification = Notification.objects.create(
            user=user,
            kind="figures_due",
            key=f"test:{when.isoformat()}",
            subject="Cijfers",
            body="Aanleveren.",
            target_type=ContentType.objects.get_for_model(user),
            target_id=user.pk,
            mode="immediate",
        )
        Notification.objects.filter(pk=notification.pk).update(created_at=when)
        return notification

    told(LOG_CUTOFF - ONE_DAY)
    young = told(LOG_CUTOFF)
    assert retention.run(NOW).counts["notifications"] == 1
    assert list(Notification.objects.values_list("pk", flat=True)) == [young.pk]


def test_the_log_stays_append_only_outside_retention(db):
    log_line(at(datetime.date(2020, 1, 1)))
    with pytest.raises(AppendOnlyError):
        ProcessingLog.objects.filter(at__lt=LOG_CUTOFF).delete()
    with pytest.raises(ValueError, match="time zone"):
        ProcessingLog.objects.expire(datetime.datetime(2024, 3, 15))  # noqa: DTZ001
    assert ProcessingLog.objects.count() == 1


def test_expired_sessions_and_spent_login_attempts_go(db):
    for key, expires in (("expired", NOW - ONE_DAY), ("just-expired", NOW - datetime.timedelta(seconds=1))):
        Session.objects.create(session_key=key, session_data="x", expire_date=expires)
    Session.objects.create(
        session_key="valid", session_data="x", expire_date=NOW + datetime.timedelta(hours=2)
    )
    attempts = {}
    for name, age in (("spent", datetime.timedelta(hours=2)), ("locking", datetime.timedelta(minutes=10))):
        attempt = AccessAttempt.objects.create(
            username=name,
            ip_address="192.0.2.7",
            user_agent="test",
            http_accept="*/*",
            path_info="/login/",
            get_data="",
            post_data="",
            failures_since_start=10,
        )
        AccessAttempt.objects.filter(pk=attempt.pk).update(attempt_time=NOW - age)
        attempts[name] = attempt
    report = retention.run(NOW)
    assert (report.counts["sessions"], report.counts["login_attempts"]) == (2, 1)
    assert list(Session.objects.values_list("session_key", flat=True)) == ["valid"]
    assert list(AccessAttempt.objects.values_list("username", flat=True)) == ["locking"]


def test_person_level_import_files_lose_their_content_and_old_records_go(db):
    def batch(kind, created, status=ImportBatch.Status.STAGED, content=b"v_number\n2700112233\n"):
        made = ImportBatch.objects.create(kind=kind, filename="coa.csv", content=content, status=status)
        ImportBatch.objects.filter(pk=made.pk).update(created_at=created)
        return made

    day_old = NOW - datetime.timedelta(hours=25)
    waiting = batch("households", day_old)
    checking = batch("households", day_old, ImportBatch.Status.CHECKING)
    failed = batch("households", day_old, ImportBatch.Status.FAILED)
    applied = batch("households", day_old, ImportBatch.Status.APPLIED)
    importing = batch("households", day_old, ImportBatch.Status.IMPORTING)
    ImportBatch.objects.filter(pk=importing.pk).update(confirmed_at=NOW - datetime.timedelta(hours=1))
    fresh = batch("households", NOW - datetime.timedelta(hours=1))
    old = batch("households", at(HOUSEHOLD_CUTOFF - ONE_DAY), ImportBatch.Status.APPLIED, b"")
    figures = batch("realisation", at(datetime.date(2020, 1, 1)), ImportBatch.Status.APPLIED)
    report = retention.run(NOW)
    assert (report.counts["import_files"], report.counts["import_records"]) == (4, 1)
    for unfinished in (waiting, checking, failed):
        unfinished.refresh_from_db()
        assert (bytes(unfinished.content), unfinished.status) == (b"", ImportBatch.Status.REJECTED)
    applied.refresh_from_db()
    assert (bytes(applied.content), applied.status) == (b"", ImportBatch.Status.APPLIED)
    # Confirmed an hour ago and being imported now: left alone.
    importing.refresh_from_db()
    assert bytes(importing.content) and importing.status == ImportBatch.Status.IMPORTING
    fresh.refresh_from_db()
    assert bytes(fresh.content) and fresh.status == ImportBatch.Status.STAGED
    assert not ImportBatch.objects.filter(pk=old.pk).exists()
    assert ImportBatch.objects.filter(pk=figures.pk).exists()  # not person-level: not ours to remove


def _world(raalte):
    household(raalte, HOUSEHOLD_CUTOFF - ONE_DAY)
    household(raalte, HOUSEHOLD_CUTOFF + ONE_DAY)
    log_line(LOG_CUTOFF - ONE_DAY)
    log_line(LOG_CUTOFF + ONE_DAY)
    Session.objects.create(session_key="expired", session_data="x", expire_date=NOW - ONE_DAY)


def _rows():
    models = (Household, Tie, HouseholdEvent, LogEntry, ProcessingLog, Session, AccessAttempt, ImportBatch)
    return {
        model.__name__: list(model.objects.order_by("pk").values_list("pk", flat=True)) for model in models
    }


def test_a_dry_run_counts_what_a_run_removes_and_changes_nothing(raalte):
    _world(raalte)
    before = _rows()
    dry = retention.run(NOW, dry_run=True)
    assert _rows() == before
    assert dry.total > 0 and dry.dry_run
    real = retention.run(NOW)
    assert real.counts == dry.counts
    assert _rows() != before


def test_a_second_run_removes_nothing(raalte):
    _world(raalte)
    first = retention.run(NOW)
    assert first.counts["households"] == first.counts["processing_log"] == first.counts["sessions"] == 1
    after = _rows()
    second = retention.run(NOW + datetime.timedelta(hours=3))
    assert second.total == 0 and set(second.counts.values()) == {0}
    assert _rows() == after


def test_the_periods_come_from_the_settings(raalte, settings):
    closed = household(raalte, datetime.date(2026, 3, 1))
    log_line(at(datetime.date(2026, 1, 1)))
    settings.REGIETAFEL_RETENTION_HOUSEHOLD_MONTHS = 12
    settings.REGIETAFEL_RETENTION_LOG_MONTHS = 12
    report = retention.run(NOW)
    assert report.cutoffs.households == report.cutoffs.processing_log == datetime.date(2026, 3, 15)
    assert (report.counts["households"], report.counts["processing_log"]) == (1, 1)
    assert not Household.objects.filter(pk=closed.pk).exists()


def test_the_command_prints_counts_only_and_the_run_is_logged(raalte, caplog):
    gone = household(raalte, HOUSEHOLD_CUTOFF - ONE_DAY)
    log_line(LOG_CUTOFF - ONE_DAY)
    before = _rows()
    with time_machine.travel(NOW, tick=False), caplog.at_level(logging.INFO, logger="regietafel.retention"):
        dry = io.StringIO()
        call_command("retention", "--dry-run", stdout=dry)
        assert _rows() == before
        out = io.StringIO()
        call_command("retention", stdout=out)
        again = io.StringIO()
        call_command("retention", stdout=again)
    lines = out.getvalue().splitlines()
    assert lines[0] == "households closed before 2025-03-15, logs written before 2024-03-15"
    assert "households: 1" in lines and "ties: 1" in lines and "processing_log: 1" in lines
    assert lines[-1] == f"removed: {sum(int(line.split(': ')[1]) for line in lines[1:-1])}"
    assert dry.getvalue().startswith("dry run: ") and "households: 1" in dry.getvalue()
    assert "would remove: " in dry.getvalue()
    assert again.getvalue().splitlines()[-1] == "removed: 0"
    messages = [record.getMessage() for record in caplog.records if record.name == "regietafel.retention"]
    assert len(messages) == 3 and messages[1].startswith("retention run as of 2027-03-15")
    assert "households 1" in messages[1]
    for text in [dry.getvalue(), out.getvalue(), *messages]:
        assert gone.reference not in text and V_NUMBER not in text and "34, 31, 6" not in text


def test_a_period_below_one_month_stops_the_command(db, settings):
    settings.REGIETAFEL_RETENTION_HOUSEHOLD_MONTHS = 0
    with pytest.raises(CommandError, match="at least one month"):
        call_command("retention", stdout=io.StringIO())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the database trigger exists on PostgreSQL")
def test_postgresql_lets_only_retention_delete_old_lines(db):
    old = log_line(LOG_CUTOFF - ONE_DAY)
    young = log_line(LOG_CUTOFF + ONE_DAY)

    def refused(statement, declare=None):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            if declare is not None:
                cursor.execute("SELECT set_config('regietafel.retention_before', %s, true)", [declare])
            cursor.execute(statement)

    refused("DELETE FROM audit_processinglog")
    refused("UPDATE audit_processinglog SET result = 'failure'", declare=LOG_CUTOFF.isoformat())
    # The declared cut-off bounds the delete: reaching for a younger line fails the whole statement.
    refused("DELETE FROM audit_processinglog", declare=LOG_CUTOFF.isoformat())
    assert ProcessingLog.objects.count() == 2

    with transaction.atomic():
        assert ProcessingLog.objects.expire(LOG_CUTOFF) == 1
        # The declaration ends with expire: the rest of the transaction is append-only again.
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute("DELETE FROM audit_processinglog")
    assert list(ProcessingLog.objects.values_list("pk", flat=True)) == [young.pk]
    assert not ProcessingLog.objects.filter(pk=old.pk).exists()
    # The declaration does not outlive its transaction either.
    refused("DELETE FROM audit_processinglog")
