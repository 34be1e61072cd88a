"""The partner register in the REST API (read-only): organisations, their themes and where they work."""

import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from regietafel.api.viewsets import ScopedViewSet
from regietafel.organisations.models import Organisation


class PartnerSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", allow_null=True, default=None)
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    works_in = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = [
            "id",
            "name",
            "kind",
            "municipality",
            "description",
            "website",
            "themes",
            "works_in",
            "is_demo",
        ]


class PartnerFilter(django_filters.FilterSet):
    gemeente = django_filters.CharFilter(
        field_name="works_in__code",
        distinct=True,
        help_text=_("CBS code of a municipality the organisation works in."),
    )

    class Meta:
        model = Organisation
        fields = []


class PartnerViewSet(ScopedViewSet):
    """Organisations the table works with (municipalities, COA, housing corporations, ...). Contact persons are
    not in the API."""

    queryset = (
        Organisation.objects.select_related("municipality")
        .prefetch_related("themes", "works_in")
        .order_by("name")
    )
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter
