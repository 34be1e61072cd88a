"""What every API resource shares: reading through the one access path, the common filters, and writing figures
through the same import rules as the pages.

``ScopedViewSet`` lists ``restrict(queryset, user)`` and fetches one object with ``get_or_404``: an object outside
the caller's scope is not found (404), as on the pages. ``filters_for`` gives a resource the filters ``gemeente``
(CBS code), ``regio`` (the code of a steering table's region) and ``periode`` (a half-year such as 2025-H1).
``ImportWriteMixin`` writes rows through an import ``TableSpec`` (the same row form, own-municipality guard,
period lock and single transaction as an uploaded file): ``POST`` one row, or ``POST .../bulk`` many rows, all or
nothing; a row with the key of an existing record updates it, so sending the same rows twice changes nothing.
"""

from __future__ import annotations

import datetime
import json

import django_filters
import tablib
from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from regietafel.access.scope import get_or_404, require, resource_of, restrict
from regietafel.api.problems import DETAILS, Invalid
from regietafel.core.models import Confidence, Versioned
from regietafel.core.rows import HalfYearField, MonthField
from regietafel.core.specs import TableSpec
from regietafel.core.versioning import StaleEdit, missing_message
from regietafel.domain.targets import HalfYear
from regietafel.housing.periods import PeriodLocked
from regietafel.imports.services import Guard, ImportRejected, import_rows, may_import


class ScopedViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A resource read through the one access path."""

    # Ids are numbers that fit the database (a longer one would be an error, not a 404).
    lookup_value_regex = "[0-9]{1,18}"

    def get_queryset(self):
        require(self.request.user, "view", self.queryset.model)
        return restrict(self.queryset.all(), self.request.user)

    def get_object(self):
        value = self.kwargs[self.lookup_url_kwarg or self.lookup_field]
        obj = get_or_404(self.get_queryset(), self.request.user, **{self.lookup_field: value})
        self.check_object_permissions(self.request, obj)
        return obj


class HalfYearFilter(django_filters.CharFilter):
    field_class = HalfYearField


# The fields of every sourced figure (``core.models.SourcedFigure``): serializers of such figures derive from
# ``SourcedSerializer``, which gives the source by its name and the confidence of that source.
SOURCED = ["source", "source_id", "reference_date", "confidence", "is_demo"]


class SourcedSerializer(serializers.ModelSerializer):
    source = serializers.CharField(
        source="source.name", read_only=True, help_text=gettext_lazy("The source, as the figure cites it.")
    )
    source_id = serializers.IntegerField(
        read_only=True, help_text=gettext_lazy("The source's record: /api/v1/bronnen/{source_id}.")
    )
    confidence = serializers.ChoiceField(
        source="source.confidence",
        choices=Confidence.choices,
        read_only=True,
        help_text=gettext_lazy("How sure the source is: H, M or L (see the table Sources)."),
    )


FROM_REGISTRY = object()


def filters_for(model, *, area=FROM_REGISTRY, period: str | None = None, kind: str = "date"):
    """A FilterSet with ``gemeente`` and ``regio`` and, given a ``period`` field, ``periode``.

    ``area`` is the path to the municipality: the access registry's unless given; "" when the model is the
    municipality itself; None for no municipality filters. ``kind`` says what ``period`` is: a "date", a
    "datetime", a "half_year" text, or a "span" of two date fields ("start_date,end_date")."""
    area = resource_of(model).area if area is FROM_REGISTRY else area
    attrs = {}
    if area is not None:
        prefix = f"{area}__" if area else ""
        # distinct: through a many-to-many path (a signal's municipalities) a record matches once, not per
        # municipality.
        attrs["gemeente"] = django_filters.CharFilter(
            field_name=f"{prefix}code",
            distinct=True,
            help_text=gettext_lazy("CBS code of a municipality, e.g. GM0177."),
        )
        attrs["regio"] = django_filters.CharFilter(
            field_name=f"{prefix}parent__code",
            distinct=True,
            help_text=gettext_lazy("Code of a steering table's region (veiligheidsregio), e.g. VR04."),
        )
    if period is not None:

        def by_period(queryset, name, value):
            if not value:
                return queryset
            half_year = HalfYear.parse(value)
            if kind == "half_year":
                return queryset.filter(**{period: str(half_year)})
            if kind == "span":  # two fields, start and end, either of them open
                start, end = period.split(",")
                return queryset.filter(
                    Q(**{f"{start}__isnull": True}) | Q(**{f"{start}__lte": half_year.end}),
                    Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": half_year.start}),
                )
            lookup = f"{period}__date__range" if kind == "datetime" else f"{period}__range"
            return queryset.filter(**{lookup: (half_year.start, half_year.end)})

        attrs["periode"] = HalfYearFilter(
            method=by_period, help_text=gettext_lazy("A half-year: 2025-H1 (January–June) or 2025-H2.")
        )
    attrs["Meta"] = type("Meta", (), {"model": model, "fields": []})
    return type(f"{model.__name__}Filter", (django_filters.FilterSet,), attrs)


# A month column of an import, as the API documents it (the import also reads 03-2025 and a date in the month).
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


class BulkBody(serializers.Serializer):
    rows = serializers.ListField(child=serializers.DictField(), min_length=1)
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text=gettext_lazy("A beheerder's reason to change a locked half-year."),
    )


class WriteResult(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()


def row_serializer(spec: TableSpec) -> type[serializers.Serializer]:
    """The columns of an import table as a serializer, for the OpenAPI document (the import's row form
    validates)."""
    fields = {}
    for name, form_field in spec.form_class().fields.items():
        options = {"required": form_field.required, "help_text": str(form_field.label)}
        if not form_field.required:
            options["allow_null"] = True
        if isinstance(form_field, forms.IntegerField):
            fields[name] = serializers.IntegerField(
                min_value=form_field.min_value, max_value=form_field.max_value, **options
            )
        elif isinstance(form_field, forms.ChoiceField):
            fields[name] = serializers.ChoiceField(choices=form_field.choices, **options)
        elif isinstance(form_field, MonthField):
            options["help_text"] += " (YYYY-MM)"
            fields[name] = serializers.RegexField(MONTH, **options)
        elif isinstance(form_field, forms.DateField):
            # ISO 8601, YYYY-MM-DD (NL GOV /core/date-time/format); the import also reads 31-12-2025.
            fields[name] = serializers.DateField(**options)
        else:
            fields[name] = serializers.CharField(**options)
    name = "".join(part.capitalize() for part in spec.key.split("-"))
    return type(f"{name}Row", (serializers.Serializer,), fields)


def import_writes(spec: TableSpec):
    """Class decorator: the viewset writes rows of ``spec`` (see ``ImportWriteMixin``), documented as such."""
    row = row_serializer(spec)
    bulk = type(
        f"{row.__name__.removesuffix('Row')}Bulk",
        (BulkBody,),
        {"rows": row(many=True)},
    )

    def decorate(viewset):
        viewset.spec = spec
        return extend_schema_view(
            create=extend_schema(request=row, responses={201: WriteResult}),
            bulk=extend_schema(request=bulk, responses={200: WriteResult}),
        )(viewset)

    return decorate


class ImportWriteMixin:
    """Write rows through an import table: ``spec`` names it; the row's columns are the request's fields."""

    spec: TableSpec

    def _write(self, rows: list[dict], reason: str | None, single: bool) -> dict[str, int]:
        columns = self.spec.columns
        unknown = sorted({key for row in rows for key in row} - set(columns))
        if unknown:
            raise Invalid(
                [(name, _("Unknown field; the fields are: %s.") % ", ".join(columns)) for name in unknown]
            )
        empty = [i for i, row in enumerate(rows) if all(value in (None, "") for value in row.values())]
        if empty:
            # A file may have empty lines; a request with an empty row is a mistake.
            raise Invalid([("" if single else f"rows[{i}]", _("The row is empty.")) for i in empty])
        dataset = tablib.Dataset(headers=columns)
        for row in rows:
            dataset.append([_cell(row.get(column)) for column in columns])
        try:
            counts = import_rows(self.spec, dataset, guard=Guard(self.request.user, reason))
            return {
                "created": counts["create"],
                "updated": counts["update"],
                "unchanged": counts["unchanged"],
            }
        except PeriodLocked as locked:
            raise Invalid([("reason", str(locked))]) from None
        except ImportRejected as rejected:
            # Row 1 of a file is its header; row 2 is the first record, rows[0] in a request. The message is the
            # import's own, word for word.
            raise Invalid(
                [
                    (
                        ".".join(
                            part
                            for part in (
                                "" if single else f"rows[{error.row - 2}]" if error.row >= 2 else "rows",
                                error.field,
                            )
                            if part
                        ),
                        error.message,
                    )
                    for error in rejected.validation.errors
                ]
            ) from None

    def _require_write(self):
        # Before the body is read: who may not write this table does not find the address.
        if not may_import(self.request.user, self.spec):
            raise Http404

    def create(self, request, *args, **kwargs):
        self._require_write()
        if not isinstance(request.data, dict):
            raise Invalid([("", _("Send one row as a JSON object."))])
        counts = self._write([request.data], None, single=True)
        return Response(counts, status=status.HTTP_201_CREATED)

    @action(detail=False, methods=["post"], url_path="bulk")
    def bulk(self, request, *args, **kwargs):
        """All rows or none: one transaction; rows already stored with the same figures count as unchanged."""
        self._require_write()
        body = BulkBody(data=request.data)
        body.is_valid(raise_exception=True)
        return Response(
            self._write(body.validated_data["rows"], body.validated_data.get("reason"), single=False)
        )


def _cell(value):
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.date | int | float | str) or value is None:
        return value
    return str(value)


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = DETAILS[409]


def form_problems(form) -> list[tuple[str, str]]:
    """A form's errors as ``(name, message)`` for ``Invalid`` (a form-wide error names the whole body: "")."""
    return [
        ("" if name == "__all__" else name, str(message))
        for name, messages in form.errors.items()
        for message in messages
    ]


