from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import UtrechtForm
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import announced_half_years, default_half_year
from regietafel.regions.models import Area
from regietafel.reports.models import ReportJob


class RegionField(forms.ModelChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            Area.objects.regions().order_by("name"), to_field_name="code", label=_("Region"), **kwargs
        )


class AreaField(forms.ModelChoiceField):
    """A region, or a province or the country whose report adds its regions up."""

    def __init__(self, **kwargs):
        super().__init__(
            Area.objects.overviews().order_by("kind", "name"),
            to_field_name="code",
            label=_("Region"),
            **kwargs,
        )


class MonitorForm(UtrechtForm, forms.Form):
    region = AreaField()
    reference_date = forms.DateField(label=_("Reference date"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].initial = settings.REGIETAFEL_DEFAULT_REGION
        self.fields["reference_date"].initial = timezone.localdate()


class LettersForm(UtrechtForm, forms.Form):
    region = RegionField()
    half_year = forms.CharField(label=_("Half-year"), max_length=7, help_text=_("As 2024-H1 or 2024-H2."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].initial = settings.REGIETAFEL_DEFAULT_REGION
        # The half-year the overview opens on: the latest with a national number up to today.
        latest = default_half_year(announced_half_years(), timezone.localdate())
        self.fields["half_year"].initial = str(latest or HalfYear.containing(timezone.localdate()))

    def clean_half_year(self) -> HalfYear:
        try:
            return HalfYear.parse(self.cleaned_data["half_year"].strip())
        except ValueError:
            raise forms.ValidationError(_("Write the half-year as 2024-H1 or 2024-H2.")) from None


KIND_FORMS = {ReportJob.Kind.MONITOR: MonitorForm, ReportJob.Kind.LETTERS: LettersForm}
