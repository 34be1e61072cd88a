"""Tables written in bulk (``imports.services.writes_in_bulk``, ``core.bulk``) store exactly what saving each record
through the ORM stores, for every such table, new records and changed ones; the import leaves one record-history
entry that says what it did and from which file; and the locked half-years hold as they do for records saved one
at a time."""

import datetime
import hashlib

import pytest
from auditlog.models import LogEntry
from django.db import connection, transaction
from django.utils import timezone

from regietafel.core.models import Source
from regietafel.core.specs import all_specs, get_spec
from regietafel.core.tables import read_table, write_table
from regietafel.housing import periods
from regietafel.housing.models import HousingRealisation
from regietafel.imports import services
from tests.imports.test_robustness import seed_rows
from tests.support import REALISATION_HEADER, csv_bytes

BULK = [spec.key for spec in all_specs() if services.writes_in_bulk(spec)]
AUTOMATIC = ("created_at", "updated_at")


def test_figures_are_written_in_bulk_and_person_level_data_one_record_at_a_time():
    assert {"realisation", "populations", "locations"} - set(BULK) == {"locations"}  # Location.save observes
    assert not [key for key in BULK if get_spec(key).personal]
    assert len(BULK) >= 15


def _stored(spec) -> list[dict]:
    """Every record's values; a source by its name (a source the rows add gets another id in each rolled-back
    transaction on PostgreSQL, whose sequences do not roll back)."""
    fields = [f for f in spec.model._meta.concrete_fields if not f.primary_key and f.name not in AUTOMATIC]
    return sorted(
        ({f.attname: _value(record, f) for f in fields} for record in spec.model.objects.all()),
        key=repr,
    )


def _value(record, field):
    if field.is_relation and field.related_model is Source:
        return getattr(record, field.name).name
    return getattr(record, field.attname)


def _write(spec, rows, in_bulk: bool, monkeypatch) -> list[dict]:
    """What importing ``rows`` (once as they are, then once changed) stores, written in bulk or one at a time;
    rolled back afterwards."""
    monkeypatch.setattr(services, "writes_in_bulk", lambda _spec: in_bulk)
    try:
        with transaction.atomic():
            # The stored records go (the transaction is rolled back; no constraint is checked before its end),
            # so that the rows are new records first and changed ones the second time.
            spec.model.objects.all()._raw_delete(connection.alias)
            services.import_rows(spec, read_table(write_table(spec.columns, rows, "csv"), "t.csv"))
            changed = [dict(row) for row in rows]
            for row in changed:
                for name in spec.columns:
                    if name not in spec.key_columns and isinstance(row.get(name), int):
                        row[name] += 1
            services.import_rows(spec, read_table(write_table(spec.columns, changed, "csv"), "t.csv"))
            stored = _stored(spec)
            transaction.set_rollback(True)
    finally:
        monkeypatch.undo()
    return stored


@pytest.mark.parametrize("kind", BULK)
def test_a_table_written_in_bulk_stores_what_saving_each_record_stores(dataset, monkeypatch, kind):
    spec = get_spec(kind)
    rows = seed_rows(spec)
    assert rows, f"{kind}: no rows to import"
    in_bulk = _write(spec, rows, True, monkeypatch)
    one_by_one = _write(spec, rows, False, monkeypatch)
    assert in_bulk == one_by_one
    assert len(in_bulk) == len(rows), f"{kind}: not every row was stored"


def test_an_import_in_bulk_leaves_one_history_entry_naming_its_file(dataset, user):
    spec = get_spec("realisation")
    rows = [[code, "2026-01", 4, 0, "2026-02-01", "COA", "H"] for code in ("GM0177", "GM0193", "GM0148")]
    content = csv_bytes(REALISATION_HEADER, rows)
    batch, validation = services.stage(spec, "januari.csv", content, user)
    last = LogEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    services.apply(spec, batch, validation.fingerprint(), services.Guard(user))

    entries = LogEntry.objects.filter(pk__gt=last, content_type__model="housingrealisation")
    assert entries.count() == 1
    entry = entries.get()
    assert entry.actor == user
    assert entry.additional_data["import"] == {
        "counts": {"create": 3, "update": 0, "unchanged": 0},
        "batch": batch.pk,
        "file": "januari.csv",
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    assert HousingRealisation.objects.filter(month=datetime.date(2026, 1, 1), housed=4).count() == 3


def test_the_history_page_says_what_an_import_did(dataset, user, logged_in):
    spec = get_spec("realisation")
    content = csv_bytes(REALISATION_HEADER, [["GM0177", "2026-01", 4, 0, "2026-02-01", "COA", "H"]])
    batch, validation = services.stage(spec, "januari.csv", content, user)
    services.apply(spec, batch, validation.fingerprint(), services.Guard(user))

    page = logged_in.get("/toegang/wijzigingen/").content.decode()
    assert "ingelezen: 1 toegevoegd, 0 gewijzigd, 0 ongewijzigd" in page
    assert "januari.csv" in page


def test_a_locked_half_year_refuses_an_import_in_bulk_without_a_guard(dataset, user):
    """Bulk writes send no signals: the import asks the locked half-years itself, for new and replaced values."""
    spec = get_spec("realisation")
    periods.lock(user, periods.HalfYear.parse("2025-H1"))
    content = csv_bytes(REALISATION_HEADER, [["GM0177", "2025-03", 4, 0, "2025-04-01", "COA", "H"]])
    before = HousingRealisation.objects.count()
    with pytest.raises(periods.PeriodLocked):
        services.import_rows(spec, read_table(content, "t.csv"))
    assert HousingRealisation.objects.count() == before


def test_bulk_changes_set_the_time_of_change(dataset, user):
    spec = get_spec("realisation")
    first = csv_bytes(REALISATION_HEADER, [["GM0177", "2026-01", 4, 0, "2026-02-01", "COA", "H"]])
    services.import_rows(spec, read_table(first, "t.csv"))
    record = HousingRealisation.objects.get(municipality__code="GM0177", month=datetime.date(2026, 1, 1))
    started = timezone.now()
    again = csv_bytes(REALISATION_HEADER, [["GM0177", "2026-01", 5, 0, "2026-02-01", "COA", "H"]])
    assert services.import_rows(spec, read_table(again, "t.csv")) == {
        "create": 0,
        "update": 1,
        "unchanged": 0,
    }
    record.refresh_from_db()
    assert record.housed == 5
    if hasattr(record, "updated_at"):
        assert record.updated_at >= started
