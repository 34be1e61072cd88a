from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from regietafel.access.scope import principal
from regietafel.core.forms import ModelMultipleChoiceField, UtrechtForm
from regietafel.core.models import Theme
from regietafel.organisations.models import Organisation
from regietafel.practices.models import (
    ATTACHMENT_EXTENSIONS,
    Practice,
    TargetGroup,
    validate_attachment_size,
)
from regietafel.regions.models import Area


class PracticeForm(UtrechtForm, forms.ModelForm):
    """The practice itself; ``services.save_practice`` writes it, never ``form.save()``."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Practice
        fields = Practice.WRITABLE
        # A number too large for an id is an unknown theme, not a server error.
        field_classes = {"themes": ModelMultipleChoiceField}
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "problem": forms.Textarea(attrs={"rows": 5}),
            "approach": forms.Textarea(attrs={"rows": 8}),
            "results": forms.Textarea(attrs={"rows": 5}),
            "contact": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Area.objects.municipalities().order_by("name")
        who = principal(user)
        if user is not None and not who.is_admin:
            # A municipality or partner publishes in its own name.
            self.fields["organisation"].queryset = Organisation.objects.filter(pk=who.organisation_id)
            self.fields["organisation"].required = True
            self.fields["organisation"].empty_label = None
            if who.area_id:
                self.fields["municipality"].queryset = Area.objects.filter(pk=who.area_id)
        self.fields["themes"].help_text = _("Choose every theme the practice touches.")
        if self.instance.pk:
            self.initial["version"] = self.instance.version


class AttachmentForm(UtrechtForm, forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "PDF, Word (.docx), Excel (.xlsx), OpenDocument (.odt, .ods), image (.png, .jpg) or text "
            "(.txt, .csv); at most 10 MB."
        ),
        validators=[FileExtensionValidator(ATTACHMENT_EXTENSIONS), validate_attachment_size],
        widget=forms.FileInput(attrs={"accept": ",".join(f".{ext}" for ext in ATTACHMENT_EXTENSIONS)}),
    )
    name = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        help_text=_("Optional: how the attachment is listed. Without a name, the file name is used."),
    )


class SearchForm(UtrechtForm, forms.Form):
    """Search and filters of the library. The field names are the query parameters (?q=…&thema=…)."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        help_text=_("Practices that contain all these words."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    thema = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    doelgroep = forms.ChoiceField(
        label=_("Target group"),
        choices=[("", _("All target groups")), *TargetGroup.choices],
        required=False,
        help_text=_("Practices for all groups are included."),
    )
    gemeente = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Area.objects.municipalities().filter(practices__isnull=False).distinct().order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All municipalities"),
    )

    def filter(self, practices):
        """The practices that pass the filters; call after ``is_valid()``.

        A filter with an invalid value is left out, and the form says why.
        """
        data = self.cleaned_data
        if theme := data.get("thema"):
            practices = practices.filter(themes=theme)
        if group := data.get("doelgroep"):
            practices = practices.for_group(group)
        if municipality := data.get("gemeente"):
            practices = practices.filter(municipality=municipality)
        return practices
