from django import forms
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import ModelMultipleChoiceField, UtrechtForm
from regietafel.core.models import Theme
from regietafel.organisations.models import Contact, Organisation
from regietafel.regions.models import Area


class MunicipalityChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class MunicipalityMultipleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, obj: Area) -> str:
        return obj.name


class OrganisationForm(UtrechtForm, forms.ModelForm):
    """An organisation's details; the service saves them and refuses an edit based on an older version."""

    municipality = MunicipalityChoiceField(
        label=_("Area it governs"),
        queryset=Area.objects.filter(kind__in=[Area.Kind.MUNICIPALITY, Area.Kind.PROVINCE]).order_by(
            "kind", "name"
        ),
        required=False,
        empty_label=_("none"),
        help_text=_("Only for a municipality (its municipality) or a province (its province)."),
    )
    themes = ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    works_in = MunicipalityMultipleChoiceField(
        label=_("Works in"),
        queryset=Area.objects.municipalities().order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("For example https://www.example.org"),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Organisation
        fields = Organisation.WRITABLE
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "organization"}),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, may_define_scope: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version
            if not may_define_scope:
                # What decides what the organisation's users may see: shown, changed by a beheerder only.
                for name in ("kind", "municipality"):
                    self.fields[name].disabled = True
                    self.fields[name].help_text = _("Only a beheerder changes this.")

    def clean(self):
        data = super().clean()
        governs, kind = data.get("municipality"), data.get("kind")
        if governs and governs.kind == Area.Kind.MUNICIPALITY and kind != Organisation.Kind.MUNICIPALITY:
            self.add_error(
                "municipality", _("Only an organisation of type municipality can govern a municipality.")
            )
        if governs and governs.kind == Area.Kind.PROVINCE and kind != Organisation.Kind.PROVINCE:
            self.add_error("municipality", _("Only an organisation of type province can govern a province."))
        return data


class ContactForm(UtrechtForm, forms.ModelForm):
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone"]
        widgets = {
            "name": forms.TextInput(attrs={"autocomplete": "name"}),
            "role": forms.TextInput(attrs={"autocomplete": "organization-title"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
        }
        help_texts = {"email": _("Work contact details only.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["version"] = self.instance.version


class PartnerFilterForm(UtrechtForm, forms.Form):
    """Filters of the list and the matrix; a value that is not valid is reported and then ignored.

    The field names are the query parameters, Dutch like the monitor's (?regio=, ?halfjaar=).
    """

    soort = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("all types")), *Organisation.Kind.choices],
    )
    thema = forms.ModelChoiceField(
        label=_("Theme"),
        required=False,
        queryset=Theme.objects.order_by("name"),
        to_field_name="slug",
        empty_label=_("all themes"),
    )
    gemeente = MunicipalityChoiceField(
        label=_("Municipality"),
        required=False,
        queryset=Area.objects.municipalities().order_by("name"),
        to_field_name="code",
        empty_label=_("all municipalities"),
    )

    def __init__(self, *args, municipalities=None, **kwargs):
        super().__init__(*args, **kwargs)
        if municipalities is None:
            del self.fields["gemeente"]
        else:
            self.fields["gemeente"].queryset = municipalities

    def filters(self) -> dict:
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields}
