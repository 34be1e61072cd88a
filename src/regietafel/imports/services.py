"""Import a table: validate every row first, show a preview, then write all rows in one transaction."""

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal

import tablib
from django import forms
from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from regietafel.access.scope import can, own_area_ids, principal
from regietafel.audit.models import Action, Channel
from regietafel.audit.services import record
from regietafel.housing import periods
from regietafel.imports.models import ImportBatch
from regietafel.imports.specs import TableSpec
from regietafel.imports.tables import TableError, read_table, write_table
from regietafel.regions.models import Area

PREVIEW_ROWS = 50


@dataclass(frozen=True)
class RowError:
    row: int  # as a spreadsheet numbers it: the header is row 1
    field: str
    message: str

    def __str__(self) -> str:
        if self.field:
            return _("Row %(row)s, field '%(field)s': %(message)s") % {
                "row": self.row,
                "field": self.field,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


@dataclass
class RowResult:
    row: int
    data: dict
    action: str  # "create", "update" or "unchanged"
    current: str = ""  # the stored record as it was when checked
    instance: models.Model | None = None  # the stored record, for "update" and "unchanged"


@dataclass
class Validation:
    rows: list[RowResult] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # Locked half-years a beheerder's file would change (they must give a reason to confirm).
    locked: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def fingerprint(self) -> str:
        """Identifies what the check saw: the same file against the same stored records."""
        digest = hashlib.sha256()
        for row in self.rows:
            digest.update(f"{row.row}|{row.action}|{row.current}\n".encode())
        return digest.hexdigest()

    def counts(self) -> dict[str, int]:
        counts = {"create": 0, "update": 0, "unchanged": 0}
        for row in self.rows:
            counts[row.action] += 1
        return counts


@dataclass
class Guard:
    """What a user may write: rows of their own municipality only (unless beheerder), and no rows of a locked
    half-year unless a beheerder gives a reason."""

    user: object
    # None while previewing: a beheerder is then told which locked half-years the file touches, and asked for
    # a reason when confirming.
    reason: str | None = None

    def __post_init__(self):
        self.areas = own_area_ids(self.user)
        self.locked = periods.locked()
        self.is_admin = principal(self.user).is_admin
        self.locked_touched: set[str] = set()

    def problems(self, spec: TableSpec, data: dict) -> list[tuple[str, str]]:
        found = []
        if self.areas is not None:
            for column in spec.area_columns:
                area = data.get(column)
                if area is not None and area.pk not in self.areas:
                    found.append((column, _("You may only import figures of your own municipality.")))
        if spec.half_years is not None:
            for half_year in spec.half_years(data):
                if half_year in self.locked and self.is_admin and self.reason is None:
                    self.locked_touched.add(half_year)
                elif message := periods.refusal(self.user, half_year, self.reason or ""):
                    found.append(("", message))
        return found

    def half_years(self, spec: TableSpec, rows: list[RowResult]) -> set[str]:
        if spec.half_years is None:
            return set()
        return {
            half_year for row in rows if row.action != "unchanged" for half_year in spec.half_years(row.data)
        }


def may_import(user, spec: TableSpec) -> bool:
    """Beheerders import every table; a municipality only tables of per-municipality figures (its own rows).
    The import pages and the API's writes both ask here."""
    return can(user, "add", spec.model) and (principal(user).is_admin or bool(spec.area_columns))


class ImportRejected(ValueError):
    def __init__(self, validation: Validation):
        self.validation = validation
        super().__init__("; ".join(str(error) for error in validation.errors[:10]))


def validate(
    spec: TableSpec, dataset: tablib.Dataset, guard: Guard | None = None, lock: bool = False
) -> Validation:
    """Check every row of ``dataset`` against ``spec`` without writing anything; with a ``guard``, also that
    the user may write each row. ``lock``: lock the stored records the rows refer to (inside a transaction)."""
    result = Validation()
    if spec.convert is not None:
        dataset = spec.convert(dataset) or dataset
    headers = [header.lower() for header in dataset.headers]
    missing = [column for column in spec.required_columns if column not in headers]
    for column in missing:
        result.errors.append(RowError(1, column, _("This column is missing.")))
    unknown = [header for header in headers if header and header not in spec.columns]
    if unknown:
        result.warnings.append(_("Columns ignored: %(columns)s.") % {"columns": ", ".join(unknown)})
    if missing:
        return result
    if len(dataset) > settings.IMPORT_MAX_ROWS:
        result.errors.append(
            RowError(1, "", _("The file has more than %(max)s rows.") % {"max": settings.IMPORT_MAX_ROWS})
        )
        return result
    if len(dataset) == 0:
        result.errors.append(RowError(2, "", _("The file has no data rows.")))
        return result

    areas = {area.code: area for area in Area.objects.all()}
    seen: dict[tuple, int] = {}
    pending: set[str] = set()
    valid: list[tuple[int, dict, dict]] = []
    whole_numbers = _whole_number_columns(spec)
    for index, values in enumerate(dataset, start=2):
        raw = {header: _text(value) for header, value in zip(headers, values, strict=False) if header}
        if not any(raw.values()):
            continue
        for name in whole_numbers & raw.keys():
            raw[name] = _ungrouped(raw[name])
        form = spec.form_class(data=raw, areas=areas, pending=pending)
        if not form.is_valid():
            for name, messages in form.errors.items():
                for message in messages:
                    result.errors.append(RowError(index, "" if name == "__all__" else name, message))
            continue
        lookup = spec.find(form.cleaned_data)
        key = tuple(sorted((name, str(value)) for name, value in lookup.items()))
        if key in seen:
            result.errors.append(
                RowError(
                    index, "", _("Same record as row %(row)s; keep one of the two.") % {"row": seen[key]}
                )
            )
            continue
        seen[key] = index
        valid.append((index, form.cleaned_data, lookup))
    stored = StoredRecords(spec, [lookup for _index, _data, lookup in valid], lock)
    for index, data, lookup in valid:
        # A row of person-level data is checked before it is compared: whether it matches a stored household
        # would itself tell something about another municipality's households.
        problems = guard.problems(spec, data) if guard is not None and spec.personal else []
        if problems:
            result.errors.extend(RowError(index, name, message) for name, message in problems)
            continue
        instance = stored.get(lookup)
        action, current = _classify(spec, instance, data)
        # A row that changes nothing needs no right to change anything.
        problems = guard.problems(spec, data) if guard is not None and action != "unchanged" else []
        for name, message in problems:
            result.errors.append(RowError(index, name, message))
        if not problems:
            result.rows.append(RowResult(index, data, action, current, instance))
    if guard is not None and guard.locked_touched:
        result.locked = sorted(guard.locked_touched)
        result.warnings.append(
            _(
                "This file changes figures of a locked half-year (%(periods)s): give a reason when you confirm."
            )
            % {"periods": ", ".join(result.locked)}
        )
    return result


# "1.234" and "1 234": a whole number with its thousands grouped as Dutch spreadsheets show them.
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:([.\s\u00a0\u202f])\d{3})(?:\1\d{3})*")


