"""Reception in the REST API: tasks (Spreidingswet, Ukraine) and locations with capacity and occupancy."""

from rest_framework import serializers

from regietafel.api.viewsets import (
    SOURCED,
    ImportWriteMixin,
    ScopedViewSet,
    SourcedSerializer,
    filters_for,
    import_writes,
)
from regietafel.reception.importers import (
    CYCLES,
    LOCATIONS,
    RATES,
    RECEPTION_TASKS,
    THIRD_COUNTRY_NATIONALS,
    THIRD_COUNTRY_RULES,
)
from regietafel.reception.models import (
    Cycle,
    Location,
    Rate,
    ReceptionTask,
    ThirdCountryNationalCount,
    ThirdCountryRule,
)


class ReceptionTaskSerializer(SourcedSerializer):
    area = serializers.CharField(source="area.code")

    class Meta:
        model = ReceptionTask
        fields = ["id", "area", "programme", "measure", "cycle", "value", "note", *SOURCED]


@import_writes(RECEPTION_TASKS)
class ReceptionTaskViewSet(ImportWriteMixin, ScopedViewSet):
    """Tasks per area: the national number, a province's task, a municipality's indicative or agreed places.
    Written with ``POST`` or ``POST /opvangtaken/bulk`` (the import's rules: a municipality its own only)."""

    queryset = ReceptionTask.objects.select_related("area").order_by(
        "area__code", "programme", "measure", "id"
    )
    serializer_class = ReceptionTaskSerializer
    filterset_class = filters_for(ReceptionTask)


class LocationSerializer(SourcedSerializer):
    municipality = serializers.CharField(source="municipality.code")

    class Meta:
        model = Location
        fields = [
            "id",
            "municipality",
            "name",
            "kind",
            "capacity",
            "occupancy",
            "start_date",
            "end_date",
            *SOURCED,
        ]


@import_writes(LOCATIONS)
class LocationViewSet(ImportWriteMixin, ScopedViewSet):
    """Reception locations with capacity and occupancy. ``periode`` gives the locations open in that half-year.
    ``POST`` writes one location (a name is unique per municipality), ``POST /locaties/bulk`` many at once."""

    queryset = Location.objects.select_related("municipality").order_by("municipality__code", "name")
    serializer_class = LocationSerializer
    filterset_class = filters_for(Location, period="start_date,end_date", kind="span")


class RateSerializer(SourcedSerializer):
    class Meta:
        model = Rate
        fields = ["id", "scheme", "valid_from", "amount", "condition", *SOURCED]


@import_writes(RATES)
class RateViewSet(ImportWriteMixin, ScopedViewSet):
    """What the state pays, each amount from its date until the next of its scheme: the BOOO normbedrag per place
    per day, the Spreidingswet's incentives per place. A beheerder writes with ``POST`` or ``POST /tarieven/bulk``."""

    queryset = Rate.objects.order_by("scheme", "valid_from", "condition")
    serializer_class = RateSerializer
    filterset_class = filters_for(Rate, area=None)


class ThirdCountryNationalSerializer(SourcedSerializer):
    municipality = serializers.CharField(source="municipality.code")

    class Meta:
        model = ThirdCountryNationalCount
        fields = ["id", "municipality", "status", "count", *SOURCED]


@import_writes(THIRD_COUNTRY_NATIONALS)
class ThirdCountryNationalViewSet(ImportWriteMixin, ScopedViewSet):
    """Derdelanders per municipality, date and status (counts, never persons). ``POST`` writes one count,
    ``POST /derdelanders/bulk`` many, all or nothing."""

    queryset = ThirdCountryNationalCount.objects.select_related("municipality").order_by(
        "municipality__code", "reference_date", "status"
    )
    serializer_class = ThirdCountryNationalSerializer
    filterset_class = filters_for(ThirdCountryNationalCount, period="reference_date")


class ThirdCountryRuleSerializer(SourcedSerializer):
    class Meta:
        model = ThirdCountryRule
        fields = ["id", "edition", "valid_from", "cut_off", "description", *SOURCED]


@import_writes(THIRD_COUNTRY_RULES)
class ThirdCountryRuleViewSet(ImportWriteMixin, ScopedViewSet):
    """The versions of the state's rule for derdelanders: from when each applied, and when protection ends."""

    queryset = ThirdCountryRule.objects.order_by("valid_from")
    serializer_class = ThirdCountryRuleSerializer
    filterset_class = filters_for(ThirdCountryRule, area=None)


class CycleSerializer(SourcedSerializer):
    class Meta:
        model = Cycle
        fields = [
            "id",
            "programme",
            "number",
            "starts_on",
            "offers_until",
            "proposal_due",
            "decision_on",
            "realise_by",
            "incentive_per_place",
            "note",
            *SOURCED,
        ]


@import_writes(CYCLES)
class CycleViewSet(ImportWriteMixin, ScopedViewSet):
    """The Spreidingswet's cycles and the dates of their stages; the numbers per municipality at each stage are the
    reception tasks of the cycle (``/opvangtaken?cyclus=``)."""

    queryset = Cycle.objects.order_by("programme", "number")
    serializer_class = CycleSerializer
    filterset_class = filters_for(Cycle, area=None)
