"""Row forms: one Django form validates one row of an import file, so messages name the field."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import bound_numbers
from regietafel.core.models import Confidence
from regietafel.domain.targets import HalfYear

FALSE_WORDS = {"", "0", "false", "no", "nee", "onwaar"}
TRUE_WORDS = {"1", "true", "yes", "ja", "waar"}


class HalfYearField(forms.CharField):
    def clean(self, value):
        value = super().clean(value)
        if not value:
            return value
        try:
            return str(HalfYear.parse(value))
        except ValueError:
            raise ValidationError(_("Enter a half-year as 2024-H1 or 2024-H2."), code="half_year") from None


class MonthField(forms.DateField):
    """A month as 2025-03, 03-2025 or any date in it; stored as its first day."""

    input_formats = ["%Y-%m", "%m-%Y", "%Y-%m-%d", "%d-%m-%Y"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class DecimalField(forms.DecimalField):
    """A number as people write it: "81,5" and "1.234,5" (Dutch) or "81.5" (Excel, CSV), whatever the language.
    With a comma, the comma is the decimal sign and dots group thousands; without one, a dot is the decimal sign."""

    def to_python(self, value):
        text = str(value if value is not None else "").replace("\u00a0", "").replace(" ", "").strip()
        if "," in text:
            text = text.replace(".", "").replace(",", ".")
        return super().to_python(text)


class DateField(forms.DateField):
    input_formats = ["%Y-%m-%d", "%d-%m-%Y", "%Y-%m"]

    def to_python(self, value):
        if isinstance(value, datetime.datetime):
            return value.date()
        return super().to_python(value)


class RowForm(forms.Form):
    """One row of an import file; knows the areas by CBS code (and those earlier rows of the file create)."""

    # The model the rows are written to (``TableSpec`` sets it): numbers are bounded to its columns.
    model = None

    def __init__(self, *args, areas=None, pending=None, **kwargs):
        super().__init__(*args, **kwargs)
        bound_numbers(self, self.model)
        self.areas = areas or {}
        # What earlier rows of the same file say about areas, keyed by (CBS code, attribute): the areas they create
        # or change, so later rows may refer to them and may not contradict them. A row form may also keep what it
        # looked up there (keyed by a tuple that starts with its own name), so that a file asks the database once.
        self.pending = pending if pending is not None else {}

    def clean_area_code(self, field: str, kinds: tuple[str, ...]):
        code = self.cleaned_data[field].strip().upper()
        area = self.areas.get(code)
        if area is None or area.kind not in kinds:
            raise ValidationError(_("Unknown code %(code)s."), params={"code": code}, code="unknown_area")
        return area


class SourcedRowForm(RowForm):
    """Columns every sourced figure has. Demo figures come from the generator only, never from a file."""

    reference_date = DateField(label=_("reference date"), required=False)
    source = forms.CharField(label=_("source"), max_length=300)
    confidence = forms.ChoiceField(label=_("confidence"), choices=Confidence.choices, required=False)
    is_demo = forms.CharField(label=_("demo data"), required=False)

    def clean_confidence(self):
        return self.cleaned_data["confidence"] or Confidence.HIGH

    def clean_is_demo(self):
        value = str(self.cleaned_data["is_demo"]).strip().lower()
        if value in TRUE_WORDS:
            raise ValidationError(
                _("Demo data cannot be imported as sourced figures; remove this row or load real figures."),
                code="demo",
            )
        if value not in FALSE_WORDS:
            raise ValidationError(_("Enter true or false."), code="boolean")
        return False
