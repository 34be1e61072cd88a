"""The partner register in the REST API (read-only): organisations, their themes and where they work."""

import copy

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from regietafel.api.viewsets import FormWriteMixin, ScopedViewSet, by_code, by_name
from regietafel.core.models import Theme
from regietafel.organisations import services
from regietafel.organisations.forms import OrganisationForm
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area


class PartnerSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code", allow_null=True, default=None)
    themes = serializers.SlugRelatedField(slug_field="name", many=True, read_only=True)
    works_in = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", *Organisation.WRITABLE, "is_demo"]


class PartnerFilter(django_filters.FilterSet):
    gemeente = django_filters.CharFilter(
        field_name="works_in__code",
        distinct=True,
        help_text=_("CBS code of a municipality the organisation works in."),
    )

    class Meta:
        model = Organisation
        fields = []


class PartnerWrite(serializers.Serializer):
    """For the OpenAPI document; the page's form validates."""

    name = serializers.CharField(max_length=150)
    kind = serializers.ChoiceField(choices=Organisation.Kind.choices)
    municipality = serializers.CharField(required=False, allow_null=True, help_text="CBS code")
    description = serializers.CharField(required=False, allow_blank=True)
    website = serializers.CharField(required=False, allow_blank=True)
    themes = serializers.ListField(child=serializers.CharField(), required=False, help_text="theme names")
    works_in = serializers.ListField(child=serializers.CharField(), required=False, help_text="CBS codes")
    version = serializers.IntegerField(required=False, help_text="The version read (required to change).")


@extend_schema_view(
    create=extend_schema(request=PartnerWrite), partial_update=extend_schema(request=PartnerWrite)
)
class PartnerViewSet(FormWriteMixin, ScopedViewSet):
    """Organisations the table works with (municipalities, COA, housing corporations, ...). Contact persons are
    not in the API. A beheerder adds organisations (``POST``); an organisation's own users change its entry
    (``PATCH``), through the same form as the page."""

    queryset = (
        Organisation.objects.select_related("municipality")
        .prefetch_related("themes", "works_in")
        .order_by("name")
    )
    serializer_class = PartnerSerializer
    filterset_class = PartnerFilter

    write_form = OrganisationForm
    service_errors = (services.OrganisationError,)
    lookups = {
        "municipality": by_code(lambda: Area.objects.municipalities()),
        "works_in": by_code(lambda: Area.objects.municipalities()),
        "themes": by_name(lambda: Theme.objects.all()),
    }

    def form_kwargs(self, instance):
        return {
            "instance": copy.copy(instance) if instance else None,
            "may_define_scope": services.may_define_scope(self.request.user),
        }

    def stored(self, instance):
        return {**super().stored(instance), "version": instance.version}

    def save(self, form, instance):
        data = form.cleaned_data
        return services.save_organisation(
            instance,
            **{name: data[name] for name in Organisation.WRITABLE},
            version=data["version"],
            user=self.request.user,
        )
