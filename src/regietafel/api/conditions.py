"""The list of conditions for an agreement with the state, in the REST API (read-only)."""

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from regietafel.api.viewsets import FormWriteMixin, ScopedViewSet, by_code, by_name
from regietafel.conditions import services
from regietafel.conditions.forms import ConditionForm
from regietafel.conditions.models import Condition
from regietafel.core.models import Theme
from regietafel.regions.models import Area


class ConditionSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    theme = serializers.CharField(source="theme.name")
    owner = serializers.IntegerField(source="owner_id", allow_null=True, default=None)
    owner_organisation = serializers.CharField(source="owner.name", allow_null=True, default=None)

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
            "owner_organisation",
            "owner_name",
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


class ConditionWrite(serializers.Serializer):
    """For the OpenAPI document; the page's form validates."""

    title = serializers.CharField(max_length=200)
    theme = serializers.CharField(required=False, help_text="a theme name")
    new_theme = serializers.CharField(required=False, allow_blank=True, help_text="a new theme's name")
    status = serializers.ChoiceField(choices=Condition.Status.choices)
    description = serializers.CharField(required=False, allow_blank=True)
    what_we_ask = serializers.CharField()
    owner = serializers.IntegerField(required=False, allow_null=True, help_text="organisation id")
    owner_name = serializers.CharField(required=False, allow_blank=True)
    region = serializers.CharField(help_text="code of the region, e.g. VR04")
    version = serializers.IntegerField(required=False, help_text="The version read (required to change).")


@extend_schema_view(
    create=extend_schema(request=ConditionWrite), partial_update=extend_schema(request=ConditionWrite)
)
class ConditionViewSet(FormWriteMixin, ScopedViewSet):
    """The conditions the region sets for an agreement with the state, with their status. A beheerder adds and
    changes them (``POST``, ``PATCH``), through the same form as the page; every change is kept in the history."""

    queryset = Condition.objects.select_related("region", "theme", "owner").order_by("region__code", "id")
    serializer_class = ConditionSerializer
    filterset_class = ConditionFilter

    write_form = ConditionForm
    service_errors = (services.ConditionError,)
    lookups = {
        "theme": by_name(lambda: Theme.objects.all()),
        "region": by_code(lambda: Area.objects.regions()),
    }

    def form_kwargs(self, instance):
        return {"condition": instance}

    def stored(self, instance):
        return {
            "title": instance.title,
            "theme": instance.theme_id,
            "status": instance.status,
            "description": instance.description,
            "what_we_ask": instance.what_we_ask,
            "owner": instance.owner_id,
            "owner_name": instance.owner_name,
            "region": instance.region_id,
            "version": instance.version,
        }

    def save(self, form, instance):
        return services.save_condition(
            instance, **form.values(), version=form.cleaned_data["version"], user=self.request.user
        )
