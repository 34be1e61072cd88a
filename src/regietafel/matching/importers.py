"""Importable tables of the housing supply: places (with their position) and homes."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from regietafel.core.rows import DateField, DecimalField
from regietafel.core.specs import MUNICIPALITY, TableSpec, register
from regietafel.housing.importers import MunicipalityRowForm
from regietafel.matching.models import Dwelling
from regietafel.regions.models import Place


class PlaceRowForm(MunicipalityRowForm):
    name = forms.CharField(label=_("name"), max_length=100)
    latitude = forms.DecimalField(label=_("latitude"), min_value=50, max_value=54, decimal_places=5)
    longitude = forms.DecimalField(label=_("longitude"), min_value=3, max_value=8, decimal_places=5)

    field_order = ["municipality_code", "name", "latitude", "longitude"]


PLACES = register(
    TableSpec(
        key="places",
        title=_("Places"),
        form_class=PlaceRowForm,
        model=Place,
        key_columns=("municipality_code", "name"),
        area_columns=MUNICIPALITY,
        help_text=_(
            "Towns and villages with the position of their centre (WGS84 degrees), to measure distances."
        ),
    )
)


# Yes/no columns are written as "ja" or "nee", in the file and in the export, so an export imports again unchanged.
YES_NO = [("ja", "ja"), ("nee", "nee")]


class AmountField(DecimalField):
    """An amount in euros as people write it: "€ 1.234,56", "640,00" or "640.00" (Excel), whatever the language."""

    def to_python(self, value):
        return super().to_python(str(value or "").replace("€", ""))


class DwellingRowForm(MunicipalityRowForm):
    code = forms.CharField(label=_("code"), max_length=40)
    place = forms.CharField(label=_("place"), max_length=100)
    kind = forms.ChoiceField(label=_("kind"), choices=Dwelling.Kind.choices)
    rooms = forms.IntegerField(label=_("bedrooms"), min_value=0, max_value=20)
    max_occupancy = forms.IntegerField(label=_("maximum occupancy"), min_value=1, max_value=30)
    rent = AmountField(label=_("rent per month (€)"), min_value=0, max_value=10000, decimal_places=2)
    accessible = forms.ChoiceField(label=_("accessible"), choices=YES_NO)
    available_on = DateField(label=_("available on"))
    owner = forms.CharField(label=_("owner"), max_length=150)
    sharing_allowed = forms.ChoiceField(label=_("sharing allowed"), choices=YES_NO)

    # The file's columns: the municipality by its code, then the home's own fields in the order of
    # Dwelling.WRITABLE; its status is the pipeline's, and the source columns come last (SourcedRowForm).
    field_order = [
        "municipality_code",
        *(
            name
            for name in Dwelling.WRITABLE
            if name not in ("municipality", "status", "source", "reference_date")
        ),
    ]

    def clean(self):
        data = super().clean()
        area, name = data.get("municipality_code"), data.get("place")
        if area and name:
            place = Place.objects.filter(municipality=area, name__iexact=name.strip()).first()
            if place is None:
                self.add_error(
                    "place", _("%(place)s is not a known place of this municipality.") % {"place": name}
                )
            else:
                data["place"] = place
        return data


def _dwelling_record(data: dict) -> dict:
    record = {column: data[column] for column in DwellingRowForm().fields if column != "municipality_code"}
    record["municipality"] = data["municipality_code"]
    record["accessible"] = data["accessible"] == "ja"
    record["sharing_allowed"] = data["sharing_allowed"] == "ja"
    return record


def _dwelling_row(dwelling: Dwelling) -> dict:
    return {
        "municipality_code": dwelling.municipality.code,
        "code": dwelling.code,
        "place": dwelling.place.name,
        "kind": dwelling.kind,
        "rooms": dwelling.rooms,
        "max_occupancy": dwelling.max_occupancy,
        "rent": dwelling.rent,
        "accessible": "ja" if dwelling.accessible else "nee",
        "available_on": dwelling.available_on,
        "owner": dwelling.owner,
        "sharing_allowed": "ja" if dwelling.sharing_allowed else "nee",
        "reference_date": dwelling.reference_date,
        "source": dwelling.source,
        "confidence": dwelling.confidence,
        "is_demo": dwelling.is_demo,
    }


DWELLINGS = register(
    TableSpec(
        key="dwellings",
        title=_("Homes for status holders"),
        form_class=DwellingRowForm,
        model=Dwelling,
        key_columns=("municipality_code", "code"),
        area_columns=MUNICIPALITY,
        to_record=_dwelling_record,
        to_row=_dwelling_row,
        export_queryset=lambda: Dwelling.objects.select_related("municipality", "place"),
        help_text=_(
            "One row per home: kind regular or flex; accessible and sharing allowed as ja or nee; the place must be "
            "a known place of the municipality. A code is unique per municipality; importing it again updates it."
        ),
        example_rows=(
            {
                "municipality_code": "GM0177",
                "code": "SW-1024",
                "place": "Raalte",
                "kind": "regular",
                "rooms": 2,
                "max_occupancy": 4,
                "rent": "640.00",
                "accessible": "nee",
                "available_on": datetime.date(2026, 1, 15),
                "owner": "Salland Wonen",
                "sharing_allowed": "nee",
                "reference_date": datetime.date(2025, 12, 1),
                "source": "Salland Wonen, aanbod statushouders",
                "confidence": "H",
            },
        ),
    )
)
