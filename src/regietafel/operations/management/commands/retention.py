from django.core.management.base import BaseCommand, CommandError

from regietafel.operations import retention


class Command(BaseCommand):
    help = (
        "Remove what is past its retention period (closed households, old processing log lines, expired sessions, "
        "spent login attempts; see regietafel.operations.retention) and print a count per kind. Meant to run once a "
        "day; a second run on the same day removes nothing more. --dry-run only counts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Count what would be removed; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        try:
            report = retention.run(dry_run=dry_run)
        except ValueError as exc:  # a retention period configured below one month
            raise CommandError(str(exc)) from exc
        # Counts and dates only: the output goes to the journal or a cron mail.
        self.stdout.write(
            f"{'dry run: ' if dry_run else ''}households closed before {report.cutoffs.households.isoformat()}, "
            f"logs written before {report.cutoffs.processing_log.isoformat()}"
        )
        verb = "would remove" if dry_run else "removed"
        for kind, count in report.counts.items():
            self.stdout.write(f"{kind}: {count}")
        self.stdout.write(f"{verb}: {report.total}")
