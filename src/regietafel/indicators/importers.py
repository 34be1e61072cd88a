"""Importable tables of indicators: their definitions, targets per period, and values per place and period."""

import datetime
from decimal import Decimal
from types import MappingProxyType

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from regietafel.core.rows import DecimalField, RowForm, SourcedRowForm
from regietafel.core.specs import TableSpec, register
from regietafel.domain import indicators as rules
from regietafel.indicators.models import Domain, Indicator, Target, Value
from regietafel.reception.models import Location
from regietafel.regions.models import Area

CODE = r"^[A-Z][A-Z0-9-]*$"


class IndicatorRowForm(RowForm):
    code = forms.RegexField(
        label=_("code"),
        max_length=40,
        regex=CODE,
        error_messages={"invalid": _("Capitals, digits and hyphens.")},
    )
    name = forms.CharField(label=_("name"), max_length=200)
    explanation = forms.CharField(label=_("explanation"))
    domain = forms.CharField(label=_("domain"), max_length=40)
    unit = forms.ChoiceField(label=_("unit"), choices=Indicator.Unit.choices)
    direction = forms.ChoiceField(label=_("direction"), choices=Indicator.Direction.choices)
    level = forms.ChoiceField(label=_("level"), choices=Indicator.Level.choices)
    periodicity = forms.ChoiceField(label=_("periodicity"), choices=Indicator.Periodicity.choices)
    good_threshold = DecimalField(label=_("good from"), max_digits=12, decimal_places=4, required=False)
    poor_threshold = DecimalField(label=_("poor beyond"), max_digits=12, decimal_places=4, required=False)
    norm = forms.CharField(label=_("official norm"), max_length=300, required=False)
    norm_source = forms.CharField(label=_("source of the norm"), max_length=300, required=False)
    expected_source = forms.CharField(
        label=_("expected source of the figures"), max_length=300, required=False
    )

    def clean_domain(self):
        """A domain by its code or its name (as a download writes it)."""
        text = self.cleaned_data["domain"].strip()
        code = text.lower()
        domain = Domain.objects.filter(Q(code=code) | Q(name__iexact=text)).first()
        if domain is None:
            known = ", ".join(Domain.objects.values_list("code", flat=True))
            raise ValidationError(
                _("Unknown domain %(code)s; known: %(known)s."),
                params={"code": code, "known": known},
                code="domain",
            )
        return domain

    def clean(self):
        data = super().clean()
        check_definition(self, data)
        return data


def check_definition(form: forms.Form, data: dict) -> None:
    """What one definition must satisfy, in the import and in the form: thresholds that fit the direction, and no
    official norm without its source."""
    thresholds = rules.Thresholds(good=data.get("good_threshold"), poor=data.get("poor_threshold"))
    if data.get("direction") and thresholds.problem(data["direction"]):
        form.add_error(
            "poor_threshold",
            _("When higher is better, 'good from' cannot lie below 'poor beyond'.")
            if data["direction"] == Indicator.Direction.HIGHER
            else _("When lower is better, 'good from' cannot lie above 'poor beyond'."),
        )
    if data.get("norm") and not data.get("norm_source"):
        form.add_error(
            "norm_source", _("An official norm needs its source (a law, a regulation, an authority).")
        )


def _bump_version(record: Indicator, _data: dict) -> None:
    """An import changes the definition someone may be editing: their save must notice (optimistic locking)."""
    Indicator.objects.filter(pk=record.pk).update(version=F("version") + 1)


INDICATORS = register(
    TableSpec(
        key="indicators",
        title=_("Indicator definitions"),
        form_class=IndicatorRowForm,
        model=Indicator,
        key_columns=("code",),
        after_save=_bump_version,
        export_queryset=lambda: Indicator.objects.select_related("domain"),
        to_row=lambda record: {
            column: (record.domain.code if column == "domain" else getattr(record, column))
            for column in IndicatorRowForm.base_fields
        },
        value_labels=lambda: {"domain": dict(Domain.objects.values_list("code", "name"))},
        help_text=_(
            "Domain: its name or its code, as on the indicators page. Unit, direction, level and periodicity: a "
            "word as the template writes it (or its code). An official norm only with its source; leave "
            "thresholds empty until the region has agreed them."
        ),
    )
)


def _indicator(form: RowForm, column: str) -> Indicator:
    code = form.cleaned_data[column].strip().upper()
    indicator = Indicator.objects.filter(code=code).first()
    if indicator is None:
        raise ValidationError(_("Unknown indicator %(code)s."), params={"code": code}, code="indicator")
    return indicator


def _period(form: RowForm, data: dict) -> None:
    indicator, period = data.get("indicator_code"), data.get("period")
    if indicator is None or not period:
        return
    try:
        data["period"] = str(rules.Period.parse(period, indicator.periodicity))
    except ValueError:
        form.add_error(
            "period",
            _("Enter a %(periodicity)s as %(example)s.")
            % {
                "periodicity": indicator.get_periodicity_display(),
                "example": EXAMPLES[indicator.periodicity],
            },
        )


EXAMPLES = {"month": "2025-03", "quarter": "2025-Q1", "half_year": "2025-H1"}


def _fits_unit(form: RowForm, data: dict, column: str) -> None:
    """Counts, days and percentages are not negative. A percentage may exceed 100: occupancy above capacity."""
    indicator, value = data.get("indicator_code"), data.get(column)
    if indicator is None or value is None:
        return
    if indicator.unit != Indicator.Unit.SCORE and value < 0:
        form.add_error(column, _("A count, a number of days or a percentage cannot be negative."))


