"""Import a table: validate every row first, show a preview, then write all rows in one transaction.

Through the pages both heavy steps run as background tasks (``check_import`` and ``apply_import`` below): ``store`` keeps the
upload and ``check_batch`` checks it (the preview is what it stored); ``confirm`` records what the user confirmed and
``apply_batch`` writes it. Each task holds the batch locked while it works, so a task delivered twice does the work
once, and a batch that stays busy without a lock was broken off (``stalled``). ``stage`` and ``apply`` do the same
in the caller's process (commands, tests).
"""

import contextlib
import hashlib
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import tablib
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django import forms
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import DatabaseError, connection, models, transaction
from django.forms.utils import ErrorDict
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_tasks import task

from regietafel.access.scope import can, own_area_ids, principal
from regietafel.audit.models import Action, Channel
from regietafel.audit.services import history_by, record
from regietafel.core import bulk
from regietafel.core.sources import SOURCES_KEY, citing
from regietafel.core.specs import TableSpec, get_spec
from regietafel.core.tables import TableError, read_table, write_table
from regietafel.core.tasks import enqueue_on_commit
from regietafel.housing import periods
from regietafel.imports.models import ImportBatch
from regietafel.regions.models import Area

logger = logging.getLogger(__name__)

PREVIEW_ROWS = 50
# Problems kept with a checked file: the page lists the first 200, the count is always complete.
KEPT_ERRORS = 1000
# How often a running step reports how far it is (rows).
PROGRESS_EVERY = 2000
# A busy batch whose task started this long ago and that nobody holds locked was broken off (the task takes its
# lock within milliseconds of starting).
STALL_GRACE = timedelta(seconds=10)
# Where the database cannot tell whether a row is locked (SQLite, for development), a busy batch counts as broken
# off only after this long.
STALL_WITHOUT_LOCKS = timedelta(hours=1)


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

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def error_count(self) -> int:
        return len(self.errors)

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
        first = periods.first_fed(spec.model, data.get)
        for half_year in periods.affected([first], self.locked):
            if self.is_admin and self.reason is None:
                self.locked_touched.add(half_year)
            elif message := periods.refusal(self.user, half_year, self.reason or ""):
                found.append(("", message))
        return found

    def half_years(self, spec: TableSpec, rows: list[RowResult]) -> set[str]:
        """The first half-year each changed row feeds (``housing.periods.FEEDS``)."""
        return {
            first
            for row in rows
            if row.action != "unchanged" and (first := periods.first_fed(spec.model, row.data.get))
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
    spec: TableSpec,
    dataset: tablib.Dataset,
    guard: Guard | None = None,
    lock: bool = False,
    on_row: Callable[[int, int], None] | None = None,
) -> Validation:
    """Check every row of ``dataset`` against ``spec`` without writing anything; with a ``guard``, also that
    the user may write each row. ``lock``: lock the stored records the rows refer to (inside a transaction).
    ``on_row(done, total)`` hears every ``PROGRESS_EVERY`` rows how far the check is."""
    result = Validation()
    if spec.convert is not None:
        dataset = spec.convert(dataset) or dataset
    # A column by its key or by its label (as a download writes it); problems name a column as the file does.
    reading = spec.reading()
    headers = [reading.column(header) if header else "" for header in dataset.headers]
    written = dict(zip(headers, dataset.headers, strict=True))
    # A missing column is named as the file names the others: by its label, or by its key in a file for systems.
    by_label = any(
        str(written[header]).strip().lower() != header for header in headers if header in spec.columns
    )
    form_fields = spec.form_class.base_fields
    missing = [column for column in spec.required_columns if column not in headers]
    for column in missing:
        named = capfirst(str(form_fields[column].label or column)) if by_label else column
        result.errors.append(RowError(1, named, _("This column is missing.")))
    unknown = [written[header] for header in headers if header and header not in spec.columns]
    if unknown:
        result.warnings.append(_("Columns ignored: %(columns)s.") % {"columns": ", ".join(unknown)})
    choices = [column for column in spec.columns if column in reading.values]
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

    areas = {area.code: area for area in Area.objects.select_related("parent__parent")}
    seen: dict[tuple, int] = {}
    pending: dict[tuple, object] = {}
    valid: list[tuple[int, dict, dict]] = []
    whole_numbers = _whole_number_columns(spec)
    checker = RowChecker(spec, areas, pending)
    total = len(dataset)
    for index, values in enumerate(dataset, start=2):
        if on_row is not None and (index - 2) % PROGRESS_EVERY == 0:
            on_row(index - 2, total)
        raw = {header: _text(value) for header, value in zip(headers, values, strict=False) if header}
        if not any(raw.values()):
            continue
        for name in whole_numbers & raw.keys():
            raw[name] = _ungrouped(raw[name])
        for name in choices:
            if raw.get(name):
                raw[name] = reading.value(name, raw[name])
        form = checker.check(raw)
        if form.errors:
            for name, messages in form.errors.items():
                for message in messages:
                    result.errors.append(
                        RowError(index, "" if name == "__all__" else written.get(name, name), message)
                    )
            continue
        lookup = spec.find(form.cleaned_data)
        key = tuple(sorted((name, _key_part(value)) for name, value in lookup.items()))
        if key in seen:
            result.errors.append(
                RowError(
                    index, "", _("Same record as row %(row)s; keep one of the two.") % {"row": seen[key]}
                )
            )
            continue
        seen[key] = index
        valid.append((index, form.cleaned_data, lookup))
    if on_row is not None:
        on_row(total, total)
    stored = StoredRecords(spec, [lookup for _index, _data, lookup in valid], lock)
    for index, data, lookup in valid:
        # A row of person-level data is checked before it is compared: whether it matches a stored household
        # would itself tell something about another municipality's households.
        problems = guard.problems(spec, data) if guard is not None and spec.personal else []
        if problems:
            result.errors.extend(
                RowError(index, written.get(name, name), message) for name, message in problems
            )
            continue
        instance = stored.get(lookup)
        action, current = _classify(spec, instance, data)
        # A row that changes nothing needs no right to change anything.
        problems = guard.problems(spec, data) if guard is not None and action != "unchanged" else []
        for name, message in problems:
            result.errors.append(RowError(index, written.get(name, name), message))
        if not problems:
            result.rows.append(RowResult(index, data, action, current, instance))
    sources = pending.get(SOURCES_KEY)
    if sources is not None and sources.introduced() and result.is_valid:
        result.warnings.append(
            _("New sources, added with their confidence (change it in the table Sources): %(sources)s.")
            % {"sources": "; ".join(f"{name} ({confidence})" for name, confidence in sources.introduced())}
        )
    if guard is not None and guard.locked_touched:
        result.locked = sorted(guard.locked_touched)
        result.warnings.append(
            _(
                "This file changes figures of a locked half-year (%(periods)s): give a reason when you confirm."
            )
            % {"periods": ", ".join(result.locked)}
        )
    return result


