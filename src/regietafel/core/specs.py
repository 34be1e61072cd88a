"""What an importable table is: its row form, its key, how a row becomes a record and how records export."""

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import tablib
from django import forms
from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.functional import Promise

from regietafel.core.models import Source
from regietafel.core.sources import cite
from regietafel.core.tables import Heading

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
    # What the codes of columns whose values are data read as (an indicator's domain by its name), by column; the
    # row form reads either.
    value_labels: Callable[[], Mapping[str, Mapping[str, str]]] | None = None

    @functools.cached_property
    def _fields(self) -> dict[str, forms.Field]:
        """The row form's fields as a form has them (made once: a form copies every field when it is made)."""
        return dict(self.form_class().fields)

    @property
    def columns(self) -> list[str]:
        return list(self._fields)

    @property
    def headings(self) -> list[Heading]:
        """The columns as a user downloads them: the field's label as header, a choice's label as value."""
        data = self.value_labels() if self.value_labels is not None else {}
        return [
            Heading(
                name,
                form_field.label or name,
                MappingProxyType(_choices(form_field) | dict(data.get(name, {}))),
            )
            for name, form_field in self._fields.items()
        ]

    def reading(self) -> "Reading":
        return _reading(self.key)

    @property
    def required_columns(self) -> list[str]:
        return [name for name, form_field in self._fields.items() if form_field.required]

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
        return cited({name: data[column] for column, name in self._record_fields})

    @functools.cached_property
    def _record_fields(self) -> tuple[tuple[str, str], ...]:
        """Each column and the model field it is written to."""
        return tuple((column, self._field(column)) for column in self.columns)

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


def _choices(form_field) -> dict:
    if not isinstance(form_field, forms.ChoiceField):
        return {}
    return {str(value): label for value, label in form_field.choices if value != ""}


@dataclass(frozen=True)
class Reading:
    """How a file's headers and coded values are read: a column by its key or by its label in any of the product's
    languages (as a download writes it), a choice by its code or its label; case and spaces do not matter."""

    columns: Mapping[str, str]
    values: Mapping[str, Mapping[str, str]]

    def column(self, header: str) -> str:
        """The column a header names, or the header itself (lower case) when it names none."""
        text = _plain(header)
        return self.columns.get(text, text)

    def value(self, column: str, text: str) -> str:
        return self.values.get(column, {}).get(_plain(text), text)


def _plain(text: str) -> str:
    return " ".join(str(text).split()).lower()


@functools.cache
def _reading(key: str) -> Reading:
    spec = get_spec(key)
    fields = spec.form_class().fields
    columns: dict[str, str] = {}
    values: dict[str, dict[str, str]] = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for name, form_field in fields.items():
                columns.setdefault(_plain(form_field.label or name), name)
                for code, label in _choices(form_field).items():
                    values.setdefault(name, {}).setdefault(_plain(label), code)
    for name, form_field in fields.items():
        columns[_plain(name)] = name  # a key always reads as itself
        for code in _choices(form_field):
            values.setdefault(name, {})[_plain(code)] = code
    return Reading(MappingProxyType(columns), MappingProxyType(values))


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
