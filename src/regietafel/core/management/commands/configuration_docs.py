"""Write the variable tables of docs/configuration.md from the declarations in settings.py."""

import importlib
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from regietafel.conf import render

DOCUMENT = Path(settings.PROJECT_DIR) / "docs" / "configuration.md"


def declarations():
    """The settings module's `env` (Django's settings object keeps only upper-case names)."""
    return importlib.import_module("regietafel.settings").env


class Command(BaseCommand):
    help = "Regenerate the tables of environment variables in docs/configuration.md (--check: only compare)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Exit 1 when the file differs; write nothing."
        )

    def handle(self, *args, check: bool, **options):
        if not DOCUMENT.exists():
            raise CommandError(f"{DOCUMENT} does not exist (the documentation is part of a source checkout).")
        current = DOCUMENT.read_text()
        try:
            wanted = render(declarations(), current)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        if wanted == current:
            self.stdout.write(f"{DOCUMENT.name} is up to date ({len(declarations().variables)} variables).")
        elif check:
            raise CommandError(
                f"{DOCUMENT.name} differs from settings.py: run `regietafel configuration-docs`."
            )
        else:
            DOCUMENT.write_text(wanted)
            self.stdout.write(f"{DOCUMENT.name} written ({len(declarations().variables)} variables).")