class RowChecker:
    """Checks the rows of one file with one row form: a form copies all its fields when it is made, which costs
    more than checking a row. Each field's own check (``Field.clean``: text to a number, a date, a choice) depends
    on its value only, and a file repeats its codes, months, numbers and sources, so it is remembered per distinct
    value; the form's row checks (``clean_<field>``, ``clean``) run for every row, as they may look at the others.

    ``check`` does what ``Form.full_clean`` does for a bound form without files, fields one by one as
    ``Form._clean_fields`` does, without making a bound field per cell."""

    REMEMBERED = 10_000  # distinct values remembered per field; beyond, a field is checked every time

    def __init__(self, spec: TableSpec, areas: dict, pending: dict):
        self.form = form = spec.form_class(data={}, areas=areas, pending=pending)
        self.fields = []
        for name, form_field in form.fields.items():
            own_check = getattr(form, f"clean_{name}", None)
            clean = _remembered(form_field.clean, self.REMEMBERED)
            self.fields.append((name, form_field.widget.value_from_datadict, clean, own_check))

    def check(self, raw: dict) -> forms.Form:
        """The form, checked against ``raw``; its ``errors`` and ``cleaned_data`` are this row's."""
        form = self.form
        form.data = raw
        form._errors = ErrorDict()
        cleaned = form.cleaned_data = {}
        for name, value_of, clean, own_check in self.fields:
            try:
                cleaned[name] = clean(value_of(raw, None, name))
                if own_check is not None:
                    cleaned[name] = own_check()
            except forms.ValidationError as error:
                form.add_error(name, error)
        form._clean_form()
        form._post_clean()
        return form