def _whole_number_columns(spec: TableSpec) -> set[str]:
    return {
        name
        for name, form_field in spec.form_class.base_fields.items()
        if isinstance(form_field, forms.IntegerField)
        and not isinstance(form_field, forms.FloatField | forms.DecimalField)
    }


def _ungrouped(text: str) -> str:
    """A count written with grouped thousands ("1.234") is 1234: a count has no decimals to confuse it with."""
    if _GROUPED.fullmatch(text):
        return re.sub(r"[.\s\u00a0\u202f]", "", text)
    return text


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()[:10]
    return str(value).strip()


class StoredRecords:
    """The stored records the rows of a file refer to, read a thousand at a time instead of one per row.

    Tables whose spec finds records its own way (``lookup``) are read one row at a time.
    """

    BATCH = 1000

    def __init__(self, spec: TableSpec, lookups: list[dict], lock: bool = False):
        self.spec = spec
        self.lock = lock
        self.records: dict[tuple, models.Model] | None = None
        nullable = any(value is None for lookup in lookups for value in lookup.values())
        if spec.lookup is not None or not lookups or nullable:
            return
        self.fields = [spec.model._meta.get_field(name) for name in lookups[0]]
        first = self.fields[0]
        values = sorted({_key_part(lookup[first.name]) for lookup in lookups}, key=str)
        self.records = {}
        for start in range(0, len(values), self.BATCH):
            batch = self._queryset().filter(**{f"{first.attname}__in": values[start : start + self.BATCH]})
            for stored in batch:
                self.records[tuple(getattr(stored, field.attname) for field in self.fields)] = stored

    def _queryset(self) -> models.QuerySet:
        queryset = self.spec.model.objects.all()
        return queryset.select_for_update() if self.lock else queryset

    def get(self, lookup: dict) -> models.Model | None:
        if self.records is None:
            return self._queryset().filter(**lookup).first()
        return self.records.get(tuple(_key_part(lookup[field.name]) for field in self.fields))


def _key_part(value):
    return value.pk if isinstance(value, models.Model) else value


def _classify(spec: TableSpec, instance: models.Model | None, data: dict) -> tuple[str, str]:
    if instance is None:
        return "create", ""
    current = spec.row(instance)
    changed = any(
        _comparable(current[name]) != _comparable(data.get(name))
        for name in data
        if name in current and not (name in spec.keep_if_blank and _comparable(data.get(name)) == "")
    )
    state = "|".join(f"{name}={_comparable(value)}" for name, value in sorted(current.items()))
    return ("update" if changed else "unchanged"), state


