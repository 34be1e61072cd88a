"""Row forms: one Django form validates one row of an import file, so messages name the field."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import bound_numbers
from regietafel.core.models import Confidence
from regietafel.core.sources import Sources
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
    """Columns every sourced figure has. Demo figures come from the generator only, never from a file.

    A row cites its source by name (``core.sources``): a known source however it is spelled, or a new one with its
    confidence (medium when the row does not say). A new name that resembles a known one is refused, so one source is never cited two ways; how sure
    a known source is belongs to the source (the table Sources), not to a figure."""

    reference_date = DateField(label=_("reference date"), required=False)
    source = forms.CharField(label=_("source"), max_length=300)
    confidence = forms.ChoiceField(label=_("confidence"), choices=Confidence.choices, required=False)
    is_demo = forms.CharField(label=_("demo data"), required=False)

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("source")
        if not name or "confidence" not in cleaned:
            return cleaned
        sources = Sources.of(self.pending)
        confidence = cleaned["confidence"]
        known = sources.known(name)
        if known is not None:
            if confidence and confidence != known.confidence:
                self.add_error("confidence", _confidence_differs(known.name, known.confidence))
            cleaned["source"], cleaned["confidence"] = known.name, known.confidence
            return cleaned
        close = sources.resembles(name)
        if close is not None:
            self.add_error(
                "source",
                _(
                    "“%(name)s” looks like the known source “%(known)s”. Cite it exactly as that one; if it is "
                    "another source, add it first in the table Sources."
                )
                % {"name": name, "known": close},
            )
            return cleaned
        # A new source that does not say how sure it is, is medium until someone says otherwise on the source: the
        # preview lists it with its confidence (``Sources.introduced``). Later rows of the file cite it as the first.
        first = sources.first(name)
        first_name, first_confidence = first or sources.introduce(name, confidence or Confidence.MEDIUM)
        confidence = confidence or first_confidence
        if first_confidence != confidence:
            self.add_error("confidence", _confidence_differs(first_name, first_confidence))
        cleaned["source"], cleaned["confidence"] = first_name, first_confidence
        return cleaned

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


def _confidence_differs(name: str, confidence: str) -> str:
    return _(
        "The source “%(name)s” has confidence %(confidence)s; a figure cannot say otherwise. Change it on the "
        "source (table Sources) if it is wrong."
    ) % {"name": name, "confidence": confidence}
