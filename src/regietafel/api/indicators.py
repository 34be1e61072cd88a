"""Indicators in the REST API: the definitions, and the values per place and period (written like the import)."""

import django_filters
from django.utils.translation import gettext_lazy
from rest_framework import serializers

from regietafel.api.viewsets import (
    SOURCED,
    ImportWriteMixin,
    ScopedViewSet,
    SourcedSerializer,
    filters_for,
    import_writes,
)
from regietafel.indicators.importers import VALUES
from regietafel.indicators.models import Indicator, Value


class IndicatorSerializer(serializers.ModelSerializer):
    domain = serializers.CharField(source="domain.code")
    domain_name = serializers.CharField(source="domain.name")

    class Meta:
        model = Indicator
        fields = [
            "id", "code", "name", "explanation", "domain", "domain_name", "unit", "direction", "level",
            "periodicity", "good_threshold", "poor_threshold", "norm", "norm_source", "expected_source", "is_active",
        ]  # fmt: skip


class IndicatorFilter(django_filters.FilterSet):
    code = django_filters.CharFilter(field_name="code", help_text=gettext_lazy("An indicator's code."))
    domein = django_filters.CharFilter(
        field_name="domain__code", help_text=gettext_lazy("A domain's code, e.g. reception_quality.")
    )

    class Meta:
        model = Indicator
        fields = []


class IndicatorViewSet(ScopedViewSet):
    """The indicators the region follows beyond counts: what each measures, its unit, which way is better, its
    level and periodicity, its official norm (only with its source) and the thresholds for the status."""

    queryset = Indicator.objects.select_related("domain").order_by("domain__position", "code")
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilter


class ValueSerializer(SourcedSerializer):
    indicator = serializers.CharField(source="indicator.code")
    area = serializers.CharField(source="area.code")
    location = serializers.CharField(source="location.name", allow_null=True, default=None)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Value
        fields = ["id", "indicator", "area", "location", "period", "value", "status", *SOURCED]

    def get_status(self, value: Value) -> str:
        """good, attention, poor, or unknown (no thresholds set)."""
        return value.indicator.status(value.value).value


ValueFilter = type(
    "ValueFilter",
    (filters_for(Value),),
    {
        "indicator": django_filters.CharFilter(
            field_name="indicator__code", help_text=gettext_lazy("An indicator's code.")
        ),
        "periode": django_filters.CharFilter(
            field_name="period",
            help_text=gettext_lazy("The indicator's period: 2025-03, 2025-Q1 or 2025-H1."),
        ),
    },
)


@import_writes(VALUES)
class ValueViewSet(ImportWriteMixin, ScopedViewSet):
    """Indicator values per municipality, region or reception location and period, each with its source and its
    status against the indicator's thresholds. Written with ``POST`` or ``POST /indicatorwaarden/bulk`` (the
    import's rules)."""

    queryset = Value.objects.select_related("indicator", "area", "location").order_by(
        "indicator__code", "area__code", "location__name", "period"
    )
    serializer_class = ValueSerializer
    filterset_class = ValueFilter
