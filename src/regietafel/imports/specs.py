"""What an importable table is: its row form, its key, how a row becomes a record and how records export."""

from collections.abc import Callable
from dataclasses import dataclass

import tablib
from django.db import models
from django.utils.functional import Promise


@dataclass(frozen=True)
class TableSpec:
    key: str
    title: Promise
    form_class: type
    model: type[models.Model]
    # The filter that finds a row's record, without writing: importing the same row again updates it.
    lookup: Callable[[dict], dict]
    # The record's field values for a row; runs inside the import's transaction and may create what it needs.
    to_record: Callable[[dict], dict]
    # Turns a record into a row in the columns of the form, so exports can be imported again.
    to_row: Callable[[models.Model], dict]
    example_rows: tuple[dict, ...] = ()
    # Converts other layouts of the same data (a CBS StatLine export) into ours; None when not recognised.
    convert: Callable[[tablib.Dataset], tablib.Dataset | None] | None = None
    export_queryset: Callable[[], models.QuerySet] | None = None
    help_text: Promise | str = ""
    # Columns where an empty cell keeps what is stored (a CBS export has no names): not a change.
    keep_if_blank: tuple[str, ...] = ()

    @property
    def columns(self) -> list[str]:
        return list(self.form_class().fields)

    @property
    def required_columns(self) -> list[str]:
        return [name for name, form_field in self.form_class().fields.items() if form_field.required]

    def queryset(self) -> models.QuerySet:
        if self.export_queryset is not None:
            return self.export_queryset()
        return self.model.objects.all()


_REGISTRY: dict[str, TableSpec] = {}


def register(spec: TableSpec) -> TableSpec:
    _REGISTRY[spec.key] = spec
    return spec


def get_spec(key: str) -> TableSpec:
    from regietafel.imports import registry  # noqa: F401  (registers the specs of every app)

    return _REGISTRY[key]


def all_specs() -> list[TableSpec]:
    from regietafel.imports import registry  # noqa: F401

    return list(_REGISTRY.values())
