"""The regional monitor: where each municipality stands on each task, with the source of every figure."""

import datetime

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from regietafel.access.scope import get_or_404, require, require_area, restrict
from regietafel.core import memo
from regietafel.core.downloads import attachment, for_systems
from regietafel.core.figures import Figure, SourceList, total
from regietafel.core.models import Confidence, Source
from regietafel.core.tables import FORMATS, write_table
from regietafel.core.versioning import StaleEdit
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import (
    HousingLedger,
    announced_half_years,
    default_half_year,
    known_half_years,
)
from regietafel.housing.models import (
    Agreement,
    CorporationAgreement,
    HousingRealisation,
    NationalOutcome,
    NationalTarget,
    PeriodEvent,
    PeriodLock,
)
from regietafel.housing.periods import PeriodLocked
from regietafel.housing.periods import lock as lock_period
from regietafel.housing.periods import locked as locked_half_years
from regietafel.housing.periods import unlock as unlock_period
from regietafel.housing.services import AgreementError, delete_agreement, save_agreement
from regietafel.indicators.ledger import IndicatorLedger
from regietafel.indicators.models import Indicator, Value
from regietafel.matching import corporations
from regietafel.monitor import citations, fragments, pagecache, tables
from regietafel.monitor.forms import AgreementForm
from regietafel.reception import cycles, money, third_country
from regietafel.reception.ledger import ReceptionLedger
from regietafel.reception.models import Location, Rate
from regietafel.regions.models import Area
from regietafel.regions.views import requested_area, requested_region


def _half_year(request) -> HalfYear | None:
    """The half-year asked for (``?halfjaar=``), else the latest with a national number up to today."""
    text = request.GET.get("halfjaar")
    if text:
        try:
            return HalfYear.parse(text)
        except ValueError:
            messages.error(
                request, _("Unknown half-year %(value)s; showing the latest.") % {"value": text[:20]}
            )
    return default_half_year(memo.remembered((NationalTarget,), announced_half_years), timezone.localdate())


def _reference_date(request) -> datetime.date:
    text = request.GET.get("peildatum")
    if text:
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            messages.error(request, _("Unknown date %(value)s; showing today.") % {"value": text[:20]})
    return timezone.localdate()


def _page(request, template: str, sources: SourceList | None, body: bytes | None = None, **context):
    require(request.user, "view", HousingRealisation)
    context["sources"] = sources
    context["regions"] = Area.objects.regions()
    if body is not None:
        return pagecache.around(request, template, context, body)
    return render(request, template, context)


def overview(request):
    area = requested_area(request)
    half_year = _half_year(request)
    require(request.user, "view", HousingRealisation)
    body = pagecache.cached(
        request,
        fragments.overview_parts(area, half_year),
        lambda: fragments.overview(area, half_year, request),
    )
    return _page(request, "monitor/overview.html", None, region=area, body=body)


EXPORT_NAMES = {"asylum": "asielopvang", "ukraine": "oekraine", "minors": "amv"}


def _reception_page(request, kind: str):
    region = requested_region(request)
    on = _reference_date(request)
    ledger = ReceptionLedger(region, on)
    table = tables.reception_table(ledger, kind)
    return _page(
        request,
        "monitor/reception.html",
        SourceList(),
        region=region,
        reference_date=on,
        table=table,
        kind=kind,
        export_name=EXPORT_NAMES[kind],
        tiles=tables.tiles(ledger.municipalities, table),
    )


def asylum(request):
    return _reception_page(request, "asylum")


def ukraine(request):
    return _reception_page(request, "ukraine")


def minors(request):
    region = requested_region(request)
    on = _reference_date(request)
    housing = HousingLedger(region)
    half_year = housing.default_half_year(on)
    reception = ReceptionLedger(region, on)
    return _page(
        request,
        "monitor/minors.html",
        SourceList(),
        region=region,
        reference_date=on,
        half_year=half_year,
        housing_table=tables.minors_housing_table(housing, half_year) if half_year else None,
        table=tables.reception_table(reception, "minors"),
    )


def national(request):
    history = {}
    for target in NationalTarget.objects.order_by("half_year", "revision"):
        history.setdefault(target.half_year, []).append(target)
    outcomes = {outcome.half_year: outcome for outcome in NationalOutcome.objects.all()}
    return _page(request, "monitor/national.html", SourceList(), history=history, outcomes=outcomes)


def municipality(request, code: str):
    area = get_object_or_404(Area.objects.municipalities().select_related("parent"), code=code.upper())
    if area.parent is None or area.parent.kind != Area.Kind.REGION:
        raise Http404
    require_area(request.user, area)
    require(request.user, "view", HousingRealisation)
    body = pagecache.cached(
        request, fragments.municipality_parts(area), lambda: fragments.municipality(area, request)
    )
    return _page(request, "monitor/municipality.html", None, area=area, body=body)


