"""Form helpers shared by the apps: NL Design System (Utrecht) classes on every widget."""

from django import forms
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator

WIDGET_CLASSES = {
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.SelectMultiple: "utrecht-select utrecht-select--html-select",
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    # Before RadioSelect: a CheckboxSelectMultiple is a RadioSelect too.
    forms.CheckboxSelectMultiple: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button utrecht-radio-button--html-input",
    forms.HiddenInput: "",
    forms.ClearableFileInput: "",
    forms.FileInput: "",
}


# The largest id a database column holds (64 bits). Django's "in" lookup passes larger ones on to the database,
# which fails (SQLite: OverflowError, PostgreSQL: out of range) instead of finding nothing.
LARGEST_ID = 2**63 - 1


# The whole numbers an integer column holds on both databases: PostgreSQL's (SQLite's are larger, so without these
# bounds a number would be stored there that PostgreSQL refuses, and a still larger one fail on both).
INTEGER_RANGE = (-(2**31), 2**31 - 1)
COLUMN_RANGES = {
    "SmallIntegerField": (-(2**15), 2**15 - 1),
    "PositiveSmallIntegerField": (0, 2**15 - 1),
    "IntegerField": INTEGER_RANGE,
    "PositiveIntegerField": (0, 2**31 - 1),
    "BigIntegerField": (-(2**63), 2**63 - 1),
    "PositiveBigIntegerField": (0, 2**63 - 1),
}


def column_range(model, name: str) -> tuple[int, int]:
    """The whole numbers the model's column ``name`` holds on both databases (an integer's, when it is no column)."""
    try:
        field = model._meta.get_field(name) if model is not None else None
    except FieldDoesNotExist:
        field = None
    return COLUMN_RANGES.get(field.get_internal_type(), INTEGER_RANGE) if field is not None else INTEGER_RANGE


def bound_numbers(form: forms.BaseForm, model=None) -> None:
    """Give every whole-number field of ``form`` the bounds of its column in ``model`` (an integer column's when it
    has none), unless it has tighter ones: a number out of range is then a field error, never a server error or a
    value one database stores and the other refuses."""
    for name, field in form.fields.items():
        if not isinstance(field, forms.IntegerField) or isinstance(
            field, forms.FloatField | forms.DecimalField
        ):
            continue
        low, high = column_range(model, name)
        shown = not isinstance(field.widget, forms.HiddenInput)
        if field.max_value is None or field.max_value > high:
            field.max_value = high
            field.validators.append(MaxValueValidator(high))
            if shown:
                field.widget.attrs["max"] = high
        if field.min_value is None or field.min_value < low:
            field.min_value = low
            field.validators.append(MinValueValidator(low))
            if shown:
                field.widget.attrs["min"] = low


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, with a number too large for any id refused as an unknown choice instead of a server error."""

    def _check_values(self, value):
        for item in value if isinstance(value, list | tuple) else [value]:
            text = str(item).strip()
            if text.lstrip("-").isdecimal() and abs(int(text)) > LARGEST_ID:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": text[:30]}
                )
        return super()._check_values(value)


class UtrechtForm:
    """Mixin: gives each widget its Utrecht class and the date/time inputs a native picker.

    A form that adds fields after ``__init__`` calls ``style_fields()`` again; it leaves styled widgets alone.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.style_fields()

    def style_fields(self):
        bound_numbers(self, getattr(getattr(self, "_meta", None), "model", None))
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (value for kind, value in WIDGET_CLASSES.items() if isinstance(widget, kind)),
                "utrecht-textbox utrecht-textbox--html-input",
            )
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            elif isinstance(widget, forms.DateTimeInput):
                widget.input_type = "datetime-local"
                widget.format = "%Y-%m-%dT%H:%M"
            elif isinstance(field, forms.IntegerField | forms.DecimalField) and css.startswith(
                "utrecht-textbox"
            ):
                # The right on-screen keyboard on a phone or tablet.
                widget.attrs.setdefault(
                    "inputmode", "decimal" if isinstance(field, forms.DecimalField) else "numeric"
                )
            classes = widget.attrs.get("class", "")
            if css and css.split()[0] not in classes.split():
                widget.attrs["class"] = f"{classes} {css}".strip()


class DescribedErrorsForm(UtrechtForm, forms.Form):
    """Links each field to its error message (and help text), so a screen reader reads both with the field."""

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name not in self.fields:
                continue
            field, bound = self.fields[name], self[name]
            described_by = [f"{bound.auto_id}_error"]
            if field.help_text:
                described_by.append(f"{bound.auto_id}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(described_by)
            # The Utrecht component's own invalid modifier: utrecht-textbox--invalid, utrecht-select--invalid, ...
            classes = field.widget.attrs.get("class", "")
            if classes:
                field.widget.attrs["class"] = f"{classes} {classes.split()[0]}--invalid"
