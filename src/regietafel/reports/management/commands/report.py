import datetime
import io
import zipfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from regietafel.domain.targets import HalfYear
from regietafel.regions.models import Area
from regietafel.reports import services
from regietafel.reports.models import ReportJob


class Command(BaseCommand):
    help = (
        "Make reports from the command line: `report monitor --region VR04 --date 2024-06-30 --out monitor.pdf`, "
        "`report letters --region VR04 --half-year 2024-H1 --out letters/` (a DOCX and a PDF per municipality). "
        "Each run is recorded like a report made in the browser; a letter that fails is named and the others "
        "are still made (exit status 1 when any failed)."
    )

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True)
        monitor = kinds.add_parser("monitor", help="The regional monitor as PDF.")
        monitor.add_argument("--date", required=True, help="Reference date, as 2024-06-30.")
        monitor.add_argument("--out", required=True, help="The PDF file to write.")
        letters = kinds.add_parser(
            "letters", help="Council letter drafts of every municipality of the region."
        )
        letters.add_argument("--half-year", required=True, help="As 2024-H1.")
        letters.add_argument("--out", required=True, help="The directory to write the letters to.")
        letters.add_argument(
            "--municipality", action="append", help="CBS code (GM0177); repeat for more. Default: all."
        )
        for sub in (monitor, letters):
            sub.add_argument("--region", default="VR04", help="CBS code of the region (default VR04).")
            sub.add_argument("--language", default="nl", choices=["nl", "en"], help="Language (default nl).")

    def handle(self, *args, kind, region, out, language, **options):
        area = Area.objects.regions().filter(code=region.upper()).first()
        if area is None:
            raise CommandError(f"Unknown region {region!r}; use a CBS code such as VR04.")
        with translation.override(language):
            if kind == "monitor":
                job = self._monitor(area, options["date"])
            else:
                job = self._letters(area, options["half_year"], options.get("municipality"))
        if job.status == ReportJob.Status.FAILED and job.error:
            raise CommandError(job.error)
        if kind == "monitor":
            Path(out).write_bytes(bytes(job.content))
            self.stdout.write(f"{out}: {len(job.content):,} bytes")
            return
        self._unpack(job, Path(out))
        if job.failures:
            raise CommandError(f"{len(job.failures)} of {job.total} letters failed; see above.")

    def _monitor(self, area: Area, date: str) -> ReportJob:
        try:
            on = datetime.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"--date {date!r} is not a date like 2024-06-30.") from None
        job = services.start(None, ReportJob.Kind.MONITOR, area, reference_date=on, enqueue=False)
        return services.run(job)

    def _letters(self, area: Area, half_year: str, codes: list[str] | None) -> ReportJob:
        try:
            period = HalfYear.parse(half_year)
        except ValueError:
            raise CommandError(f"--half-year {half_year!r} is not a half-year like 2024-H1.") from None
        try:
            job = services.start(
                None,
                ReportJob.Kind.LETTERS,
                area,
                half_year=period,
                municipalities=[code.upper() for code in codes or []],
                enqueue=False,
            )
        except services.ReportError as exc:
            raise CommandError(str(exc)) from None
        names = {m.code: m.name for m in Area.objects.filter(code__in=job.municipalities)}
        failed: set[str] = set()

        def progress(current: ReportJob) -> None:
            if current.finished:
                return
            code = current.municipalities[current.done - 1]
            new_failures = [f for f in current.failures if f["code"] == code and code not in failed]
            if new_failures:
                failed.add(code)
                self.stderr.write(
                    f"[{current.done}/{current.total}] {names[code]}: failed: {new_failures[0]['error']}"
                )
            else:
                self.stdout.write(f"[{current.done}/{current.total}] {names[code]}")

        return services.run(job, on_progress=progress)

    def _unpack(self, job: ReportJob, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(io.BytesIO(bytes(job.content))) as archive:
            for name in archive.namelist():
                (directory / Path(name).name).write_bytes(archive.read(name))
        self.stdout.write(f"{directory}: {len(archive.namelist())} files")
