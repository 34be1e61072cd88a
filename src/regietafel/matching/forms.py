from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regietafel.access.scope import own_area_ids
from regietafel.core.forms import UtrechtForm
from regietafel.matching.models import Dwelling
from regietafel.regions.models import Area, Place


class DwellingForm(UtrechtForm, forms.ModelForm):
    """A home; ``services.save_dwelling`` writes it."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Dwelling
        fields = Dwelling.WRITABLE
        widgets = {"available_on": forms.DateInput, "reference_date": forms.DateInput}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Area.objects.municipalities().order_by("name")
        allowed = own_area_ids(user)
        if allowed is not None:
            municipalities = municipalities.filter(pk__in=allowed)
        self.fields["municipality"].queryset = municipalities
        places = Place.objects.select_related("municipality").order_by("municipality__name", "name")
        if allowed is not None:
            places = places.filter(municipality__in=allowed)
        self.fields["place"].queryset = places
        self.fields["place"].label_from_instance = lambda place: f"{place.name} ({place.municipality.name})"
        if self.instance.pk:
            self.initial["version"] = self.instance.version
        # Offered and let follow from the pipeline; here a home is made available or withdrawn.
        editable = {Dwelling.Status.AVAILABLE, Dwelling.Status.WITHDRAWN, self.instance.status}
        self.fields["status"].choices = [c for c in Dwelling.Status.choices if c[0] in editable]

    def clean(self):
        data = super().clean()
        place, municipality = data.get("place"), data.get("municipality")
        if place and municipality and place.municipality_id != municipality.pk:
            self.add_error("place", _("This place lies in another municipality."))
        if data.get("sharing_allowed") and data.get("rooms") == 0:
            self.add_error("sharing_allowed", _("Sharing needs at least one bedroom per person."))
        return data


class RunForm(UtrechtForm, forms.Form):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Area.objects.none(),
        required=False,
        empty_label=_("All municipalities of the region"),
    )
    available_before = forms.DateField(
        label=_("Homes available before"),
        help_text=_("Only homes available on or before this date are proposed."),
    )
    across_municipalities = forms.BooleanField(
        label=_("Across municipalities (agreed redistribution, art. 29 lid 2)"), required=False
    )

    def __init__(self, *args, user, region: Area, **kwargs):
        super().__init__(*args, **kwargs)
        municipalities = Area.objects.in_region(region).order_by("name")
        allowed = own_area_ids(user)
        if allowed is not None:
            municipalities = municipalities.filter(pk__in=allowed)
            self.fields["municipality"].required = True
            self.fields["municipality"].empty_label = None
            del self.fields["across_municipalities"]
        self.fields["municipality"].queryset = municipalities
        self.fields["available_before"].initial = timezone.localdate() + timezone.timedelta(weeks=4)
