import re

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


class RegionForm(UtrechtForm, forms.Form):
    """A region as a beheerder sets it up: its municipalities by CBS code (known from a CBS export), its province
    and its own monitoring thresholds."""

    code = forms.RegexField(
        label=_("CBS code"),
        regex=r"^[Vv][Rr]\d{2}$",
        help_text=_("The safety region's code, as VR05."),
        error_messages={"invalid": _("Enter a safety region's CBS code, as VR05.")},
    )
    name = forms.CharField(label=_("Name"), max_length=100)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Area.objects.filter(kind=Area.Kind.PROVINCE), required=False
    )
    municipalities = forms.CharField(
        label=_("Municipalities (CBS codes)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "The municipalities' CBS codes, separated by spaces, commas or new lines, as GM0153. A municipality in "
            "another region moves to this one; one no longer listed goes back to the province."
        ),
    )
    behind_below_percent = forms.IntegerField(
        # xgettext:no-python-format
        label=_("Behind below (% of the pro-rata norm)"),
        min_value=0,
        max_value=100,
        required=False,
    )
    far_behind_below_percent = forms.IntegerField(
        # xgettext:no-python-format
        label=_("Far behind below (% of the pro-rata norm)"),
        min_value=0,
        max_value=100,
        required=False,
    )
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, region: Area | None = None, defaults: tuple[int, int], **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        if region is not None:
            del self.fields["code"]
        behind, far_behind = defaults
        self.fields["behind_below_percent"].help_text = gettext(
            "Empty: the installation's %(percent)d%%."
        ) % {"percent": behind}
        self.fields["far_behind_below_percent"].help_text = gettext(
            "Empty: the installation's %(percent)d%%."
        ) % {"percent": far_behind}
        self.style_fields()

    def clean_code(self):
        code = self.cleaned_data["code"].upper()
        if Area.objects.filter(code=code).exists():
            raise ValidationError(gettext("%(code)s exists already.") % {"code": code})
        return code

    def clean_municipalities(self):
        codes = list(
            dict.fromkeys(
                code.upper() for code in re.split(r"[\s,;]+", self.cleaned_data["municipalities"]) if code
            )
        )
        known = {area.code: area for area in Area.objects.municipalities().filter(code__in=codes)}
        unknown = [code for code in codes if code not in known]
        if unknown:
            raise ValidationError(
                gettext(
                    "Not a known municipality: %(codes)s. Load the CBS population export that has them first."
                )
                % {"codes": ", ".join(unknown[:10])}
            )
        if not codes:
            raise ValidationError(gettext("Give at least one municipality."))
        return [known[code] for code in codes]

    def clean(self):
        data = super().clean()
        behind, far_behind = data.get("behind_below_percent"), data.get("far_behind_below_percent")
        if behind is not None and far_behind is not None and far_behind > behind:
            self.add_error(
                "far_behind_below_percent",
                gettext("Far behind must be at most the threshold for behind (%(percent)d%%).")
                % {"percent": behind},
            )
        return data
