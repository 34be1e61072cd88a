"""The importable table of sources: who published what, when and where, and how sure it is."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regietafel.core.models import Confidence, Source
from regietafel.core.rows import DateField, RowForm
from regietafel.core.sources import Sources
from regietafel.core.specs import TableSpec, register
from regietafel.domain.sources import source_key


class SourceRowForm(RowForm):
    """One source. Its name is how figures cite it; a name that resembles a known one is accepted here (a person
    adds it on purpose), unless it is the same source spelled another way."""

    name = forms.CharField(label=_("name"), max_length=300)
    publisher = forms.CharField(label=_("publisher"), max_length=200, required=False)
    title = forms.CharField(label=_("title"), max_length=300, required=False)
    published = DateField(label=_("date published"), required=False)
    address = forms.URLField(label=_("address"), max_length=500, required=False, assume_scheme="https")
    confidence = forms.ChoiceField(label=_("confidence"), choices=Confidence.choices)
    description = forms.CharField(label=_("description"), required=False)

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        if not source_key(name):
            raise ValidationError(_("Enter the source's name."), code="required")
        known = Sources.of(self.pending).known(name)
        # The same source spelled another way keeps its stored name: figures cite it as they did.
        return known.name if known is not None else name


SOURCES = register(
    TableSpec(
        key="sources",
        title=_("Sources"),
        form_class=SourceRowForm,
        model=Source,
        key_columns=("name",),
        lookup=lambda data: {"key": source_key(data["name"])},
        help_text=_(
            "One row per source that figures cite: its name as figures cite it, publisher, title, date published, "
            "web address, confidence (H: law or a government publication of the figure itself; M: reputable news "
            "or a professional publication reporting a government figure, or an undated government page; L: "
            "indirect) and a description. A figure's confidence is its source's."
        ),
        example_rows=(
            {
                "name": "CBS StatLine 85984NED",
                "publisher": "Centraal Bureau voor de Statistiek (CBS)",
                "title": "Regionale kerncijfers Nederland",
                "address": "https://opendata.cbs.nl/statline/#/CBS/nl/dataset/85984NED/table",
                "confidence": "H",
                "description": "Bevolking op 1 januari per gemeente.",
            },
        ),
    )
)
