from django import forms
from django.utils.translation import gettext_lazy as _

from regietafel.access.scope import own_area_ids
from regietafel.core.forms import UtrechtForm
from regietafel.persons.models import Household, Tie
from regietafel.regions.models import Area, Place


class HouseholdForm(UtrechtForm, forms.ModelForm):
    """The household; ``services.save_household`` writes it, never ``form.save()``."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Household
        fields = Household.WRITABLE
        widgets = {"linked_on": forms.DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Area.objects.municipalities().order_by("name")
        allowed = own_area_ids(user)
        if allowed is not None:
            municipalities = municipalities.filter(pk__in=allowed)
        self.fields["municipality"].queryset = municipalities
        if allowed is not None and len(allowed) == 1:
            self.fields["municipality"].initial = next(iter(allowed))
        self.fields["v_number"].widget.attrs["autocomplete"] = "off"
        self.fields["v_number"].widget.attrs["inputmode"] = "numeric"
        if self.instance.pk:
            self.initial["version"] = self.instance.version

    def clean(self):
        data = super().clean()
        if data.get("adults") == 0 and data.get("children") == 0:
            self.add_error("adults", _("A household has at least one person."))
        ages = [age for age in (data.get("member_ages") or "").replace(" ", "").split(",") if age]
        size = (data.get("adults") or 0) + (data.get("children") or 0)
        if ages and len(ages) != size:
            self.add_error(
                "member_ages",
                _("Give one age per member: %(count)s ages for %(size)s members.")
                % {"count": len(ages), "size": size},
            )
        if data.get("nidos") and not data.get("is_amv"):
            self.add_error("nidos", _("Only an unaccompanied minor has Nidos as guardian."))
        return data


class TieForm(UtrechtForm, forms.ModelForm):
    class Meta:
        model = Tie
        fields = ["kind", "place"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["place"].queryset = Place.objects.select_related("municipality").order_by("name")
        self.fields["place"].label_from_instance = lambda place: f"{place.name} ({place.municipality.name})"


# At most six ties, also in what a post claims: without ``absolute_max`` a post saying it holds a million forms gets a
# thousand forms back (Django's default bound), each rendered with its choices: seconds of work per request.
TieFormSet = forms.inlineformset_factory(
    Household, Tie, form=TieForm, extra=2, max_num=6, absolute_max=6, validate_max=True, can_delete=True
)


class FilterForm(UtrechtForm, forms.Form):
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"), queryset=Area.objects.none(), required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["gemeente"].queryset = municipalities
        self.fields["gemeente"].to_field_name = "code"
        self.fields["status"].choices = [("", _("All")), *Household.Status.choices]

    def filter(self, queryset):
        if self.is_valid():
            if area := self.cleaned_data.get("gemeente"):
                queryset = queryset.filter(municipality=area)
            if status := self.cleaned_data.get("status"):
                queryset = queryset.filter(status=status)
        return queryset
