"""Backup and restore of a whole installation: the database and the uploaded files in one file.

The backup file is an uncompressed tar archive (the documents in it are PDF, Word and Excel files, compressed
already) with these members:

- ``database.jsonl.gz``: every row of every table of every installed app (the processing log, the record history,
  sessions, content types and permissions included), written with Django's JSON Lines serializer, one row per line,
  with its primary key, gzip-compressed. Many-to-many tables are written as rows of their own, so that their ids
  survive too;
- ``media/<name>``: every file in the file storage (``default_storage``), under its storage name;
- ``manifest.json`` (last): the format version, the app version, when and from which database vendor it was made,
  the applied migrations per app, the number of rows per model, and the size and sha256 of every other member.

A restore reads the whole file first and writes nothing until it has checked it: every member is there and matches
the manifest's size and checksum, the format is known, and the backup's migrations are exactly this version's
migrations (a backup of another version is refused: restore it with that version, then upgrade). Then it migrates
the database (which creates the schema in a new, empty database), refuses a database that already holds data unless
asked to replace it, and in one transaction empties every table, inserts the rows as they were (same ids, same
timestamps; no signal handler runs, so nothing adds rows of its own), sets the sequences past the highest id,
rebuilds the SQLite search index of practices and replaces the stored files with the backup's files.
"""

import dataclasses
import datetime
import gzip
import hashlib
import io
import json
import os
import tarfile
import tempfile
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.core import serializers
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Model
from django.utils import timezone

from regietafel.core.context_processors import VERSION
from regietafel.monitor import warmup
from regietafel.practices.models import Practice
from regietafel.practices.search import index_practice
from regietafel.search.index import rebuild as rebuild_search

FORMAT = "regietafel-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATABASE = "database.jsonl.gz"
MEDIA = "media/"
CHUNK = 1024 * 1024
ROWS_PER_QUERY = 2000
# Rows ``migrate`` itself writes into a new database (content types and permissions after migrating, the themes and
# the indicator domains by data migrations): a database holding only these counts as empty.
MADE_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission", "core.theme", "indicators.domain"}


class BackupError(Exception):
    """A backup cannot be made, or a file cannot be restored. The message says why, for the operator."""


Progress = Callable[[str], None]


def _quiet(line: str) -> None:
    pass


@dataclasses.dataclass
class Manifest:
    data: dict

    @property
    def rows(self) -> dict[str, int]:
        return self.data["rows"]

    @property
    def members(self) -> dict[str, dict]:
        return self.data["members"]

    @property
    def files(self) -> list[str]:
        return sorted(name.removeprefix(MEDIA) for name in self.members if name.startswith(MEDIA))


@dataclasses.dataclass
class Summary:
    path: Path
    rows: dict[str, int]
    files: int
    file_bytes: int
    size: int
    seconds: float


# What is in the database --------------------------------------------------------------------------------------


def backup_models() -> list[type[Model]]:
    """Every table of every installed app as its model, many-to-many tables included, in the apps' order."""
    return [
        model
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and not model._meta.proxy
    ]


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _columns(model: type[Model]) -> list[str]:
    """The fields a row is written with: its own columns; many-to-many tables are models of their own here."""
    return [field.name for field in model._meta.local_concrete_fields if not field.primary_key]


class _Encoder(DjangoJSONEncoder):
    """Django's encoder, but times keep their microseconds (Django cuts them to milliseconds for JavaScript)."""

    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            return o.isoformat()
        return super().default(o)


def applied_migrations() -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app_label, name in MigrationRecorder(connection).applied_migrations():
        applied.setdefault(app_label, []).append(name)
    return {app_label: sorted(names) for app_label, names in sorted(applied.items())}


