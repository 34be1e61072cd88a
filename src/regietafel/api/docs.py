"""The API's public pages: the landing page a program finds at the server address, the OpenAPI document (readable
from any origin) and the reference page for developers (Swagger UI from our own static files, no CDN).

None of them holds data: they describe the API, so they need no token (NL GOV ``/core/publish-openapi``)."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.renderers import OpenApiJsonRenderer2
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from regietafel.api.resources import RESOURCES

LINK = inline_serializer("Link", {"href": serializers.CharField()})


class LandingPage(APIView):
    """What this API is and where everything is: the OpenAPI document, the reference page and every resource."""

    authentication_classes = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="landing_page",
        tags=["api"],
        summary=_("Landing page"),
        responses=inline_serializer(
            "LandingPage",
            {
                "title": serializers.CharField(),
                "description": serializers.CharField(),
                "version": serializers.CharField(),
                "_links": serializers.DictField(child=LINK),
            },
        ),
    )
    def get(self, request):
        links = {
            "self": request.path,
            "openapi": reverse("api:openapi"),
            "docs": reverse("api:docs"),
            **{prefix: reverse(f"api:{basename}-list") for prefix, _viewset, basename, _text in RESOURCES},
        }
        return Response(
            {
                "title": "Regietafel API",
                "description": _(
                    "Figures, targets, reception and the work of a regional steering table for refugees."
                ),
                "version": settings.REGIETAFEL_API_VERSION,
                "_links": {name: {"href": request.build_absolute_uri(path)} for name, path in links.items()},
            }
        )


class OpenApiDocument(SpectacularJSONAPIView):
    """The OpenAPI document, public and readable by a script on any origin (NL GOV: ``Access-Control-Allow-Origin:
    *`` on ``openapi.json``); it holds no data, so that opens nothing."""

    authentication_classes = []
    permission_classes = [AllowAny]
    renderer_classes = [OpenApiJsonRenderer2]  # application/json, as the rules want for JSON

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response


@login_not_required
@require_GET
def reference(request):
    return render(request, "api/docs.html", {"document": reverse("api:openapi")})
