"""`regietafel backup --out FILE` and `regietafel restore FILE`: the database and the uploaded files together.

A restore into a brand-new database runs in a process of its own against a database of its own (SQLite in the
test's directory, or a PostgreSQL database of its own when the suite runs on PostgreSQL), and every table is then
compared row by row, every file byte by byte. The refusals run in the test's process and check that nothing changed.
"""

import contextlib
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import dj_database_url
import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.utils import ConnectionHandler

from regietafel.audit.models import Action, Channel, ProcessingLog
from regietafel.audit.services import record
from regietafel.core.models import Theme
from regietafel.meetings.models import AgendaItem, Document
from regietafel.operations.backup import backup_models, data_in_database
from regietafel.persons.models import Household
from regietafel.practices.models import Attachment, Practice
from regietafel.practices.search import search
from regietafel.reports.services import run_report_job
from tests.support import database_url

REGIETAFEL = Path(sys.executable).with_name("regietafel")
DOCUMENT = b"%PDF-1.4\n" + bytes(range(256)) * 40
ATTACHMENT = b"PK\x03\x04" + os.urandom(5000)


# The installation's content ------------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def content(dataset, media, logged_in, user, settings):
    """What `make run` has (the data set and every demo: meetings, practices, households, ...), plus what people add: a session, a meeting document, a practice attachment,
    processing-log lines, record history (the demo writes it) and a queued background task."""
    call_command("load_demo", stdout=io.StringIO())
    item = AgendaItem.objects.order_by("pk").first()
    Document.objects.create(agenda_item=item, file=ContentFile(DOCUMENT, name="agenda.pdf"), name="Agenda")
    practice = Practice.objects.order_by("pk").first()
    Attachment.objects.create(
        practice=practice, file=ContentFile(ATTACHMENT, name="werkwijze.docx"), name="Werkwijze"
    )
    record(
        None,
        subjects=Household.objects.order_by("pk")[:3],
        action=Action.READ,
        channel=Channel.PAGE,
        user=user,
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    run_report_job.enqueue("00000000-0000-0000-0000-000000000000")
    return practice


def backup(path: Path) -> str:
    out = io.StringIO()
    call_command("backup", out=path, stdout=out)
    return out.getvalue()


def restore(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("restore", str(path), *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def backup_file(content, tmp_path) -> Path:
    path = tmp_path / "regietafel.tar"
    backup(path)
    return path


# Reading a whole installation ----------------------------------------------------------------------------------


def every_table(conn) -> dict[str, list[tuple]]:
    """Every row of every table, column by column, by primary key (and the SQLite search index's rows)."""
    quote = conn.ops.quote_name
    tables = {}
    with conn.cursor() as cursor:
        for model in backup_models():
            meta = model._meta
            columns = ", ".join(quote(field.column) for field in meta.local_concrete_fields)
            cursor.execute(
                f"SELECT {columns} FROM {quote(meta.db_table)} ORDER BY {quote(meta.pk.column)}"  # noqa: S608 (our own table names)
            )
            tables[meta.db_table] = cursor.fetchall()
        if conn.vendor == "sqlite":
            cursor.execute("SELECT rowid, title, body FROM practices_practice_fts ORDER BY rowid")
            tables["practices_practice_fts"] = cursor.fetchall()
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        tables["django_migrations"] = cursor.fetchall()
    return tables


def every_file(root: Path) -> dict[str, bytes]:
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


@contextlib.contextmanager
def new_database(tmp_path):
    """A brand-new database without any table: its URL and a connection for reading it afterwards."""
    postgresql = connection.vendor == "postgresql"
    if postgresql:
        name = f"test_restore_{os.getpid()}"
        server = ConnectionHandler({"default": {**connection.settings_dict, "NAME": "postgres"}})
        with server["default"].cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        url = database_url().rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{tmp_path / 'new.sqlite3'}"
    target = ConnectionHandler({"default": dj_database_url.parse(url)})
    try:
        yield url, target["default"]
    finally:
        target.close_all()
        if postgresql:
            with server["default"].cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            server.close_all()


def regietafel(*args: str, database: str, data_dir: Path) -> subprocess.CompletedProcess:
    """Our console script in a process of its own, against ``database`` and a data directory of its own."""
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "REGIETAFEL_DATA_DIR": str(data_dir),
        "MEDIA_ROOT": str(data_dir / "media"),
        "REGIETAFEL_CACHE_URL": "",
    }
    return subprocess.run(  # noqa: S603 (our own console script, our own arguments)
        [str(REGIETAFEL), *args], env=env, capture_output=True, text=True, timeout=600
    )


# Backup and restore --------------------------------------------------------------------------------------------


def test_restore_into_a_new_database_gives_every_row_and_every_file(content, media, tmp_path):
    path = tmp_path / "regietafel.tar"
    output = backup(path)
    assert f"Backup written to {path}" in output
    assert "auth.user: 1 rows" in output and "Files: 2 " in output
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []  # no temporary file left
    before = every_table(connection)
    files = every_file(media)
    assert set(files) == {Document.objects.get().file.name, Attachment.objects.get().file.name}
    # Not a comparison of empty tables: the content is there, in every kind of table.
    for table in [
        "auth_user",
        "django_session",
        "audit_processinglog",
        "auditlog_logentry",
        "django_tasks_database_dbtaskresult",
    ]:
        assert before[table], table
    assert sum(map(len, before.values())) > 1000

    with new_database(tmp_path) as (url, target):
        result = regietafel("restore", str(path), database=url, data_dir=tmp_path / "new")
        assert result.returncode == 0, result.stderr
        assert "every checksum matches" in result.stdout and f"Restored {path}" in result.stdout
        after = every_table(target)
        assert set(connection.introspection.django_table_names()) <= set(after)
        for table, rows in before.items():
            assert after[table] == rows, table
    assert every_file(tmp_path / "new" / "media") == files


def test_restore_replaces_changed_data_and_files_and_new_rows_get_new_ids(backup_file, content, media):
    before = every_table(connection)
    files = every_file(media)
    get_user_model().objects.create_user("nieuw")
    Practice.objects.filter(pk=content.pk).update(title="Een andere titel")
    Attachment.objects.get().file.delete(save=False)
    (media / "los-bestand.txt").write_bytes(b"not in the backup")
    cache.set("regietafel:part:something", "<p>old figures</p>")

    with pytest.raises(CommandError, match="already holds data"):
        restore(backup_file)
    output = restore(backup_file, "--replace")

    assert "Files: 2 restored" in output
    assert every_table(connection) == before
    assert every_file(media) == files
    assert cache.get("regietafel:part:something") is None
    # The SQLite search index is written anew from the restored practices.
    assert [practice.pk for practice in search(content.title.split()[0])] != []
    # New rows continue after the restored ids (PostgreSQL's sequences are set past them).
    for model, make in [
        (get_user_model(), lambda: get_user_model().objects.create_user("na-herstel")),
        (Theme, lambda: Theme.objects.create(name="Nieuw thema", slug="nieuw-thema")),
        (
            Practice,
            lambda: Practice.objects.create(
                title="Nieuw", problem="p", approach="a", municipality=content.municipality
            ),
        ),
    ]:
        highest = model.objects.order_by("-pk").values_list("pk", flat=True).first()
        assert make().pk > highest


def test_a_migrated_database_without_data_counts_as_empty(db):
    assert data_in_database() == {}
    get_user_model().objects.create_user("iemand")
    assert data_in_database()["auth_user"] == 1


def test_restore_into_a_database_with_data_is_refused_without_replace(backup_file, media):
    get_user_model().objects.create_user("iemand-anders")
    before, files = every_table(connection), every_file(media)
    with pytest.raises(CommandError, match="database already holds data.*--replace.*Nothing was restored"):
        restore(backup_file)
    assert every_table(connection) == before
    assert every_file(media) == files


def test_restore_into_an_empty_database_with_stored_files_is_refused_without_replace(db, tmp_path, media):
    path = tmp_path / "empty.tar"
    backup(path)  # of the migrated, empty test database
    (media / "meetings").mkdir(parents=True)
    (media / "meetings" / "oud.pdf").write_bytes(b"left behind")
    before, files = every_table(connection), every_file(media)
    with pytest.raises(
        CommandError, match="file storage already holds 1 files.*--replace.*Nothing was restored"
    ):
        restore(path)
    assert every_table(connection) == before
    assert every_file(media) == files
    restore(path, "--replace")
    assert every_file(media) == {}


# Damaged and mismatched files ----------------------------------------------------------------------------------


def test_a_truncated_file_exits_non_zero_with_a_message_and_writes_nothing(backup_file, tmp_path):
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(backup_file.read_bytes()[: backup_file.stat().st_size // 2])
    database = tmp_path / "new.sqlite3"
    result = regietafel(
        "restore", str(truncated), database=f"sqlite:///{database}", data_dir=tmp_path / "new"
    )
    assert result.returncode != 0
    assert "damaged or incomplete" in result.stderr and "Nothing was restored" in result.stderr
    assert "Traceback" not in result.stderr
    assert not database.exists()
    assert not (tmp_path / "new" / "media").exists()


def _offsets(path: Path) -> dict[str, tuple[int, int]]:
    with tarfile.open(path) as archive:
        return {member.name: (member.offset, member.offset_data) for member in archive.getmembers()}


@pytest.mark.parametrize(
    "cut", ["in the database", "in a document", "before the manifest", "in the first header"]
)
def test_a_file_cut_off_anywhere_is_refused(backup_file, media, tmp_path, cut):
    offsets = _offsets(backup_file)
    document = next(name for name in offsets if name.startswith("media/meetings/"))
    end = {
        "in the database": offsets["database.jsonl.gz"][1] + 100,
        "in a document": offsets[document][1] + 100,
        "before the manifest": offsets["manifest.json"][0],
        "in the first header": 100,
    }[cut]
    truncated = tmp_path / "truncated.tar"
    truncated.write_bytes(backup_file.read_bytes()[:end])
    before, files = every_table(connection), every_file(media)
    with pytest.raises(CommandError, match="damaged or incomplete"):
        restore(truncated, "--replace")
    assert every_table(connection) == before
    assert every_file(media) == files


@pytest.mark.parametrize("member", ["database.jsonl.gz", "media/practices/"])
def test_one_flipped_byte_is_refused_by_its_checksum(backup_file, media, member):
    name, (_, start) = next(
        (name, at) for name, at in _offsets(backup_file).items() if name.startswith(member)
    )
    with backup_file.open("r+b") as file:
        file.seek(start + 20)
        byte = file.read(1)[0]
        file.seek(start + 20)
        file.write(bytes([byte ^ 0x01]))
    before, files = every_table(connection), every_file(media)
    with pytest.raises(CommandError, match=f"the checksum of {name} does not match the manifest"):
        restore(backup_file, "--replace")
    assert every_table(connection) == before
    assert every_file(media) == files


def with_manifest(source: Path, target: Path, edit) -> Path:
    """A copy of a backup file with its manifest edited."""
    with tarfile.open(source) as original, tarfile.open(target, "w") as copy:
        for member in original.getmembers():
            data = original.extractfile(member).read()
            if member.name == "manifest.json":
                manifest = json.loads(data)
                edit(manifest)
                data = json.dumps(manifest).encode()
                member.size = len(data)
            copy.addfile(member, io.BytesIO(data))
    return target


def _future_migration(manifest):
    manifest["migrations"]["housing"].append("9999_from_the_future")


def _older_version(manifest):
    manifest["migrations"]["audit"].pop()


def _newer_format(manifest):
    manifest["format_version"] = 2


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (_future_migration, r"different version.*unknown migration housing\.9999_from_the_future"),
        (_older_version, r"different version.*missing migration audit\."),
        (_newer_format, r"backup format version 2"),
    ],
)
def test_a_backup_of_another_version_is_refused(backup_file, media, tmp_path, edit, message):
    def edit_with_version(manifest):
        edit(manifest)
        manifest["app_version"] = "9.9.9"

    other = with_manifest(backup_file, tmp_path / "other.tar", edit_with_version)
    before, files = every_table(connection), every_file(media)
    with pytest.raises(CommandError, match=message) as refused:
        restore(other, "--replace")
    assert "restore it with version 9.9.9" in str(refused.value).lower()
    assert every_table(connection) == before
    assert every_file(media) == files


def test_a_member_not_in_the_manifest_or_missing_from_the_file_is_refused(backup_file, tmp_path):
    def add_member(manifest):
        manifest["members"]["media/extra.pdf"] = {"size": 1, "sha256": "0" * 64}

    with pytest.raises(CommandError, match="members are missing, first media/extra.pdf"):
        restore(with_manifest(backup_file, tmp_path / "missing.tar", add_member), "--replace")

    def forget_member(manifest):
        del manifest["members"]["database.jsonl.gz"]

    with pytest.raises(CommandError, match="database.jsonl.gz is not in the manifest"):
        restore(with_manifest(backup_file, tmp_path / "extra.tar", forget_member), "--replace")


def test_a_file_that_is_not_a_backup_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        restore(tmp_path / "nowhere.tar")
    other = tmp_path / "other.tar"
    other.write_bytes(b"not a tar file at all" * 100)
    with pytest.raises(CommandError, match="damaged or incomplete"):
        restore(other)
    with tarfile.open(other, "w") as archive:
        data = json.dumps({"format": "something-else"}).encode()
        info = tarfile.TarInfo("manifest.json")
        info.size = len(data)
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(CommandError, match="is not a Regietafel backup file"):
        restore(other)
    assert ProcessingLog.objects.count() == 0


def test_a_backup_into_a_missing_directory_is_refused(db, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        backup(tmp_path / "nowhere" / "regietafel.tar")
