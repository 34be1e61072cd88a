"""Population figures: our CSV layout and the CSV exports of CBS StatLine (03759ned, 37230ned)."""

import datetime
import re

import tablib
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from regietafel.core.rows import SourcedRowForm
from regietafel.core.specs import TableSpec, register
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
        if code:
            self._check_parents(data, code)
        if not self.errors:
            self.pending.update(self._claims(data, code))
        return data

    def _check_parents(self, data: dict, code: str) -> None:
        """Where the row places its area must be something one write can hold, and agree with the file's other
        rows: a blank region keeps the municipality's region (as a blank name keeps its name)."""
        kind = kind_of(code)
        province, region = data.get("province_code", ""), data.get("region_code", "")
        if region and kind != Area.Kind.MUNICIPALITY:
            self.add_error(
                "region_code",
                _("Only a municipality lies in a region: leave this empty for %(code)s.") % {"code": code},
            )
        if province and (kind == Area.Kind.COUNTRY or (kind == Area.Kind.PROVINCE and province != code)):
            self.add_error(
                "province_code", _("%(code)s lies in no province: leave this empty.") % {"code": code}
            )
        if data.get("region_name") and not region:
            self.add_error("region_name", _("A region's name needs its code: fill in region_code as well."))
        # The areas earlier rows claim (the file's other look-ups share ``pending`` under their own names).
        known = set(self.areas) | {area for area, attribute in self.pending if attribute in CLAIMED}
        if code not in known and not data.get("name"):
            self.add_error("name", _("New area %(code)s: give its name.") % {"code": code})
        if province and province != code and province not in known:
            self.add_error(
                "province_code",
                _("Unknown province %(code)s: add a row for the province itself first.") % {"code": province},
            )
        if region and region not in known and not data.get("region_name"):
            self.add_error("region_name", _("New region %(code)s: give its name.") % {"code": region})
        stored_region = _region_of(self.areas.get(code))
        if province and not region and stored_region is not None:
            stored_province = stored_region.parent.code if stored_region.parent else ""
            if stored_province and stored_province != province:
                self.add_error(
                    "province_code",
                    _(
                        "%(code)s lies in region %(region)s of province %(province)s: to move it, give the code "
                        "of its new region as well."
                    )
                    % {"code": code, "region": stored_region.code, "province": stored_province},
                )
        if self.errors:
            return
        for (area, attribute), value in self._claims(data, code).items():
            earlier = self.pending.get((area, attribute))
            if earlier is not None and earlier != value:
                column = CLAIM_COLUMNS[attribute, area == code, bool(region)]
                self.add_error(
                    column,
                    _(
                        "%(code)s: another row of this file says %(other)s and this row %(value)s; make them the same."
                    )
                    % {"code": area, "other": earlier, "value": value},
                )

    def _claims(self, data: dict, code: str | None) -> dict[tuple[str, str], str]:
        """What this row says about areas (their names and where they lie), keyed by (code, "name"/"parent")."""
        if not code:
            return {}
        province, region = data.get("province_code", ""), data.get("region_code", "")
        claims = {}
        if data.get("name"):
            claims[code, "name"] = data["name"]
        if region:
            claims[code, "parent"] = region
            if data.get("region_name"):
                claims[region, "name"] = data["region_name"]
            if province:
                claims[region, "parent"] = province
        elif province and province != code:
            stored_region = _region_of(self.areas.get(code))
            claims[stored_region.code if stored_region else code, "parent"] = province
        return claims


# The column a conflicting claim is reported on: (attribute, about the row's own area, the row names a region).
CLAIMED = {"name", "parent"}
CLAIM_COLUMNS = {
    ("name", True, True): "name",
    ("name", True, False): "name",
    ("name", False, True): "region_name",
    ("parent", True, True): "region_code",
    ("parent", True, False): "province_code",
    ("parent", False, True): "province_code",
    ("parent", False, False): "province_code",
}


def _region_of(area: Area | None) -> Area | None:
    """The region a stored municipality lies in (the areas are read with their parents)."""
    if area is None or area.parent is None or area.parent.kind != Area.Kind.REGION:
        return None
    return area.parent


def _to_record(data: dict) -> dict:
    """The row's figure, with its area created or updated as the row says; a blank cell keeps what is stored."""
    code, province, region = data["code"], data.get("province_code", ""), data.get("region_code", "")
    if province and province != code:
        ensure_area(province)
    parent_code = ""
    if region:
        ensure_area(region, data.get("region_name", ""), province)
        parent_code = region
    elif province and kind_of(code) != Area.Kind.PROVINCE:
        stored = Area.objects.select_related("parent").filter(code=code).first()
        if _region_of(stored) is None:
            parent_code = province
    area = ensure_area(code, data.get("name", ""), parent_code)
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
    region = _region_of(area)
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
            "The statutory target uses the population on 1 January of the year before the half-year. An empty "
            "name, province or region keeps what is stored; a municipality moves to another region only when its "
            "row gives the new region's code."
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
