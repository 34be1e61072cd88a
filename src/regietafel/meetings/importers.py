"""Importable tables of the table's own work: the register of signals, as a region kept it before (a spreadsheet)."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regietafel.core.rows import DateField, RowForm
from regietafel.core.specs import TableSpec, register
from regietafel.meetings.models import Signal
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area


class SignalRowForm(RowForm):
    title = forms.CharField(label=pgettext_lazy("topic", "Subject"), max_length=200)
    description = forms.CharField(label=_("description"))
    raised_by = forms.CharField(label=_("raised by"), max_length=150, help_text=_("The organisation's name."))
    raised_on = DateField(label=_("raised on"))
    urgency = forms.ChoiceField(label=_("urgency"), choices=Signal.Urgency.choices)
    group = forms.ChoiceField(label=_("group concerned"), choices=Signal.Group.choices)
    municipality_codes = forms.CharField(
        label=_("municipalities concerned"),
        required=False,
        help_text=_("CBS codes separated by spaces or commas; empty: the region as a whole."),
    )
    status = forms.ChoiceField(label=_("status"), choices=Signal.Status.choices)
    outcome = forms.CharField(label=_("outcome"), required=False)
    closed_on = DateField(label=_("closed on"), required=False)

    field_order = [
        "title",
        "description",
        "raised_by",
        "raised_on",
        "urgency",
        "group",
        "municipality_codes",
        "status",
        "outcome",
        "closed_on",
    ]

    def clean_raised_by(self):
        name = self.cleaned_data["raised_by"].strip()
        key = ("signals", "organisations")
        if key not in self.pending:
            self.pending[key] = {
                organisation.name.casefold(): organisation for organisation in Organisation.objects.all()
            }
        organisation = self.pending[key].get(name.casefold())
        if organisation is None:
            raise ValidationError(
                _("%(name)s is not a known organisation: add it first under Partners.") % {"name": name}
            )
        return organisation

    def clean_municipality_codes(self):
        codes = self.cleaned_data["municipality_codes"].replace(",", " ").upper().split()
        unknown = [
            code for code in codes if getattr(self.areas.get(code), "kind", None) != Area.Kind.MUNICIPALITY
        ]
        if unknown:
            raise ValidationError(_("Unknown code %(code)s.") % {"code": ", ".join(unknown)})
        return " ".join(sorted(set(codes)))

    def clean(self):
        data = super().clean()
        closed = data.get("status") == Signal.Status.CLOSED
        if closed and not (data.get("outcome") and data.get("closed_on")):
            self.add_error("outcome", _("A closed signal has its outcome and the date it closed."))
        if not closed and data.get("closed_on"):
            self.add_error("closed_on", _("Only a closed signal has a date it closed."))
        if data.get("closed_on") and data.get("raised_on") and data["closed_on"] < data["raised_on"]:
            self.add_error("closed_on", _("A signal closes after it was raised."))
        return data


def _record(data: dict) -> dict:
    return {name: data[name] for name in SignalRowForm.field_order if name != "municipality_codes"}


def _row(signal: Signal) -> dict:
    return {
        "title": signal.title,
        "description": signal.description,
        "raised_by": signal.raised_by.name,
        "raised_on": signal.raised_on,
        "urgency": signal.urgency,
        "group": signal.group,
        "municipality_codes": " ".join(sorted(area.code for area in signal.municipalities.all())),
        "status": signal.status,
        "outcome": signal.outcome,
        "closed_on": signal.closed_on,
    }


def _municipalities(signal: Signal, data: dict) -> None:
    signal.municipalities.set(Area.objects.filter(code__in=data["municipality_codes"].split()))


SIGNALS = register(
    TableSpec(
        key="signals",
        title=_("Signals raised at the table"),
        form_class=SignalRowForm,
        model=Signal,
        key_columns=("raised_by", "raised_on", "title"),
        to_record=_record,
        to_row=_row,
        after_save=_municipalities,
        example_rows=(
            {
                "title": "Noodklok AMV-opvang",
                "description": "Binnen zes weken geen plek voor twintig AMV in de regio.",
                "raised_by": "Nidos",
                "raised_on": datetime.date(2025, 3, 1),
                "urgency": "urgent",
                "group": "minors",
                "municipality_codes": "GM0177 GM0193",
                "status": "closed",
                "outcome": "Twintig extra plekken in Zwolle.",
                "closed_on": datetime.date(2025, 4, 15),
            },
        ),
        export_queryset=lambda: Signal.objects.select_related("raised_by").prefetch_related("municipalities"),
        help_text=_(
            "The register of signals a region kept before, one row per signal: who raised it, when, how urgent, "
            "for whom, and how it ended. Imported signals tell nobody: they are history."
        ),
    )
)
