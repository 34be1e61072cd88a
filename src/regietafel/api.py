"""The REST API root (version 1)."""

from rest_framework.routers import DefaultRouter

from regietafel.persons.api import HouseholdViewSet

router = DefaultRouter()
router.register("huishoudens", HouseholdViewSet, basename="household")

app_name = "api"
urlpatterns = router.urls
