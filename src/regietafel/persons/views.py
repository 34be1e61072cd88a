"""Households linked to a municipality: list, read, register, change and export (all logged)."""

import copy

from auditlog.models import LogEntry
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from regietafel.access.scope import get_or_404, require
from regietafel.audit.models import Channel
from regietafel.core.downloads import table_download
from regietafel.core.tables import FORMATS, Heading
from regietafel.core.versioning import StaleEdit
from regietafel.persons import services
from regietafel.persons.forms import FilterForm, HouseholdForm, TieFormSet
from regietafel.persons.models import Household
from regietafel.regions.models import Area

PAGE_SIZE = 50
EXPORT_COLUMNS = [
    Heading("reference", gettext_lazy("reference")),
    Heading("municipality_code", gettext_lazy("municipality code")),
    Heading("municipality", gettext_lazy("municipality")),
    Heading("linked_on", gettext_lazy("linked on")),
    Heading("deadline", gettext_lazy("Deadline for an offer")),
    Heading("adults", gettext_lazy("adults")),
    Heading("children", gettext_lazy("children")),
    Heading("is_amv", gettext_lazy("unaccompanied minor")),
    Heading("status", gettext_lazy("status"), dict(Household.Status.choices)),
    Heading("is_demo", gettext_lazy("demo data")),
]


def _filter_form(request, queryset):
    municipalities = Area.objects.filter(pk__in=queryset.values("municipality")).order_by("name")
    return FilterForm(request.GET, municipalities=municipalities)


@require_GET
def household_list(request):
    require(request.user, "view", Household)
    queryset = services.households(request.user)
    form = _filter_form(request, queryset)
    page = Paginator(form.filter(queryset), PAGE_SIZE).get_page(request.GET.get("pagina"))
    rows = services.read(request, page.object_list, Channel.LIST)
    return render(request, "persons/list.html", {"form": form, "page": page, "households": rows})


@require_GET
def export(request, file_format: str):
    if file_format not in FORMATS:
        raise Http404
    require(request.user, "view", Household)
    queryset = services.households(request.user)
    rows = services.read(request, _filter_form(request, queryset).filter(queryset), Channel.EXPORT)
    return table_download(
        request,
        filename="huishoudens",
        file_format=file_format,
        title=_("Households"),
        columns=EXPORT_COLUMNS,
        rows=lambda: (
            {
                "reference": household.reference,
                "municipality_code": household.municipality.code,
                "municipality": household.municipality.name,
                "linked_on": household.linked_on,
                "deadline": household.deadline,
                "adults": household.adults,
                "children": household.children,
                "is_amv": household.is_amv,
                "status": household.status,
                "is_demo": household.is_demo,
            }
            for household in rows
        ),
    )


@require_GET
def detail(request, pk: int):
    household = get_or_404(services.households(request.user), request.user, pk=pk)
    services.read(request, [household], Channel.PAGE)
    history = LogEntry.objects.get_for_object(household).select_related("actor")
    return render(request, "persons/detail.html", {"household": household, "history": history})


def _form_page(request, form, ties, household, stale=False):
    """The household form; a household's form shows its data, first read and shown again after invalid input or a
    refusal, and every showing is a read in the processing log."""
    if household is not None:
        services.read(request, [household], Channel.PAGE)
    context = {"form": form, "ties": ties, "household": household, "stale": stale}
    return render(request, "persons/form.html", context)


def _ties(formset) -> list[tuple]:
    return [
        (form.cleaned_data["kind"], form.cleaned_data["place"])
        for form in formset.forms
        if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("place")
    ]


@require_http_methods(["GET", "POST"])
def create(request):
    require(request.user, "add", Household)
    form = HouseholdForm(request.POST or None, user=request.user)
    ties = TieFormSet(request.POST or None, prefix="banden")
    if request.method == "POST" and form.is_valid() and ties.is_valid():
        try:
            household = services.save_household(request, None, form.cleaned_data, None, _ties(ties))
        except (services.HouseholdError, StaleEdit) as exc:
            form.add_error(None, str(exc))
            return _form_page(request, form, ties, None)
        messages.success(request, _("Household %(reference)s was registered.") % {"reference": household})
        return redirect("persons:detail", pk=household.pk)
    return _form_page(request, form, ties, None)


@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    household = get_or_404(services.households(request.user, "change"), request.user, "change", pk=pk)
    form = HouseholdForm(request.POST or None, instance=copy.copy(household), user=request.user)
    ties = TieFormSet(request.POST or None, instance=household, prefix="banden")
    if request.method == "POST" and form.is_valid() and ties.is_valid():
        try:
            services.save_household(
                request, household, form.cleaned_data, form.cleaned_data["version"], _ties(ties)
            )
        except (services.HouseholdError, StaleEdit) as exc:
            form.add_error(None, str(exc))
            return _form_page(request, form, ties, household, stale=isinstance(exc, StaleEdit))
        messages.success(request, _("Household %(reference)s was saved.") % {"reference": household})
        return redirect("persons:detail", pk=household.pk)
    return _form_page(request, form, ties, household)
