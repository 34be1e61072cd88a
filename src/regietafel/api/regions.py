"""Municipalities, their populations and the sources figures cite, in the REST API."""

from rest_framework import serializers

from regietafel.api.viewsets import (
    SOURCED,
    ImportWriteMixin,
    ScopedViewSet,
    SourcedSerializer,
    filters_for,
    import_writes,
)
from regietafel.core.importers import SOURCES
from regietafel.core.models import Source
from regietafel.regions.importers import POPULATIONS
from regietafel.regions.models import Area, PopulationFigure


class MunicipalitySerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="parent.code", allow_null=True, default=None)

    class Meta:
        model = Area
        fields = ["code", "name", "region"]


class MunicipalityViewSet(ScopedViewSet):
    """The municipalities, by CBS code, with the region (veiligheidsregio) they belong to."""

    queryset = Area.objects.municipalities().select_related("parent").order_by("code")
    serializer_class = MunicipalitySerializer
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z0-9]{1,10}"
    filterset_class = filters_for(Area, area="")


class PopulationSerializer(SourcedSerializer):
    municipality = serializers.CharField(source="area.code")

    class Meta:
        model = PopulationFigure
        fields = ["id", "municipality", "population", *SOURCED]


@import_writes(POPULATIONS)
class PopulationViewSet(ImportWriteMixin, ScopedViewSet):
    """Population per municipality on a reference date (CBS, 1 January). A beheerder writes figures with
    ``POST`` or ``POST /inwonertallen/bulk`` (the import's layout)."""

    queryset = (
        PopulationFigure.objects.filter(area__kind=Area.Kind.MUNICIPALITY)
        .select_related("area")
        .order_by("area__code", "reference_date")
    )
    serializer_class = PopulationSerializer
    filterset_class = filters_for(PopulationFigure, period="reference_date")


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["id", "name", "publisher", "title", "published", "address", "confidence", "description"]


@import_writes(SOURCES)
class SourceViewSet(ImportWriteMixin, ScopedViewSet):
    """The sources figures cite (``source_id`` of every figure): publisher, title, date published, address,
    confidence (H, M, L) and a description. A beheerder adds or corrects them with ``POST`` or ``POST /bronnen/bulk``
    (the import's layout)."""

    queryset = Source.objects.order_by("name")
    serializer_class = SourceSerializer