_NOT_YET = object()


def _remembered(clean: Callable, limit: int) -> Callable:
    known: dict = {}

    def remembered(value):
        try:
            outcome = known.get(value, _NOT_YET)
        except TypeError:  # a value that cannot be a key (a list of files): checked every time
            return clean(value)
        if outcome is _NOT_YET:
            try:
                outcome = (True, clean(value))
            except forms.ValidationError as error:
                outcome = (False, error)
            if len(known) < limit:
                known[value] = outcome
        passed, result = outcome
        if passed:
            return result
        raise result.with_traceback(None)

    return remembered


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
    if text.isdigit():
        return text
    if _GROUPED.fullmatch(text):
        return re.sub(r"[.\s\u00a0\u202f]", "", text)
    return text


def _text(value) -> str:
    if type(value) is str:  # a CSV file's every cell
        return value.strip()
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
        # The other key columns narrow the query too when they have few values (a file of new months reads none
        # of the stored months).
        narrower = {}
        for other in self.fields[1:]:
            others = {_key_part(lookup[other.name]) for lookup in lookups}
            if len(others) <= self.BATCH:
                narrower[f"{other.attname}__in"] = sorted(others, key=str)
        self.records = {}
        for start in range(0, len(values), self.BATCH):
            batch = self._queryset().filter(
                **{f"{first.attname}__in": values[start : start + self.BATCH]}, **narrower
            )
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


def store(spec: TableSpec, filename: str, content: bytes, user, enqueue: bool = False) -> ImportBatch:
    """Keep an upload, to be checked (``check``); ``enqueue``: by the task queue, once this is committed."""
    with transaction.atomic():
        if spec.personal:
            expire_personal_uploads(spec, user)
        batch = ImportBatch.objects.create(
            kind=spec.key,
            filename=filename[:255],
            content=content,
            created_by=user if getattr(user, "is_authenticated", False) else None,
            status=ImportBatch.Status.CHECKING,
            language=translation.get_language() or settings.LANGUAGE_CODE,
        )
        if enqueue:
            enqueue_on_commit(check_import, batch.pk)
    return batch


def check(
    spec: TableSpec, batch: ImportBatch, guard: Guard | None = None, on_progress=None
) -> Validation | None:
    """Check a stored upload and keep what was found (the preview); None when the batch is not waiting to be
    checked (another delivery of the task checked it, or a newer upload set it aside)."""
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().filter(pk=batch.pk).first()
        if batch is None or batch.status != ImportBatch.Status.CHECKING:
            return None
        validation = _validate_content(spec, batch, guard, on_progress)
        _keep_check(spec, batch, validation)
    return validation


def _validate_content(spec: TableSpec, batch: ImportBatch, guard: Guard | None, on_progress) -> Validation:
    try:
        dataset = read_table(bytes(batch.content), batch.filename)
    except TableError as exc:
        return Validation(errors=[RowError(1, "", str(exc))])
    on_row = (lambda done, total: on_progress("check", done, total)) if on_progress else None
    batch.progress_total = len(dataset)
    return validate(spec, dataset, guard, on_row=on_row)


def _keep_check(spec: TableSpec, batch: ImportBatch, validation: Validation, refused: str = "") -> None:
    """Store what checking found, as the preview shows it; the batch waits for confirmation or is rejected."""
    summary = {
        "counts": validation.counts(),
        "errors": [_storable(error) for error in validation.errors[:200]],
        "row_errors": [
            [e.row, _storable(e.field), _storable(e.message)] for e in validation.errors[:KEPT_ERRORS]
        ],
        "error_count": len(validation.errors),
    }
    if validation.is_valid:
        summary.update(
            fingerprint=validation.fingerprint(),
            warnings=[_storable(warning) for warning in validation.warnings],
            locked=validation.locked,
            rows=len(validation.rows),
        )
        if not spec.personal:
            # The first rows as the preview shows them. A file of person-level data keeps none of its cells
            # here: its preview is read from the file while it is kept (``preview``), and logged when shown.
            summary["preview"] = [
                [row.row, row.action, {name: _storable(_shown(value)) for name, value in row.data.items()}]
                for row in validation.rows[:PREVIEW_ROWS]
            ]
    if refused:
        summary["refused"] = _storable(refused)
    batch.summary = summary
    batch.status = ImportBatch.Status.STAGED if validation.is_valid else ImportBatch.Status.REJECTED
    batch.progress_done = batch.progress_total
    fields = ["summary", "status", "progress_done", "progress_total"]
    if spec.personal and not validation.is_valid:
        # A rejected file of person-level data is not kept; its problems are (they name rows and fields).
        batch.content = b""
        fields.append("content")
    batch.save(update_fields=fields)