def _comparable(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(getattr(value, "code", value))


def stage(
    spec: TableSpec, filename: str, content: bytes, user, guard: Guard | None = None
) -> tuple[ImportBatch, Validation]:
    """Keep the upload and return what importing it would do."""
    try:
        dataset = read_table(content, filename)
    except TableError as exc:
        validation = Validation(errors=[RowError(1, "", str(exc))])
    else:
        validation = validate(spec, dataset, guard)
    if spec.personal:
        expire_personal_uploads(spec, user)
    batch = ImportBatch.objects.create(
        kind=spec.key,
        filename=filename[:255],
        # A rejected file of person-level data is not kept; its problems are (they name rows and fields).
        content=b"" if spec.personal and not validation.is_valid else content,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        status=ImportBatch.Status.STAGED if validation.is_valid else ImportBatch.Status.REJECTED,
        summary={
            "counts": validation.counts(),
            "errors": [str(error) for error in validation.errors[:200]],
            "row_errors": [[e.row, e.field, e.message] for e in validation.errors[:200]],
        },
    )
    return batch, validation


def apply(
    spec: TableSpec, batch: ImportBatch, expected: str | None = None, guard: Guard | None = None
) -> dict[str, int]:
    """Write every row of a staged batch in one transaction, or nothing at all.

    ``expected`` is the fingerprint of the preview the user confirmed: if the stored data changed since
    (someone else imported in between), the import is refused instead of applying changes nobody saw.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status != ImportBatch.Status.STAGED:
            raise ImportRejected(Validation(errors=[RowError(1, "", _("This import was already handled."))]))
        counts = import_rows(spec, read_table(bytes(batch.content), batch.filename), expected, guard)
        batch.status = ImportBatch.Status.APPLIED
        batch.applied_at = timezone.now()
        batch.summary = {**batch.summary, "counts": counts}
        if spec.personal:
            batch.content = b""
        batch.save(update_fields=["status", "applied_at", "summary", "content"])
    return counts


def import_rows(
    spec: TableSpec, dataset: tablib.Dataset, expected: str | None = None, guard: Guard | None = None
) -> dict[str, int]:
    """Validate and write ``dataset``; raise ImportRejected, writing nothing, if any row is wrong."""
    with transaction.atomic():
        # The stored records are locked while they are compared: a change made meanwhile (a household housed)
        # waits, and only the imported fields are saved, so it stays.
        validation = validate(spec, dataset, guard, lock=True)
        if not validation.is_valid:
            raise ImportRejected(validation)
        if expected is not None and validation.fingerprint() != expected:
            message = _(
                "The data changed since you checked this file (someone else imported). Check it again."
            )
            raise ImportRejected(Validation(errors=[RowError(1, "", message)]))
        if guard is not None:
            periods.guard(
                guard.user,
                guard.half_years(spec, validation.rows),
                guard.reason or "",
                _("Import of %(table)s") % {"table": spec.title},
            )
        written: dict[str, list[models.Model]] = {Action.CREATE: [], Action.UPDATE: []}
        for row in validation.rows:
            if row.action == "unchanged":
                continue
            try:
                values = spec.record(row.data)
            except ValueError as exc:
                raise ImportRejected(Validation(errors=[RowError(row.row, "", str(exc))])) from exc
            instance = row.instance
            if instance is None:
                instance = spec.model.objects.create(**values)
            else:
                for name, value in values.items():
                    setattr(instance, name, value)
                instance.full_clean(validate_unique=False)
                automatic = [
                    f.name for f in spec.model._meta.concrete_fields if getattr(f, "auto_now", False)
                ]
                instance.save(update_fields=[*values, *automatic])
            if spec.after_save is not None:
                spec.after_save(instance, row.data)
            written[row.action].append(instance)
        if spec.personal:
            user = guard.user if guard is not None else None
            for action, instances in written.items():
                record(None, subjects=instances, action=action, channel=Channel.IMPORT, user=user)
    return validation.counts()


def expire_personal_uploads(spec: TableSpec, user) -> int:
    """Person-level files waiting for confirmation are not kept long: a newer upload of the same table by the same
    user, or ``IMPORT_PERSONAL_HOURS`` passing, sets them aside without their content. Returns how many."""
    waiting = ImportBatch.objects.filter(kind=spec.key, status=ImportBatch.Status.STAGED)
    old = waiting.filter(created_at__lt=timezone.now() - timedelta(hours=settings.IMPORT_PERSONAL_HOURS))
    if getattr(user, "is_authenticated", False):
        old = old | waiting.filter(created_by=user)
    return old.update(content=b"", status=ImportBatch.Status.REJECTED)


def stored_validation(batch: ImportBatch) -> Validation | None:
    """What was found when a file that is no longer kept was checked; None when the file is kept."""
    if batch.content:
        return None
    return Validation(
        errors=[RowError(row, name, message) for row, name, message in batch.summary.get("row_errors", [])]
    )


def existing_records(spec: TableSpec, validation: Validation) -> list[models.Model]:
    """The stored records the rows of a checked file refer to (to log that a preview showed them)."""
    return [row.instance for row in validation.rows if row.instance is not None]


def import_file(spec: TableSpec, path) -> dict[str, int]:
    """Import a file from disk (management commands, the embedded data set)."""
    with open(path, "rb") as handle:
        return import_rows(spec, read_table(handle.read(), str(path)))


def export(spec: TableSpec, file_format: str, queryset=None) -> bytes:
    records: Iterable = queryset if queryset is not None else spec.queryset()
    return write_table(spec.columns, (spec.row(record) for record in records), file_format)


def template(spec: TableSpec, file_format: str) -> bytes:
    return write_table(spec.columns, spec.example_rows, file_format)
