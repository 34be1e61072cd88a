from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regietafel.operations.backup import BackupError, make_backup


class Command(BaseCommand):
    help = (
        "Write the database and the uploaded files to one backup file (a tar archive with a manifest of sha256 "
        "checksums). The file holds personal data: store it encrypted and with access control."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--out", required=True, type=Path, help="The backup file to write (replaced if it exists)."
        )

    def handle(self, *args, out, **options):
        try:
            summary = make_backup(out, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Backup written to {summary.path}: {sum(summary.rows.values())} rows, {summary.files} files, "
            f"{summary.size / 1_000_000:.1f} MB in {summary.seconds:.1f} s."
        )
