"""Making reports: the one place that creates report jobs, checks who may ask for what, and runs them.

A job runs in the background (``run_report_job`` below, started by ``db_worker``) or directly from the command
line; either way it goes through ``run``. Progress is saved after every document, so the page that shows it can
follow. A letter that fails is named in the job's ``failures`` and the other letters are still made.
"""

import datetime
import io
import logging
import zipfile
from collections.abc import Callable

from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from regietafel.access.scope import can, own_area_ids
from regietafel.core.figures import SourceList
from regietafel.domain.targets import HalfYear
from regietafel.regions.models import Area
from regietafel.reports import monitor
from regietafel.reports.docx import letter_docx
from regietafel.reports.letters import build_letter, letter_filename, letter_pdf
from regietafel.reports.models import ReportJob
from regietafel.reports.pdf import render_pdf

logger = logging.getLogger(__name__)

PDF = "application/pdf"
ZIP = "application/zip"


class ReportError(ValueError):
    """A report cannot be asked for like this; the message says why, in the user's language."""


def previous_report_date(region: Area, on: datetime.date) -> datetime.date | None:
    """The reference date of the last monitor report made for ``region`` before ``on``."""
    return (
        ReportJob.objects.filter(
            kind=ReportJob.Kind.MONITOR, region=region, status=ReportJob.Status.DONE, reference_date__lt=on
        )
        .order_by("-reference_date", "-finished_at")
        .values_list("reference_date", flat=True)
        .first()
    )


def monitor_pdf(region: Area, on: datetime.date, user=None) -> bytes:
    report = monitor.build(region, on, user=user, previous=previous_report_date(region, on))
    context = {"report": report, "sources": SourceList(), "made_at": timezone.now()}
    return render_pdf("reports/monitor_print.html", context)


def letter_municipalities(user, region: Area, codes: list[str] | None = None) -> list[Area]:
    """The municipalities of ``region`` whose letters ``user`` may have made (all for None: the system)."""
    municipalities = list(Area.objects.in_region(region).order_by("name"))
    if codes:
        wanted = set(codes)
        municipalities = [m for m in municipalities if m.code in wanted]
    if user is not None:
        allowed = own_area_ids(user)
        if allowed is not None:
            municipalities = [m for m in municipalities if m.pk in allowed]
    return municipalities


def start(
    user,
    kind: str,
    region: Area,
    *,
    reference_date: datetime.date | None = None,
    half_year: HalfYear | None = None,
    municipalities: list[str] | None = None,
    enqueue: bool = True,
) -> ReportJob:
    """Record a report job for ``user`` (None: the command line) and hand it to the task queue."""
    if user is not None and not can(user, "add", ReportJob):
        raise ReportError(_("You may not make reports."))
    if kind == ReportJob.Kind.MONITOR:
        if reference_date is None:
            raise ReportError(_("Choose a reference date."))
        total, codes = 1, []
    elif kind == ReportJob.Kind.LETTERS:
        if half_year is None:
            raise ReportError(_("Choose a half-year."))
        chosen = letter_municipalities(user, region, municipalities)
        if not chosen:
            raise ReportError(_("There are no municipalities whose letters you may make in this region."))
        total, codes = len(chosen), [m.code for m in chosen]
    else:
        raise ReportError(_("Unknown kind of report."))
    with transaction.atomic():
        job = ReportJob.objects.create(
            kind=kind,
            region=region,
            reference_date=reference_date,
            half_year=str(half_year) if half_year else "",
            municipalities=codes,
            total=total,
            language=translation.get_language() or "nl",
            created_by=user,
        )
        if enqueue:
            # Stored in the same transaction as the job: a worker sees both or neither.
            run_report_job.enqueue(str(job.pk))
    return job


def run(job: ReportJob, on_progress: Callable[[ReportJob], None] | None = None) -> ReportJob:
    """Make the job's documents. Never raises for a failed document: the job records what failed."""
    job.status = ReportJob.Status.RUNNING
    job.started_at = timezone.now()
    job.save(update_fields=["status", "started_at"])
    try:
        with translation.override(job.language):
            if job.kind == ReportJob.Kind.MONITOR:
                _run_monitor(job)
            else:
                _run_letters(job, on_progress)
    except (
        Exception
    ) as exc:  # the whole job failed (not one letter): say so on the job, keep the trace in the log
        logger.exception("Report job %s failed", job.pk)
        job.status = ReportJob.Status.FAILED
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
    else:
        failed_all = job.kind == ReportJob.Kind.LETTERS and len(job.failures) == job.total
        job.status = ReportJob.Status.FAILED if failed_all else ReportJob.Status.DONE
    job.finished_at = timezone.now()
    job.save()
    if on_progress:
        on_progress(job)
    return job


def _run_monitor(job: ReportJob) -> None:
    user = job.created_by
    job.content = monitor_pdf(job.region, job.reference_date, user=user)
    job.filename = f"monitor-{job.region.code}-{job.reference_date.isoformat()}.pdf"
    job.content_type = PDF
    job.done = 1


def _run_letters(job: ReportJob, on_progress) -> None:

    half_year = HalfYear.parse(job.half_year)
    municipalities = letter_municipalities(job.created_by, job.region, job.municipalities)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for municipality in municipalities:
            try:
                letter = build_letter(municipality, half_year)
                documents = [
                    (letter_filename(letter, "docx"), letter_docx(letter)),
                    (letter_filename(letter, "pdf"), letter_pdf(letter)),
                ]
            except Exception as exc:  # one letter's failure must not stop the others
                logger.exception("Letter for %s failed in job %s", municipality.code, job.pk)
                job.failures = [
                    *job.failures,
                    {"code": municipality.code, "name": municipality.name, "error": str(exc)[:500]},
                ]
            else:
                for name, content in documents:
                    archive.writestr(name, content)
            job.done += 1
            job.save(update_fields=["done", "failures"])
            if on_progress:
                on_progress(job)
        if job.failures:
            archive.writestr(_("failures.txt"), _failure_text(job))
    job.content = buffer.getvalue()
    job.filename = f"raadsinformatiebrieven-{job.region.code}-{job.half_year}.zip"
    job.content_type = ZIP


def _failure_text(job: ReportJob) -> str:
    lines = [_("These letters could not be made:"), ""]
    lines += [f"{item['name']} ({item['code']}): {item['error']}" for item in job.failures]
    return "\n".join(lines) + "\n"


@task()
def run_report_job(job_id: str) -> str:
    """The background task (Django tasks; ``regietafel db_worker`` runs it)."""
    job = ReportJob.objects.select_related("region", "created_by").get(pk=job_id)
    if job.status != ReportJob.Status.QUEUED:
        return job.status  # already run (a task delivered twice does the work once)
    return run(job).status
