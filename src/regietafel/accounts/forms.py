from django import forms
from django.contrib.auth.forms import AuthenticationForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regietafel.access.models import Role
from regietafel.audit.models import Action, Activity
from regietafel.core.forms import UtrechtForm
from regietafel.organisations.models import Organisation


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
        if not (code.isascii() and code.isdigit() and len(code) == 6):
            raise forms.ValidationError(_("Enter the six digits of the code."))
        return code


class AssignForm(UtrechtForm, forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("For example: the request by e-mail of 3 March.")
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)


class HistoryFilterForm(UtrechtForm, forms.Form):
    kind = forms.ChoiceField(label=_("Kind of data"), required=False)
    actor = forms.CharField(label=_("Who (user name)"), required=False)

    def __init__(self, *args, kinds: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *sorted(kinds.items(), key=lambda item: item[1])]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        if self.cleaned_data["kind"]:
            queryset = queryset.filter(content_type_id=self.cleaned_data["kind"])
        if self.cleaned_data["actor"]:
            queryset = queryset.filter(actor__username__iexact=self.cleaned_data["actor"].strip())
        return queryset


class LogFilterForm(UtrechtForm, forms.Form):
    actor = forms.CharField(label=_("Who (user name)"), required=False)
    activity = forms.ChoiceField(label=_("Processing activity"), required=False)
    action = forms.ChoiceField(label=_("Action"), required=False)
    subject = forms.CharField(
        label=_("Pseudonymised subject"),
        required=False,
        help_text=_("The code from a log line or a data request."),
    )
    date_from = forms.DateField(
        label=pgettext_lazy("date range", "From"), required=False, widget=forms.DateInput
    )
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=forms.DateInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", _("All")), *Activity.choices]
        self.fields["action"].choices = [("", _("All")), *Action.choices]

    def filter(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["actor"]:
            queryset = queryset.filter(actor__iexact=data["actor"].strip())
        if data["activity"]:
            queryset = queryset.filter(activity=data["activity"])
        if data["action"]:
            queryset = queryset.filter(action=data["action"])
        if data["subject"]:
            queryset = queryset.filter(subject=data["subject"].strip())
        if data["date_from"]:
            queryset = queryset.filter(at__date__gte=data["date_from"])
        if data["date_to"]:
            queryset = queryset.filter(at__date__lte=data["date_to"])
        return queryset


class TokenForm(UtrechtForm, forms.Form):
    name = forms.CharField(
        label=_("System"),
        max_length=50,
        help_text=_("Which system uses the token, for example: Power BI dashboard Deventer."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        help_text=_("The token sees what a user of this organisation with the role below sees."),
    )
    role = forms.ChoiceField(label=_("Role"), choices=[c for c in Role.choices if c[0] != Role.NONE])
    can_write = forms.BooleanField(
        label=_("May write"),
        required=False,
        help_text=_("Without this the token may only read, whatever the role allows."),
    )


class InviteForm(UtrechtForm, forms.Form):
    """A new colleague, in one step: the invitation lets them choose a password."""

    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"), help_text=_("Also their user name."))
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.order_by("name"), required=False
    )
    role = forms.ChoiceField(
        label=_("Role"), choices=[choice for choice in Role.choices if choice[0] != Role.NONE]
    )


class ActiveForm(UtrechtForm, forms.Form):
    reason = forms.CharField(
        label=_("Reason"), max_length=300, help_text=_("For example: left the organisation.")
    )


class TwoFactorRulesForm(UtrechtForm, forms.Form):
    roles = forms.MultipleChoiceField(
        label=_("Require two-factor login for"),
        choices=[choice for choice in Role.choices if choice[0] != Role.NONE],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Recommended at least for administrators. Single sign-on accounts follow their own organisation."
        ),
    )


class PasswordSetForm(UtrechtForm, SetPasswordForm):
    """Choosing a password from an invitation's link (Django's password rules apply)."""
