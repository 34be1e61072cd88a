"""Publishing validated half-years (program team), the public page and the open data (no login)."""

import datetime
import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from regietafel.access.scope import require, restrict
from regietafel.core.figures import SourceList
from regietafel.core.tables import FORMATS, write_table
from regietafel.domain.targets import HalfYear
from regietafel.housing.ledger import HousingLedger, thresholds
from regietafel.housing.models import PeriodLock
from regietafel.publication import opendata, services, snapshot
from regietafel.publication.models import Publication
from regietafel.regions.models import Area

# Management (beheerders) -----------------------------------------------------------------------------------


@require_GET
def manage(request):
    require(request.user, "change", Publication)
    locks = {lock.half_year: lock for lock in PeriodLock.objects.all()}
    history = list(
        restrict(Publication.objects.all(), request.user, "view").select_related(
            "region", "published_by", "withdrawn_by"
        )
    )
    latest = {}
    for publication in sorted(history, key=lambda item: item.version):
        latest[(publication.region_id, publication.half_year)] = publication
    rows = []
    for region in Area.objects.regions().order_by("code"):
        half_years = set(locks) | {half_year for region_id, half_year in latest if region_id == region.pk}
        ledger = HousingLedger(region) if half_years else None
        for half_year in sorted(half_years, reverse=True):
            current = latest.get((region.pk, half_year))
            changed = bool(
                current
                and not current.withdrawn
                and half_year in locks
                and _figures(snapshot.build(region, HalfYear.parse(half_year), ledger))
                != _figures(current.snapshot)
            )
            rows.append(
                {
                    "region": region,
                    "half_year": half_year,
                    "lock": locks.get(half_year),
                    "current": current,
                    "changed": changed,
                }
            )
    return render(request, "publication/manage.html", {"rows": rows, "history": history})


def _figures(data: dict) -> tuple:
    return data["position_date"], data["groups"]


@require_POST
def publish(request):
    require(request.user, "change", Publication)
    region = Area.objects.regions().filter(code=request.POST.get("region", "")).first()
    try:
        half_year = HalfYear.parse(request.POST.get("half_year", ""))
    except ValueError:
        half_year = None
    if region is None or half_year is None:
        messages.error(request, _("Choose a region and a half-year to publish."))
        return redirect("publication:manage")
    try:
        publication = services.publish(request.user, region, half_year)
    except services.PublicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(region)s %(half_year)s is published (version %(version)s).")
            % {"region": region.name, "half_year": half_year, "version": publication.version},
        )
    return redirect("publication:manage")


@require_POST
def withdraw(request):
    require(request.user, "change", Publication)
    text = request.POST.get("publication", "")
    publication = (
        restrict(Publication.objects.select_related("region"), request.user, "change")
        .filter(pk=int(text))
        .first()
        if text.isascii() and text.isdigit() and len(text) < 10
        else None
    )
    if publication is None:
        messages.error(request, _("Choose a publication to withdraw."))
        return redirect("publication:manage")
    try:
        services.withdraw(request.user, publication, request.POST.get("reason", ""))
    except services.PublicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("%(region)s %(half_year)s is withdrawn: the public no longer sees it.")
            % {"region": publication.region.name, "half_year": publication.half_year},
        )
    return redirect("publication:manage")


def _thresholds(publication, area) -> dict:
    """The thresholds the published statuses were classified with (a snapshot from before they were kept: the
    region's as they are now)."""
    stored = publication.snapshot.get("thresholds") if publication else None
    if stored:
        return {"behind": stored["behind"], "far": stored["far_behind"]}
    limits = thresholds(area)
    return {"behind": round(limits.behind_below * 100), "far": round(limits.far_behind_below * 100)}


# The public page (no login) ----------------------------------------------------------------------------------


@login_not_required
@require_GET
def public(request, region: str | None = None, half_year: str | None = None):
    """The published figures of one region and half-year: the default region's latest unless asked for."""
    available = list(opendata.publications())
    if region is None:
        area = Area.objects.regions().filter(code=settings.REGIETAFEL_DEFAULT_REGION).first()
        mine = [item for item in available if area and item.region_id == area.pk]
        publication = mine[-1] if mine else None
        period = HalfYear.parse(publication.half_year) if publication else None
    else:
        area = get_object_or_404(Area.objects.regions(), code=region.upper())
        try:
            period = HalfYear.parse(half_year)
        except ValueError:
            raise Http404 from None
        publication = next(
            (item for item in available if item.region_id == area.pk and item.half_year == str(period)), None
        )
    sources = SourceList()
    groups = {}
    if publication is not None:
        groups = {group: snapshot.table(publication.snapshot, group) for group in snapshot.MEASURES}
    return render(
        request,
        "publication/public.html",
        {
            "region": area,
            "half_year": period,
            "publication": publication,
            "position_date": datetime.date.fromisoformat(publication.snapshot["position_date"])
            if publication
            else None,
            "housing": groups.get("housing"),
            "reception": [
                (group, groups[group]) for group in ("asylum", "ukraine", "minors") if group in groups
            ],
            **_thresholds(publication, area),
            "is_demo": any(table.is_demo for table in groups.values()),
            "sources": sources,
            "available": available,
            "datasets": opendata.DATASETS.values(),
        },
    )


# Open data (no login) ----------------------------------------------------------------------------------------


@login_not_required
@require_GET
def opendata_docs(request):
    return render(
        request,
        "publication/opendata.html",
        {"datasets": opendata.DATASETS.values(), "licence": opendata.LICENCE},
    )


@login_not_required
@require_GET
def opendata_file(request, dataset: str, file_format: str):
    found = opendata.DATASETS.get(dataset)
    if found is None or file_format not in ("csv", "json"):
        raise Http404
    if file_format == "csv":
        columns = [column.name for column in found.columns]
        response = HttpResponse(
            write_table(columns, opendata.records(found), "csv"), content_type=FORMATS["csv"]
        )
    else:
        url = request.build_absolute_uri(reverse("publication:opendata"))
        response = HttpResponse(
            json.dumps(opendata.document(found, url), ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
    response["Content-Disposition"] = f'inline; filename="{found.name}.{file_format}"'
    # Open data: other monitors may read it from their own pages.
    response["Access-Control-Allow-Origin"] = "*"
    return response
