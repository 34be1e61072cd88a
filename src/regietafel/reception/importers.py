"""Importable tables of reception: tasks (Spreidingswet, Ukraine), locations, third-country nationals."""

import datetime
from types import MappingProxyType

from django import forms
from django.utils.translation import gettext_lazy as _

from regietafel.core.rows import DateField, DecimalField, SourcedRowForm
from regietafel.core.specs import MUNICIPALITY, TableSpec, register
from regietafel.housing.importers import MunicipalityRowForm
from regietafel.reception.models import (
    Cycle,
    Location,
    Programme,
    Rate,
    ReceptionTask,
    ThirdCountryNationalCount,
    ThirdCountryRule,
)
from regietafel.regions.models import Area


class ReceptionTaskRowForm(SourcedRowForm):
    area_code = forms.CharField(label=_("area code"), max_length=10)
    programme = forms.ChoiceField(label=_("programme"), choices=Programme.choices)
    measure = forms.ChoiceField(label=_("measure"), choices=ReceptionTask.Measure.choices)
    cycle = forms.IntegerField(label=_("cycle"), min_value=1, required=False)
    value = forms.DecimalField(label=_("value"), min_value=0, max_digits=12, decimal_places=4)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    field_order = ["area_code", "programme", "measure", "cycle", "value", "note"]

    def clean_area_code(self):
        return super().clean_area_code("area_code", tuple(Area.Kind.values))


RECEPTION_TASKS = register(
    TableSpec(
        key="reception-tasks",
        title=_("Reception tasks"),
        form_class=ReceptionTaskRowForm,
        model=ReceptionTask,
        key_columns=("area_code", "programme", "measure", "cycle", "reference_date"),
        area_columns=MappingProxyType({"area_code": "area"}),
    )
)


class LocationRowForm(MunicipalityRowForm):
    name = forms.CharField(label=_("name"), max_length=150)
    kind = forms.ChoiceField(label=_("type"), choices=Location.Kind.choices)
    capacity = forms.IntegerField(label=_("capacity"), min_value=0)
    occupancy = forms.IntegerField(label=_("occupancy"), min_value=0, required=False)
    start_date = DateField(label=_("start date"), required=False)
    end_date = DateField(label=_("end date"), required=False)

    field_order = ["municipality_code", "name", "kind", "capacity", "occupancy", "start_date", "end_date"]

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("The end date lies before the start date."))
        return data


LOCATIONS = register(
    TableSpec(
        key="locations",
        title=_("Reception locations"),
        form_class=LocationRowForm,
        model=Location,
        key_columns=("municipality_code", "name"),
        area_columns=MUNICIPALITY,
        help_text=_(
            "Types: azc, noodopvang, crisisnoodopvang, amv_kleinschalig, goo. A name is unique per municipality."
        ),
        example_rows=(
            {
                "municipality_code": "GM0193",
                "name": "azc Zwolle",
                "kind": "azc",
                "capacity": 400,
                "occupancy": 380,
                "start_date": datetime.date(2024, 1, 1),
                "reference_date": datetime.date(2025, 6, 1),
                "source": "COA",
                "confidence": "H",
            },
        ),
    )
)


class ThirdCountryNationalRowForm(MunicipalityRowForm):
    status = forms.ChoiceField(
        label=_("status"),
        choices=ThirdCountryNationalCount.Status.choices,
        required=False,
        help_text=_("Empty: in municipal reception."),
    )
    count = forms.IntegerField(label=_("number"), min_value=0)

    field_order = ["municipality_code", "status", "count"]

    def clean_status(self):
        return self.cleaned_data["status"] or ThirdCountryNationalCount.Status.IN_RECEPTION

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference_date"].required = True


THIRD_COUNTRY_NATIONALS = register(
    TableSpec(
        key="third-country-nationals",
        title=_("Third-country nationals (derdelanders) per status"),
        form_class=ThirdCountryNationalRowForm,
        model=ThirdCountryNationalCount,
        key_columns=("municipality_code", "reference_date", "status"),
        area_columns=MUNICIPALITY,
        help_text=_(
            "One row per municipality, date and status: how many derdelanders were in municipal reception, had "
            "responded, applied for asylum, returned, got another permit or left."
        ),
    )
)


class ThirdCountryRuleRowForm(SourcedRowForm):
    edition = forms.CharField(label=_("version"), max_length=100)
    valid_from = DateField(label=_("valid from"))
    cut_off = DateField(label=_("protection ends on"))
    description = forms.CharField(label=_("description"), required=False)

    field_order = ["edition", "valid_from", "cut_off", "description"]


THIRD_COUNTRY_RULES = register(
    TableSpec(
        key="third-country-rules",
        title=_("The state's rule for third-country nationals (cut-off dates)"),
        form_class=ThirdCountryRuleRowForm,
        model=ThirdCountryRule,
        key_columns=("valid_from",),
        help_text=_(
            "One row per version of the rule: from when it applied, and the date protection ends under it."
        ),
    )
)


class RateRowForm(SourcedRowForm):
    scheme = forms.ChoiceField(label=_("scheme"), choices=Rate.Scheme.choices)
    valid_from = DateField(label=_("valid from"))
    amount = DecimalField(label=_("amount (€)"), min_value=0, max_digits=9, decimal_places=2)
    condition = forms.CharField(label=_("condition"), max_length=200, required=False)

    field_order = ["scheme", "valid_from", "amount", "condition"]


RATES = register(
    TableSpec(
        key="rates",
        title=_("Reimbursement rates and incentives"),
        form_class=RateRowForm,
        model=Rate,
        key_columns=("scheme", "valid_from", "condition"),
        help_text=_(
            "One row per amount and the date it applies from: it applies until the next row of the same scheme. "
            "Expected reimbursements are computed from these rates and the places of the locations."
        ),
    )
)


class CycleRowForm(SourcedRowForm):
    programme = forms.ChoiceField(label=_("programme"), choices=Programme.choices)
    number = forms.IntegerField(label=_("cycle"), min_value=1, max_value=99)
    starts_on = DateField(label=_("starts on"))
    offers_until = DateField(label=_("offers until"), required=False)
    proposal_due = DateField(label=_("province's proposal due"), required=False)
    decision_on = DateField(label=_("minister's decision"), required=False)
    realise_by = DateField(label=_("places ready by"), required=False)
    incentive_per_place = DecimalField(
        label=_("incentive per place (€)"), min_value=0, max_digits=9, decimal_places=2, required=False
    )
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    field_order = [
        "programme",
        "number",
        "starts_on",
        "offers_until",
        "proposal_due",
        "decision_on",
        "realise_by",
        "incentive_per_place",
        "note",
    ]

    def clean(self):
        data = super().clean()
        dates = [
            data.get(name)
            for name in ("starts_on", "offers_until", "proposal_due", "decision_on", "realise_by")
        ]
        known = [day for day in dates if day]
        if known != sorted(known):
            self.add_error(
                "realise_by",
                _(
                    "The stages follow each other: start, offers, proposal, decision, places ready; check the dates."
                ),
            )
        return data


CYCLES = register(
    TableSpec(
        key="cycles",
        title=_("Spreidingswet cycles and their stages"),
        form_class=CycleRowForm,
        model=Cycle,
        key_columns=("programme", "number"),
        help_text=_(
            "One row per cycle: the dates of its stages. The numbers per municipality at each stage (offered, "
            "the province's proposal, the minister's decision) are reception tasks of that cycle."
        ),
    )
)
