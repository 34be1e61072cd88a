"""Retention (AVG art. 5(1)(e), storage limitation): what is kept no longer than its purpose needs is removed by
``regietafel retention``, once a day. One transaction; returns a count per kind, never personal data.

The rules (periods in ``settings.REGIETAFEL_RETENTION_*``, cut-off days from ``domain.retention``):

- **Households whose case is closed** are *deleted*, with their ties, pipeline steps and matching proposals. A case
  is closed when the household is housed (measured from ``housed_on``) or refused the home it was offered and got
  no new offer since (measured from its last pipeline step); it goes once that day *and* its last change
  (``updated_at``) lie more than ``REGIETAFEL_RETENTION_HOUSEHOLD_MONTHS`` before today, so a record someone still
  corrects stays. Open households (linked, offered, accepted) are never removed by age: they are the work itself.
  AMV are households with ``is_amv`` and follow the same rule.

  Why delete rather than anonymise: no figure is computed from closed households. The pipeline figures
  (``matching.ledger.PipelineLedger``: waiting, committed, past the deadline, the forecast) count only open
  households, and a housed household is added to its month's ``HousingRealisation`` when it is housed
  (``matching.pipeline.count_housed``), a stored figure that does not look back at the household. The monitor,
  the housing ledger, the reports and the open data read ``HousingRealisation`` and never ``persons``. An
  anonymised shell would keep a municipality, dates and a size that nothing reads, and still be a record about one
  family; deleting it is the stronger form of storage limitation. The tests check that the figures stay the same.
- **Record history** (django-auditlog ``LogEntry``) of the person-level models (household, tie, pipeline step,
  proposal) goes *with the record*: it holds old and new values of ages, needs and reasons, so keeping it would
  keep what the rule above removes. History of such records that were deleted otherwise (a replaced tie, a
  household removed by hand) goes once it is older than the household period. The deletions themselves are not
  recorded in the history (that would copy the values once more); the run is logged with its counts instead.
- **The processing log** (``audit.ProcessingLog``): lines written more than ``REGIETAFEL_RETENTION_LOG_MONTHS``
  before today go, through ``ProcessingLog.objects.expire``, the only path the append-only model and its
  PostgreSQL trigger let through. Login logs of django-axes (``AccessLog``, ``AccessFailureLog``; switched off in
  the settings, so normally empty) follow the same period.
- **Notifications** (``notifications.Notification``: what a user was told, when, and when they read it) created
  before the processing log's cut-off go with it.
- **Failed login attempts** (django-axes ``AccessAttempt``: user name, address, browser) go once their cool-off
  (``REGIETAFEL_LOGIN_COOLOFF_HOURS``) has passed: from then on they lock nothing. With no cool-off (a lock that
  lasts until a beheerder lifts it) they stay.
- **Expired sessions** go (what Django's ``clearsessions`` does, counted).
- **Person-level import files** (``ImportBatch`` of a table with ``personal=True``): after ``IMPORT_PERSONAL_HOURS``
  a file not imported (being checked, waiting for confirmation, failed, or an import broken off) is set aside
  without its content, as ``imports.services.expire_personal_uploads`` does at the next upload, and a finished
  import keeps its record but not the file; the record (file name, counts, the problems found per row) goes after
  the household period.

Not covered, because they hold no personal data of status holders: report jobs (aggregates; prune them by hand),
finished background tasks (a report job id; ``regietafel prune_db_task_results``) and matching runs (counts).
"""

import datetime
import logging
import time
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from axes.helpers import get_cool_off
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from regietafel.audit.models import ProcessingLog
from regietafel.core.specs import all_specs
from regietafel.domain.retention import Cutoffs, cutoffs
from regietafel.imports.models import ImportBatch
from regietafel.matching.models import Proposal
from regietafel.notifications.models import Notification
from regietafel.persons.models import Household, HouseholdEvent, Tie

logger = logging.getLogger("regietafel.retention")

CLOSED = (Household.Status.HOUSED, Household.Status.REFUSED)
UNFINISHED = (ImportBatch.Status.CHECKING, ImportBatch.Status.STAGED, ImportBatch.Status.FAILED)
FINISHED = (ImportBatch.Status.APPLIED, ImportBatch.Status.REJECTED)
# The models whose record history is person-level data: the household and what hangs from it.
PERSON_MODELS = (Household, Tie, HouseholdEvent, Proposal)
DATABASE_SESSIONS = ("django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db")

# The kinds, in the order they are reported.
KINDS = (
    "households",
    "ties",
    "household_events",
    "proposals",
    "history_entries",
    "import_records",
    "import_files",
    "processing_log",
    "login_logs",
    "notifications",
    "login_attempts",
    "sessions",
)


@dataclass
class Report:
    today: datetime.date
    cutoffs: Cutoffs
    dry_run: bool
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def _start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of ``day`` in the installation's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def closed_households(before: datetime.date) -> QuerySet:
    """Households whose case closed before ``before`` and that nobody changed since."""
    return (
        Household.objects.filter(status__in=CLOSED, updated_at__lt=_start_of(before))
        .filter(Q(housed_on__isnull=True) | Q(housed_on__lt=before))
        .annotate(last_step=Max("events__on"))
        .filter(Q(last_step__isnull=True) | Q(last_step__lt=before))
    )


def _count_then(queryset: QuerySet, dry_run: bool) -> int:
    count = queryset.count()
    if count and not dry_run:
        queryset.delete()
    return count


