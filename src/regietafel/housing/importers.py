"""Importable tables of the housing task: national numbers, outcomes, published targets, balances, realisation."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regietafel.core.rows import HalfYearField, MonthField, SourcedRowForm
from regietafel.core.specs import MUNICIPALITY, TableSpec, register
from regietafel.housing.models import (
    HousingRealisation,
    NationalOutcome,
    NationalTarget,
    OpeningBalance,
    ReportedTarget,
)
from regietafel.regions.models import Area, PopulationFigure


class MunicipalityRowForm(SourcedRowForm):
    municipality_code = forms.CharField(label=_("municipality code"), max_length=10)

    def clean_municipality_code(self):
        return self.clean_area_code("municipality_code", (Area.Kind.MUNICIPALITY,))


class NationalTargetRowForm(SourcedRowForm):
    half_year = HalfYearField(label=_("half-year"))
    revision = forms.IntegerField(label=_("revision"), min_value=0, max_value=99)
    headline = forms.IntegerField(label=_("announced number"), min_value=0)
    distributed = forms.IntegerField(label=_("distributed number"), min_value=0, required=False)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    field_order = ["half_year", "revision", "headline", "distributed", "note"]


NATIONAL_TARGETS = register(
    TableSpec(
        key="national-targets",
        title=_("National half-year numbers"),
        form_class=NationalTargetRowForm,
        model=NationalTarget,
        key_columns=("half_year", "revision"),
        help_text=_(
            "One row per version of a half-year's number: revision 0 is the announcement, higher revisions "
            "replace it. Fill in the distributed number only when it differs from the announced one."
        ),
        example_rows=(
            {
                "half_year": "2025-H1",
                "revision": 1,
                "headline": 15000,
                "reference_date": datetime.date(2025, 4, 1),
                "source": "Staatscourant",
                "confidence": "H",
            },
        ),
    )
)


class NationalOutcomeRowForm(SourcedRowForm):
    half_year = HalfYearField(label=_("half-year"))
    task_including_carry_over = forms.IntegerField(
        label=_("task including carry-over"), min_value=0, required=False
    )
    housed = forms.IntegerField(label=_("housed"), min_value=0, required=False)

    field_order = ["half_year", "task_including_carry_over", "housed"]


NATIONAL_OUTCOMES = register(
    TableSpec(
        key="national-outcomes",
        title=_("National outcomes per half-year"),
        form_class=NationalOutcomeRowForm,
        model=NationalOutcome,
        key_columns=("half_year",),
    )
)


class ReportedTargetRowForm(MunicipalityRowForm):
    period = forms.RegexField(
        label=_("period"),
        regex=r"^\d{4}(-H[12])?$",
        error_messages={"invalid": _("Enter a year (2023) or a half-year (2024-H1).")},
    )
    revision = forms.IntegerField(label=_("revision"), min_value=0, max_value=99)
    target = forms.IntegerField(label=_("target"), min_value=0)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    field_order = ["municipality_code", "period", "revision", "target", "note"]


REPORTED_TARGETS = register(
    TableSpec(
        key="reported-targets",
        title=_("Published municipal targets"),
        form_class=ReportedTargetRowForm,
        model=ReportedTarget,
        key_columns=("municipality_code", "period", "revision"),
        area_columns=MUNICIPALITY,
    )
)


class OpeningBalanceRowForm(MunicipalityRowForm):
    half_year = HalfYearField(label=_("half-year"))
    balance = forms.IntegerField(label=_("balance"), help_text=_("Backlog positive, lead negative."))

    field_order = ["municipality_code", "half_year", "balance"]


OPENING_BALANCES = register(
    TableSpec(
        key="opening-balances",
        title=_("Opening balances (carry-over into the first half-year)"),
        form_class=OpeningBalanceRowForm,
        model=OpeningBalance,
        key_columns=("municipality_code", "half_year"),
        area_columns=MUNICIPALITY,
        help_text=_(
            "The backlog (positive) or lead (negative) at the start of the first half-year you track."
        ),
    )
)


class RealisationRowForm(MunicipalityRowForm):
    month = MonthField(label=_("month"))
    housed = forms.IntegerField(label=_("housed"), min_value=0)
    housed_minors = forms.IntegerField(label=_("of whom unaccompanied minors"), min_value=0, required=False)

    field_order = ["municipality_code", "month", "housed", "housed_minors"]

    def clean_housed_minors(self):
        return self.cleaned_data["housed_minors"] or 0

    def clean(self):
        data = super().clean()
        if data.get("housed") is not None and data.get("housed_minors", 0) > data["housed"]:
            self.add_error("housed_minors", ValidationError(_("Cannot be more than the number housed.")))
        municipality, month, housed = data.get("municipality_code"), data.get("month"), data.get("housed")
        if municipality is not None and month is not None and housed is not None:
            population = self._population(municipality, month)
            if population is not None and housed > population.population:
                self.add_error(
                    "housed",
                    ValidationError(
                        _(
                            "%(housed)s people housed in one month is more than %(name)s has inhabitants "
                            "(%(population)s on %(date)s): check the figure."
                        )
                        % {
                            "housed": housed,
                            "name": municipality.name,
                            "population": population.population,
                            "date": population.reference_date.strftime("%d-%m-%Y"),
                        }
                    ),
                )
        return data

    def _population(self, municipality: Area, month: datetime.date) -> PopulationFigure | None:
        """The municipality's last population count on or before the month (looked up once per file)."""
        key = ("realisation-population", municipality.pk)
        if key not in self.pending:
            self.pending[key] = list(
                PopulationFigure.objects.filter(area=municipality, is_demo=False).order_by("-reference_date")
            )
        return next((figure for figure in self.pending[key] if figure.reference_date <= month), None)


REALISATION = register(
    TableSpec(
        key="realisation",
        title=_("Status holders housed per month"),
        form_class=RealisationRowForm,
        model=HousingRealisation,
        key_columns=("municipality_code", "month"),
        area_columns=MUNICIPALITY,
        help_text=_("One row per municipality and month. Importing a month again replaces its figures."),
        example_rows=(
            {
                "municipality_code": "GM0177",
                "month": "2025-03",
                "housed": 7,
                "housed_minors": 1,
                "reference_date": datetime.date(2025, 4, 1),
                "source": "COA maandrapportage",
                "confidence": "H",
            },
        ),
    )
)
