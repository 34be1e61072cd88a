"""Importable tables of the housing task: national numbers, outcomes, published targets, balances, realisation."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regietafel.core.rows import HalfYearField, MonthField, SourcedRowForm
from regietafel.core.specs import MUNICIPALITY, TableSpec, register
from regietafel.housing.models import (
    CorporationAgreement,
    HousingRealisation,
    NationalOutcome,
    NationalTarget,
    OpeningBalance,
    ReportedTarget,
    SupervisionPlacement,
    SupervisionStep,
)
from regietafel.organisations.models import Organisation
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
        example_rows=(
            {
                "municipality_code": "GM0177",
                "half_year": "2018-H1",
                "balance": 3,
                "reference_date": datetime.date(2018, 1, 1),
                "source": "Provincie Overijssel, stand taakstelling",
                "confidence": "H",
            },
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
        """The municipality's last population count on or before the month (all municipalities' counts are read
        once per file)."""
        key = ("realisation-population",)
        if key not in self.pending:
            counts: dict[int, list[PopulationFigure]] = {}
            for figure in PopulationFigure.objects.filter(
                area__kind=Area.Kind.MUNICIPALITY, is_demo=False
            ).order_by("-reference_date"):
                counts.setdefault(figure.area_id, []).append(figure)
            self.pending[key] = counts
        counts = self.pending[key].get(municipality.pk, ())
        return next((figure for figure in counts if figure.reference_date <= month), None)


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


class SupervisionStepRowForm(SourcedRowForm):
    province_code = forms.CharField(label=_("province code"), max_length=10)
    order = forms.IntegerField(label=_("step"), min_value=0, max_value=20)
    name = forms.CharField(label=_("name"), max_length=100)
    description = forms.CharField(label=_("description"), required=False)
    threshold = forms.IntegerField(label=_("proposed after missed half-years"), min_value=0, required=False)

    field_order = ["province_code", "order", "name", "description", "threshold"]

    def clean_province_code(self):
        return self.clean_area_code("province_code", (Area.Kind.PROVINCE,))


SUPERVISION_STEPS = register(
    TableSpec(
        key="supervision-steps",
        title=_("Supervision ladder (steps per province)"),
        form_class=SupervisionStepRowForm,
        model=SupervisionStep,
        key_columns=("province_code", "order"),
        area_columns={"province_code": "province"},
        help_text=_(
            "The steps of the province's intervention ladder for the housing task, in its own words, from its "
            "policy framework. A step with a number of missed half-years is proposed when a municipality misses its "
            "target that many half-years in a row."
        ),
        example_rows=(
            {
                "province_code": "PV23",
                "order": 1,
                "name": "Ambtelijk gesprek",
                "threshold": 1,
                "reference_date": datetime.date(2024, 1, 1),
                "source": "Beleidskader interbestuurlijk toezicht",
                "confidence": "M",
            },
        ),
    )
)


class SupervisionPlacementRowForm(MunicipalityRowForm):
    since = forms.DateField(label=_("since"), input_formats=["%Y-%m-%d", "%d-%m-%Y"])
    step = forms.IntegerField(label=_("step"), min_value=0, max_value=20)
    occasion = forms.ChoiceField(label=_("occasion"), choices=SupervisionPlacement.Occasion.choices)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    field_order = ["municipality_code", "since", "step", "occasion", "note"]

    def clean(self):
        data = super().clean()
        municipality, order = data.get("municipality_code"), data.get("step")
        if municipality is None or order is None:
            return data
        province = municipality.province
        key = ("supervision-steps", province.pk if province else None)
        if key not in self.pending:
            self.pending[key] = (
                {step.order: step for step in SupervisionStep.objects.filter(province=province)}
                if province
                else {}
            )
        step = self.pending[key].get(order)
        if step is None:
            self.add_error(
                "step",
                ValidationError(
                    _("%(province)s has no step %(order)s on its ladder: import the table of steps first.")
                    % {"province": province.name if province else municipality.name, "order": order}
                ),
            )
        else:
            data["ladder_step"] = step  # the column keeps the number, as the stored record reads back
        return data


def _placement_record(data: dict) -> dict:
    return {
        "municipality": data["municipality_code"],
        "since": data["since"],
        "step": data["ladder_step"],
        "occasion": data["occasion"],
        "note": data["note"],
        "reference_date": data["reference_date"],
        "source": data["source"],
        "confidence": data["confidence"],
        "is_demo": False,
    }


def _placement_row(placement: SupervisionPlacement) -> dict:
    return {
        "municipality_code": placement.municipality.code,
        "since": placement.since,
        "step": placement.step.order,
        "occasion": placement.occasion,
        "note": placement.note,
        "reference_date": placement.reference_date,
        "source": placement.source,
        "confidence": placement.confidence,
        "is_demo": placement.is_demo,
    }


SUPERVISION_PLACEMENTS = register(
    TableSpec(
        key="supervision-placements",
        title=_("Supervision: the step each municipality is on"),
        form_class=SupervisionPlacementRowForm,
        model=SupervisionPlacement,
        key_columns=("municipality_code", "since"),
        area_columns=MUNICIPALITY,
        to_record=_placement_record,
        to_row=_placement_row,
        example_rows=(
            {
                "municipality_code": "GM0177",
                "since": datetime.date(2025, 9, 1),
                "step": 1,
                "occasion": "talk",
                "note": "Ambtelijk gesprek over de achterstand",
                "reference_date": datetime.date(2025, 9, 1),
                "source": "Brief GS Overijssel aan het college van Raalte",
                "confidence": "H",
            },
        ),
        export_queryset=lambda: SupervisionPlacement.objects.select_related("municipality", "step"),
        help_text=_(
            "One row per decision of the province: from the date given, the municipality is on that step of its "
            "province's ladder. The source is the letter, talk or decision."
        ),
    )
)


class CorporationAgreementRowForm(MunicipalityRowForm):
    corporation = forms.CharField(label=_("housing corporation"), max_length=150)
    year = forms.IntegerField(label=_("year"), min_value=2014, max_value=2100)
    homes = forms.IntegerField(label=_("homes agreed"), min_value=0)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    field_order = ["corporation", "municipality_code", "year", "homes", "note"]

    def clean_corporation(self):
        name = self.cleaned_data["corporation"].strip()
        key = ("corporation-agreements", "corporations")
        if key not in self.pending:
            self.pending[key] = {
                corporation.name.casefold(): corporation
                for corporation in Organisation.objects.filter(kind=Organisation.Kind.HOUSING_CORPORATION)
            }
        corporation = self.pending[key].get(name.casefold())
        if corporation is None:
            raise ValidationError(
                _(
                    "%(name)s is not a known housing corporation: add it first under Partners, as a housing corporation."
                )
                % {"name": name}
            )
        return corporation


CORPORATION_AGREEMENTS = register(
    TableSpec(
        key="corporation-agreements",
        title=_("Agreements with housing corporations (homes for status holders per year)"),
        form_class=CorporationAgreementRowForm,
        model=CorporationAgreement,
        key_columns=("corporation", "municipality_code", "year"),
        area_columns=MUNICIPALITY,
        to_row=lambda agreement: {
            "corporation": agreement.corporation.name,
            "municipality_code": agreement.municipality.code,
            "year": agreement.year,
            "homes": agreement.homes,
            "note": agreement.note,
            "reference_date": agreement.reference_date,
            "source": agreement.source,
            "confidence": agreement.confidence,
            "is_demo": agreement.is_demo,
        },
        export_queryset=lambda: CorporationAgreement.objects.select_related("corporation", "municipality"),
        example_rows=(
            {
                "corporation": "Sallandwonen",
                "municipality_code": "GM0177",
                "year": 2026,
                "homes": 12,
                "reference_date": datetime.date(2026, 1, 15),
                "source": "Prestatieafspraken Raalte 2026",
                "confidence": "M",
            },
        ),
        help_text=_(
            "One row per corporation, municipality and year: the number of homes for status holders agreed in the "
            "performance agreements. What was delivered is counted from the homes in the matching pipeline whose "
            "owner names the corporation."
        ),
    )
)
