from django import forms
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import DescribedErrorsForm
from regietafel.core.rows import DecimalField
from regietafel.indicators.importers import CODE, check_definition
from regietafel.indicators.models import Domain, Indicator


class IndicatorForm(DescribedErrorsForm):
    code = forms.RegexField(
        label=_("Code"),
        max_length=40,
        regex=CODE,
        help_text=_(
            "Capitals, digits and hyphens, e.g. ZRG-HUISARTS; it identifies the indicator in imports."
        ),
        error_messages={"invalid": _("Capitals, digits and hyphens.")},
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    explanation = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is measured and why it matters; say so when there is no official norm."),
    )
    domain = forms.ModelChoiceField(Domain.objects.all(), label=_("Domain"), empty_label=None)
    unit = forms.ChoiceField(label=_("Unit"), choices=Indicator.Unit.choices)
    direction = forms.ChoiceField(label=_("Direction"), choices=Indicator.Direction.choices)
    level = forms.ChoiceField(label=_("Measured per"), choices=Indicator.Level.choices)
    periodicity = forms.ChoiceField(label=_("Periodicity"), choices=Indicator.Periodicity.choices)
    good_threshold = DecimalField(
        label=_("Good from"),
        max_digits=12,
        decimal_places=4,
        required=False,
        help_text=_("At or above this value (at or below when lower is better) the status is good."),
    )
    poor_threshold = DecimalField(
        label=_("Poor beyond"),
        max_digits=12,
        decimal_places=4,
        required=False,
        help_text=_(
            "Below this value (above when lower is better) the status is poor; in between: attention."
        ),
    )
    norm = forms.CharField(
        label=_("Official norm"),
        max_length=300,
        required=False,
        help_text=_("Only a norm set by law or an authority; leave empty when there is none."),
    )
    norm_source = forms.CharField(label=_("Source of the norm"), max_length=300, required=False)
    expected_source = forms.CharField(
        label=_("Expected source of the figures"), max_length=300, required=False
    )
    is_active = forms.BooleanField(label=_("In use"), required=False, initial=True)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    FIELDS = [
        "code", "name", "explanation", "domain", "unit", "direction", "level", "periodicity", "good_threshold",
        "poor_threshold", "norm", "norm_source", "expected_source", "is_active",
    ]  # fmt: skip

    def __init__(self, *args, indicator: Indicator | None = None, **kwargs):
        if indicator is not None:
            kwargs.setdefault(
                "initial",
                {**{name: getattr(indicator, name) for name in self.FIELDS}, "version": indicator.version},
            )
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        check_definition(self, data)
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class DomainForm(DescribedErrorsForm):
    name = forms.CharField(label=_("Name"), max_length=100)
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Lower-case letters, digits and underscores, e.g. housing_quality; used in imports."),
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if Domain.objects.filter(code=code).exists():
            raise forms.ValidationError(_("This code is taken."), code="taken")
        return code
