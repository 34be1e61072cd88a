"""What the pages share about regions."""

from django.conf import settings
from django.shortcuts import get_object_or_404

from regietafel.regions.models import Area


def requested_region(request) -> Area:
    """The region a page shows: ``?regio=VR04``, else the installation's own (REGIETAFEL_DEFAULT_REGION); 404 for an
    unknown code."""
    code = request.GET.get("regio") or settings.REGIETAFEL_DEFAULT_REGION
    return get_object_or_404(Area.objects.regions(), code=code)


def requested_area(request) -> Area:
    """The area an adding-up page shows: a region as ``requested_region``, or a province or the country
    (``?regio=PV23``, ``?regio=NL01``); 404 for an unknown code."""
    code = request.GET.get("regio") or settings.REGIETAFEL_DEFAULT_REGION
    return get_object_or_404(Area.objects.overviews(), code=code)