def _storable(text) -> str:
    """Text as a JSON column keeps it: PostgreSQL's jsonb holds no NUL character (a file may)."""
    return str(text).replace("\x00", "\ufffd")


def _shown(value) -> str:
    """A cell of the preview as it is kept with the batch (text: the summary is JSON)."""
    if value is None:
        return ""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def stage(
    spec: TableSpec, filename: str, content: bytes, user, guard: Guard | None = None
) -> tuple[ImportBatch, Validation]:
    """Keep the upload and return what importing it would do (``store`` and ``check`` in this process)."""
    batch = store(spec, filename, content, user)
    validation = check(spec, batch, guard)
    batch.refresh_from_db()
    return batch, validation


def checked(batch: ImportBatch) -> "CheckedFile":
    """What checking the batch found, as it was kept (the preview and the problems)."""
    return CheckedFile(batch.summary)


class CheckedFile(Validation):
    """A ``Validation`` as kept with a batch: its problems, warnings and counts, the first ``PREVIEW_ROWS`` rows
    as text, and the fingerprint of the whole check."""

    def __init__(self, summary: dict):
        super().__init__(
            rows=[RowResult(row, data, action) for row, action, data in summary.get("preview", [])],
            errors=[RowError(row, name, message) for row, name, message in summary.get("row_errors", [])],
            warnings=list(summary.get("warnings", [])),
            locked=list(summary.get("locked", [])),
        )
        self._row_count = summary.get("rows", 0)
        self._error_count = summary.get("error_count", len(self.errors))
        self._counts = {"create": 0, "update": 0, "unchanged": 0, **summary.get("counts", {})}
        self._fingerprint = summary.get("fingerprint", "")

    @property
    def is_valid(self) -> bool:
        return not self._error_count

    @property
    def row_count(self) -> int:
        return self._row_count

    @property
    def error_count(self) -> int:
        return self._error_count

    def fingerprint(self) -> str:
        return self._fingerprint

    def counts(self) -> dict[str, int]:
        return dict(self._counts)


def apply(
    spec: TableSpec,
    batch: ImportBatch,
    expected: str | None = None,
    guard: Guard | None = None,
    on_progress=None,
) -> dict[str, int]:
    """Write every row of a staged batch in one transaction, or nothing at all.

    ``expected`` is the fingerprint of the preview the user confirmed: if the stored data changed since
    (someone else imported in between), the import is refused instead of applying changes nobody saw.
    """
    with transaction.atomic():
        batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
        if batch.status not in (ImportBatch.Status.STAGED, ImportBatch.Status.IMPORTING):
            raise ImportRejected(Validation(errors=[RowError(1, "", _("This import was already handled."))]))
        content = bytes(batch.content)
        origin = {"batch": batch.pk, "file": batch.filename, "sha256": hashlib.sha256(content).hexdigest()}
        counts = import_rows(spec, read_table(content, batch.filename), expected, guard, on_progress, origin)
        batch.status = ImportBatch.Status.APPLIED
        batch.applied_at = timezone.now()
        batch.summary = {**batch.summary, "counts": counts}
        batch.summary.pop("refused", None)
        batch.progress_done = sum(counts.values())
        if spec.personal:
            batch.content = b""
        batch.save(update_fields=["status", "applied_at", "summary", "content", "progress_done"])
    return counts


# --- Through the task queue -----------------------------------------------------------------------------------


