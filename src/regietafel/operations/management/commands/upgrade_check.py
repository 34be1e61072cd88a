"""Before and after an upgrade: what is pending, whether it can run while the old version serves, and which
settings this version does not know or refuses (docs/operations.md, "Upgrades")."""

import os

from django.conf import settings
from django.core import checks
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, migrations
from django.db.migrations.executor import MigrationExecutor

from regietafel.core.management.commands.configuration_docs import declarations

# Operations that old code keeps working with while they run: new tables, new columns it does not know (as long as
# they may stay empty or the database fills them), new indexes and constraints it does not break, Python-only state.
ADDITIVE = (
    migrations.CreateModel,
    migrations.AddIndex,
    migrations.AlterModelOptions,
    migrations.AlterModelManagers,
)


def is_additive(operation) -> bool:
    if isinstance(operation, ADDITIVE):
        return True
    if isinstance(operation, migrations.AddField):
        field = operation.field
        return field.many_to_many or field.null or field.has_db_default()
    return False


def pending_migrations() -> list[tuple[str, bool]]:
    """(app.name, runs without downtime) for every migration not yet applied, in the order they will run."""
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [
        (f"{migration.app_label}.{migration.name}", all(is_additive(op) for op in migration.operations))
        for migration, _backwards in plan
    ]


def unknown_variables(environ) -> list[str]:
    known = set(declarations().variables)
    return sorted(name for name in environ if name.startswith("REGIETAFEL_") and name not in known)


def setting_problems() -> list[str]:
    problems = [
        f"{name} is set but this version does not read it (misspelt, or removed: see CHANGELOG.md)"
        for name in unknown_variables(os.environ)
    ]
    if settings.PRODUCTION and connection.vendor == "sqlite":
        problems.append("REGIETAFEL_ENV=production runs on SQLite: set DATABASE_URL to PostgreSQL")
    if settings.PRODUCTION and not settings.REGIETAFEL_AUDIT_KEY:
        problems.append(
            "REGIETAFEL_AUDIT_KEY is not set: the processing log's pseudonyms change when the secret key does"
        )
    messages = checks.run_checks(include_deployment_checks=settings.PRODUCTION)
    problems += [
        f"{message.id}: {message.msg}"
        for message in messages
        if message.level >= checks.WARNING and not message.is_silenced()
    ]
    return problems


class Command(BaseCommand):
    help = (
        "List pending migrations (and whether they can run while the old version serves) and settings this "
        "version does not know or refuses. Exits 1 when something needs doing."
    )

    def handle(self, *args, **options):
        try:
            pending = pending_migrations()
        except DatabaseError as exc:
            raise CommandError(f"The database does not answer: {exc.__class__.__name__}.") from None
        problems = setting_problems()
        if pending:
            self.stdout.write(f"{len(pending)} migration(s) pending:")
            for name, additive in pending:
                how = (
                    "additive: can run while the old version serves"
                    if additive
                    else "stop every app server first"
                )
                self.stdout.write(f"  {name}  ({how})")
            if all(additive for _name, additive in pending):
                self.stdout.write("Run `regietafel migrate`, then restart the app servers one by one.")
            else:
                self.stdout.write(
                    "Stop the app servers and workers, run `regietafel migrate`, start them again."
                )
        else:
            self.stdout.write("No migration pending.")
        if problems:
            self.stdout.write(f"{len(problems)} setting problem(s):")
            for problem in problems:
                self.stdout.write(f"  {problem}")
        else:
            self.stdout.write("Settings: nothing this version does not know or refuses.")
        if pending or problems:
            raise CommandError("Something needs doing before this version runs (see above).", returncode=1)
