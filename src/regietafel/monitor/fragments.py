"""The figures parts of the monitor's pages: a region's (province's, the nation's) overview and a municipality's page.

Each is rendered from the figures and from what the viewer's role may do, nothing else of the request (the page
cache keeps one per role: ``monitor.pagecache``); ``request`` only gives the templates the page's path and the
viewer (``request.user``). A request renders the part when the cache has none; the worker renders them ahead, right
after figures change (``monitor.warmup``), with a stand-in of each role.
"""

import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from regietafel.access.scope import can, restrict
from regietafel.core.figures import Figure, SourceList
from regietafel.domain.targets import HalfYear
from regietafel.housing import supervision
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import ReportedTarget, SupervisionPlacement
from regietafel.indicators.ledger import IndicatorLedger
from regietafel.indicators.models import Indicator, Value
from regietafel.matching import corporations
from regietafel.matching.ledger import PipelineLedger
from regietafel.monitor import tables
from regietafel.reception import cycles, money, third_country
from regietafel.reception.ledger import ReceptionLedger
from regietafel.regions.models import Area, PopulationFigure


def overview_parts(area: Area, half_year: HalfYear | None) -> tuple:
    return ("overview", area.code, str(half_year))


def municipality_parts(area: Area) -> tuple:
    return ("municipality", area.code)


def _render(template: str, request, context: dict) -> str:
    """The part alone: no context processors (the menu, the viewer's notifications), which the page around it has."""
    return render_to_string(
        template, {"request": request, "sources": SourceList(), "regions": Area.objects.regions(), **context}
    )


def overview(area: Area, half_year: HalfYear | None, request, ledger: HousingLedger | None = None) -> str:
    regional = area.kind == Area.Kind.REGION
    ledger = ledger or HousingLedger(area)
    table = tables.housing_table(ledger, half_year) if half_year else None
    trend = tables.region_trend(ledger, half_year) if half_year else []
    # A province's or the nation's page adds its regions up: their rows, and a map of regions.
    by_region = tables.housing_by_region(ledger, table, half_year) if table and not regional else None
    context = {
        "trend": trend,
        "trend_chart": tables.region_trend_chart(trend),
        "region": area,
        "regions": Area.objects.overviews().order_by("kind", "name"),
        "half_year": half_year,
        "half_years": ledger.half_years(),
        "table": table,
        "by_region": by_region,
        "tiles": (
            tables.tiles([row.area for row in by_region.rows], by_region)
            if by_region
            else tables.tiles(ledger.municipalities, table)
        ),
        "national": ledger.national_target(half_year) if half_year else Figure.unknown(),
        # Where a statutory input is demo (not public yet), every target is: the banner says so.
        "inputs_demo": bool(table) and any(row.cells["statutory"].is_demo for row in table.rows),
        "position_date": ledger.position_date(half_year) if half_year else None,
        "regional": regional,
        "agreement": ledger.agreements.get(str(half_year)) if half_year and regional else None,
        "behind": round(ledger.thresholds.behind_below * 100),
        "far": round(ledger.thresholds.far_behind_below * 100),
        "supervision": supervision.on_a_step(
            supervision.rows(
                ledger,
                half_year,
                missed={row.area.pk: row.cells["missed"] for row in table.rows} if table else None,
            )
        ),
        "may_record": can(request.user, "add", SupervisionPlacement),
        **(forecast(ledger, half_year) if regional else {}),
    }
    return _render("monitor/_overview.html", request, context)


def municipality(area: Area, request) -> str:
    """A municipality's page reads its own figures only (and where its region's position stands)."""
    ledger = HousingLedger(area.parent, municipalities=[area])
    today = timezone.localdate()
    history = [(half_year, ledger.row(area, half_year)) for half_year in ledger.half_years()]
    reception = ReceptionLedger(area.parent, municipalities=[area])
    context = {
        "supervision": supervision.rows(ledger, ledger.default_half_year(today), [area])[0],
        "corporations": corporations.rows([area]),
        "money": money.estimates([area], money.last_quarters(today))[area.pk],
        "third_country_history": third_country.history([area])[area.pk],
        **cycle_of(area, today),
        "third_country_statuses": third_country.STATUSES.labels,
        "may_record": can(request.user, "add", SupervisionPlacement),
        "area": area,
        "region": area.parent,
        "history": history,
        "chart": tables.history_chart(history),
        "locations": reception.municipality_locations(area),
        "populations": PopulationFigure.objects.filter(area=area).order_by("reference_date"),
        "reported": ReportedTarget.objects.filter(municipality=area).order_by("period", "revision"),
        "third_country": reception.ukraine_rows()[0].extra,
        "indicators": IndicatorLedger(area.parent).for_place(
            restrict(Value.objects.all(), request.user), Indicator.Level.MUNICIPALITY, area_id=area.pk
        ),
        **forecast(ledger, ledger.default_half_year(today), area),
    }
    return _render("monitor/_municipality.html", request, context)


def forecast(ledger: HousingLedger, half_year: HalfYear | None, area: Area | None = None) -> dict:
    """The end-of-half-year forecast, for the half-year that is running now (a past one has its outcome)."""
    today = timezone.localdate()
    current = HalfYear.containing(today)
    if current not in ledger.announced_half_years():
        note = _(
            "No national number is known yet for the current half-year %(half_year)s: without a target there is no forecast."
        )
        return {"forecast_note": note % {"half_year": current}}
    if half_year != current:
        return {}
    rows = PipelineLedger(ledger.region, today, housing=ledger).rows(half_year)
    if area is not None:
        rows = [row for row in rows if row.municipality == area]
    return {"forecast_rows": rows, "forecast_half_year": half_year}


def cycle_of(area: Area, today: datetime.date) -> dict:
    """The latest Spreidingswet cycle's numbers for one municipality: its page."""
    found = cycles.cycles()
    if not found:
        return {}
    _dates, rows = cycles.rows(found[-1], [area], today)
    return {"cycle": found[-1], "cycle_row": rows[0]}
