from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import UtrechtForm
from regietafel.domain import tiles
from regietafel.regions.models import Area


class TileForm(UtrechtForm, forms.Form):
    """A row and a column for each municipality of a region: typed, so the keyboard is all it takes."""

    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, municipalities: list[Area], cells: dict[str, tiles.Cell], **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = municipalities
        for area in municipalities:
            row, column = cells[area.code]
            for name, label, value in (("row", _("row"), row), ("column", _("column"), column)):
                self.fields[f"{area.code}-{name}"] = forms.IntegerField(
                    label=f"{area.name}: {label}", min_value=1, max_value=tiles.LIMIT, initial=value
                )
        self.style_fields()

    def rows(self):
        """Per municipality its two fields, for a table."""
        return [(area, self[f"{area.code}-row"], self[f"{area.code}-column"]) for area in self.municipalities]

    def cells(self) -> dict[str, tiles.Cell]:
        data = self.cleaned_data
        return {
            area.code: (data[f"{area.code}-row"], data[f"{area.code}-column"]) for area in self.municipalities
        }

    def clean(self):
        data = super().clean()
        if all(f"{area.code}-{name}" in data for area in self.municipalities for name in ("row", "column")):
            names = {area.code: area.name for area in self.municipalities}
            for (row, column), codes in tiles.clashes(self.cells()).items():
                raise ValidationError(
                    gettext(
                        "%(names)s are all on row %(row)d, column %(column)d: give each a cell of its own."
                    )
                    % {"names": ", ".join(names[code] for code in codes), "row": row, "column": column}
                )
        return data
