"""`regietafel upgrade-check`: pending migrations, whether each can run while the old version serves, and settings
this version does not know or refuses; exit 1 when something needs doing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, migrations, models
from django.db.migrations.executor import MigrationExecutor

from regietafel.operations.management.commands.upgrade_check import is_additive


def migration(name: str, *operations) -> migrations.Migration:
    made = migrations.Migration(name, "meetings")
    made.operations = list(operations)
    return made


NEW_TABLE = migrations.CreateModel("Note", fields=[("id", models.BigAutoField(primary_key=True))])
NEW_EMPTY_COLUMN = migrations.AddField("meeting", "note", models.TextField(null=True))
NEW_FILLED_COLUMN = migrations.AddField("meeting", "room", models.CharField(max_length=9, db_default="zaal"))
NEW_REQUIRED_COLUMN = migrations.AddField("meeting", "code", models.CharField(max_length=9, default="x"))
DROPPED_COLUMN = migrations.RemoveField("meeting", "place")
RENAMED_COLUMN = migrations.RenameField("meeting", "place", "location")


@pytest.mark.parametrize(
    ("operation", "additive"),
    [
        (NEW_TABLE, True),
        (NEW_EMPTY_COLUMN, True),
        (NEW_FILLED_COLUMN, True),
        (migrations.AddIndex("meeting", models.Index(fields=["title"], name="meeting_title")), True),
        (NEW_REQUIRED_COLUMN, False),  # old servers insert rows without it
        (DROPPED_COLUMN, False),
        (RENAMED_COLUMN, False),
        (migrations.RunPython(migrations.RunPython.noop), False),
    ],
)
def test_what_counts_as_additive(operation, additive):
    assert is_additive(operation) is additive


@pytest.mark.django_db
def test_nothing_to_do_on_a_migrated_database(capsys):
    call_command("upgrade_check")
    out = capsys.readouterr().out
    assert "No migration pending." in out
    assert "Settings: nothing this version does not know or refuses." in out


@pytest.mark.django_db
def test_pending_migrations_are_listed_with_how_to_run_them(monkeypatch, capsys):
    plan = [(migration("0099_note", NEW_TABLE, NEW_EMPTY_COLUMN), False)]
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: plan)
    with pytest.raises(CommandError) as raised:
        call_command("upgrade_check")
    assert raised.value.returncode == 1
    out = capsys.readouterr().out
    assert "meetings.0099_note  (additive: can run while the old version serves)" in out
    assert "restart the app servers one by one" in out

    plan.append((migration("0100_rename", RENAMED_COLUMN), False))
    with pytest.raises(CommandError):
        call_command("upgrade_check")
    out = capsys.readouterr().out
    assert "2 migration(s) pending" in out
    assert "meetings.0100_rename  (stop every app server first)" in out
    assert "Stop the app servers and workers" in out


@pytest.mark.django_db
def test_settings_this_version_does_not_know_or_refuses(monkeypatch, settings, capsys):
    monkeypatch.setenv("REGIETAFEL_WORKER", "4")  # misspelt: REGIETAFEL_WORKERS
    settings.PRODUCTION = True
    settings.REGIETAFEL_AUDIT_KEY = ""
    settings.DEBUG = True
    with pytest.raises(CommandError):
        call_command("upgrade_check")
    out = capsys.readouterr().out
    assert "REGIETAFEL_WORKER is set but this version does not read it" in out
    assert "REGIETAFEL_AUDIT_KEY is not set" in out
    assert "security.W018" in out  # Django's deployment check: DEBUG on
    assert ("runs on SQLite" in out) is (connection.vendor == "sqlite")