class NotWaiting(Exception):
    """The batch is not in a state that allows this (already confirmed and busy, applied, rejected...)."""


def confirm(batch: ImportBatch, user, fingerprint: str | None, reason: str) -> ImportBatch:
    """Record the confirmation of a checked file and hand the import to the task queue (when this transaction
    commits). A batch whose import was broken off (``stalled``) may be confirmed again."""
    with transaction.atomic():
        batch = _lock_if_free(batch)
        if batch is None or not (
            batch.status == ImportBatch.Status.STAGED
            or (batch.status == ImportBatch.Status.IMPORTING and _broken_off(batch))
        ):
            raise NotWaiting
        batch.status = ImportBatch.Status.IMPORTING
        batch.confirmed_at = timezone.now()
        batch.confirmed_by = user
        batch.fingerprint = fingerprint or ""
        batch.reason = reason
        batch.language = translation.get_language() or settings.LANGUAGE_CODE
        batch.started_at = None
        batch.progress_done = 0
        batch.summary = {name: value for name, value in batch.summary.items() if name != "refused"}
        batch.save()
        enqueue_on_commit(apply_import, batch.pk)
    return batch


def check_again(batch: ImportBatch) -> ImportBatch:
    """Hand a check that was broken off to the task queue again."""
    with transaction.atomic():
        batch = _lock_if_free(batch)
        if batch is None or batch.status != ImportBatch.Status.CHECKING or not _broken_off(batch):
            raise NotWaiting
        batch.started_at = None
        batch.save(update_fields=["started_at"])
        enqueue_on_commit(check_import, batch.pk)
    return batch


def _lock_if_free(batch: ImportBatch) -> ImportBatch | None:
    """The batch, locked for this transaction; None when a running task holds it."""
    query = ImportBatch.objects.select_for_update(nowait=connection.features.has_select_for_update_nowait)
    try:
        with transaction.atomic():
            return query.defer("content").filter(pk=batch.pk).first()
    except DatabaseError:
        return None


def _broken_off(batch: ImportBatch) -> bool:
    """A busy batch (locked by the caller, or known to be unlocked) whose task started and did not finish."""
    if batch.status not in ImportBatch.BUSY or batch.started_at is None:
        return False
    running_for = timezone.now() - batch.started_at
    if connection.features.has_select_for_update_skip_locked:
        return running_for > STALL_GRACE
    return running_for > STALL_WITHOUT_LOCKS


def stalled(batch: ImportBatch) -> bool:
    """Whether the task of a busy batch was broken off (its worker stopped) before it finished. Nothing of it was
    written: the task works in one transaction, and holds the batch locked for as long as it runs."""
    if batch.status not in ImportBatch.BUSY or batch.started_at is None:
        return False
    if not connection.features.has_select_for_update_skip_locked:
        return _broken_off(batch)
    with transaction.atomic():
        free = (
            ImportBatch.objects.select_for_update(skip_locked=True)
            .filter(pk=batch.pk, status=batch.status)
            .first()
        )
        return free is not None and _broken_off(free)


def _started(batch_id: int, status: str) -> bool:
    """Note (committed at once) that a task began on the batch; False when the batch is not in ``status``."""
    return bool(ImportBatch.objects.filter(pk=batch_id, status=status).update(started_at=timezone.now()))


def progress_key(batch_id: int) -> str:
    return f"imports:progress:{batch_id}"


def _reporter(batch_id: int) -> Callable[[str, int, int], None]:
    def report(step: str, done: int, total: int) -> None:
        cache.set(progress_key(batch_id), {"step": step, "done": done, "total": total}, 3600)

    return report


def progress(batch: ImportBatch) -> dict | None:
    """How far the running step of a busy batch is: {"step", "done", "total"}, or None when not known (not
    started yet, or the cache is not shared between the worker and this process)."""
    if not batch.busy:
        return None
    return cache.get(progress_key(batch.pk))