def _households(cut: Cutoffs, dry_run: bool, counts: dict[str, int]) -> None:
    candidates = list(closed_households(cut.households).values_list("pk", flat=True))
    if candidates and not dry_run:
        # Lock them, then ask again: a household offered a new home meanwhile is open again and stays.
        list(Household.objects.select_for_update().filter(pk__in=candidates).values_list("pk", flat=True))
        candidates = list(
            closed_households(cut.households).filter(pk__in=candidates).values_list("pk", flat=True)
        )
    related = {
        Household: candidates,
        Tie: list(Tie.objects.filter(household_id__in=candidates).values_list("pk", flat=True)),
        HouseholdEvent: list(
            HouseholdEvent.objects.filter(household_id__in=candidates).values_list("pk", flat=True)
        ),
        Proposal: list(Proposal.objects.filter(household_id__in=candidates).values_list("pk", flat=True)),
    }
    counts["households"] = len(candidates)
    counts["ties"] = len(related[Tie])
    counts["household_events"] = len(related[HouseholdEvent])
    counts["proposals"] = len(related[Proposal])

    # The history of these records, and of person-level records deleted otherwise once it is past the period.
    history = Q(pk__in=[])
    start = _start_of(cut.households)
    for model, ids in related.items():
        content_type = ContentType.objects.get_for_model(model)
        history |= Q(content_type=content_type, object_id__in=ids)
        history |= Q(content_type=content_type, timestamp__lt=start) & ~Q(
            object_id__in=model.objects.values("pk")
        )
    counts["history_entries"] = _count_then(LogEntry.objects.filter(history), dry_run)
    if candidates and not dry_run:
        Household.objects.filter(pk__in=candidates).delete()  # ties, steps and proposals cascade


def _imports(now: datetime.datetime, cut: Cutoffs, dry_run: bool, counts: dict[str, int]) -> None:
    personal = ImportBatch.objects.filter(kind__in=[spec.key for spec in all_specs() if spec.personal])
    counts["import_records"] = _count_then(personal.filter(created_at__lt=_start_of(cut.households)), dry_run)
    since = now - datetime.timedelta(hours=settings.IMPORT_PERSONAL_HOURS)
    # Not finished after IMPORT_PERSONAL_HOURS: being checked, waiting, failed, or confirmed that long ago and still
    # being imported (a worker stopped): set aside, as the next upload would (imports.services).
    unfinished = personal.filter(
        Q(status__in=UNFINISHED, created_at__lt=since)
        | Q(status=ImportBatch.Status.IMPORTING, confirmed_at__lt=since)
    )
    # Finished imports keep their record (counts, problems) but not the file.
    finished = personal.filter(status__in=FINISHED, created_at__lt=since)
    counts["import_files"] = unfinished.exclude(content=b"").count() + finished.exclude(content=b"").count()
    if not dry_run:
        unfinished.update(content=b"", status=ImportBatch.Status.REJECTED)
        finished.exclude(content=b"").update(content=b"")


def _logs(cut: Cutoffs, dry_run: bool, counts: dict[str, int]) -> None:
    start = _start_of(cut.processing_log)
    counts["processing_log"] = ProcessingLog.objects.filter(at__lt=start).count()
    if counts["processing_log"] and not dry_run:
        ProcessingLog.objects.expire(start)
    counts["login_logs"] = _count_then(
        AccessLog.objects.filter(attempt_time__lt=start), dry_run
    ) + _count_then(AccessFailureLog.objects.filter(attempt_time__lt=start), dry_run)
    counts["notifications"] = _count_then(Notification.objects.filter(created_at__lt=start), dry_run)


def _access(now: datetime.datetime, dry_run: bool, counts: dict[str, int]) -> None:
    cool_off = get_cool_off()
    counts["login_attempts"] = (
        _count_then(AccessAttempt.objects.filter(attempt_time__lt=now - cool_off), dry_run) if cool_off else 0
    )
    if settings.SESSION_ENGINE in DATABASE_SESSIONS:
        counts["sessions"] = _count_then(Session.objects.filter(expire_date__lt=now), dry_run)


def run(now: datetime.datetime | None = None, *, dry_run: bool = False) -> Report:
    """Apply every retention rule as of ``now`` (default: the current time), or with ``dry_run`` only count what
    would go. Running it again on the same day removes nothing more."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    report = Report(
        today=today,
        cutoffs=cutoffs(
            today,
            settings.REGIETAFEL_RETENTION_HOUSEHOLD_MONTHS,
            settings.REGIETAFEL_RETENTION_LOG_MONTHS,
        ),
        dry_run=dry_run,
    )
    started = time.monotonic()
    # No history lines for the deletions: they would copy the removed values into a new record.
    with transaction.atomic(), disable_auditlog():
        _households(report.cutoffs, dry_run, report.counts)
        _imports(now, report.cutoffs, dry_run, report.counts)
        _logs(report.cutoffs, dry_run, report.counts)
        _access(now, dry_run, report.counts)
    report.counts = {kind: report.counts[kind] for kind in KINDS if kind in report.counts}
    report.seconds = time.monotonic() - started
    logger.info(
        "retention %s as of %s (households before %s, logs before %s): %s; %.2f s",
        "dry run" if dry_run else "run",
        today.isoformat(),
        report.cutoffs.households.isoformat(),
        report.cutoffs.processing_log.isoformat(),
        ", ".join(f"{kind} {count}" for kind, count in report.counts.items()),
        report.seconds,
    )
    return report
