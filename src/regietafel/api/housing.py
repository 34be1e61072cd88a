"""Housing status holders in the REST API: national half-year numbers, municipal targets with carry-over, and the
monthly realisation (read, and written through the same rules as the import)."""

from fractions import Fraction

import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status, viewsets
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from regietafel.access.scope import require, require_area
from regietafel.api.problems import Invalid
from regietafel.api.viewsets import (
    SOURCED,
    Conflict,
    ImportWriteMixin,
    ScopedViewSet,
    SourcedSerializer,
    filters_for,
    import_writes,
)
from regietafel.core.figures import Figure
from regietafel.core.versioning import StaleEdit
from regietafel.domain.targets import HalfYear
from regietafel.housing.importers import (
    CORPORATION_AGREEMENTS,
    NATIONAL_TARGETS,
    REALISATION,
    SUPERVISION_PLACEMENTS,
    SUPERVISION_STEPS,
)
from regietafel.housing.ledger import HousingLedger
from regietafel.housing.models import (
    Agreement,
    CorporationAgreement,
    HousingRealisation,
    NationalOutcome,
    NationalTarget,
    SupervisionPlacement,
    SupervisionStep,
)
from regietafel.housing.periods import PeriodLocked
from regietafel.housing.services import AgreementError, save_agreement
from regietafel.regions.models import Area, default_region_id


class NationalOutcomeSerializer(SourcedSerializer):
    class Meta:
        model = NationalOutcome
        fields = ["task_including_carry_over", "housed", *SOURCED]


class HalfYearSerializer(SourcedSerializer):
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


class SourceRefSerializer(serializers.Serializer):
    source = serializers.CharField()
    source_id = serializers.IntegerField(
        allow_null=True,
        help_text=_("The source's record (bronnen/{source_id}); null for what Regietafel computes."),
    )
    reference_date = serializers.DateField(allow_null=True)
    is_demo = serializers.BooleanField()


class FigureSerializer(serializers.Serializer):
    """A figure and where it comes from; ``value`` is null when it cannot be known, and ``note`` says why."""

    value = serializers.SerializerMethodField()
    is_demo = serializers.BooleanField(
        help_text=_("Computed from at least one demo figure: an example, not a real figure.")
    )
    sources = serializers.SerializerMethodField()
    note = serializers.CharField()

    @extend_schema_field({"type": "number", "nullable": True})
    def get_value(self, figure: Figure):
        if isinstance(figure.value, Fraction):
            return float(figure.value) if figure.value.denominator != 1 else int(figure.value)
        return figure.value

    @extend_schema_field(SourceRefSerializer(many=True))
    def get_sources(self, figure: Figure):
        return SourceRefSerializer(sorted(figure.refs), many=True).data


