"""Households in the REST API: read-only here, scoped and logged like the pages."""

from rest_framework import serializers

from regietafel.access.scope import get_or_404, require
from regietafel.api.viewsets import ImportWriteMixin, ScopedViewSet, filters_for, import_writes
from regietafel.audit.models import Channel
from regietafel.persons import services
from regietafel.persons.importers import HOUSEHOLDS
from regietafel.persons.models import Household


class HouseholdSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")
    deadline = serializers.DateField()

    class Meta:
        model = Household
        fields = [
            "id",
            "reference",
            "municipality",
            "linked_on",
            "deadline",
            "adults",
            "children",
            "is_amv",
            "status",
            "is_demo",
        ]


@import_writes(HOUSEHOLDS)
class HouseholdViewSet(ImportWriteMixin, ScopedViewSet):
    """Linked status holders' households (pseudonymous: a reference, no names). Every one handed out is logged.
    A municipality writes its own linked households (``POST``, ``POST /huishoudens/bulk``) as in the import of
    COA's list; every household written is logged too."""

    queryset = Household.objects.none()  # for the OpenAPI document; get_queryset decides
    serializer_class = HouseholdSerializer
    filterset_class = filters_for(Household)

    def get_queryset(self):
        require(self.request.user, "view", Household)
        return services.households(self.request.user)

    def get_object(self):
        household = get_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        services.read(self.request, [household], Channel.API)
        return household

    def paginate_queryset(self, queryset):
        return services.read(self.request, super().paginate_queryset(queryset), Channel.API)
