from django import forms

from regietafel.core.forms import DescribedErrorsForm
from regietafel.notifications.models import Kind, Mode


class PreferencesForm(DescribedErrorsForm):
    """One choice per kind of event: immediately, daily digest or off."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Mode.choices, initial=current[kind.value], widget=forms.RadioSelect
            )
        self.style_fields()
