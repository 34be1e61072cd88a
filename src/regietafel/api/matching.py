"""Homes and matching proposals in the REST API: read-only, through the one access path; proposals name
households, so every one handed out is logged like the pages do."""

from rest_framework import serializers

from regietafel.access.scope import get_or_404
from regietafel.api.viewsets import (
    ImportWriteMixin,
    ScopedViewSet,
    SourcedSerializer,
    filters_for,
    import_writes,
)
from regietafel.audit.models import Channel
from regietafel.matching.importers import DWELLINGS
from regietafel.matching.models import Dwelling, Proposal
from regietafel.persons import services as persons


class DwellingSerializer(SourcedSerializer):
    municipality = serializers.CharField(source="municipality.code")
    place = serializers.CharField(source="place.name")

    class Meta:
        model = Dwelling
        fields = ["id", *Dwelling.WRITABLE, "is_demo"]


@import_writes(DWELLINGS)
class DwellingViewSet(ImportWriteMixin, ScopedViewSet):
    """Homes offered for status holders; a municipality writes its own (``POST``, ``POST /woningen/bulk``)."""

    queryset = Dwelling.objects.select_related("municipality", "place").order_by("id")
    serializer_class = DwellingSerializer
    filterset_class = filters_for(Dwelling)


class ProposalSerializer(serializers.ModelSerializer):
    household = serializers.CharField(source="household.reference")
    dwelling = serializers.CharField(source="dwelling.code")
    municipality = serializers.CharField(source="household.municipality.code")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "run",
            "household",
            "municipality",
            "dwelling",
            "shared_with",
            "reasons",
            "status",
            "changed",
        ]


class ProposalViewSet(ScopedViewSet):
    """Proposals of a matching run: a household and a home. Every household handed out is logged."""

    queryset = Proposal.objects.select_related("household__municipality", "dwelling").order_by("id")
    serializer_class = ProposalSerializer
    filterset_class = filters_for(Proposal)

    def get_object(self):
        proposal = get_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        persons.read(self.request, [proposal.household], Channel.API)
        return proposal

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        persons.read(self.request, [proposal.household for proposal in page], Channel.API)
        return page