def form_data(data: dict, form_class, **form_kwargs) -> dict:
    """JSON values as a browser posts them to the page's form: text, or a list of texts for a multiple choice.
    The form then validates them exactly as on the page (a nested object is text it will refuse)."""
    fields = form_class(**form_kwargs).fields
    multiple = {
        name
        for name, field in fields.items()
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField)
    }

    def text(value):
        if value is None:
            return ""
        if isinstance(value, dict | list):
            return json.dumps(value)
        return str(value)

    found = {}
    for name, value in data.items():
        if name in multiple:
            found[name] = [text(item) for item in value] if isinstance(value, list) else text(value)
        elif isinstance(value, bool) and isinstance(fields.get(name), forms.BooleanField):
            found[name] = value
        else:
            found[name] = text(value)
    return found


class FormWriteMixin:
    """Create (``POST``) and change (``PATCH``, with the ``version`` read) through the page's own form and
    service, so the API validates and saves exactly as the page does (``FormDeleteMixin`` adds deleting).

    A subclass sets ``write_form`` and implements ``save(form, instance)``; ``lookups`` translate the API's values
    into the form's (a CBS code into the municipality's id, theme names into theme ids). ``PATCH`` starts from the
    stored values, so only changed fields are sent, but never from the stored version: a change of a versioned record
    without the ``version`` read is a 400 naming it, a changed version a 409 (``core.versioning``). Refusals from the
    service name no field; ``conflict_errors`` are further refusals that are a 409.
    """

    write_form: type
    conflict_errors: tuple[type[Exception], ...] = ()
    service_errors: tuple[type[Exception], ...] = ()
    lookups: dict = {}

    def form_kwargs(self, instance) -> dict:
        return {}

    def stored(self, instance) -> dict:
        """The instance's values as the form takes them (related objects as their ids)."""
        return {
            name: [item.pk if hasattr(item, "pk") else item for item in value]
            if isinstance(value, list)
            else value
            for name, value in forms.models.model_to_dict(instance).items()
        }

    def _form(self, data, instance):
        if not isinstance(data, dict):
            raise Invalid([("", _("Send the fields as a JSON object."))])
        translated = dict(data)
        for name, lookup in self.lookups.items():
            if name in translated:
                translated[name] = lookup(translated[name])
        kwargs = self.form_kwargs(instance)
        stored = self.stored(instance) if instance is not None else {}
        if isinstance(instance, Versioned):
            stored.pop("version", None)
            if translated.get("version") in (None, ""):
                raise Invalid([("version", missing_message())])
        merged = {**stored, **form_data(translated, self.write_form, **kwargs)}
        form = self.write_form(data=merged, **kwargs)
        # A field the form shows this user but does not let them change (the page shows it greyed out) is not
        # silently kept as it was: a request that changes it is refused, naming it.
        locked = [
            name
            for name, form_field in form.fields.items()
            if form_field.disabled and name in translated and _differs(translated[name], stored.get(name))
        ]
        if locked:
            raise Invalid([(name, _("You may not change this field.")) for name in locked])
        if not form.is_valid():
            raise Invalid(form_problems(form))
        return form

    def _saved(self, form, instance):
        try:
            return self.save(form, instance)
        except (StaleEdit, *self.conflict_errors) as exc:
            raise Conflict(str(exc)) from None
        except self.service_errors as exc:
            raise Invalid([("", str(exc))]) from None

    def create(self, request, *args, **kwargs):
        require(request.user, "add", self.queryset.model)
        saved = self._saved(self._form(request.data, None), None)
        return Response(
            self.get_serializer(self.queryset.get(pk=saved.pk)).data, status=status.HTTP_201_CREATED
        )

    def partial_update(self, request, *args, **kwargs):
        found = get_or_404(self.queryset, request.user, "change", pk=self.kwargs["pk"])
        self._saved(self._form(request.data, found), found)
        return Response(self.get_serializer(self.queryset.get(pk=found.pk)).data)


