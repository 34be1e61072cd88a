"""The distribution planner: keys, scenarios with their explained numbers, comparison, adoption and export."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from regietafel.access.scope import get_or_404, require, restrict
from regietafel.core.downloads import table_download
from regietafel.core.tables import FORMATS, Heading
from regietafel.core.versioning import StaleEdit
from regietafel.distribution import services
from regietafel.distribution.forms import AdoptForm, CopyForm, KeyCopyForm, KeyForm, OffersForm, ScenarioForm
from regietafel.distribution.models import DistributionKey, Scenario
from regietafel.regions.models import Area, PopulationFigure, default_region_id


def _scenario(request, pk: int, action: str = "view") -> Scenario:
    return get_or_404(Scenario.objects.select_related("area", "key"), request.user, action, pk=pk)


def _compute(request, scenario: Scenario):
    try:
        return services.compute(scenario), None
    except (services.PlanError, StaleEdit) as exc:
        return None, str(exc)


def index(request):
    require(request.user, "view", Scenario)
    scenarios = restrict(Scenario.objects.select_related("area", "key"), request.user)
    return render(
        request,
        "distribution/index.html",
        {
            "scenarios": scenarios,
            "keys": restrict(DistributionKey.objects.all(), request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def create(request):
    require(request.user, "add", Scenario)
    initial = {}
    region = Area.objects.filter(pk=default_region_id()).first()
    if region is not None and region.province is not None:
        initial["area"] = region.province.pk
    form = ScenarioForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            scenario = services.create_scenario(
                name=data["name"],
                area=data["area"],
                programme=data["programme"],
                cycle=data["cycle"],
                total=data["total"],
                total_source=data["total_source"],
                method=data["method"],
                key=data["key"],
                realised_on=data["realised_on"],
                note=data["note"],
                user=request.user,
            )
        except (services.PlanError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The scenario was created."))
            return redirect("distribution:scenario", pk=scenario.pk)
    return render(request, "distribution/scenario_form.html", {"form": form})


def scenario(request, pk: int):
    scenario = _scenario(request, pk)
    result, error = _compute(request, scenario)
    return render(
        request,
        "distribution/scenario.html",
        {
            "scenario": scenario,
            "result": result,
            "error": error,
            "others": restrict(Scenario.objects.exclude(pk=scenario.pk), request.user).order_by(
                "-created_at"
            )[:20],
        },
    )


@require_http_methods(["GET", "POST"])
def copy(request, pk: int):
    source = _scenario(request, pk)
    require(request.user, "add", Scenario)
    form = CopyForm(
        request.POST or None,
        initial={
            "name": _("%(name)s (copy)") % {"name": source.name},
            "method": source.method,
            "key": source.key_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            scenario = services.copy_scenario(source, **form.cleaned_data, user=request.user)
        except (services.PlanError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The scenario was copied."))
            return redirect("distribution:scenario", pk=scenario.pk)
    return render(request, "distribution/copy.html", {"form": form, "scenario": source})


@require_http_methods(["GET", "POST"])
def offers(request, pk: int):
    scenario = _scenario(request, pk, "change")
    form = OffersForm(request.POST or None, scenario=scenario)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            services.save_offers(scenario, form.offers(), form.cleaned_data["version"])
        except StaleEdit as exc:
            form.add_error(None, str(exc))
            stale = True
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The offers were saved."))
            return redirect("distribution:scenario", pk=scenario.pk)
    return render(request, "distribution/offers.html", {"form": form, "scenario": scenario, "stale": stale})


@require_http_methods(["GET", "POST"])
def delete(request, pk: int):
    scenario = _scenario(request, pk, "delete")
    if request.method == "POST":
        try:
            version = int(request.POST.get("version") or "")
        except ValueError:
            version = None
        try:
            services.delete_scenario(scenario, version)
        except (services.PlanError, StaleEdit) as exc:
            messages.error(request, str(exc))
            if Scenario.objects.filter(pk=scenario.pk).exists():
                return redirect("distribution:scenario", pk=scenario.pk)
            return redirect("distribution:index")
        messages.success(request, _("The scenario “%(name)s” was deleted.") % {"name": scenario.name})
        return redirect("distribution:index")
    return render(request, "distribution/delete.html", {"scenario": scenario})


@require_http_methods(["GET", "POST"])
def adopt(request, pk: int):
    scenario = _scenario(request, pk, "decide")
    if scenario.adopted_on is not None:
        messages.error(request, _("This scenario has already been adopted."))
        return redirect("distribution:scenario", pk=scenario.pk)
    result, error = _compute(request, scenario)
    form = AdoptForm(request.POST or None, scenario=scenario)
    if request.method == "POST" and form.is_valid():
        try:
            services.adopt(
                scenario,
                on=form.cleaned_data["on"],
                note=form.cleaned_data["note"],
                user=request.user,
                version=form.cleaned_data["version"],
                key_version=form.cleaned_data["key_version"],
            )
        except (services.PlanError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("The scenario was adopted; the monitor now uses its numbers as the municipalities' tasks."),
            )
            return redirect("distribution:scenario", pk=scenario.pk)
    return render(
        request,
        "distribution/adopt.html",
        {"form": form, "scenario": scenario, "result": result, "error": error},
    )


@require_GET
def compare(request):
    require(request.user, "view", Scenario)
    ids = [
        value for value in request.GET.getlist("s") if value.isascii() and value.isdigit() and len(value) < 10
    ][:4]
    chosen = {
        s.pk: s
        for s in restrict(Scenario.objects.select_related("area", "key"), request.user).filter(pk__in=ids)
    }
    scenarios = [chosen[int(pk)] for pk in dict.fromkeys(ids) if int(pk) in chosen]
    results, errors = [], []
    for scenario in scenarios:
        result, error = _compute(request, scenario)
        if error:
            errors.append(f"{scenario.name}: {error}")
        else:
            results.append(result)
    municipalities = {}
    for result in results:
        for line in result.lines:
            municipalities.setdefault(line.municipality.pk, line.municipality)
    rows = []
    for municipality in sorted(municipalities.values(), key=lambda m: m.name):
        cells = []
        indicative = None
        for result in results:
            line = next((line for line in result.lines if line.municipality.pk == municipality.pk), None)
            cells.append(line)
            if line is not None and line.indicative is not None:
                indicative = line.indicative
        rows.append({"municipality": municipality, "indicative": indicative, "cells": cells})
    indicative_sources = sorted(
        {(row["indicative"].source, row["indicative"].reference_date) for row in rows if row["indicative"]},
        key=lambda pair: (pair[1] is None, pair[1], pair[0].name),
    )
    return render(
        request,
        "distribution/compare.html",
        {
            "results": results,
            "rows": rows,
            "indicative_sources": indicative_sources,
            "any_demo": any(result.uses_demo for result in results),
            "errors": errors,
            "all_scenarios": restrict(Scenario.objects.select_related("area"), request.user),
            "chosen_ids": [s.pk for s in scenarios],
        },
    )


# The keys are the file's columns for systems (they were its only headers before; kept so systems still read them).
EXPORT_COLUMNS = [
    Heading("code", gettext_lazy("CBS code")),
    Heading("gemeente", gettext_lazy("municipality")),
    Heading("inwoners", gettext_lazy("inhabitants")),
    Heading("peildatum_inwoners", gettext_lazy("population reference date")),
    Heading("bron_inwoners", gettext_lazy("population source")),
    Heading("factor", gettext_lazy("factor")),
    Heading("aandeel", gettext_lazy("share")),
    Heading("evenredig_deel", gettext_lazy("proportional share")),
    Heading("voorstel", gettext_lazy("proposal")),
    Heading("waarvan_amv", gettext_lazy("of which AMV")),
    Heading("gerealiseerd", gettext_lazy("realised")),
    Heading("indicatief", gettext_lazy("indicative")),
    Heading("bron_indicatief", gettext_lazy("source of the indicative number")),
    Heading("verschil_met_indicatief", gettext_lazy("difference from the indicative number")),
    Heading("aanbod", gettext_lazy("offer")),
    Heading("tekort", gettext_lazy("shortfall")),
    Heading("status", gettext_lazy("status")),
    Heading("totaal", gettext_lazy("total")),
    Heading("bron_totaal", gettext_lazy("source of the total")),
    Heading("demo", gettext_lazy("demo data")),
    Heading("toelichting", gettext_lazy("explanation")),
]


@require_GET
def export(request, pk: int, file_format: str):
    scenario = _scenario(request, pk)
    if file_format not in FORMATS:
        raise Http404
    result, error = _compute(request, scenario)
    if error:
        messages.error(request, error)
        return redirect("distribution:scenario", pk=scenario.pk)
    if scenario.superseded_on:
        status = _("superseded on %(date)s") % {"date": scenario.superseded_on.isoformat()}
    elif scenario.adopted_on:
        status = _("adopted on %(date)s") % {"date": scenario.adopted_on.isoformat()}
    else:
        status = _("draft")
    rows = [
        {
            "code": line.municipality.code,
            "gemeente": line.municipality.name,
            "inwoners": line.population.population,
            "peildatum_inwoners": line.population.reference_date.isoformat(),
            "bron_inwoners": line.population.source,
            "factor": str(line.outcome.municipality.factor),
            "aandeel": f"{float(line.outcome.share):.6f}",
            "evenredig_deel": f"{float(line.outcome.quota):.4f}",
            "voorstel": line.places,
            "waarvan_amv": line.minors,
            "gerealiseerd": line.line.realised,
            "indicatief": line.indicative_places,
            "bron_indicatief": _source(line.indicative) if line.indicative else None,
            "verschil_met_indicatief": line.difference_from_indicative,
            "aanbod": line.line.offer,
            "tekort": line.gap,
            "status": status,
            "totaal": scenario.total,
            "bron_totaal": scenario.total_source,
            # Demo locations counted as places already realised make the line an example, not a proposal.
            "demo": result.uses_demo and line.line.realised_is_demo,
            "toelichting": " ".join(line.explanation),
        }
        for line in result.lines
    ]
    day = timezone.localdate().isoformat()
    name = slugify(scenario.name)[:60] or "scenario"
    return table_download(
        request,
        filename=f"verdeling-{name}-{day}",
        file_format=file_format,
        title=scenario.name,
        columns=EXPORT_COLUMNS,
        rows=lambda: rows,
    )


def _source(task) -> str:
    return f"{task.source}, {task.reference_date.isoformat()}" if task.reference_date else task.source


def _key_area(request) -> Area | None:
    code = request.GET.get("gebied")
    if code:
        return Area.objects.filter(code=code).exclude(kind=Area.Kind.MUNICIPALITY).first()
    region = Area.objects.filter(pk=default_region_id()).first()
    return region.province if region is not None and region.province is not None else region


@require_http_methods(["GET", "POST"])
def key_edit(request, pk: int | None = None):
    key = get_or_404(DistributionKey, request.user, "change", pk=pk) if pk else None
    if key is None:
        require(request.user, "add", DistributionKey)
    elif (used := services.adopted_use(key)) is not None:
        messages.error(
            request,
            _("This key was used for the adopted scenario “%(name)s” and cannot change; copy it instead.")
            % {"name": used.name},
        )
        return redirect("distribution:key", pk=key.pk)
    area = _key_area(request)
    municipalities = services.municipalities_of(area) if area is not None else []
    form = KeyForm(request.POST or None, key=key, municipalities=municipalities)
    stale = False
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_key(key, **form.values(), version=form.cleaned_data["version"])
        except StaleEdit as exc:
            form.add_error(None, str(exc))
            stale = True
        except services.PlanError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The key was saved."))
            return redirect("distribution:key", pk=saved.pk)
    return render(
        request,
        "distribution/key_form.html",
        {
            "form": form,
            "key": key,
            "area": area,
            "areas": Area.objects.exclude(kind=Area.Kind.MUNICIPALITY).order_by("kind", "name"),
            "stale": stale,
        },
    )


def key_detail(request, pk: int):
    key = get_or_404(DistributionKey, request.user, "view", pk=pk)
    return render(
        request,
        "distribution/key.html",
        {
            "key": key,
            "entries": key.entries.select_related("municipality"),
            "scenarios": restrict(key.scenarios.select_related("area"), request.user),
            "adopted_use": services.adopted_use(key),
            "population_sources": PopulationFigure.objects.filter(
                reference_date=key.population_date, area__kind=Area.Kind.MUNICIPALITY, is_demo=False
            )
            .order_by("source__name")
            .values_list("source__name", flat=True)
            .distinct(),
        },
    )


@require_http_methods(["GET", "POST"])
def key_copy(request, pk: int):
    key = get_or_404(DistributionKey, request.user, "view", pk=pk)
    require(request.user, "add", DistributionKey)
    form = KeyCopyForm(request.POST or None, initial={"name": _("%(name)s (copy)") % {"name": key.name}})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.copy_key(key, name=form.cleaned_data["name"])
        except (services.PlanError, StaleEdit) as exc:
            form.add_error("name", str(exc))
        else:
            messages.success(request, _("The key was copied; you can now change the copy."))
            return redirect("distribution:key_edit", pk=copy.pk)
    return render(request, "distribution/key_copy.html", {"form": form, "key": key})
