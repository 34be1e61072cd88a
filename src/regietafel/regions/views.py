"""What the pages share about regions."""

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404

from regietafel.access.scope import province_of, require_area
from regietafel.core import memo
from regietafel.regions.models import Area


def requested_region(request) -> Area:
    """The region a page shows: ``?regio=VR04``, else the installation's own (REGIETAFEL_DEFAULT_REGION); 404 for an
    unknown code, or for a region the user may not see (a province's user: outside its province)."""
    code = request.GET.get("regio") or _default(request, regions_only=True)
    region = get_object_or_404(Area.objects.regions().select_related("parent"), code=code)
    require_area(request.user, region)
    return region


def requested_area(request) -> Area:
    """The area an adding-up page shows: a region as ``requested_region``, or a province or the country
    (``?regio=PV23``, ``?regio=NL01``); 404 for an unknown code. Looked up once per process until an area changes
    (``core.memo``)."""
    code = request.GET.get("regio") or _default(request)
    area = memo.remembered((Area,), overview_area, code)
    if area is None:
        raise Http404
    require_area(request.user, area)
    return area


def overview_area(code: str) -> Area | None:
    """The region, province or country with ``code``, with its parent."""
    return Area.objects.overviews().select_related("parent").filter(code=code).first()


def _default(request, regions_only: bool = False) -> str:
    """The installation's own region, or for a province's user outside it, its province (its first region where a
    page shows regions only)."""
    code = settings.REGIETAFEL_DEFAULT_REGION
    province = province_of(request.user)
    if province is None:
        return code
    inside = Area.objects.regions().filter(parent_id=province)
    if inside.filter(code=code).exists():
        return code
    if regions_only:
        return inside.order_by("name").values_list("code", flat=True).first() or code
    return Area.objects.filter(pk=province).values_list("code", flat=True).first() or code