def check_batch(batch_id: int) -> str:
    """The task's work: check an upload (the uploader's rights apply) and keep the preview."""
    batch = ImportBatch.objects.select_related("created_by").defer("content").filter(pk=batch_id).first()
    if batch is None or not _started(batch_id, ImportBatch.Status.CHECKING):
        return _status(batch_id)  # another delivery did the work, or is doing it
    spec = _spec_of(batch)
    try:
        with translation.override(batch.language), history_by(batch.created_by):
            check(spec, batch, Guard(batch.created_by), _reporter(batch_id))
    except Exception:
        logger.exception("Checking import %s failed", batch_id)
        with history_by(batch.created_by):
            _fail(spec, batch_id, ImportBatch.Status.CHECKING, batch.language)
    cache.delete(progress_key(batch_id))
    return _status(batch_id)


def apply_batch(batch_id: int) -> str:
    """The task's work: write a confirmed batch, all rows or none, as the confirming user; a refusal (the data
    changed since the preview, a row is no longer allowed, a locked half-year) checks the file again and keeps
    the reason with the new preview."""
    batch = ImportBatch.objects.select_related("confirmed_by").defer("content").filter(pk=batch_id).first()
    if batch is None or not _started(batch_id, ImportBatch.Status.IMPORTING):
        return _status(batch_id)  # another delivery did the work, or is doing it
    spec = _spec_of(batch)
    try:
        with translation.override(batch.language), history_by(batch.confirmed_by), transaction.atomic():
            locked = ImportBatch.objects.select_for_update().get(pk=batch_id)
            if locked.status != ImportBatch.Status.IMPORTING:
                return locked.status  # another delivery of the task did the work
            guard = Guard(batch.confirmed_by, reason=locked.reason)
            try:
                apply(spec, locked, locked.fingerprint or None, guard, _reporter(batch_id))
            except (ImportRejected, periods.PeriodLocked) as exc:
                refused = _("Nothing was imported: %(errors)s") % {"errors": exc}
                # Checked again as the uploader's preview was, so the page shows what confirming would do now.
                validation = _validate_content(spec, locked, Guard(locked.created_by), _reporter(batch_id))
                _keep_check(spec, locked, validation, refused)
    except Exception:
        logger.exception("Import %s failed", batch_id)
        with history_by(batch.confirmed_by):
            _fail(spec, batch_id, ImportBatch.Status.IMPORTING, batch.language)
    cache.delete(progress_key(batch_id))
    return _status(batch_id)


def _status(batch_id: int) -> str:
    return ImportBatch.objects.filter(pk=batch_id).values_list("status", flat=True).first() or "missing"


def _spec_of(batch: ImportBatch) -> TableSpec:
    return get_spec(batch.kind)


def _fail(spec: TableSpec, batch_id: int, status: str, language: str) -> None:
    """Mark a batch whose task broke off with an error as failed; its transaction wrote nothing."""
    with translation.override(language), transaction.atomic():
        batch = (
            ImportBatch.objects.select_for_update()
            .defer("content")
            .filter(pk=batch_id, status=status)
            .first()
        )
        if batch is None:
            return
        if status == ImportBatch.Status.CHECKING:
            batch.error = _(
                "Checking the file stopped because of an error in the system. Nothing was imported. "
                "Upload the file again; if this happens again, tell the program team."
            )
        else:
            batch.error = _(
                "Importing stopped because of an error in the system. Nothing was imported: no row of the file "
                "was written. Upload the file again; if this happens again, tell the program team."
            )
        batch.status = ImportBatch.Status.FAILED
        if spec.personal:
            batch.content = b""
        batch.save()


