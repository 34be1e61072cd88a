"""Form helpers shared by the apps: NL Design System (Utrecht) classes on every widget."""

from django import forms

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


class UtrechtForm:
    """Mixin: gives each widget its Utrecht class and the date/time inputs a native picker."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
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
            if css:
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
