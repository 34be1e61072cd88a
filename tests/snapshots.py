"""Loaded once, written again: the rows a fixture's loader writes, captured the first time a test session needs
them and written again, as they were, for every later test that asks for the same thing.

Loading the data set runs hundreds of forms, sources and audit entries through the ORM (0.5-0.7 s); writing the
same rows back with one statement per table takes a few milliseconds. Most of the suite's tests start from the data
set, so this is where the suite's time went (issue 23's closing note: CI took 83 minutes).

A snapshot holds what the loader changed, table by table (rows added, changed, removed, by primary key), and the
files it wrote under ``MEDIA_ROOT``. It is restored only onto the state it was captured on (the same number of rows,
lowest and highest key in every table); a test that starts from another state gets a snapshot of its own. ``tests/test_snapshots.py`` checks that a restored database
equals a loaded one, table by table and row by row.
"""

import copy
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder


def _fts_shadow(name: str, virtual: set[str]) -> bool:
    return any(name.startswith(f"{table}_") for table in virtual)


def tables() -> dict[str, str]:
    """Every table of the database, with the column that identifies its rows (SQLite's rowid where a table has no
    model: the practices' full-text index); FTS5's own shadow tables follow their index and are left out."""
    keys = {
        model._meta.db_table: model._meta.pk.column
        for model in [*apps.get_models(include_auto_created=True), MigrationRecorder.Migration]
        if model._meta.managed and not model._meta.proxy
    }
    virtual = set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
            )
            virtual = {name for (name,) in cursor.fetchall()}
    found = {}
    for name in connection.introspection.table_names():
        if name in keys:
            found[name] = keys[name]
        elif name in virtual or (connection.vendor == "sqlite" and not _fts_shadow(name, virtual)):
            found[name] = "rowid"
        elif connection.vendor != "sqlite":
            raise LookupError(f"table {name} has no model: say how its rows are identified")
    return found


def fingerprint(keys: dict[str, str]) -> tuple:
    """Every table's number of rows and its lowest and highest key, in one query: enough to tell the state a
    snapshot was captured on from another (a flushed database gets its content types back under new keys)."""
    quote = connection.ops.quote_name

    def column(key: str) -> str:
        """The key as text (PostgreSQL has no MIN of a uuid)."""
        return "rowid" if key == "rowid" else f"CAST({quote(key)} AS TEXT)"

    query = " UNION ALL ".join(
        f"SELECT '{name}', COUNT(*), MIN({column(key)}), MAX({column(key)}) FROM {quote(name)}"
        for name, key in sorted(keys.items())
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        # UNION ALL keeps no order on PostgreSQL: sorted, so one state always has one fingerprint.
        return tuple(sorted(tuple(str(value) for value in row) for row in cursor.fetchall()))


def read(table: str, key: str) -> tuple[list[str], dict]:
    """A table's columns, and its rows by key."""
    quote = connection.ops.quote_name
    select = (
        f"SELECT rowid AS rowid, * FROM {quote(table)}" if key == "rowid" else f"SELECT * FROM {quote(table)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(select)
        columns = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    at = columns.index(key)
    return columns, {row[at]: tuple(row) for row in rows}


def state() -> dict[str, tuple[list[str], dict]]:
    return {table: read(table, key) for table, key in tables().items()}


@dataclass
class Change:
    """What a loader did to one table."""

    table: str
    key: str
    columns: list[str]
    added: list[tuple] = field(default_factory=list)
    changed: list[tuple] = field(default_factory=list)
    removed: list = field(default_factory=list)

    def write(self) -> None:
        quote = connection.ops.quote_name
        table = quote(self.table)
        names = ", ".join(quote(column) for column in self.columns)
        marks = ", ".join(["%s"] * len(self.columns))
        with connection.cursor() as cursor:
            if self.removed:
                cursor.executemany(
                    f"DELETE FROM {table} WHERE {quote(self.key)} = %s", [[key] for key in self.removed]
                )
            if self.changed:
                at = self.columns.index(self.key)
                assignments = ", ".join(f"{quote(column)} = %s" for column in self.columns)
                cursor.executemany(
                    f"UPDATE {table} SET {assignments} WHERE {quote(self.key)} = %s",
                    [[*row, row[at]] for row in self.changed],
                )
            if self.added:
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", self.added)


@dataclass
class Snapshot:
    changes: list[Change]
    files: dict[str, bytes]  # relative to MEDIA_ROOT
    result: object = None

    @classmethod
    def capture(cls, load: Callable[[], object]) -> "Snapshot":
        """Run ``load`` in a savepoint, keep what it wrote, and undo it."""
        media = Path(settings.MEDIA_ROOT)
        files_before = _files(media)
        with transaction.atomic():
            before = state()
            result = load()
            after = state()
            files = {name: data for name, data in _files(media).items() if files_before.get(name) != data}
            transaction.set_rollback(True)
        changes = []
        keys = tables()
        for table, (columns, rows) in after.items():
            old = before.get(table, (columns, {}))[1]
            change = Change(table, keys[table], columns)
            change.added = [row for key, row in rows.items() if key not in old]
            change.changed = [row for key, row in rows.items() if key in old and old[key] != row]
            change.removed = [key for key in old if key not in rows]
            if change.added or change.changed or change.removed:
                changes.append(change)
        return cls(changes, files, result)

    def restore(self) -> object:
        with transaction.atomic():
            for change in self.changes:
                change.write()
            if connection.vendor == "postgresql":
                _reset_sequences([change.table for change in self.changes if change.added])
        media = Path(settings.MEDIA_ROOT)
        for name, data in self.files.items():
            (media / name).parent.mkdir(parents=True, exist_ok=True)
            (media / name).write_bytes(data)
        return copy.deepcopy(self.result)


def _files(root: Path) -> dict[str, bytes]:
    if not root.is_dir():
        return {}
    return {str(path.relative_to(root)): path.read_bytes() for path in root.rglob("*") if path.is_file()}


def _reset_sequences(names: list[str]) -> None:
    models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in names]
    statements = connection.ops.sequence_reset_sql(no_style(), models)
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


class Snapshots:
    """The session's snapshots, by name and by the state they start from: captured on first use, restored after."""

    def __init__(self):
        self.taken: dict[tuple, Snapshot] = {}

    def load(self, name: str, load: Callable[[], object]) -> object:
        key = (name, fingerprint(tables()))
        snapshot = self.taken.get(key)
        if snapshot is None:
            snapshot = self.taken[key] = Snapshot.capture(load)
        return snapshot.restore()
