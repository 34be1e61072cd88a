from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import UtrechtForm
from regietafel.housing.models import SupervisionPlacement


class AgreementForm(UtrechtForm, forms.Form):
    """Agreed targets for every municipality of a region in one half-year (art. 29 lid 2)."""

    agreed_on = forms.DateField(label=_("Agreed on"))
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_("For example: decision of the steering table of 14 July 2023."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason for changing a locked half-year"),
        max_length=300,
        required=False,
        help_text=_("Only needed when the half-year is locked."),
    )

    def __init__(self, *args, municipalities, agreement, statutory, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = municipalities
        agreed = {t.municipality_id: t.target for t in agreement.targets.all()} if agreement else {}
        if agreement:
            self.initial.update(
                {
                    "agreed_on": agreement.agreed_on,
                    "source": agreement.source,
                    "note": agreement.note,
                    "version": agreement.version,
                }
            )
        else:
            self.initial["agreed_on"] = timezone.localdate()
        for municipality in municipalities:
            figure = statutory[municipality.code]
            self.fields[f"target_{municipality.code}"] = forms.IntegerField(
                label=municipality.name, min_value=0, required=True
            )
            self.initial[f"target_{municipality.code}"] = agreed.get(municipality.pk, figure.value)

    def targets(self) -> dict[str, int]:
        return {m.code: self.cleaned_data[f"target_{m.code}"] for m in self.municipalities}


class SupervisionForm(UtrechtForm, forms.Form):
    """The province's decision about one municipality: the step of its ladder, from which day, and the letter or
    talk it came with."""

    step = forms.ModelChoiceField(label=_("Step"), queryset=None, empty_label=None)
    since = forms.DateField(label=_("Since"), help_text=_("The date of the province's letter or decision."))
    occasion = forms.ChoiceField(label=_("Occasion"), choices=SupervisionPlacement.Occasion.choices)
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        help_text=_(
            "The letter, talk or decision, as you would cite it: for example “Brief GS Overijssel, 3 maart 2025”."
        ),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, ladder, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["step"].queryset = ladder
        if not self.is_bound:
            self.initial.setdefault("since", timezone.localdate())