def import_rows(
    spec: TableSpec,
    dataset: tablib.Dataset,
    expected: str | None = None,
    guard: Guard | None = None,
    on_progress: Callable[[str, int, int], None] | None = None,
    origin: dict | None = None,
) -> dict[str, int]:
    """Validate and write ``dataset``; raise ImportRejected, writing nothing, if any row is wrong.

    ``on_progress(step, done, total)`` hears how far it is: step "recheck" while the rows are checked again,
    "write" while they are written. ``origin`` says where the rows come from (file name, its SHA-256, the batch),
    for the record history of a table written in bulk."""
    with transaction.atomic(), contextlib.ExitStack() as stack:
        # The stored records are locked while they are compared: a change made meanwhile (a household housed)
        # waits, and only the imported fields are saved, so it stays.
        on_row = (lambda done, total: on_progress("recheck", done, total)) if on_progress else None
        validation = validate(spec, dataset, guard, lock=True, on_row=on_row)
        if not validation.is_valid:
            raise ImportRejected(validation)
        if expected is not None and validation.fingerprint() != expected:
            message = _(
                "The data changed since you checked this file (someone else imported). Check it again."
            )
            raise ImportRejected(Validation(errors=[RowError(1, "", message)]))
        # The figures of a locked half-year change only with a beheerder's reason (the period guard refuses the
        # write otherwise, whoever calls this without a guard).
        stack.enter_context(
            periods.guarded(
                guard.user,
                guard.half_years(spec, validation.rows),
                guard.reason or "",
                _("Import of %(table)s") % {"table": spec.title},
            )
            if guard is not None
            else contextlib.nullcontext()
        )
        stack.enter_context(citing())
        changes = [row for row in validation.rows if row.action != "unchanged"]
        report = (lambda done: on_progress("write", done, len(changes))) if on_progress else None
        user = guard.user if guard is not None else None
        if writes_in_bulk(spec):
            _write_in_bulk(spec, changes, report)
            if changes and auditlog.contains(spec.model):
                _history_of_import(spec, validation.counts(), user, origin or {})
        else:
            written = _write_each(spec, changes, report)
            if spec.personal:
                for action, instances in written.items():
                    record(None, subjects=instances, action=action, channel=Channel.IMPORT, user=user)
    return validation.counts()


def writes_in_bulk(spec: TableSpec) -> bool:
    """Figures are written many rows per statement, with one record-history entry for the whole import. Person-level
    tables keep a history entry per record (their history is shown on each record's page, and every change of
    personal data is logged per record), as do tables that do more for a record once it is written (``after_save``)
    and models that do more when saved (``core.bulk.bulkable``)."""
    return not spec.personal and spec.after_save is None and bulk.bulkable(spec.model)


def _write_each(
    spec: TableSpec, changes: list[RowResult], report: Callable[[int], None] | None
) -> dict[str, list[models.Model]]:
    """Save the changed rows one at a time: every model signal runs (record history, the locked half-years)."""
    written: dict[str, list[models.Model]] = {Action.CREATE: [], Action.UPDATE: []}
    for done, row in enumerate(changes):
        if report is not None and done % PROGRESS_EVERY == 0:
            report(done)
        values = _values(spec, row)
        instance = row.instance
        if instance is None:
            instance = spec.model.objects.create(**values)
        else:
            for name, value in values.items():
                setattr(instance, name, value)
            instance.full_clean(validate_unique=False)
            instance.save(update_fields=[*values, *_automatic(spec.model)])
        if spec.after_save is not None:
            spec.after_save(instance, row.data)
        written[row.action].append(instance)
    return written


def _write_in_bulk(spec: TableSpec, changes: list[RowResult], report: Callable[[int], None] | None) -> None:
    """Write the changed rows many at a time (``core.bulk``), a batch of rows after the other (the values of all
    rows are never held at once). Bulk writes send no model signals, so what the signals do for a figure is done
    here: each batch asks the locked half-years about the values it writes and those they replace (a refusal rolls
    back the whole import), and the record history gets one entry for the import (``_history_of_import``)."""
    model = spec.model
    for start in range(0, len(changes), bulk.BATCH):
        if report is not None:
            report(start)
        created: list[dict] = []
        updated: list[tuple[object, dict]] = []
        firsts: set[str | None] = set()
        for row in changes[start : start + bulk.BATCH]:
            values = _values(spec, row)
            stored = row.instance
            if stored is None:
                created.append(values)
            else:
                firsts.add(periods.first_fed(model, lambda name, stored=stored: getattr(stored, name)))
                updated.append((stored.pk, values))
            firsts.add(
                periods.first_fed(
                    model,
                    lambda name, values=values, stored=stored: (
                        values[name] if name in values else getattr(stored, name)
                    ),
                )
            )
        if model in periods.FEEDS:
            periods.refuse_unguarded(firsts)
        bulk.insert(model, created)
        bulk.update(model, updated)
    if report is not None:
        report(len(changes))


def _values(spec: TableSpec, row: RowResult) -> dict:
    try:
        return spec.record(row.data)
    except ValueError as exc:
        raise ImportRejected(Validation(errors=[RowError(row.row, "", str(exc))])) from exc


