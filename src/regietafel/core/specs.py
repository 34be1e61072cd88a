"""What an importable table is: its row form, its key, how a row becomes a record and how records export."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import tablib
from django.db import models
from django.utils.functional import Promise

from regietafel.core.models import Source
from regietafel.core.sources import cite

# The column most tables share: a municipality by its CBS code, read into the row's ``municipality`` area.
MUNICIPALITY = MappingProxyType({"municipality_code": "municipality"})


@dataclass(frozen=True)
class TableSpec:
    """An importable table.

    Columns are the row form's fields. A column holds the model field of the same name, except the columns
    in ``area_columns``, which hold the CBS code of the area in a foreign key (``municipality_code`` ->
    ``municipality``). Tables that do not fit this (populations create their areas) pass their own
    ``lookup``, ``to_record`` and ``to_row``.
    """

    key: str
    title: Promise
    form_class: type
    model: type[models.Model]
    # The columns that identify a record: importing the same row again updates it.
    key_columns: tuple[str, ...]
    area_columns: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    lookup: Callable[[dict], dict] | None = None
    to_record: Callable[[dict], dict] | None = None
    to_row: Callable[[models.Model], dict] | None = None
    example_rows: tuple[dict, ...] = ()
    # Converts other layouts of the same data (a CBS StatLine export) into ours; None when not recognised.
    convert: Callable[[tablib.Dataset], tablib.Dataset | None] | None = None
    export_queryset: Callable[[], models.QuerySet] | None = None
    help_text: Promise | str = ""
    # Columns where an empty cell keeps what is stored (a CBS export has no names): not a change.
    keep_if_blank: tuple[str, ...] = ()
    # The half-years a row's figures belong to ("2025-H1"), so locked half-years can be refused; None: no period.
    # Runs after a row's record is written (inside the import's transaction), for what one record cannot hold.
    after_save: Callable[[models.Model, dict], None] | None = None
    # Person-level data: every record written, shown or exported is logged, and the uploaded file is not kept.
    personal: bool = False

    @property
    def columns(self) -> list[str]:
        return list(self.form_class().fields)

    @property
    def required_columns(self) -> list[str]:
        return [name for name, form_field in self.form_class().fields.items() if form_field.required]

    def _field(self, column: str) -> str:
        return self.area_columns.get(column, column)

    def find(self, data: dict) -> dict:
        """The filter that finds a row's record, without writing."""
        if self.lookup is not None:
            return self.lookup(data)
        return {self._field(column): data[column] for column in self.key_columns}

    def record(self, data: dict) -> dict:
        """The record's field values for a valid row; runs inside the import's transaction."""
        if self.to_record is not None:
            return cited(self.to_record(data))
        return cited({self._field(column): data[column] for column in self.columns})

    def row(self, record: models.Model) -> dict:
        """A record as a row in the columns of the form, so that an export imports again."""
        if self.to_row is not None:
            row = self.to_row(record)
        else:
            row = {}
            for column in self.columns:
                value = getattr(record, self._field(column))
                row[column] = value.code if column in self.area_columns else value
        if isinstance(row.get("source"), Source):
            row["source"] = row["source"].name
        return row

    def queryset(self) -> models.QuerySet:
        if self.export_queryset is not None:
            return self.export_queryset()
        return self.model.objects.select_related(*self.area_columns.values())


def cited(values: dict) -> dict:
    """A sourced record's values with its source as a record (found or added) instead of the name a row gives;
    the confidence belongs to the source."""
    if isinstance(values.get("source"), str):
        values = dict(values)
        values["source"] = cite(values["source"], values.pop("confidence", None))
    return values


_REGISTRY: dict[str, TableSpec] = {}


def register(spec: TableSpec) -> TableSpec:
    # The row form bounds its numbers to the columns they are written to.
    spec.form_class.model = spec.model
    _REGISTRY[spec.key] = spec
    return spec


def get_spec(key: str) -> TableSpec:
    return _REGISTRY[key]


def all_specs() -> list[TableSpec]:
    return list(_REGISTRY.values())
