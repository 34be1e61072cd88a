"""The REST API, version 1: one address per resource (Dutch plural nouns, no trailing slash) and the OpenAPI
document at ``/api/v1/openapi.json``."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from regietafel.api import docs
from regietafel.api.resources import RESOURCES


class Router(DefaultRouter):
    # No trailing slashes and one address per resource (no .json suffix variants); the landing page is our own.
    include_format_suffixes = False
    include_root_view = False

    def __init__(self):
        super().__init__(trailing_slash=False)


router = Router()
for prefix, viewset, basename, _description in RESOURCES:
    router.register(prefix, viewset, basename=basename)

landing = docs.LandingPage.as_view()

app_name = "api"
urlpatterns = [
    # The landing page answers at the server address, /api/v1 (see regietafel.urls), and at /api/v1/.
    path("", landing, name="landing"),
    path("openapi.json", docs.OpenApiDocument.as_view(), name="openapi"),
    path("docs", docs.reference, name="docs"),
    *router.urls,
]
