"""The production start: gunicorn with workers sized from the CPU count (docs/operations.md)."""

import os
import sys
import tempfile

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The npm packages' sources and data that no page asks for (design tokens as JSON, TypeScript, Sass: 15 MB), left
# out of the collected files, so a start collects and compresses only what is served (8.6 MB instead of 37 MB).
NOT_SERVED = ["*.json", "*.cjs", "*.mjs", "*.ts", "*.scss", "*.less", "*.map"]


def default_workers() -> int:
    return 2 * (os.cpu_count() or 1) + 1


class Command(BaseCommand):
    help = (
        "Serve Regietafel with gunicorn (the production start): refuses while a migration is pending, collects "
        "the static files, then runs REGIETAFEL_WORKERS workers (default: two per CPU plus one)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=settings.SERVE_BIND, help="Address:port (REGIETAFEL_BIND).")
        parser.add_argument("--workers", type=int, default=settings.SERVE_WORKERS, help="Worker processes.")
        parser.add_argument(
            "--production",
            action="store_true",
            help="Refuse to start unless REGIETAFEL_ENV=production (a guard for service definitions).",
        )

    def handle(self, *args, bind: str, workers: int, production: bool, **options):
        if production and not settings.PRODUCTION:
            raise CommandError("--production was asked, but REGIETAFEL_ENV is not 'production'.")
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            raise CommandError(
                f"{len(pending)} migration(s) pending: run `regietafel migrate` first (once, before any server "
                "starts), then start the servers."
            )
        connection.close()
        call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=NOT_SERVED)
        workers = workers or default_workers()
        # Every worker writes its request metrics here; /metrics adds them up (regietafel.operations.metrics). The
        # gunicorn configuration removes the directory when the server stops.
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="regietafel-metrics-")
        self.stdout.write(f"Regietafel {settings.ENVIRONMENT}: gunicorn on {bind} with {workers} workers.")
        self.stdout.flush()
        arguments = [
            sys.executable,
            "-m",
            "gunicorn",
            "regietafel.wsgi:application",
            "--config=python:regietafel.gunicorn_conf",
            f"--bind={bind}",
            f"--workers={workers}",
            f"--timeout={settings.SERVE_TIMEOUT}",
        ]
        os.execv(sys.executable, arguments)  # noqa: S606 (our own server, our own arguments)
