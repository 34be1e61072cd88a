"""The list of conditions for an agreement with the state, in the REST API (read-only)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from regietafel.api.viewsets import ScopedViewSet
from regietafel.conditions.models import Condition


class ConditionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    theme = serializers.CharField(source="theme.name")
    owner = serializers.CharField(source="owner.name", allow_null=True, default=None)

    class Meta:
        model = Condition
        fields = [
            "id",
            "region",
            "theme",
            "title",
            "description",
            "what_we_ask",
            "status",
            "owner",
            "updated_at",
            "version",
            "is_demo",
        ]


class ConditionFilter(django_filters.FilterSet):
    regio = django_filters.CharFilter(
        field_name="region__code", help_text=_("Code of the region, e.g. VR04.")
    )

    class Meta:
        model = Condition
        fields = []


class ConditionViewSet(ScopedViewSet):
    """The conditions the region sets for an agreement with the state, with their status."""

    queryset = Condition.objects.select_related("region", "theme", "owner").order_by("region__code", "id")
    serializer_class = ConditionSerializer
    filterset_class = ConditionFilter