def location(request, pk: int):
    """One reception location: capacity and occupancy next to its quality indicators, for the table's talk about
    "kwaliteit van de opvang" per location."""
    place = get_or_404(Location.objects.select_related("municipality"), request.user, pk=pk)
    sources = SourceList()
    readings = IndicatorLedger(place.municipality.parent).for_place(
        restrict(Value.objects.all(), request.user), Indicator.Level.LOCATION, location_id=place.pk
    )
    return _page(request, "monitor/location.html", sources, location=place, indicators=readings)


@require_http_methods(["GET", "POST"])
def agreement(request, half_year: str):
    require(request.user, "change", Agreement)
    region = requested_region(request)
    try:
        period = HalfYear.parse(half_year)
    except ValueError:
        raise Http404 from None
    ledger = HousingLedger(region)
    current = ledger.agreements.get(str(period))
    statutory = {m.code: ledger.statutory(m, period)[0] for m in ledger.municipalities}
    form = AgreementForm(
        request.POST or None, municipalities=ledger.municipalities, agreement=current, statutory=statutory
    )
    if request.method == "POST" and "delete" in request.POST and current is not None:
        try:
            delete_agreement(
                region,
                period,
                int(request.POST.get("version", 0)),
                request.user,
                request.POST.get("reason", ""),
            )
        except (StaleEdit, PeriodLocked, ValueError) as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("The agreement was removed; the statutory targets apply again."))
        return redirect(f"{_overview_url(region)}&halfjaar={period}")
    if request.method == "POST" and form.is_valid():
        try:
            save_agreement(
                region,
                period,
                form.targets(),
                agreed_on=form.cleaned_data["agreed_on"],
                source=form.cleaned_data["source"],
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
                user=request.user,
                reason=form.cleaned_data["reason"],
            )
        except (AgreementError, PeriodLocked, StaleEdit) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The agreement was saved."))
            return redirect(f"{_overview_url(region)}&halfjaar={period}")
    rows = [(m, statutory[m.code], form[f"target_{m.code}"]) for m in ledger.municipalities]
    return _page(
        request,
        "monitor/agreement.html",
        SourceList(),
        region=region,
        half_year=period,
        form=form,
        rows=rows,
        statutory_total=total(list(statutory.values())),
        agreement=current,
        locked=str(period) in locked_half_years(),
    )


def inputs(request):
    """For the beheerder: per half-year, exactly which statutory inputs are missing and how to load them."""
    require(request.user, "change", PeriodLock)
    region = requested_region(request)
    ledger = HousingLedger(region)
    rows = [ledger.missing_inputs(half_year) for half_year in reversed(ledger.half_years())]
    return render(
        request,
        "monitor/inputs.html",
        {
            "region": region,
            "rows": rows,
            "complete": sum(row.complete for row in rows),
            "municipality_count": len(ledger.municipalities),
        },
    )


def sources(request):
    """Every source the figures cite, with how sure it is and how many figures cite it."""
    require(request.user, "view", Source)
    cited = citations.counts()
    rows = [(source, cited.get(source.pk, (0, 0))) for source in Source.objects.all()]
    return render(
        request,
        "monitor/sources.html",
        {"rows": rows, "rules": [(level, level.label, level.rule) for level in Confidence]},
    )


def source(request, pk: int):
    """One source: who published what, when and where, how sure it is and which figures cite it."""
    require(request.user, "view", Source)
    record = get_object_or_404(Source, pk=pk)
    return render(request, "monitor/source.html", {"source": record, "citing": citations.citing(record)})


def _overview_url(region: Area) -> str:
    return f"{reverse('monitor:overview')}?regio={region.code}"


def export_overview(request, table: str, file_format: str):
    require(request.user, "view", HousingRealisation)
    if file_format not in FORMATS:
        raise Http404
    region = requested_region(request)
    on = _reference_date(request)
    if table == "huisvesting":
        half_year = _half_year(request)
        if half_year is None:
            raise Http404
        name = f"huisvesting-{region.code}-{half_year}"

        def data() -> tables.Table:
            return tables.housing_table(HousingLedger(region), half_year)

    elif table in {"asielopvang", "oekraine", "amv"}:
        kind = {name: kind for kind, name in EXPORT_NAMES.items()}[table]
        name = f"{table}-{region.code}-{on.isoformat()}"

        def data() -> tables.Table:
            return tables.reception_table(ReceptionLedger(region, on), kind)

    else:
        raise Http404

    variant = for_systems(request)

    def build() -> bytes:
        exported = data()
        columns, rows = exported.export_columns(), exported.export_rows()
        return write_table(columns, rows, file_format, title=str(exported.title), for_systems=variant)

    content = pagecache.cached(request, ("export", name, file_format, variant), build)
    return attachment(content, f"{name}.{file_format}", FORMATS[file_format])


