"""The set-up of the product for a region: what a beheerder arranges before the table's first meeting, and the
region's tile map."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from regietafel.access.scope import require
from regietafel.core.versioning import StaleEdit
from regietafel.housing.ledger import thresholds
from regietafel.monitor import tables
from regietafel.regions import services
from regietafel.regions.forms import RegionForm, TileForm
from regietafel.regions.models import Area


def setup(request):
    require(request.user, "change", Area)
    regions = [
        (region, services.placed_count(region), Area.objects.in_region(region).count())
        for region in Area.objects.regions().order_by("name")
    ]
    return render(request, "monitor/setup.html", {"regions": regions})


def _defaults() -> tuple[int, int]:
    limits = thresholds()
    return round(limits.behind_below * 100), round(limits.far_behind_below * 100)


def region_edit(request, code: str | None = None):
    """Create a region, or change its name, province, municipalities and monitoring thresholds."""
    require(request.user, "change", Area)
    region = get_object_or_404(Area.objects.regions(), code=code) if code else None
    initial = {}
    if region is not None:
        initial = {
            "name": region.name,
            "province": region.parent_id,
            "municipalities": " ".join(area.code for area in Area.objects.in_region(region).order_by("name")),
            "behind_below_percent": region.behind_below_percent,
            "far_behind_below_percent": region.far_behind_below_percent,
            "seen": services.region_seen(region),
        }
    form = RegionForm(request.POST or None, region=region, defaults=_defaults(), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.save_region(
                region,
                code=data.get("code", ""),
                name=data["name"],
                province=data["province"],
                municipalities=data["municipalities"],
                behind_below_percent=data["behind_below_percent"],
                far_behind_below_percent=data["far_behind_below_percent"],
                seen=data["seen"],
            )
        except StaleEdit as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Region %(region)s was saved.") % {"region": saved.name})
            return redirect("monitor:region", code=saved.code)
    return render(
        request,
        "monitor/region.html",
        {
            "region": region,
            "form": form,
            "municipalities": list(Area.objects.in_region(region).order_by("name")) if region else [],
        },
    )


def tiles_edit(request, code: str):
    require(request.user, "change", Area)
    region = get_object_or_404(Area.objects.regions(), code=code)
    municipalities = list(Area.objects.in_region(region).order_by("name"))
    use_default = request.method == "POST" and "default" in request.POST
    cells = services.default_tiles(region) if use_default else services.tile_cells(municipalities)
    form = TileForm(
        request.POST if request.method == "POST" and not use_default else None,
        municipalities=municipalities,
        cells=cells,
        initial={"seen": services.tiles_seen(municipalities)},
    )
    if request.method == "POST":
        chosen = cells if use_default else (form.cells() if form.is_valid() else None)
        if chosen is not None:
            try:
                services.place_tiles(region, chosen, request.POST.get("seen", ""))
            except (StaleEdit, ValueError) as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("The tile map of %(region)s was saved.") % {"region": region.name}
                )
                return redirect("monitor:tiles", code=region.code)
    return render(
        request,
        "monitor/tiles.html",
        {
            "region": region,
            "form": form,
            "tiles": tables.tiles(list(Area.objects.in_region(region).order_by("name")), None),
            "placed": services.placed_count(region),
            "count": len(municipalities),
        },
    )
