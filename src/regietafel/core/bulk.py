"""Writing many rows of one table at once: an import of 100,000 figures in seconds instead of minutes.

Django's ``bulk_create`` still makes a model instance and prepares every value of every row on its own (about
100 µs a row); these write the values a caller already checked straight into the table: ``COPY`` on PostgreSQL,
one prepared ``INSERT`` or ``UPDATE`` run for all rows (``executemany``) on SQLite. Each column's values are
prepared for the database as Django prepares them (``Field.get_db_prep_save``), once per distinct value: a file
repeats its codes, months and sources.

They send no model signals (record history, the locked half-years' guard: the caller does what those do) and bypass
``Model.save`` (``bulkable`` says for which models that loses nothing). The page cache learns of the writes as of any
other (``cachalot.api.invalidate``), when the transaction commits.
"""

from collections.abc import Iterable, Sequence

from cachalot.api import invalidate
from django.db import connection, models
from django.utils import timezone

# Rows per statement on SQLite (at most 32,766 parameters in one statement: far more than a row has).
BATCH = 2000


def bulkable(model: type[models.Model]) -> bool:
    """Whether rows of ``model`` may be written without ``Model.save``: it does nothing more when saved, and its
    key is a number the database gives."""
    return model.save is models.Model.save and isinstance(model._meta.pk, models.AutoField)


class _Column:
    """One column and how a value becomes what the database stores, remembered per distinct value."""

    def __init__(self, field: models.Field, now):
        self.field = field
        self.name = field.name
        self.automatic = (
            now if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False) else None
        )
        self.per_row_default = field.has_default() and callable(field.default)
        self.default = None if self.per_row_default else field.get_default()
        self.prepared: dict = {}

    def value(self, values: dict):
        if self.name in values:
            value = values[self.name]
        elif self.field.attname in values:
            value = values[self.field.attname]
        elif self.automatic is not None:
            value = self.automatic
        elif self.per_row_default:
            return self.field.get_db_prep_save(self.field.get_default(), connection)
        else:
            value = self.default
        if isinstance(value, models.Model):
            value = value.pk
        try:
            key = (type(value), value)
            return self.prepared[key]
        except KeyError:
            prepared = self.prepared[key] = self.field.get_db_prep_save(value, connection)
            return prepared
        except TypeError:  # not hashable (a list for a JSON column): prepared every time
            return self.field.get_db_prep_save(value, connection)


def _columns(model: type[models.Model], names: Iterable[str] | None = None) -> list[_Column]:
    now = timezone.now()
    wanted = None if names is None else set(names)
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        updated_itself = getattr(field, "auto_now", False)
        if wanted is None or field.name in wanted or updated_itself:
            columns.append(_Column(field, now))
    return columns


def insert(model: type[models.Model], rows: Sequence[dict]) -> None:
    """Add one record per dict of field values (a foreign key as its record or its id; fields not given take their
    default, ``auto_now``/``auto_now_add`` fields the time now)."""
    if not rows:
        return
    columns = _columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column.field.column) for column in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608 (quoted names)
                for values in rows:
                    copy.write_row([column.value(values) for column in columns])
        else:
            marks = ", ".join(["%s"] * len(columns))
            statement = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # noqa: S608 (quoted names)
            for start in range(0, len(rows), BATCH):
                cursor.executemany(
                    statement,
                    [[column.value(values) for column in columns] for values in rows[start : start + BATCH]],
                )
    invalidate(model)


def update(model: type[models.Model], rows: Sequence[tuple[object, dict]]) -> None:
    """Change records: ``(primary key, field values)`` per record; only the fields given and the ``auto_now``
    fields are written."""
    by_fields: dict[frozenset[str], list[tuple[object, dict]]] = {}
    for pk, values in rows:
        by_fields.setdefault(frozenset(values), []).append((pk, values))
    table = connection.ops.quote_name(model._meta.db_table)
    key = connection.ops.quote_name(model._meta.pk.column)
    with connection.cursor() as cursor:
        for names, group in by_fields.items():
            columns = _columns(model, names)
            assignments = ", ".join(
                f"{connection.ops.quote_name(column.field.column)} = %s" for column in columns
            )
            statement = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608 (quoted names)
            for start in range(0, len(group), BATCH):
                cursor.executemany(
                    statement,
                    [
                        [*(column.value(values) for column in columns), pk]
                        for pk, values in group[start : start + BATCH]
                    ],
                )
    if rows:
        invalidate(model)
