import datetime
from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from regietafel.core.forms import DescribedErrorsForm
from regietafel.distribution.models import DistributionKey, Method, Scenario
from regietafel.distribution.services import default_total, total_source
from regietafel.reception.models import Programme
from regietafel.regions.models import Area, PopulationFigure


def population_dates() -> list:
    return list(
        # A key divides by public populations: a demo population (regietafel load-demo) is never offered.
        PopulationFigure.objects.filter(area__kind=Area.Kind.MUNICIPALITY, is_demo=False)
        .order_by("-reference_date")
        .values_list("reference_date", flat=True)
        .distinct()
    )


class KeyForm(DescribedErrorsForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the key does and on which law or decision it rests."),
    )
    population_date = forms.TypedChoiceField(label=_("Population on"), coerce=datetime.date.fromisoformat)
    amv_share = forms.DecimalField(
        label=_("Share for unaccompanied minors (%)"),
        min_value=Decimal(0),
        max_value=Decimal(100),
        decimal_places=2,
        localize=True,
        help_text=_("Split off every municipality's places; 8.5% in the first cycle of the Spreidingswet."),
    )
    count_realised = forms.BooleanField(
        label=_("Count places already realised first"),
        required=False,
        help_text=_("A municipality never gets fewer places than its existing locations already offer."),
    )
    source = forms.CharField(
        label=_("Source of the factors"),
        max_length=300,
        required=False,
        help_text=_("Where the factors, minimums and maximums below come from."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, key: DistributionKey | None = None, municipalities=(), **kwargs):
        initial = kwargs.setdefault("initial", {})
        if key is not None:
            initial.update(
                name=key.name,
                description=key.description,
                population_date=key.population_date.isoformat(),
                amv_share=key.amv_share * 100,
                count_realised=key.count_realised,
                source=key.source,
                version=key.version,
            )
        else:
            initial.setdefault("amv_share", Decimal("8.5"))
            initial.setdefault("count_realised", True)
        super().__init__(*args, **kwargs)
        self.fields["population_date"].choices = [(d.isoformat(), date_format(d)) for d in population_dates()]
        entries = {entry.municipality_id: entry for entry in key.entries.all()} if key is not None else {}
        self.municipalities = list(municipalities)
        for municipality in self.municipalities:
            entry = entries.get(municipality.pk)
            self.fields[f"factor_{municipality.pk}"] = forms.DecimalField(
                label=_("Factor for %(name)s") % {"name": municipality.name},
                min_value=Decimal(0),
                max_digits=8,
                decimal_places=4,
                localize=True,
                initial=entry.factor if entry else Decimal(1),
            )
            self.fields[f"minimum_{municipality.pk}"] = forms.IntegerField(
                label=_("Minimum for %(name)s") % {"name": municipality.name},
                min_value=0,
                initial=entry.minimum if entry else 0,
            )
            self.fields[f"maximum_{municipality.pk}"] = forms.IntegerField(
                label=_("Maximum for %(name)s") % {"name": municipality.name},
                min_value=0,
                required=False,
                initial=entry.maximum if entry else None,
            )
        self.style_fields()

    def entry_rows(self):
        return [
            (m, self[f"factor_{m.pk}"], self[f"minimum_{m.pk}"], self[f"maximum_{m.pk}"])
            for m in self.municipalities
        ]

    def clean(self):
        cleaned = super().clean()
        for municipality in self.municipalities:
            minimum = cleaned.get(f"minimum_{municipality.pk}")
            maximum = cleaned.get(f"maximum_{municipality.pk}")
            if minimum is not None and maximum is not None and maximum < minimum:
                self.add_error(
                    f"maximum_{municipality.pk}",
                    _("%(name)s: the maximum (%(maximum)s) is below the minimum (%(minimum)s).")
                    % {"name": municipality.name, "maximum": maximum, "minimum": minimum},
                )
        return cleaned

    def values(self) -> dict:
        data = self.cleaned_data
        return {
            "name": data["name"],
            "description": data["description"],
            "population_date": data["population_date"],
            "amv_share": data["amv_share"] / 100,
            "count_realised": data["count_realised"],
            "source": data["source"],
            "entries": {
                m: (data[f"factor_{m.pk}"], data[f"minimum_{m.pk}"], data[f"maximum_{m.pk}"])
                for m in self.municipalities
            },
        }


def area_choices():
    kinds = [Area.Kind.COUNTRY, Area.Kind.PROVINCE, Area.Kind.REGION]
    areas = Area.objects.filter(kind__in=kinds).order_by("kind", "name")
    labels = dict(Area.Kind.choices)
    return [(area.pk, f"{area.name} ({labels[area.kind]})") for area in areas]


class ScenarioForm(DescribedErrorsForm):
    name = forms.CharField(label=_("Name"), max_length=150)
    area = forms.TypedChoiceField(
        label=_("Area"),
        coerce=int,
        help_text=_("The province, region or country whose municipalities share the total."),
    )
    programme = forms.ChoiceField(label=_("Programme"), choices=Programme.choices)
    cycle = forms.IntegerField(label=_("Cycle"), min_value=1, required=False, initial=1)
    total = forms.IntegerField(
        label=_("Total number of places"),
        min_value=0,
        required=False,
        help_text=_("Leave empty to use the area's task as known (the provincial task, for a province)."),
    )
    total_source = forms.CharField(
        label=_("Source of the total"),
        max_length=300,
        required=False,
        help_text=_("Required when you type a total yourself: the decision or letter it comes from."),
    )
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices, initial=Method.HAMILTON)
    key = forms.ModelChoiceField(DistributionKey.objects.all(), label=_("Key"), empty_label=None)
    realised_on = forms.DateField(
        label=_("Count existing locations on"),
        help_text=_("The places of the locations open on this date count as already realised."),
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("realised_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices()

    def clean(self):
        cleaned = super().clean()
        area = Area.objects.filter(pk=cleaned.get("area")).first()
        if area is None:
            return cleaned
        cleaned["area"] = area
        if cleaned.get("total") is None and "total" not in self.errors:
            task = default_total(area, cleaned.get("programme") or Programme.ASYLUM, cleaned.get("cycle"))
            if task is None:
                self.add_error(
                    "total",
                    _("No task is known for %(area)s; type the total and its source.") % {"area": area.name},
                )
            else:
                cleaned["total"] = int(task.value)
                cleaned["total_source"] = total_source(task)
                if cleaned.get("cycle") is None:
                    cleaned["cycle"] = task.cycle
        elif not cleaned.get("total_source"):
            self.add_error("total_source", _("Say where this total comes from."))
        if (
            cleaned.get("programme") == Programme.ASYLUM
            and cleaned.get("cycle") is None
            and "cycle" not in self.errors
        ):
            # The monitor weighs agreed numbers against the indicative split of a cycle: it must be known.
            self.add_error("cycle", _("Enter the Spreidingswet cycle this distribution is for."))
        return cleaned


class CopyForm(DescribedErrorsForm):
    name = forms.CharField(label=_("Name of the new scenario"), max_length=150)
    method = forms.ChoiceField(label=_("Method"), choices=Method.choices)
    key = forms.ModelChoiceField(DistributionKey.objects.all(), label=_("Key"), empty_label=None)


class OffersForm(DescribedErrorsForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, scenario: Scenario, **kwargs):
        super().__init__(*args, **kwargs)
        self.lines = list(scenario.lines.select_related("municipality"))
        for line in self.lines:
            self.fields[f"offer_{line.pk}"] = forms.IntegerField(
                label=_("Offer of %(name)s") % {"name": line.municipality.name},
                min_value=0,
                required=False,
                initial=line.offer,
            )
        self.fields["version"].initial = scenario.version
        self.order_fields([*(f"offer_{line.pk}" for line in self.lines), "version"])
        self.style_fields()

    def rows(self):
        return [(line, self[f"offer_{line.pk}"]) for line in self.lines]

    def offers(self) -> dict[int, int | None]:
        return {line.pk: self.cleaned_data[f"offer_{line.pk}"] for line in self.lines}


class AdoptForm(DescribedErrorsForm):
    on = forms.DateField(label=_("Adopted on"), help_text=_("The date of the decision."))
    note = forms.CharField(
        label=_("Decision"),
        max_length=300,
        help_text=_(
            "Which body decided, and where it is recorded (for example: regietafel, 14 March 2025, item 4)."
        ),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    key_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, scenario: Scenario, **kwargs):
        kwargs.setdefault("initial", {}).update(
            on=timezone.localdate(), version=scenario.version, key_version=scenario.key.version
        )
        super().__init__(*args, **kwargs)


class KeyCopyForm(DescribedErrorsForm):
    name = forms.CharField(label=_("Name of the new key"), max_length=150)
