"""Homes and matching proposals in the REST API: read-only, through the one access path; proposals name
households, so every one handed out is logged like the pages do."""

from rest_framework import serializers, viewsets

from regietafel.access.scope import get_or_404, require, restrict
from regietafel.audit.models import Channel
from regietafel.matching.models import Dwelling, Proposal
from regietafel.persons import services as persons


class DwellingSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")
    place = serializers.CharField(source="place.name")

    class Meta:
        model = Dwelling
        fields = [
            "id",
            "code",
            "municipality",
            "place",
            "kind",
            "rooms",
            "max_occupancy",
            "rent",
            "accessible",
            "available_on",
            "owner",
            "sharing_allowed",
            "status",
            "source",
            "reference_date",
            "is_demo",
        ]


class DwellingViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = DwellingSerializer

    def get_queryset(self):
        require(self.request.user, "view", Dwelling)
        return restrict(Dwelling.objects.select_related("municipality", "place"), self.request.user)

    def get_object(self):
        return get_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])


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


class ProposalViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = ProposalSerializer

    def get_queryset(self):
        require(self.request.user, "view", Proposal)
        queryset = Proposal.objects.select_related("household__municipality", "dwelling")
        return restrict(queryset, self.request.user)

    def get_object(self):
        proposal = get_or_404(self.get_queryset(), self.request.user, pk=self.kwargs["pk"])
        persons.read(self.request, [proposal.household], Channel.API)
        return proposal

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        persons.read(self.request, [proposal.household for proposal in page], Channel.API)
        return page