def _differs(sent, stored) -> bool:
    """Whether a value sent for a field differs from the stored one (ids and codes compared as text)."""
    if isinstance(sent, list) or isinstance(stored, list):
        return sorted(map(str, sent or [])) != sorted(map(str, stored or []))
    return ("" if sent is None else str(sent)) != ("" if stored is None else str(stored))


class FormDeleteMixin:
    """``DELETE ?version=N`` through the service's ``remove(instance, version)``; a changed version is a 409."""

    def destroy(self, request, *args, **kwargs):
        found = get_or_404(self.queryset, request.user, "delete", pk=self.kwargs["pk"])
        try:
            version = int(request.query_params.get("version", ""))
        except ValueError:
            raise Invalid([("version", _("Send the version you read: ?version=N."))]) from None
        try:
            self.remove(found, version)
        except StaleEdit as exc:
            raise Conflict(str(exc)) from None
        return Response(status=status.HTTP_204_NO_CONTENT)


def _searchable(values) -> list[str]:
    # PostgreSQL refuses text with NUL characters; such a value matches nothing, and the form refuses it.
    return [str(value) for value in values if "\x00" not in str(value)]


def by_code(model_field_queryset):
    """A lookup from a CBS code (or a list of them) to the ids a form's choice field takes."""

    def lookup(value):
        codes = value if isinstance(value, list) else [value]
        found = dict(model_field_queryset().filter(code__in=_searchable(codes)).values_list("code", "pk"))
        ids = [found.get(str(code), code) for code in codes]
        return ids if isinstance(value, list) else ids[0]

    return lookup


def by_name(queryset):
    """A lookup from names (a list) to ids; an unknown name is passed on for the form to refuse."""

    def lookup(value):
        names = value if isinstance(value, list) else [value]
        found = dict(queryset().filter(name__in=_searchable(names)).values_list("name", "pk"))
        ids = [found.get(str(name), name) for name in names]
        return ids if isinstance(value, list) else ids[0]

    return lookup
