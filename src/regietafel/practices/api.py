"""Practices municipalities share, in the REST API (read-only)."""

from rest_framework import serializers

from regietafel.api.viewsets import ScopedViewSet, filters_for
from regietafel.practices.models import Practice


class PracticeSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", allow_null=True, default=None)
    organisation = serializers.CharField(source="organisation.name", allow_null=True, default=None)
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)

    class Meta:
        model = Practice
        fields = [
            "id",
            "title",
            "problem",
            "approach",
            "results",
            "themes",
            "target_group",
            "municipality",
            "organisation",
            "updated_at",
            "is_demo",
        ]


class PracticeViewSet(ScopedViewSet):
    """What a municipality did about a problem, and what came of it. The contact text is not in the API."""

    queryset = (
        Practice.objects.select_related("municipality", "organisation")
        .prefetch_related("themes")
        .order_by("id")
    )
    serializer_class = PracticeSerializer
    filterset_class = filters_for(Practice, area="municipality")