class TargetSerializer(serializers.Serializer):
    municipality = serializers.CharField(source="row.municipality.code")
    half_year = serializers.CharField()
    statutory = FigureSerializer(
        source="row.statutory", help_text=_("The statutory target (population share).")
    )
    published = FigureSerializer(
        source="row.published",
        help_text=_(
            "The target the municipality or the state published, for the half-year or its whole year."
        ),
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
    status_is_demo = serializers.SerializerMethodField(
        help_text=_("The status was judged from at least one demo figure.")
    )

    def get_status_is_demo(self, item) -> bool:
        return item.row.status is not None and item.row.basis.is_demo


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
            raise Invalid([("regio", _("Null characters are not allowed."))])
        region = (
            Area.objects.regions().filter(code=code).first()
            if code
            else Area.objects.filter(pk=default_region_id()).first()
        )
        if region is None:
            raise NotFound(_("No region with code %(code)s.") % {"code": code})
        require_area(request.user, region)
        ledger = HousingLedger(region)
        half_years = ledger.half_years()
        if period := request.query_params.get("periode"):
            try:
                half_years = [HalfYear.parse(period)]
            except ValueError:
                raise Invalid([("periode", _("Enter a half-year as 2024-H1 or 2024-H2."))]) from None
        municipalities = ledger.municipalities
        if municipality := request.query_params.get("gemeente"):
            municipalities = [m for m in municipalities if m.code == municipality]
        rows = [
            TargetRow(ledger.row(m, half_year), half_year) for half_year in half_years for m in municipalities
        ]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class RealisationSerializer(SourcedSerializer):
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


class SupervisionStepSerializer(SourcedSerializer):
    province = serializers.CharField(source="province.code")

    class Meta:
        model = SupervisionStep
        fields = ["id", "province", "order", "name", "description", "threshold", *SOURCED]


@import_writes(SUPERVISION_STEPS)
class SupervisionStepViewSet(ImportWriteMixin, ScopedViewSet):
    """The steps of each province's intervention ladder for the housing task (interbestuurlijk toezicht), in the
    province's own words. A beheerder writes a step with ``POST``, many with ``POST /toezichtstappen/bulk``."""

    queryset = SupervisionStep.objects.select_related("province").order_by("province__code", "order")
    serializer_class = SupervisionStepSerializer
    filterset_class = filters_for(SupervisionStep, area=None)


class SupervisionPlacementSerializer(SourcedSerializer):
    municipality = serializers.CharField(source="municipality.code")
    step = serializers.IntegerField(
        source="step.order", help_text=_("The step's number on the province's ladder.")
    )
    step_name = serializers.CharField(source="step.name")

    class Meta:
        model = SupervisionPlacement
        fields = ["id", "municipality", "since", "step", "step_name", "occasion", "note", *SOURCED]


@import_writes(SUPERVISION_PLACEMENTS)
class SupervisionPlacementViewSet(ImportWriteMixin, ScopedViewSet):
    """The province's decisions: from ``since`` a municipality is on a step of its ladder; the newest per
    municipality is where it stands. A beheerder records one with ``POST``."""

    queryset = SupervisionPlacement.objects.select_related("municipality", "step").order_by(
        "municipality__code", "since", "id"
    )
    serializer_class = SupervisionPlacementSerializer
    filterset_class = filters_for(SupervisionPlacement, period="since")


class CorporationAgreementSerializer(SourcedSerializer):
    corporation = serializers.CharField(source="corporation.name")
    municipality = serializers.CharField(source="municipality.code")

    class Meta:
        model = CorporationAgreement
        fields = ["id", "corporation", "municipality", "year", "homes", "note", *SOURCED]


@import_writes(CORPORATION_AGREEMENTS)
class CorporationAgreementViewSet(ImportWriteMixin, ScopedViewSet):
    """Homes for status holders a housing corporation agreed with a municipality per year. ``POST`` writes one,
    ``POST /corporatieafspraken/bulk`` many, all or nothing."""

    queryset = CorporationAgreement.objects.select_related("corporation", "municipality").order_by(
        "municipality__code", "year", "corporation__name"
    )
    serializer_class = CorporationAgreementSerializer
    filterset_class = filters_for(CorporationAgreement)


class AgreementSerializer(serializers.ModelSerializer):
    region = serializers.CharField(source="region.code")
    targets = serializers.SerializerMethodField(help_text=_("The agreed target per municipality (CBS code)."))

    class Meta:
        model = Agreement
        fields = ["id", "region", "half_year", "agreed_on", "source", "note", "version", "targets"]

    @extend_schema_field({"type": "object", "additionalProperties": {"type": "integer"}})
    def get_targets(self, agreement):
        return {target.municipality.code: target.target for target in agreement.targets.all()}


class AgreementWrite(serializers.Serializer):
    region = serializers.CharField(max_length=10, help_text=_("Code of the region, e.g. VR04."))
    half_year = serializers.CharField(
        max_length=7, help_text=_("A half-year: 2025-H1 (January–June) or 2025-H2.")
    )
    agreed_on = serializers.DateField()
    source = serializers.CharField(max_length=300)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    targets = serializers.DictField(child=serializers.IntegerField(), allow_empty=False)
    version = serializers.IntegerField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The version read; empty for a new agreement."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text=_("A beheerder's reason to change a locked half-year."),
    )


class AgreementViewSet(ScopedViewSet):
    """Agreed targets of a region for a half-year (Huisvestingswet 2014 art. 29 lid 2: the region's total stays the
    same). ``POST`` records or replaces a region's agreement for a half-year, with the version read, through the
    same service as the agreement page."""

    queryset = (
        Agreement.objects.select_related("region")
        .prefetch_related("targets__municipality")
        .order_by("half_year", "region__code")
    )
    serializer_class = AgreementSerializer
    filterset_class = type(
        "AgreementFilter",
        (filters_for(Agreement, area=None, period="half_year", kind="half_year"),),
        {
            "regio": django_filters.CharFilter(
                field_name="region__code", help_text=_("Code of the region, e.g. VR04.")
            )
        },
    )

    @extend_schema(request=AgreementWrite, responses={201: AgreementSerializer})
    def create(self, request):
        require(request.user, "change", Agreement)
        body = AgreementWrite(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        region = Area.objects.regions().filter(code=data["region"]).first()
        if region is None:
            raise Invalid([("region", _("No region with code %(code)s.") % {"code": data["region"]})])
        try:
            half_year = HalfYear.parse(data["half_year"])
        except ValueError:
            raise Invalid([("half_year", _("Enter a half-year as 2024-H1 or 2024-H2."))]) from None
        try:
            agreement = save_agreement(
                region,
                half_year,
                data["targets"],
                agreed_on=data["agreed_on"],
                source=data["source"],
                note=data["note"],
                version=data["version"],
                user=request.user,
                reason=data["reason"],
            )
        except StaleEdit as exc:
            raise Conflict(str(exc)) from None
        except AgreementError as exc:
            raise Invalid([("targets", str(exc))]) from None
        except PeriodLocked as exc:
            raise Invalid([("reason", str(exc))]) from None
        return Response(
            AgreementSerializer(self.queryset.get(pk=agreement.pk)).data, status=status.HTTP_201_CREATED
        )
