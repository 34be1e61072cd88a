"""The REST API root (version 1)."""

from rest_framework.routers import DefaultRouter

from regietafel.matching.api import DwellingViewSet, ProposalViewSet
from regietafel.persons.api import HouseholdViewSet

router = DefaultRouter()
# One address per resource: no .json/.api suffix variants.
router.include_format_suffixes = False
router.register("huishoudens", HouseholdViewSet, basename="household")
router.register("woningen", DwellingViewSet, basename="dwelling")
router.register("koppelvoorstellen", ProposalViewSet, basename="proposal")

app_name = "api"
urlpatterns = router.urls
