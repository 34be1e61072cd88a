from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from regietafel.operations.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup file made by 'regietafel backup' (the same version of Regietafel) into an empty database: "
        "the file is checked completely before anything is written. Runs migrate first, so the database may be new."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The backup file.")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete everything in the database and the file storage first (refused without it when the "
            "database holds data).",
        )

    def handle(self, *args, file, replace, **options):
        try:
            summary = restore(file, replace=replace, progress=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Restored {file}: {sum(summary.rows.values())} rows, {summary.files} files in {summary.seconds:.1f} s."
        )
