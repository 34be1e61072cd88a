"""Importable table of linked households (person-level data): the list of households COA linked to a municipality.

A row is one household, found again by its municipality and V-number, so a newer list updates what an older one
created. A new household starts as linked; its status changes only through the pipeline, never by import. Ties are
one column, e.g. ``werk: Heino; familie: Zwolle`` (a place name that several municipalities have is written with
its municipality: ``Wijhe (Olst-Wijhe)``).
"""

import datetime
import re

from django import forms
from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from regietafel.core.rows import DateField, RowForm
from regietafel.core.specs import MUNICIPALITY, TableSpec, register
from regietafel.persons.models import Household, Tie
from regietafel.regions.models import Area, Place

YES_NO = [("ja", "ja"), ("nee", "nee")]
# Messages do not repeat a cell's contents: they are kept with the import and shown again.
YES_NO_ERRORS = {"invalid_choice": _("Write ja or nee.")}
TIE_WORDS = {
    "werk": Tie.Kind.WORK,
    "studie": Tie.Kind.STUDY,
    "familie": Tie.Kind.FAMILY,
    "zorg": Tie.Kind.CARE,
}
WORD_OF_TIE = {kind: word for word, kind in TIE_WORDS.items()}
TIE_WORDS.update({kind.value: kind for kind in Tie.Kind})
PLACE_WITH_MUNICIPALITY = re.compile(r"^(?P<place>[^()]+?)\s*\((?P<municipality>.+)\)$")


def parse_ties(text: str) -> list[tuple[str, Place]]:
    """``werk: Heino; familie: Zwolle`` as (kind, place) pairs, each once; a ValueError names which tie is wrong
    by its position, never by its contents (the message is kept with the import)."""
    ties: list[tuple[str, Place]] = []
    parts = [piece.strip() for piece in text.split(";")]
    for number, part in enumerate(filter(None, parts), start=1):
        word, colon, name = part.partition(":")
        kind = TIE_WORDS.get(word.strip().lower())
        if not colon or kind is None:
            raise ValueError(
                _("Tie %(number)s: write it as werk, studie, familie or zorg, a colon and a place.")
                % {"number": number}
            )
        name = name.strip()
        places = Place.objects.select_related("municipality")
        match = PLACE_WITH_MUNICIPALITY.match(name)
        if match:
            found = list(
                places.filter(
                    name__iexact=match["place"].strip(),
                    municipality__name__iexact=match["municipality"].strip(),
                )
            )
        else:
            found = list(places.filter(name__iexact=name))
        if not found:
            raise ValueError(_("Tie %(number)s: not a known place.") % {"number": number})
        if len(found) > 1:
            raise ValueError(
                _(
                    "Tie %(number)s: a place in several municipalities; add the municipality in brackets, "
                    "e.g. %(example)s."
                )
                % {"number": number, "example": f"{found[0].name} ({found[0].municipality.name})"}
            )
        if (kind, found[0]) not in ties:
            ties.append((kind, found[0]))
    return ties


def ties_text(pairs) -> str:
    """(kind, place) pairs as one cell, in a fixed order, so an export imports again unchanged."""
    ambiguous = set(
        Place.objects.filter(name__in=[place.name for _kind, place in pairs])
        .values("name")
        .annotate(count=Count("id"))
        .filter(count__gt=1)
        .values_list("name", flat=True)
    )
    parts = []
    for kind, place in sorted(pairs, key=lambda pair: (pair[0], pair[1].name, pair[1].municipality.name)):
        name = f"{place.name} ({place.municipality.name})" if place.name in ambiguous else place.name
        parts.append(f"{WORD_OF_TIE[kind]}: {name}")
    return "; ".join(parts)


