from django import forms
from django.utils.translation import gettext_lazy as _

from regietafel.conditions.models import Condition
from regietafel.core.forms import DescribedErrorsForm
from regietafel.core.models import Theme
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area


class ConditionForm(DescribedErrorsForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    theme = forms.ModelChoiceField(
        Theme.objects.all(),
        label=_("Choose a theme"),
        required=False,
        empty_label=_("(none of these)"),
    )
    new_theme = forms.CharField(
        label=_("or type a new theme"),
        required=False,
        max_length=100,
        help_text=_("Type a name when none of the themes fits; it is added to the list of themes."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=Condition.Status.choices)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        help_text=_("The situation in the region: why this condition is needed."),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    what_we_ask = forms.CharField(
        label=_("What we ask of the state"),
        help_text=_("The request itself: what the state should arrange, pay or allow."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    owner = forms.ModelChoiceField(
        Organisation.objects.all(),
        label=_("Owner (organisation)"),
        required=False,
        empty_label=_("(none)"),
    )
    owner_name = forms.CharField(
        label=_("Owner (person)"),
        required=False,
        max_length=150,
        help_text=_("Who carries this condition, for example a portfolio holder of the table."),
    )
    region = forms.ModelChoiceField(
        Area.objects.regions(),
        label=_("Region"),
        empty_label=None,
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, condition: Condition | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if condition is not None:
            self.initial.update(
                {
                    "title": condition.title,
                    "theme": condition.theme_id,
                    "status": condition.status,
                    "description": condition.description,
                    "what_we_ask": condition.what_we_ask,
                    "owner": condition.owner_id,
                    "owner_name": condition.owner_name,
                    "region": condition.region_id,
                    "version": condition.version,
                }
            )
            self.fields["version"].required = True

    def clean(self):
        data = super().clean()
        theme, new_theme = data.get("theme"), (data.get("new_theme") or "").strip()
        if theme and new_theme:
            self.add_error("new_theme", _("Choose a theme from the list or type a new one, not both."))
        elif not theme and not new_theme and "new_theme" not in self.errors:
            self.add_error("theme", _("Choose a theme or type the name of a new one."))
        return data

    def values(self) -> dict:
        """The keyword arguments of services.save_condition: a typed theme name is passed as text."""
        data = self.cleaned_data
        return {
            "title": data["title"],
            "theme": data["theme"] or data["new_theme"],
            "status": data["status"],
            "description": data["description"],
            "what_we_ask": data["what_we_ask"],
            "owner": data["owner"],
            "owner_name": data["owner_name"],
            "region": data["region"],
        }


class StatusForm(DescribedErrorsForm):
    status = forms.ChoiceField(
        label=_("New status"),
        choices=Condition.Status.choices,
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        help_text=_("Why the status changes, for example the talks or the letter it follows from."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