def _automatic(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]


def _history_of_import(spec: TableSpec, counts: dict[str, int], user, origin: dict) -> None:
    """One record-history entry for an import written in bulk: the table, how many rows were added, changed and
    left as they were, and the file (its name and SHA-256) and batch they came from."""
    details = {"counts": counts, **{name: value for name, value in origin.items() if value not in (None, "")}}
    entry = LogEntry(
        content_type=ContentType.objects.get_for_model(spec.model),
        object_pk=str(origin.get("batch") or ""),
        object_repr=str(_("Import of %(table)s") % {"table": spec.title})[:200],
        action=LogEntry.Action.UPDATE if counts.get("update") else LogEntry.Action.CREATE,
        changes={},
        additional_data={"import": details},
    )
    if getattr(user, "is_authenticated", False):
        entry.actor = user
    entry.save()


def expire_personal_uploads(spec: TableSpec, user) -> int:
    """Person-level files waiting for confirmation are not kept long: a newer upload of the same table by the same
    user, or ``IMPORT_PERSONAL_HOURS`` passing, sets them aside without their content. Returns how many."""
    waiting = ImportBatch.objects.filter(
        kind=spec.key, status__in=[ImportBatch.Status.CHECKING, ImportBatch.Status.STAGED]
    )
    since = timezone.now() - timedelta(hours=settings.IMPORT_PERSONAL_HOURS)
    # An import confirmed that long ago and still not done was broken off.
    old = waiting.filter(created_at__lt=since) | ImportBatch.objects.filter(
        kind=spec.key, status=ImportBatch.Status.IMPORTING, confirmed_at__lt=since
    )
    if getattr(user, "is_authenticated", False):
        old = old | waiting.filter(created_by=user)
    return old.update(content=b"", status=ImportBatch.Status.REJECTED)


def preview(spec: TableSpec, batch: ImportBatch, user) -> Validation:
    """What the page shows of a checked batch. For a table of person-level data, the kept file is checked again
    as the user sees it (its cells and the households it matches are not kept with the batch; the file is small);
    for every other table, what the check kept."""
    if spec.personal and batch.status == ImportBatch.Status.STAGED and batch.content:
        try:
            return validate(spec, read_table(bytes(batch.content), batch.filename), Guard(user))
        except TableError as exc:
            return Validation(errors=[RowError(1, "", str(exc))])
    return checked(batch)


def existing_records(spec: TableSpec, validation: Validation) -> list[models.Model]:
    """The stored records the rows of a checked file refer to (to log that a preview showed them)."""
    return [row.instance for row in validation.rows if row.instance is not None]


def import_file(spec: TableSpec, path) -> dict[str, int]:
    """Import a file from disk (management commands, the embedded data set)."""
    with open(path, "rb") as handle:
        content = handle.read()
    origin = {"file": Path(path).name, "sha256": hashlib.sha256(content).hexdigest()}
    return import_rows(spec, read_table(content, str(path)), origin=origin)


def export(spec: TableSpec, file_format: str, queryset=None, for_systems: bool = False) -> bytes:
    """The records in the table's own columns, so that the file imports again (headers and choices as labels, or
    keys and codes ``for_systems``)."""
    records: Iterable = queryset if queryset is not None else spec.queryset()
    rows = (spec.row(record) for record in records)
    return write_table(spec.headings, rows, file_format, title=str(spec.title), for_systems=for_systems)


def template(spec: TableSpec, file_format: str, for_systems: bool = False) -> bytes:
    return write_table(
        spec.headings, spec.example_rows, file_format, title=str(spec.title), for_systems=for_systems
    )


# Background tasks (Django tasks; ``regietafel db_worker`` runs them) --------------------------------------------
# Checking an uploaded file, and writing it once the user confirmed. ``check_batch`` and ``apply_batch`` hold the
# batch locked while they work and do nothing for a batch that is no longer waiting for them, so a task delivered
# twice does the work once.


@task()
def check_import(batch_id: int) -> str:
    return check_batch(batch_id)


@task()
def apply_import(batch_id: int) -> str:
    return apply_batch(batch_id)