def migration_mismatch(theirs: dict[str, list[str]]) -> list[str]:
    """How a set of applied migrations differs from this version's migrations (empty: they are the same)."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    applied = {(app_label, name) for app_label, names in theirs.items() for name in names}
    known = set(loader.disk_migrations)
    problems = [f"unknown migration {app}.{name}" for app, name in sorted(applied - known)]
    for key in sorted(loader.graph.nodes):
        replaced = loader.replacements.get(key)
        if key in applied or (replaced is not None and set(replaced.replaces) <= applied):
            continue
        problems.append(f"missing migration {key[0]}.{key[1]}")
    return problems


def _pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


# What is in the file storage ----------------------------------------------------------------------------------


def stored_files(storage=None, directory: str = "") -> Iterator[str]:
    """Every file in the storage, by its storage name, sorted."""
    storage = storage or default_storage
    try:
        directories, files = storage.listdir(directory)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{directory}/{name}" if directory else name
    for name in sorted(directories):
        yield from stored_files(storage, f"{directory}/{name}" if directory else name)


# Writing ------------------------------------------------------------------------------------------------------


class _HashingReader:
    """Reads through a file and keeps the sha256 and size of what was read (tarfile reads each member once)."""

    def __init__(self, file):
        self.file = file
        self.sha256 = hashlib.sha256()
        self.size = 0

    def read(self, size=-1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        self.size += len(data)
        return data


def _add(archive: tarfile.TarFile, name: str, file, size: int, mtime: float) -> dict:
    info = tarfile.TarInfo(name)
    info.size = size
    info.mode = 0o600
    info.mtime = int(mtime)
    reader = _HashingReader(file)
    archive.addfile(info, reader)
    if reader.size != size:
        raise BackupError(f"{name} changed while it was being written to the backup; run the backup again.")
    return {"size": size, "sha256": reader.sha256.hexdigest()}


def _dump_database(file, progress: Progress) -> dict[str, int]:
    """Every row of every table into ``file`` (binary), as gzip-compressed JSON Lines; the rows per model."""
    rows: dict[str, int] = {}
    with (
        gzip.GzipFile(fileobj=file, mode="wb", compresslevel=6, mtime=0) as compressed,
        io.TextIOWrapper(compressed, encoding="utf-8", newline="\n") as text,
    ):
        for model in backup_models():
            count = 0

            def counted(queryset):
                nonlocal count
                for row in queryset:
                    count += 1
                    yield row

            queryset = model._base_manager.order_by("pk").iterator(chunk_size=ROWS_PER_QUERY)
            serializers.serialize(
                "jsonl", counted(queryset), stream=text, fields=_columns(model), cls=_Encoder
            )
            rows[_label(model)] = count
            if count:
                progress(f"  {_label(model)}: {count} rows")
    return rows


def make_backup(out: Path, progress: Progress = _quiet) -> Summary:
    """Write the database and the stored files to ``out``: atomically (a temporary file in the same directory,
    renamed when complete, so an earlier backup of that name stays until then) and readable by its owner only."""
    started = time.monotonic()
    out = Path(out).absolute()
    if not out.parent.is_dir():
        raise BackupError(f"The directory {out.parent} does not exist.")
    if pending := _pending_migrations():
        raise BackupError(
            f"The database is not migrated to this version ({len(pending)} migrations pending, first "
            f"{pending[0]}): run 'regietafel migrate' first."
        )
    created = timezone.now()
    members: dict[str, dict] = {}
    handle, temporary = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".tmp")
    os.close(handle)  # mkstemp makes it 0600; tarfile opens it again by name
    try:
        with tarfile.open(temporary, "w", format=tarfile.PAX_FORMAT) as archive:
            progress("Database:")
            with tempfile.TemporaryFile(dir=out.parent) as dump:
                # One snapshot of every table: rows written while the backup runs are in it entirely or not at all.
                outermost = not connection.in_atomic_block
                with transaction.atomic():
                    if connection.vendor == "postgresql" and outermost:
                        with connection.cursor() as cursor:
                            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                    rows = _dump_database(dump, progress)
                    migrations = applied_migrations()
                size = dump.tell()
                dump.seek(0)
                members[DATABASE] = _add(archive, DATABASE, dump, size, created.timestamp())
            file_bytes = 0
            names = list(stored_files())
            for name in names:
                try:
                    size = default_storage.size(name)
                    with default_storage.open(name, "rb") as file:
                        members[MEDIA + name] = _add(archive, MEDIA + name, file, size, created.timestamp())
                except FileNotFoundError as exc:
                    raise BackupError(f"{name} was removed while the backup ran; run it again.") from exc
                file_bytes += size
            progress(f"Files: {len(names)} ({_megabytes(file_bytes)})")
            manifest = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "app_version": VERSION,
                "created_at": created.isoformat(),
                "database_vendor": connection.vendor,
                "migrations": migrations,
                "rows": rows,
                "members": members,
            }
            data = json.dumps(manifest, indent=1, sort_keys=True).encode()
            _add(archive, MANIFEST, io.BytesIO(data), len(data), created.timestamp())
        os.chmod(temporary, 0o600)
        os.replace(temporary, out)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return Summary(
        path=out,
        rows=rows,
        files=len(names),
        file_bytes=file_bytes,
        size=out.stat().st_size,
        seconds=time.monotonic() - started,
    )


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f} MB"


# Checking -----------------------------------------------------------------------------------------------------

READ_ERRORS = (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile, OSError, UnicodeDecodeError)


def _damaged(path: Path, problem: str) -> BackupError:
    return BackupError(f"{path} is damaged or incomplete: {problem}. Nothing was restored.")


def _valid_media_name(name: str) -> bool:
    path = PurePosixPath(name)
    return (
        bool(name)
        and not path.is_absolute()
        and ".." not in path.parts
        and "\\" not in name
        and path.as_posix() == name
    )


def verify(path: Path) -> Manifest:
    """Read the whole backup file and check it against its manifest; writes nothing."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path} does not exist or is not a file.")
    try:
        with tarfile.open(path, "r:*") as archive:
            members = archive.getmembers()
            names = [member.name for member in members]
            if MANIFEST not in names:
                raise _damaged(path, f"{MANIFEST} is missing (is the file cut off?)")
            if len(set(names)) != len(names):
                raise _damaged(path, "a member occurs twice")
            try:
                manifest = json.load(archive.extractfile(MANIFEST))
            except ValueError as exc:
                raise _damaged(path, f"{MANIFEST} is not valid JSON ({exc})") from exc
            if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
                raise BackupError(f"{path} is not a Regietafel backup file. Nothing was restored.")
            if manifest.get("format_version") != FORMAT_VERSION:
                raise BackupError(
                    f"{path} has backup format version {manifest.get('format_version')!r}, this version of "
                    f"Regietafel reads version {FORMAT_VERSION}: restore it with version "
                    f"{manifest.get('app_version')}. Nothing was restored."
                )
            listed = manifest.get("members", {})
            present = {member.name: member for member in members if member.name != MANIFEST}
            if missing := sorted(set(listed) - set(present)):
                raise _damaged(path, f"{len(missing)} members are missing, first {missing[0]}")
            if extra := sorted(set(present) - set(listed)):
                raise _damaged(path, f"{extra[0]} is not in the manifest")
            if DATABASE not in listed:
                raise _damaged(path, f"the manifest lists no {DATABASE}")
            for name, member in present.items():
                if not member.isfile() or not (
                    name == DATABASE or (name.startswith(MEDIA) and _valid_media_name(name[len(MEDIA) :]))
                ):
                    raise _damaged(path, f"unexpected member {name!r}")
                if member.size != listed[name]["size"]:
                    raise _damaged(
                        path, f"{name} has {member.size} bytes, the manifest says {listed[name]['size']}"
                    )
                digest = hashlib.sha256()
                file = archive.extractfile(member)
                while chunk := file.read(CHUNK):
                    digest.update(chunk)
                if digest.hexdigest() != listed[name]["sha256"]:
                    raise _damaged(path, f"the checksum of {name} does not match the manifest")
    except BackupError:
        raise
    except READ_ERRORS as exc:
        raise _damaged(path, f"{exc or type(exc).__name__}") from exc
    return Manifest(manifest)


