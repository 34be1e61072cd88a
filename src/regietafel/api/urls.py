"""The REST API, version 1: one address per resource (Dutch plural nouns, no trailing slash) and the OpenAPI
document at ``/api/v1/openapi.json``."""

from django.urls import path
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny
from rest_framework.routers import DefaultRouter

from regietafel.api import docs
from regietafel.api.conditions import ConditionViewSet
from regietafel.api.housing import (
    AgreementViewSet,
    CorporationAgreementViewSet,
    HalfYearViewSet,
    RealisationViewSet,
    SupervisionPlacementViewSet,
    SupervisionStepViewSet,
    TargetViewSet,
)
from regietafel.api.indicators import IndicatorViewSet, ValueViewSet
from regietafel.api.matching import DwellingViewSet, ProposalViewSet
from regietafel.api.meetings import (
    ActionViewSet,
    DecisionViewSet,
    MeetingViewSet,
    ReferralViewSet,
    SignalViewSet,
)
from regietafel.api.organisations import PartnerViewSet
from regietafel.api.persons import HouseholdViewSet
from regietafel.api.practices import PracticeViewSet
from regietafel.api.reception import (
    CycleViewSet,
    LocationViewSet,
    RateViewSet,
    ReceptionTaskViewSet,
    ThirdCountryNationalViewSet,
    ThirdCountryRuleViewSet,
)
from regietafel.api.regions import MunicipalityViewSet, PopulationViewSet, SourceViewSet


class Router(DefaultRouter):
    # No trailing slashes and one address per resource (no .json suffix variants).
    include_format_suffixes = False

    def __init__(self):
        super().__init__(trailing_slash=False)


router = Router()
router.register("gemeenten", MunicipalityViewSet, basename="municipality")
router.register("inwonertallen", PopulationViewSet, basename="population")
router.register("bronnen", SourceViewSet, basename="source")
router.register("halfjaren", HalfYearViewSet, basename="half-year")
router.register("taakstellingen", TargetViewSet, basename="target")
router.register("afspraken", AgreementViewSet, basename="agreement")
router.register("realisaties", RealisationViewSet, basename="realisation")
router.register("toezichtstappen", SupervisionStepViewSet, basename="supervision-step")
router.register("toezicht", SupervisionPlacementViewSet, basename="supervision")
router.register("corporatieafspraken", CorporationAgreementViewSet, basename="corporation-agreement")
router.register("opvangtaken", ReceptionTaskViewSet, basename="reception-task")
router.register("locaties", LocationViewSet, basename="location")
router.register("tarieven", RateViewSet, basename="rate")
router.register("spreidingswetcycli", CycleViewSet, basename="cycle")
router.register("derdelanders", ThirdCountryNationalViewSet, basename="third-country-national")
router.register("derdelanderregels", ThirdCountryRuleViewSet, basename="third-country-rule")
router.register("indicatoren", IndicatorViewSet, basename="indicator")
router.register("indicatorwaarden", ValueViewSet, basename="indicator-value")
router.register("vergaderingen", MeetingViewSet, basename="meeting")
router.register("besluiten", DecisionViewSet, basename="decision")
router.register("acties", ActionViewSet, basename="action")
router.register("doorverwijzingen", ReferralViewSet, basename="referral")
router.register("signalen", SignalViewSet, basename="signal")
router.register("randvoorwaarden", ConditionViewSet, basename="condition")
router.register("partners", PartnerViewSet, basename="partner")
router.register("werkwijzen", PracticeViewSet, basename="practice")
router.register("huishoudens", HouseholdViewSet, basename="household")
router.register("woningen", DwellingViewSet, basename="dwelling")
router.register("koppelvoorstellen", ProposalViewSet, basename="proposal")

# The OpenAPI document is public (NL GOV API-51): it describes the API, it holds no data.
openapi = SpectacularJSONAPIView.as_view(authentication_classes=[], permission_classes=[AllowAny])

app_name = "api"
urlpatterns = [
    path("openapi.json", openapi, name="openapi"),
    path("docs", docs.reference, name="docs"),
    *router.urls,
]
