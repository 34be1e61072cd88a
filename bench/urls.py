"""The application's URLs plus the floor of the page benchmarks: a view that does nothing (bench/pages.py)."""

from django.http import HttpResponse
from django.urls import include, path


def floor(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/floor/", floor), path("", include("regietafel.urls"))]
