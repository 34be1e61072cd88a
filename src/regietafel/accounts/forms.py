from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import UtrechtForm


class LoginForm(UtrechtForm, AuthenticationForm):
    """User name and password; django-axes counts every failure (through the authentication backends)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("User name")
        self.fields["password"].label = _("Password")


class CodeForm(UtrechtForm, forms.Form):
    """A six-digit code from the authenticator app."""

    code = forms.CharField(
        label=_("Code"),
        help_text=_("The six digits your authenticator app shows for Regietafel."),
        max_length=12,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "class": "rt-number-input"}
        ),
    )

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split())
        if not (code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits of the code."))
        return code
