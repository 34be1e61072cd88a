"""Housing status holders in the REST API: national half-year numbers, municipal targets with carry-over, and the
monthly realisation (read, and written through the same rules as the import)."""

from fractions import Fraction

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.exceptions import NotFound

from regietafel.access.scope import require
from regietafel.api.problems import Invalid
from regietafel.api.viewsets import SOURCED, ImportWriteMixin, ScopedViewSet, filters_for, import_writes
from regietafel.conditions.models import default_region_id
from regietafel.core.figures import Figure
from regietafel.domain.targets import HalfYear
from regietafel.housing.importers import NATIONAL_TARGETS, REALISATION
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import HousingRealisation, NationalOutcome, NationalTarget
from regietafel.regions.models import Area


class NationalOutcomeSerializer(serializers.ModelSerializer):
    class Meta:
        model = NationalOutcome
        fields = ["task_including_carry_over", "housed", *SOURCED]


class HalfYearSerializer(serializers.ModelSerializer):
    outcome = serializers.SerializerMethodField(help_text=_("The national outcome, once known."))

    class Meta:
        model = NationalTarget
        fields = ["id", "half_year", "revision", "headline", "distributed", "note", *SOURCED, "outcome"]

    @extend_schema_field(NationalOutcomeSerializer(allow_null=True))
    def get_outcome(self, target):
        outcome = self.context["outcomes"].get(target.half_year)
        return NationalOutcomeSerializer(outcome).data if outcome else None


@import_writes(NATIONAL_TARGETS)
class HalfYearViewSet(ImportWriteMixin, ScopedViewSet):
    """Half-years with the national number of status holders to house (every revision), and the outcome.
    A beheerder writes a (revised) number with ``POST`` or ``POST /halfjaren/bulk``."""

    queryset = NationalTarget.objects.order_by("half_year", "revision")
    serializer_class = HalfYearSerializer
    filterset_class = filters_for(NationalTarget, area=None, period="half_year", kind="half_year")

    def get_serializer_context(self):
        # One query for every outcome, however many half-years are listed.
        return {
            **super().get_serializer_context(),
            "outcomes": {o.half_year: o for o in NationalOutcome.objects.all()},
        }


class SourceSerializer(serializers.Serializer):
    source = serializers.CharField()
    reference_date = serializers.DateField(allow_null=True)
    is_demo = serializers.BooleanField()


class FigureSerializer(serializers.Serializer):
    """A figure and where it comes from; ``value`` is null when it cannot be known, and ``note`` says why."""

    value = serializers.SerializerMethodField()
    sources = serializers.SerializerMethodField()
    note = serializers.CharField()

    @extend_schema_field({"type": "number", "nullable": True})
    def get_value(self, figure: Figure):
        if isinstance(figure.value, Fraction):
            return float(figure.value) if figure.value.denominator != 1 else int(figure.value)
        return figure.value

    @extend_schema_field(SourceSerializer(many=True))
    def get_sources(self, figure: Figure):
        return SourceSerializer(sorted(figure.refs), many=True).data


class TargetSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="row.municipality.code")
    half_year = serializers.CharField()
    statutory = FigureSerializer(
        source="row.statutory", help_text=_("The statutory target (population share).")
    )
    agreed = FigureSerializer(source="row.agreed", help_text=_("The target agreed in the region, if any."))
    target = FigureSerializer(source="row.target", help_text=_("Agreed where agreed, else statutory."))
    carry_over = FigureSerializer(
        source="row.carry_over", help_text=_("Backlog (positive) or lead carried in.")
    )
    corrected = FigureSerializer(source="row.corrected", help_text=_("Target plus carry-over."))
    housed = FigureSerializer(source="row.housed")
    remaining = FigureSerializer(source="row.remaining")
    status = serializers.CharField(source="row.status", allow_null=True)


class TargetRow:
    def __init__(self, row, half_year):
        self.row = row
        self.half_year = str(half_year)


@extend_schema(
    parameters=[
        OpenApiParameter(
            "regio", str, description=_("Code of the region; the default region when left out.")
        ),
        OpenApiParameter("gemeente", str, description=_("CBS code of one municipality of the region.")),
        OpenApiParameter(
            "periode", str, description=_("A half-year (2025-H1); every half-year when left out.")
        ),
    ]
)
class TargetViewSet(viewsets.GenericViewSet):
    """Each municipality's targets per half-year, computed as on the monitor: statutory, agreed, with carry-over,
    housed and remaining, every figure with its sources."""

    serializer_class = TargetSerializer
    # The rows are computed, not stored: no queryset, no filter backend (the parameters are documented above).
    queryset = HousingRealisation.objects.none()
    filter_backends = []

    def list(self, request):
        require(request.user, "view", HousingRealisation)
        code = request.query_params.get("regio")
        if code and "\x00" in code:
            raise Invalid([{"name": "regio", "reason": _("Null characters are not allowed.")}])
        region = (
            Area.objects.regions().filter(code=code).first()
            if code
            else Area.objects.filter(pk=default_region_id()).first()
        )
        if region is None:
            raise NotFound(_("No region with code %(code)s.") % {"code": code})
        ledger = HousingLedger(region)
        half_years = ledger.half_years()
        if period := request.query_params.get("periode"):
            try:
                half_years = [HalfYear.parse(period)]
            except ValueError:
                raise Invalid(
                    [{"name": "periode", "reason": _("Enter a half-year as 2024-H1 or 2024-H2.")}]
                ) from None
        municipalities = ledger.municipalities
        if municipality := request.query_params.get("gemeente"):
            municipalities = [m for m in municipalities if m.code == municipality]
        rows = [
            TargetRow(ledger.row(m, half_year), half_year) for half_year in half_years for m in municipalities
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RealisationSerializer(serializers.ModelSerializer):
    municipality = serializers.CharField(source="municipality.code")

    class Meta:
        model = HousingRealisation
        fields = ["id", "municipality", "month", "housed", "housed_minors", *SOURCED]


@import_writes(REALISATION)
class RealisationViewSet(ImportWriteMixin, ScopedViewSet):
    """Status holders housed per municipality and month (COA). ``POST`` writes one month of one municipality;
    ``POST /realisaties/bulk`` many, all or nothing; a month sent again replaces its figures."""

    queryset = HousingRealisation.objects.select_related("municipality").order_by(
        "month", "municipality__code"
    )
    serializer_class = RealisationSerializer
    filterset_class = filters_for(HousingRealisation, period="month")