@require_http_methods(["GET", "POST"])
def periods(request):
    """The program team locks a half-year once its figures are validated (and can unlock it, with a reason)."""
    require(request.user, "change", PeriodLock)
    if request.method == "POST":
        try:
            period = HalfYear.parse(request.POST.get("half_year", ""))
        except ValueError:
            raise Http404 from None
        reason = request.POST.get("reason", "").strip()
        try:
            if "unlock" in request.POST:
                unlock_period(request.user, period, reason)
                messages.success(request, _("%(half_year)s is unlocked.") % {"half_year": period})
            else:
                lock_period(request.user, period, reason)
                messages.success(request, _("%(half_year)s is locked.") % {"half_year": period})
        except PeriodLocked as exc:
            messages.error(request, str(exc))
        return redirect("monitor:periods")
    locks = {lock.half_year: lock for lock in PeriodLock.objects.select_related("locked_by")}
    # Every half-year from 2019-H1 to the current one (and any locked beyond that), newest first.
    offered = {str(half_year) for half_year in known_half_years()} | set(locks)
    rows = [(half_year, locks.get(half_year)) for half_year in sorted(offered, reverse=True)]
    events = PeriodEvent.objects.select_related("by")[:50]
    return render(request, "monitor/periods.html", {"rows": rows, "events": events})


def corporation_agreements(request):
    """The region's agreements with housing corporations beside what reached the pipeline."""
    require(request.user, "view", CorporationAgreement)
    region = requested_region(request)
    found = corporations.rows(list(Area.objects.in_region(region)))
    return _page(request, "monitor/corporations.html", SourceList(), region=region, rows=found)


def reimbursement(request):
    """What the state pays: the rates, and per municipality of the region the expected reimbursement for its
    municipal reception of displaced Ukrainians in the last four quarters (estimates)."""
    require(request.user, "view", Location)
    region = requested_region(request)
    municipalities = list(Area.objects.in_region(region).order_by("name"))
    quarters = money.last_quarters(timezone.localdate())
    found = money.estimates(municipalities, quarters)
    rows = [(municipality, found[municipality.pk]) for municipality in municipalities]
    sums = [total([row[1][index].amount for row in rows]) for index in range(len(quarters))]
    totals = [Figure(sum_.value, sum_.refs, _("estimate")) if sum_.known else sum_ for sum_ in sums]
    return _page(
        request,
        "monitor/money.html",
        SourceList(),
        region=region,
        quarters=quarters,
        rows=rows,
        totals=totals,
        booo=money.rates(),
        incentives=money.rates(Rate.Scheme.DISTRIBUTION_INCENTIVE),
    )


def third_country_nationals(request):
    """Derdelanders in the region: the state's rule through time, and per municipality its latest counts by status."""
    require(request.user, "view", Location)
    region = requested_region(request)
    municipalities = list(Area.objects.in_region(region).order_by("name"))
    found = third_country.history(municipalities)
    return _page(
        request,
        "monitor/third_country.html",
        SourceList(),
        region=region,
        rules=third_country.rules(),
        latest_rows=[found[m.pk][0] for m in municipalities if found[m.pk]],
        uncounted=[m.name for m in municipalities if not found[m.pk]],
        statuses=third_country.STATUSES.labels,
    )


def cycle(request):
    """The Spreidingswet's cycle for the region: its stages and dates, the number per municipality at each stage,
    the places realised against it over time, and the incentive it brings."""
    require(request.user, "view", Location)
    region = requested_region(request)
    found = cycles.cycles()
    chosen = found[-1] if found else None
    if request.GET.get("cyclus", "").isdigit():
        chosen = next((c for c in found if c.number == int(request.GET["cyclus"])), chosen)
    dates, rows = (
        cycles.rows(chosen, list(Area.objects.in_region(region).order_by("name"))) if chosen else ([], [])
    )
    today = timezone.localdate()
    return _page(
        request,
        "monitor/cycle.html",
        SourceList(),
        region=region,
        cycles=found,
        cycle=chosen,
        stage_now=cycles.stage_now(chosen, today) if chosen else "",
        stages=[label for _measure, label in cycles.STAGES],
        dates=dates,
        rows=rows,
        totals=[total([row.stages[index] for row in rows]) for index in range(len(cycles.STAGES))],
    )
