"""A restored snapshot is the database its loader makes (tests/snapshots.py): every table, row by row.

What two loads of the same loader do not agree on is left out: times (a snapshot keeps the moment it was captured),
random references and tokens, and on PostgreSQL the keys (a rolled-back load still uses up sequence numbers). Every
other value of every row of every table must be equal.
"""

import pytest
from django.db import transaction

from regietafel.operations.dataset import load_dataset
from regietafel.operations.demo import load_demo
from tests.access.conftest import build_world
from tests.snapshots import Snapshot, state
from tests.support import DEMO_DAY


def rows() -> dict[str, list[tuple]]:
    """Every table's rows, in the order of their keys."""
    return {table: [found[key] for key in sorted(found)] for table, (_columns, found) in state().items()}


def loaded(load) -> dict:
    with transaction.atomic():
        load()
        found = rows()
        transaction.set_rollback(True)
    return found


def restored(snapshot: Snapshot) -> dict:
    with transaction.atomic():
        snapshot.restore()
        found = rows()
        transaction.set_rollback(True)
    return found


def chance(first: dict, second: dict) -> dict[str, set[int]]:
    """Per table, the columns in which two loads of the same loader differ: times, random references and tokens,
    and on PostgreSQL the keys."""
    assert {table: len(found) for table, found in first.items()} == {
        table: len(found) for table, found in second.items()
    }
    return {
        table: {
            at
            for one, other in zip(first[table], second[table], strict=True)
            for at, value in enumerate(one)
            if value != other[at]
        }
        for table in first
    }


def without(found: dict, columns: dict[str, set[int]]) -> dict:
    return {
        table: sorted(
            (
                tuple(value for at, value in enumerate(row) if at not in columns[table])
                for row in found[table]
            ),
            key=repr,
        )
        for table in found
    }


def _demo():
    load_dataset()
    load_demo(today=DEMO_DAY)


def _world():
    load_dataset()
    return build_world()


@pytest.mark.parametrize("load", [load_dataset, _demo, _world], ids=["dataset", "demo", "access world"])
def test_a_restored_snapshot_is_the_database_its_loader_makes(db, settings, tmp_path, load):
    settings.MEDIA_ROOT = tmp_path / "captured"
    snapshot = Snapshot.capture(load)
    assert snapshot.changes
    found = restored(snapshot)
    settings.MEDIA_ROOT = tmp_path / "loaded"  # a file saved again in the same folder would get another name
    first = loaded(load)
    settings.MEDIA_ROOT = tmp_path / "loaded again"
    random = chance(first, loaded(load))
    assert sum(len(row) for table in first.values() for row in table) > 1000
    assert without(found, random) == without(first, random)


def test_a_snapshot_writes_the_files_its_loader_wrote(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "first"
    snapshot = Snapshot.capture(_world)
    assert snapshot.files, "the world's document and attachment"
    settings.MEDIA_ROOT = tmp_path / "second"
    with transaction.atomic():
        world = snapshot.restore()
        document = world.objects["document"]["gemeente"]
        assert document.file.read() == b"%PDF-1.4"
        transaction.set_rollback(True)


def test_each_test_gets_its_own_copy_of_what_the_loader_returned(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    snapshot = Snapshot.capture(_world)
    first = snapshot.restore()
    first.objects["meeting"]["gemeente"].title = "changed by a test"
    with transaction.atomic():
        transaction.set_rollback(True)
    assert snapshot.result.objects["meeting"]["gemeente"].title == "Regietafel"


def test_one_state_has_one_fingerprint_whatever_order_the_rows_come_in(db, monkeypatch):
    """PostgreSQL's UNION ALL keeps no order: a fingerprint that depended on it made every test capture the data set
    again (the suite on PostgreSQL ran more than twice as long)."""
    from contextlib import contextmanager

    from tests import snapshots

    keys = snapshots.tables()
    expected = snapshots.fingerprint(keys)
    real = snapshots.connection

    class Reversed:
        def __init__(self, cursor):
            self.cursor = cursor

        def execute(self, *args):
            return self.cursor.execute(*args)

        def fetchall(self):
            return list(reversed(self.cursor.fetchall()))

    class Connection:
        ops = real.ops

        @contextmanager
        def cursor(self):
            with real.cursor() as cursor:
                yield Reversed(cursor)

    monkeypatch.setattr(snapshots, "connection", Connection())
    assert snapshots.fingerprint(keys) == expected
