from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from regietafel.core.forms import UtrechtForm
from regietafel.domain.targets import HalfYear
from regietafel.meetings.models import Action, Body, BodyMember, Forum, Meeting, Signal
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

DOCUMENT_EXTENSIONS = {".pdf", ".docx", ".xlsx", ".pptx", ".odt", ".ods", ".txt", ".csv", ".png", ".jpg"}
MAX_DOCUMENT_SIZE = 20 * 1024 * 1024


class VersionedForm(UtrechtForm, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)


class MeetingForm(UtrechtForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Meeting
        fields = Meeting.WRITABLE
        widgets = {
            "starts_at": forms.DateTimeInput(),
            "ends_at": forms.DateTimeInput(),
            "participants": forms.Textarea(attrs={"rows": 4}),
            "minutes": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.freeze_if_held()

    def freeze_if_held(self) -> None:
        """A held meeting shows its details, and lets only its minutes change."""
        if self.instance.pk and self.instance.held_at is not None:
            for name, form_field in self.fields.items():
                if name not in ("minutes", "version"):
                    form_field.disabled = True

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("The end lies before the start."))
        return data


class BodyForm(UtrechtForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Body
        fields = Body.WRITABLE
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Area.objects.filter(kind=Area.Kind.REGION).order_by("name")


class MemberForm(UtrechtForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)  # the body's

    class Meta:
        model = BodyMember
        fields = BodyMember.WRITABLE

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")
        self.fields["user"].help_text = _(
            "Their own account in Regietafel, if they have one: the body's meetings then appear in their calendar subscription."
        )


class ForumForm(UtrechtForm, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Forum
        fields = Forum.WRITABLE
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["theme"].help_text = _("The domain it covers, as housing or care.")


class ItemForm(VersionedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    monitor_half_year = forms.CharField(
        label=_("Show the housing monitor of half-year"),
        required=False,
        help_text=_("As 2025-H2. The figures are frozen when the meeting is held."),
    )

    def clean_monitor_half_year(self):
        value = self.cleaned_data["monitor_half_year"].strip()
        if not value:
            return ""
        try:
            return str(HalfYear.parse(value))
        except ValueError:
            raise ValidationError(_("Enter a half-year as 2024-H1 or 2024-H2.")) from None


class MoveForm(VersionedForm):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down"), ("meeting", "meeting")])
    target = forms.ModelChoiceField(queryset=Meeting.objects.all(), required=False)
    target_version = forms.IntegerField(required=False)


class DocumentForm(UtrechtForm, forms.Form):
    file = forms.FileField(label=_("Document"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name.lower()
        if not any(name.endswith(extension) for extension in DOCUMENT_EXTENSIONS):
            raise ValidationError(
                _("This type of file is not accepted. Use one of: %(types)s.")
                % {"types": ", ".join(sorted(DOCUMENT_EXTENSIONS))}
            )
        if upload.size > MAX_DOCUMENT_SIZE:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload


class DecisionForm(UtrechtForm, forms.Form):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 3}))


class ActionForm(UtrechtForm, forms.Form):
    title = forms.CharField(label=_("Action"), max_length=300)
    owner_user = forms.ModelChoiceField(
        label=_("Owner (person)"), queryset=get_user_model().objects.filter(is_active=True), required=False
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Owner (organisation)"), queryset=Organisation.objects.all(), required=False
    )
    deadline = forms.DateField(label=_("Deadline"), widget=forms.DateInput())

    def clean(self):
        data = super().clean()
        if not data.get("owner_user") and not data.get("owner_organisation"):
            raise ValidationError(_("Choose an owner: a person, an organisation or both."))
        return data


class ActionUpdateForm(ActionForm):
    status = forms.ChoiceField(label=_("Status"), choices=Action.Status.choices)
    note = forms.CharField(label=_("Note with the status change"), required=False, max_length=300)
    version = forms.IntegerField(widget=forms.HiddenInput)


class ReferralForm(UtrechtForm, forms.Form):
    forum = forms.ModelChoiceField(label=_("Refer to"), queryset=Forum.objects.all())
    title = forms.CharField(label=_("Title"), max_length=200)
    question = forms.CharField(label=_("Question or proposal"), widget=forms.Textarea(attrs={"rows": 3}))
    sent_on = forms.DateField(label=_("Sent on"), widget=forms.DateInput())


class AnswerForm(VersionedForm):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 4}))
    answered_on = forms.DateField(label=_("Answered on"), widget=forms.DateInput())


class SignalForm(UtrechtForm, forms.Form):
    """A signal raised at the table; a municipality or partner raises it for its own organisation."""

    title = forms.CharField(label=pgettext_lazy("topic", "Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is going on, for whom, since when, and what you ask of the table."),
    )
    raised_by = forms.ModelChoiceField(label=_("Raised by"), queryset=Organisation.objects.order_by("name"))
    raised_on = forms.DateField(label=_("Raised on"), widget=forms.DateInput())
    urgency = forms.ChoiceField(
        label=_("Urgency"),
        choices=Signal.Urgency.choices,
        initial=Signal.Urgency.NORMAL,
        help_text=_("An urgent signal is told to the programme team at once."),
    )
    group = forms.ChoiceField(label=_("Group concerned"), choices=Signal.Group.choices)
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities concerned"),
        queryset=Area.objects.municipalities().order_by("name"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None: the region as a whole."),
    )

    def __init__(self, *args, organisation=None, region=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            # Not the programme team: a signal is raised in the name of one's own organisation.
            self.fields["raised_by"].queryset = Organisation.objects.filter(pk=organisation)
            self.fields["raised_by"].initial = organisation
            self.fields["raised_by"].empty_label = None
        if region is not None:
            self.fields["municipalities"].queryset = Area.objects.in_region(region).order_by("name")


class SignalAgendaForm(VersionedForm):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, meetings=None, **kwargs):
        super().__init__(*args, **kwargs)
        if meetings is not None:
            self.fields["meeting"].queryset = meetings


class SignalCloseForm(VersionedForm):
    outcome = forms.CharField(
        label=_("Outcome"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the table did and how it ended."),
    )
    closed_on = forms.DateField(label=_("Closed on"), widget=forms.DateInput())