class HouseholdRowForm(RowForm):
    municipality_code = forms.CharField(label=_("municipality code"), max_length=10)
    v_number = forms.RegexField(
        label=_("V-number"), regex=r"^\d{10}$", error_messages={"invalid": _("A V-number has ten digits.")}
    )
    linked_on = DateField(label=_("linked on"))
    adults = forms.IntegerField(label=_("adults"), min_value=0, max_value=30)
    children = forms.IntegerField(label=_("children"), min_value=0, max_value=30)
    member_ages = forms.RegexField(
        label=_("ages"),
        regex=r"^\d{1,3}(, ?\d{1,3})*$",
        max_length=60,
        required=False,
        error_messages={"invalid": _("Write the ages as numbers separated by commas.")},
    )
    is_amv = forms.ChoiceField(
        label=_("unaccompanied minor (AMV)"), choices=YES_NO, error_messages=YES_NO_ERRORS
    )
    nidos = forms.ChoiceField(label=_("guardianship by Nidos"), choices=YES_NO, error_messages=YES_NO_ERRORS)
    needs_accessible = forms.ChoiceField(
        label=_("needs an accessible home"), choices=YES_NO, error_messages=YES_NO_ERRORS
    )
    needs_medical = forms.ChoiceField(label=_("medical needs"), choices=YES_NO, error_messages=YES_NO_ERRORS)
    ties = forms.CharField(label=_("ties"), max_length=500, required=False)

    def clean_municipality_code(self):
        try:
            return self.clean_area_code("municipality_code", (Area.Kind.MUNICIPALITY,))
        except forms.ValidationError:
            # Without the cell: a shifted column would otherwise put a name into the kept message.
            raise forms.ValidationError(
                _("Not a municipality code (GM and four digits)."), code="unknown_area"
            ) from None

    def clean_ties(self):
        try:
            return ties_text(parse_ties(self.cleaned_data["ties"]))
        except ValueError as exc:
            raise forms.ValidationError(str(exc), code="ties") from None

    def clean(self):
        data = super().clean()
        adults, children = data.get("adults"), data.get("children")
        if adults is not None and children is not None:
            if adults + children == 0:
                self.add_error("adults", _("A household has at least one member."))
            ages = data.get("member_ages")
            if ages and len(ages.split(",")) != adults + children:
                self.add_error(
                    "member_ages",
                    _("Give one age per member: %(count)s.") % {"count": adults + children},
                )
        if data.get("nidos") == "ja" and data.get("is_amv") != "ja":
            self.add_error("nidos", _("Only an unaccompanied minor has Nidos as guardian."))
        return data


def _lookup(data: dict) -> dict:
    return {"municipality": data["municipality_code"], "v_number": data["v_number"], "is_demo": False}


def _household_record(data: dict) -> dict:
    record = {name: data[name] for name in ("v_number", "linked_on", "adults", "children", "member_ages")}
    record["municipality"] = data["municipality_code"]
    for name in ("is_amv", "nidos", "needs_accessible", "needs_medical"):
        record[name] = data[name] == "ja"
    return record


def _household_row(household: Household) -> dict:
    return {
        "municipality_code": household.municipality.code,
        "v_number": household.v_number,
        "linked_on": household.linked_on,
        "adults": household.adults,
        "children": household.children,
        "member_ages": household.member_ages,
        "is_amv": "ja" if household.is_amv else "nee",
        "nidos": "ja" if household.nidos else "nee",
        "needs_accessible": "ja" if household.needs_accessible else "nee",
        "needs_medical": "ja" if household.needs_medical else "nee",
        "ties": ties_text([(tie.kind, tie.place) for tie in household.ties.all()]),
    }


def _save_ties(household: Household, data: dict) -> None:
    """The row's ties replace the household's; the version goes up, so an open edit form is refused, not lost."""
    household.ties.all().delete()
    pairs = parse_ties(data["ties"])
    Tie.objects.bulk_create(Tie(household=household, kind=kind, place=place) for kind, place in pairs)
    Household.objects.filter(pk=household.pk).update(version=F("version") + 1)


HOUSEHOLDS = register(
    TableSpec(
        key="households",
        title=_("Linked households"),
        form_class=HouseholdRowForm,
        model=Household,
        key_columns=("municipality_code", "v_number"),
        area_columns=MUNICIPALITY,
        lookup=_lookup,
        to_record=_household_record,
        to_row=_household_row,
        after_save=_save_ties,
        personal=True,
        export_queryset=lambda: (
            Household.objects.filter(is_demo=False)
            .exclude(v_number="")
            .select_related("municipality")
            .prefetch_related("ties__place__municipality")
        ),
        help_text=_(
            "One row per household linked by COA, found again by municipality and V-number: a newer list updates "
            "the household. Yes/no columns as ja or nee; ages of all members separated by commas; ties as "
            "'werk: Heino; familie: Zwolle'. A new household starts as linked; offers and moving in go through "
            "the pipeline. The file is not kept after importing, and every household written is logged. Households "
            "without a V-number are not in this export."
        ),
        example_rows=(
            {
                "municipality_code": "GM0177",
                "v_number": "1234567890",
                "linked_on": datetime.date(2026, 10, 1),
                "adults": 2,
                "children": 1,
                "member_ages": "34, 31, 6",
                "is_amv": "nee",
                "nidos": "nee",
                "needs_accessible": "nee",
                "needs_medical": "nee",
                "ties": "werk: Heino",
            },
        ),
    )
)
