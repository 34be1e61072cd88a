"""Practices municipalities share, in the REST API (read-only)."""

import copy

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers

from regietafel.api.viewsets import (
    FormDeleteMixin,
    FormWriteMixin,
    ScopedViewSet,
    by_code,
    by_name,
    filters_for,
)
from regietafel.core.models import Theme
from regietafel.practices import services
from regietafel.practices.forms import PracticeForm
from regietafel.practices.models import Practice
from regietafel.regions.models import Area


class PracticeSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", allow_null=True, default=None)
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True, default=None)
    organisation_name = serializers.CharField(source="organisation.name", allow_null=True, default=None)
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
            "organisation_name",
            "updated_at",
            "version",
            "is_demo",
        ]


class PracticeWrite(serializers.Serializer):
    """For the OpenAPI document; the page's form validates."""

    title = serializers.CharField(max_length=200)
    municipality = serializers.CharField(help_text="CBS code")
    organisation = serializers.IntegerField(required=False, allow_null=True)
    target_group = serializers.CharField()
    themes = serializers.ListField(child=serializers.CharField(), required=False, help_text="theme names")
    problem = serializers.CharField()
    approach = serializers.CharField()
    results = serializers.CharField(required=False, allow_blank=True)
    contact = serializers.CharField(help_text="How to reach the team (written, not shown in the API).")
    version = serializers.IntegerField(required=False, help_text="The version read (required to change).")


@extend_schema_view(
    create=extend_schema(request=PracticeWrite),
    partial_update=extend_schema(request=PracticeWrite),
    destroy=extend_schema(parameters=[OpenApiParameter("version", int, required=True)]),
)
class PracticeViewSet(FormWriteMixin, FormDeleteMixin, ScopedViewSet):
    """What a municipality did about a problem, and what came of it. The contact text is not in the API.
    A municipality or partner publishes, changes and deletes its own practices (``POST``, ``PATCH``,
    ``DELETE ?version=``), through the same form as the page."""

    queryset = (
        Practice.objects.select_related("municipality", "organisation")
        .prefetch_related("themes")
        .order_by("id")
    )
    serializer_class = PracticeSerializer
    filterset_class = filters_for(Practice, area="municipality")

    write_form = PracticeForm
    lookups = {
        "municipality": by_code(lambda: Area.objects.municipalities()),
        "themes": by_name(lambda: Theme.objects.all()),
    }

    def form_kwargs(self, instance):
        return {"user": self.request.user, "instance": copy.copy(instance) if instance else None}

    def stored(self, instance):
        data = super().stored(instance)
        data["version"] = instance.version
        return data

    def save(self, form, instance):
        data = form.cleaned_data
        return services.save_practice(
            data, data["themes"], self.request.user, data["version"], practice=instance
        )

    def remove(self, instance, version):
        services.delete_practice(instance, version)