def check_version(manifest: Manifest) -> None:
    """Refuse a backup whose migrations are not exactly this version's."""
    if problems := migration_mismatch(manifest.data["migrations"]):
        theirs = manifest.data.get("app_version", "?")
        raise BackupError(
            f"This backup was made with a different version of Regietafel ({theirs}; this is {VERSION}): "
            f"{'; '.join(problems[:3])}{' …' if len(problems) > 3 else ''}. Restore it with version {theirs}, "
            "then upgrade. Nothing was restored."
        )


def data_in_database() -> dict[str, int]:
    """Rows per table of the tables that exist and hold more than ``migrate`` writes into a new database."""
    existing = set(connection.introspection.table_names())
    found = {}
    for model in backup_models():
        if model._meta.db_table not in existing or _label(model) in MADE_BY_MIGRATE:
            continue
        if count := model._base_manager.count():
            found[model._meta.db_table] = count
    return found


# Restoring ----------------------------------------------------------------------------------------------------


def _insert(model: type[Model], objects: list[Model]) -> None:
    """Insert the rows as they are: raw, so ``auto_now`` keeps the stored time, and without the save signals, so
    no handler (the record history, the login lock-out) writes rows of its own."""
    fields = model._meta.local_concrete_fields
    size = connection.ops.bulk_batch_size(fields, objects) or len(objects)
    for start in range(0, len(objects), size):
        model._base_manager._insert(
            objects[start : start + size], fields=fields, raw=True, using=connection.alias
        )


def _load(stream) -> Counter:
    counts: Counter = Counter()
    batch: list[Model] = []
    batch_model = None
    for deserialized in serializers.deserialize("jsonl", stream):
        obj = deserialized.object
        if type(obj) is not batch_model or len(batch) >= ROWS_PER_QUERY:
            if batch:
                _insert(batch_model, batch)
            batch, batch_model = [], type(obj)
        batch.append(obj)
        counts[_label(batch_model)] += 1
    if batch:
        _insert(batch_model, batch)
    return counts


def _flush() -> None:
    """Empty every table of every installed app, and start its ids at 1 again (SQL, so the processing log's refusal
    of deletes in Python does not apply; on PostgreSQL this is TRUNCATE, which the log's trigger lets through only for
    a transaction that declares it replaces everything)."""
    if connection.vendor == "postgresql":
        # TRUNCATE refuses tables with foreign-key checks still pending in an enclosing transaction: run them now.
        connection.check_constraints()
        # The processing log refuses TRUNCATE unless this transaction declares it replaces everything (audit/0007).
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('regietafel.replace_all', 'on', true)")
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    connection.ops.execute_sql_flush(connection.ops.sql_flush(no_style(), tables, reset_sequences=True))


def _rebuild_search_index() -> None:
    """The SQLite search indexes are tables outside the models (practices/search.py, search/index.py): write them
    anew."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM practices_practice_fts")
    for practice in Practice.objects.order_by("pk").iterator(chunk_size=ROWS_PER_QUERY):
        index_practice(practice)
    rebuild_search()


def _replace_files(archive: tarfile.TarFile, manifest: Manifest, progress: Progress) -> None:
    for name in list(stored_files()):
        default_storage.delete(name)
    for name in manifest.files:
        member = archive.getmember(MEDIA + name)
        file = File(archive.extractfile(member))
        file.size = member.size
        saved = default_storage.save(name, file)
        if saved != name:
            raise BackupError(
                f"The file storage saved {name} as {saved}. The database was not restored; the stored files may be "
                "incomplete: run the restore again with --replace."
            )
    progress(f"Files: {len(manifest.files)} restored")


def restore(path: Path, *, replace: bool = False, progress: Progress = _quiet) -> Summary:
    """Restore a backup file into this installation's database and file storage (see the module's docstring)."""
    from django.core.cache import cache
    from django.core.management import call_command

    started = time.monotonic()
    path = Path(path)
    manifest = verify(path)
    check_version(manifest)
    progress(
        f"Checked {path}: made {manifest.data['created_at']} by Regietafel {manifest.data['app_version']} on "
        f"{manifest.data['database_vendor']}; {sum(manifest.rows.values())} rows, {len(manifest.files)} files, "
        "every checksum matches."
    )
    if not replace and (found := data_in_database()):
        table, count = max(found.items(), key=lambda item: item[1])
        raise BackupError(
            f"The database already holds data ({len(found)} tables with rows, e.g. {count} rows in {table}). "
            "Restore into an empty database, or give --replace to delete everything in it and in the file "
            "storage first. Nothing was restored."
        )
    if not replace and (files := list(stored_files())):
        raise BackupError(
            f"The file storage already holds {len(files)} files (e.g. {files[0]}). Restore into an empty one, or "
            "give --replace to delete everything in it and in the database first. Nothing was restored."
        )
    # The restored database equals the backup: no round of page parts is queued for the rows it loads (pages are
    # computed when first asked for, from the restored figures).
    with warmup.quiet("restore"):
        progress("Migrating the database schema.")
        call_command("migrate", interactive=False, verbosity=0)
        counts = _load_backup(path, manifest, progress)
        # Nothing rendered from the old figures may be shown.
        call_command("invalidate_cachalot", verbosity=0)
        cache.clear()
    return Summary(
        path=path,
        rows=dict(counts),
        files=len(manifest.files),
        file_bytes=sum(manifest.members[MEDIA + name]["size"] for name in manifest.files),
        size=path.stat().st_size,
        seconds=time.monotonic() - started,
    )


def _load_backup(path: Path, manifest: Manifest, progress: Progress) -> Counter:
    """Replace every row and every stored file by the backup's, in one transaction; the rows loaded per table."""
    try:
        with tarfile.open(path, "r:*") as archive, transaction.atomic():
            _flush()
            with (
                archive.extractfile(DATABASE) as raw,
                gzip.GzipFile(fileobj=raw) as compressed,
                io.TextIOWrapper(compressed, encoding="utf-8") as text,
            ):
                counts = _load(text)
            expected = {label: count for label, count in manifest.rows.items() if count}
            if dict(counts) != expected:
                different = sorted(set(counts.items()) ^ set(expected.items()))
                raise BackupError(
                    f"The rows loaded differ from the manifest ({different[0][0]}); nothing was restored."
                )
            # Ids continue after the highest restored id (PostgreSQL sequences; SQLite keeps its own).
            with connection.cursor() as cursor:
                for statement in connection.ops.sequence_reset_sql(no_style(), backup_models()):
                    cursor.execute(statement)
            connection.check_constraints()
            _rebuild_search_index()
            for label, count in sorted(counts.items()):
                progress(f"  {label}: {count} rows")
            _replace_files(archive, manifest, progress)
    except DeserializationError as exc:
        raise BackupError(
            f"{path} holds a row this version cannot read ({exc}); nothing was restored."
        ) from exc
    except DatabaseError as exc:
        raise BackupError(f"The database refused the backup's rows ({exc}); nothing was restored.") from exc
    return counts
