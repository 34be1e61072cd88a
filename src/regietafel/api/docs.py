"""The API's reference page for developers: the OpenAPI document read by Swagger UI, served from our own static
files (no CDN), public like the document itself."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET


@login_not_required
@require_GET
def reference(request):
    return render(request, "api/docs.html", {"document": reverse("api:openapi")})