class TargetRowForm(SourcedRowForm):
    indicator_code = forms.CharField(label=_("indicator code"), max_length=40)
    period = forms.CharField(label=_("period"), max_length=7)
    value = DecimalField(label=_("target"), max_digits=12, decimal_places=4)

    field_order = ["indicator_code", "period", "value"]

    def clean_indicator_code(self):
        return _indicator(self, "indicator_code")

    def clean(self):
        data = super().clean()
        _period(self, data)
        _fits_unit(self, data, "value")
        return data


TARGETS = register(
    TableSpec(
        key="indicator-targets",
        title=_("Indicator targets"),
        form_class=TargetRowForm,
        model=Target,
        key_columns=("indicator_code", "period"),
        lookup=lambda data: {"indicator": data["indicator_code"], "period": data["period"]},
        to_record=lambda data: {
            "indicator": data["indicator_code"],
            **{column: data[column] for column in TargetRowForm.base_fields if column != "indicator_code"},
        },
        to_row=lambda record: {
            column: (record.indicator.code if column == "indicator_code" else getattr(record, column))
            for column in TargetRowForm.base_fields
        },
        export_queryset=lambda: Target.objects.select_related("indicator"),
        example_rows=(
            {
                "indicator_code": "ZRG-HUISARTS",
                "period": "2025-H1",
                "value": Decimal("90"),
                "reference_date": datetime.date(2025, 1, 1),
                "source": "Afspraak regietafel 2025",
                "confidence": "H",
            },
        ),
    )
)


class ValueRowForm(SourcedRowForm):
    indicator_code = forms.CharField(label=_("indicator code"), max_length=40)
    area_code = forms.CharField(label=_("area code"), max_length=10)
    location = forms.CharField(label=_("reception location"), max_length=150, required=False)
    period = forms.CharField(label=_("period"), max_length=7)
    value = DecimalField(label=_("value"), max_digits=12, decimal_places=4)

    field_order = ["indicator_code", "area_code", "location", "period", "value"]

    def clean_indicator_code(self):
        return _indicator(self, "indicator_code")

    def clean_area_code(self):
        return super().clean_area_code("area_code", (Area.Kind.MUNICIPALITY, Area.Kind.REGION))

    def clean(self):
        data = super().clean()
        indicator, area = data.get("indicator_code"), data.get("area_code")
        if indicator is not None and area is not None:
            self._place(indicator, area, data)
        _period(self, data)
        _fits_unit(self, data, "value")
        return data

    def _place(self, indicator: Indicator, area: Area, data: dict) -> None:
        """The municipality, region or location the value is for, as the indicator's level asks."""
        name = data.get("location", "").strip()
        data["location"] = None
        if indicator.level == Indicator.Level.LOCATION:
            location = Location.objects.filter(municipality=area, name=name).first() if name else None
            if location is None:
                self.add_error(
                    "location",
                    _("A location-level indicator needs the name of a reception location in %(area)s.")
                    % {"area": area.name},
                )
            data["location"] = location
            return
        wanted = Area.Kind.REGION if indicator.level == Indicator.Level.REGION else Area.Kind.MUNICIPALITY
        if area.kind != wanted:
            self.add_error(
                "area_code",
                _("%(indicator)s is measured per %(level)s.")
                % {"indicator": indicator.code, "level": indicator.get_level_display()},
            )
        if name:
            self.add_error(
                "location",
                _("Leave the location empty for an indicator per %(level)s.")
                % {"level": indicator.get_level_display()},
            )


def _value_place(data: dict) -> dict:
    return {"area": data["area_code"], "location": data["location"]}


VALUES = register(
    TableSpec(
        key="indicator-values",
        title=_("Indicator values"),
        form_class=ValueRowForm,
        model=Value,
        key_columns=("indicator_code", "area_code", "location", "period"),
        # A municipality writes its own values only (the import's guard), a location's through its municipality.
        area_columns=MappingProxyType({"area_code": "area"}),
        lookup=lambda data: {
            "indicator": data["indicator_code"],
            "period": data["period"],
            **_value_place(data),
        },
        to_record=lambda data: {
            "indicator": data["indicator_code"],
            **_value_place(data),
            **{
                column: data[column]
                for column in ValueRowForm.base_fields
                if column not in ("indicator_code", "area_code", "location")
            },
        },
        to_row=lambda record: {
            "indicator_code": record.indicator.code,
            "area_code": record.area.code,
            "location": record.location.name if record.location_id else "",
            **{
                column: getattr(record, column)
                for column in ValueRowForm.base_fields
                if column not in ("indicator_code", "area_code", "location")
            },
        },
        export_queryset=lambda: Value.objects.select_related("indicator", "area", "location"),
        example_rows=(
            {
                "indicator_code": "ZRG-HUISARTS",
                "area_code": "GM0177",
                "location": "",
                "period": "2025-H1",
                "value": Decimal("87.5"),
                "reference_date": datetime.date(2025, 7, 1),
                "source": "GGD IJsselland",
                "confidence": "H",
            },
        ),
        help_text=_(
            "One row per indicator, place and period. The area code is the municipality (GM…), or the region "
            "(VR…) for a regional indicator; for a location-level indicator also name the reception location as "
            "it is called in the locations table."
        ),
    )
)
