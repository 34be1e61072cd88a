"""Population figures: our CSV layout and the CSV exports of CBS StatLine (03759ned, 37230ned)."""

import datetime
import re

import tablib
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regietafel.imports.forms import SourcedRowForm
from regietafel.imports.specs import TableSpec, register
from regietafel.regions.models import Area, PopulationFigure
from regietafel.regions.services import ensure_area, kind_of

CODE_PATTERN = re.compile(r"^(NL|PV|VR|GM)\d{2,4}$")


class PopulationRowForm(SourcedRowForm):
    code = forms.CharField(label=_("CBS code"), max_length=10)
    name = forms.CharField(label=_("name"), max_length=100, required=False)
    province_code = forms.CharField(label=_("province code"), max_length=10, required=False)
    region_code = forms.CharField(label=_("region code"), max_length=10, required=False)
    region_name = forms.CharField(label=_("region name"), max_length=100, required=False)
    population = forms.IntegerField(label=_("population"), min_value=0)

    field_order = [
        "code",
        "name",
        "province_code",
        "region_code",
        "region_name",
        "reference_date",
        "population",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reference_date"].required = True

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if not CODE_PATTERN.match(code):
            raise ValidationError(
                _("%(value)s is not a CBS code (such as GM0177) nor a known area."), params={"value": code}
            )
        return code

    def _clean_parent(self, name: str, prefix: str):
        code = self.cleaned_data.get(name, "").strip().upper()
        if code and not (CODE_PATTERN.match(code) and code.startswith(prefix)):
            raise ValidationError(
                _("%(value)s is not a code starting with %(prefix)s."),
                params={"value": code, "prefix": prefix},
            )
        return code

    def clean_province_code(self):
        return self._clean_parent("province_code", "PV")

    def clean_region_code(self):
        return self._clean_parent("region_code", "VR")

    def clean(self):
        data = super().clean()
        code = data.get("code")
        known = set(self.areas) | self.pending
        if code and code not in known and not data.get("name"):
            self.add_error("name", _("New area %(code)s: give its name.") % {"code": code})
        province = data.get("province_code")
        if province and province != code and province not in known:
            self.add_error(
                "province_code",
                _("Unknown province %(code)s: add a row for the province itself first.") % {"code": province},
            )
        region = data.get("region_code")
        if region and region not in known and not data.get("region_name"):
            self.add_error("region_name", _("New region %(code)s: give its name.") % {"code": region})
        if not self.errors:
            self.pending.update(value for value in (code, region) if value)
        return data


def _to_record(data: dict) -> dict:
    if data.get("province_code") and data["province_code"] != data["code"]:
        ensure_area(data["province_code"])
    region = None
    if data.get("region_code"):
        region = ensure_area(data["region_code"], data.get("region_name", ""), data.get("province_code", ""))
    parent_code = region.code if region else data.get("province_code", "")
    if kind_of(data["code"]) == Area.Kind.PROVINCE:
        parent_code = ""
    area = ensure_area(data["code"], data.get("name", ""), parent_code)
    return {
        "area": area,
        "reference_date": data["reference_date"],
        "population": data["population"],
        "source": data["source"],
        "confidence": data["confidence"],
        "is_demo": False,
    }


def _to_row(figure: PopulationFigure) -> dict:
    area = figure.area
    region = area.parent if area.parent and area.parent.kind == Area.Kind.REGION else None
    province = area.province
    return {
        "code": area.code,
        "name": area.name,
        "province_code": province.code if province else "",
        "region_code": region.code if region else "",
        "region_name": region.name if region else "",
        "reference_date": figure.reference_date,
        "population": figure.population,
        "source": figure.source,
        "confidence": figure.confidence,
        "is_demo": figure.is_demo,
    }


MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "januari",
            "februari",
            "maart",
            "april",
            "mei",
            "juni",
            "juli",
            "augustus",
            "september",
            "oktober",
            "november",
            "december",
        ],
        1,
    )
}


def _cbs_period(value: str) -> datetime.date | str:
    value = value.strip()
    if match := re.fullmatch(r"(\d{4})(JJ00)?", value):
        return datetime.date(int(match[1]), 1, 1)
    if match := re.fullmatch(r"(\d{4})MM(\d{2})", value):
        return datetime.date(int(match[1]), int(match[2]), 1)
    if (match := re.fullmatch(r"(\d{4}) (\w+)", value)) and match[2].lower() in MONTHS:
        return datetime.date(int(match[1]), MONTHS[match[2].lower()], 1)
    return value  # left as it is: the row form names the problem


def convert_cbs(dataset: tablib.Dataset) -> tablib.Dataset | None:
    """Turn a CBS StatLine CSV export into our layout; None when the file is not one.

    Both the StatLine table view export ("Regio's";"Perioden";"Bevolking op 1 januari (aantal)") and the
    open-data typed data set (RegioS;Perioden;BevolkingOp1Januari_1) are recognised. Rows of other
    breakdowns (sex, age, marital status) than the total are left out.
    """
    headers = [header.strip() for header in dataset.headers]
    lowered = [header.lower() for header in headers]
    region_column = next((i for i, h in enumerate(lowered) if h in {"regio's", "regios"}), None)
    period_column = next((i for i, h in enumerate(lowered) if h == "perioden"), None)
    population_column = next((i for i, h in enumerate(lowered) if h.startswith("bevolking")), None)
    if region_column is None or period_column is None or population_column is None:
        return None
    table = "37230ned" if "begin" in lowered[population_column] else "03759ned"
    breakdowns = [
        i
        for i, h in enumerate(lowered)
        if h in {"geslacht", "leeftijd", "burgerlijke staat", "burgerlijkestaat"}
    ]
    by_name = {area.name.lower(): area.code for area in Area.objects.all()}
    converted = tablib.Dataset(
        headers=["code", "name", "reference_date", "population", "source", "confidence"]
    )
    for row in dataset:
        if any(not _is_total(row[i]) for i in breakdowns):
            continue
        region = str(row[region_column] or "").strip()
        code = region.upper() if CODE_PATTERN.match(region.upper()) else by_name.get(region.lower(), region)
        population = str(row[population_column] or "").strip()
        converted.append(
            [
                code,
                "",
                _cbs_period(str(row[period_column] or "")),
                "" if population == "." else population,
                f"CBS StatLine {table}",
                "H",
            ]
        )
    return converted


def _is_total(value) -> bool:
    text = str(value or "").strip().lower()
    return text.startswith("totaal") or text in {"t001038", "10000", "t009002", ""}


POPULATIONS = register(
    TableSpec(
        key="populations",
        title=_("Population figures"),
        form_class=PopulationRowForm,
        model=PopulationFigure,
        key_columns=("code", "reference_date"),
        lookup=lambda data: {"area__code": data["code"], "reference_date": data["reference_date"]},
        to_record=_to_record,
        to_row=_to_row,
        convert=convert_cbs,
        keep_if_blank=("name", "province_code", "region_code", "region_name"),
        export_queryset=lambda: PopulationFigure.objects.select_related("area__parent__parent"),
        help_text=_(
            "Our layout (see the template) or a CSV export of CBS StatLine tables 03759ned or 37230ned. "
            "The statutory target uses the population on 1 January of the year before the half-year."
        ),
        example_rows=(
            {
                "code": "GM0177",
                "name": "Raalte",
                "province_code": "PV23",
                "region_code": "VR04",
                "region_name": "IJsselland",
                "reference_date": datetime.date(2023, 1, 1),
                "population": 38498,
                "source": "CBS StatLine 03759ned",
                "confidence": "H",
            },
        ),
    )
)
