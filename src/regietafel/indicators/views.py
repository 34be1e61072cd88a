"""Indicators beyond counts: the region per domain (places x indicators, by status), the definitions, one
indicator with its values over time, and the beheerder's forms."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from regietafel.access.scope import require, restrict
from regietafel.core.figures import SourceList
from regietafel.core.versioning import StaleEdit
from regietafel.domain import indicators as rules
from regietafel.indicators import services
from regietafel.indicators.forms import DomainForm, IndicatorForm
from regietafel.indicators.ledger import IndicatorLedger, figure, place_key, unknown
from regietafel.indicators.models import Domain, Indicator, Target, Value
from regietafel.reception.models import Location
from regietafel.regions.models import Area
from regietafel.regions.views import requested_region


def _values(user):
    return restrict(Value.objects.select_related("indicator"), user)


@require_GET
def region(request):
    """One domain's indicators for every municipality of the region (and the region, and its locations)."""
    require(request.user, "view", Indicator)
    area = requested_region(request)
    domains = list(Domain.objects.all())
    domain = next(
        (d for d in domains if d.code == request.GET.get("domein")), domains[0] if domains else None
    )
    if request.GET.get("domein") and (domain is None or domain.code != request.GET["domein"]):
        messages.error(request, _("Unknown domain %(value)s.") % {"value": request.GET["domein"][:40]})
    indicators = list(Indicator.objects.filter(domain=domain, is_active=True)) if domain else []
    per_level = {level: [i for i in indicators if i.level == level] for level in Indicator.Level.values}
    ledger = IndicatorLedger(area)
    municipalities = ledger.municipalities
    locations = list(
        Location.objects.filter(municipality__in=municipalities)
        .select_related("municipality")
        .order_by("municipality__name", "name")
    )
    found = ledger.readings(indicators, _values(request.user))

    def row(indicators_of_level, key):
        return [found.get((indicator.pk, key)) or unknown(indicator) for indicator in indicators_of_level]

    sources = SourceList()
    context = {
        "region": area,
        "regions": Area.objects.regions(),
        "domains": domains,
        "domain": domain,
        "municipal": per_level[Indicator.Level.MUNICIPALITY],
        "municipal_rows": [
            (m, row(per_level[Indicator.Level.MUNICIPALITY], place_key(m.pk))) for m in municipalities
        ],
        "regional": per_level[Indicator.Level.REGION],
        "regional_row": row(per_level[Indicator.Level.REGION], place_key(area.pk)),
        "local": per_level[Indicator.Level.LOCATION],
        "local_rows": [
            (location, row(per_level[Indicator.Level.LOCATION], place_key(location_id=location.pk)))
            for location in locations
        ],
        "sources": sources,
        "statuses": [rules.Status.GOOD, rules.Status.ATTENTION, rules.Status.POOR],
    }
    return render(request, "indicators/region.html", context)


@require_GET
def definitions(request):
    require(request.user, "view", Indicator)
    domains = Domain.objects.prefetch_related("indicators")
    return render(
        request,
        "indicators/definitions.html",
        {"domains": domains},
    )


@require_GET
def detail(request, code: str):
    require(request.user, "view", Indicator)
    indicator = get_object_or_404(Indicator.objects.select_related("domain"), code=code.upper())
    values = _values(request.user).filter(indicator=indicator).select_related("area", "location")
    periods = sorted({value.period for value in values}, reverse=True)[:6]
    places: dict = {}
    for value in values.filter(period__in=periods).order_by("area__name", "location__name"):
        place = value.location or value.area
        places.setdefault(place, {})[value.period] = value
    rows = [
        (place, [_cell(indicator, by_period.get(period)) for period in reversed(periods)])
        for place, by_period in places.items()
    ]
    return render(
        request,
        "indicators/detail.html",
        {
            "indicator": indicator,
            "periods": list(reversed(periods)),
            "rows": rows,
            "targets": Target.objects.filter(indicator=indicator).order_by("-period")[:8],
            "sources": SourceList(),
        },
    )


def _cell(indicator: Indicator, value: Value | None):
    return (figure(value), indicator.status(value.value) if value is not None else None)


@require_http_methods(["GET", "POST"])
def create(request):
    require(request.user, "add", Indicator)
    form = IndicatorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.save_indicator(None, form.values())
        except (services.IndicatorError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The indicator was added."))
            return redirect("indicators:detail", code=indicator.code)
    return render(request, "indicators/form.html", {"form": form, "indicator": None})


@require_http_methods(["GET", "POST"])
def edit(request, code: str):
    require(request.user, "change", Indicator)
    indicator = get_object_or_404(Indicator, code=code.upper())
    form = IndicatorForm(request.POST or None, indicator=indicator)
    if request.method == "POST" and form.is_valid():
        try:
            indicator = services.save_indicator(indicator, form.values(), form.cleaned_data["version"])
        except (services.IndicatorError, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The indicator was saved."))
            return redirect("indicators:detail", code=indicator.code)
    return render(request, "indicators/form.html", {"form": form, "indicator": indicator})


@require_http_methods(["GET", "POST"])
def domain_create(request):
    require(request.user, "add", Domain)
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_domain(form.cleaned_data["code"], form.cleaned_data["name"])
        messages.success(request, _("The domain was added."))
        return redirect("indicators:definitions")
    return render(request, "indicators/domain_form.html", {"form": form})
