"""Prometheus metrics at /metrics, for a scraper with the token (REGIETAFEL_METRICS_TOKEN), nothing personal.

Per request (RequestLogMiddleware): duration by route and method, and the number of answers by route and status
class; unhandled errors are the 5xx answers. Read from the database at each scrape: the background tasks waiting in
the queue and running, and the imports by kind and state. Labels are route patterns (``gemeente/<str:code>/``),
never a path's values, a user or an organisation.

Under gunicorn every worker keeps its own counts; `regietafel serve` gives them a shared directory
(PROMETHEUS_MULTIPROC_DIR) and the scrape adds them up.
"""

import hmac
import os

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

from regietafel.imports.models import ImportBatch

REQUEST_SECONDS = Histogram(
    "regietafel_request_duration_seconds",
    "Time from request to answer, by route and method.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)
RESPONSES = Counter(
    "regietafel_responses",
    "Answers by route and status class (2xx, 3xx, 4xx, 5xx).",
    ["route", "status"],
)


def observe(route: str, method: str, status: int, seconds: float) -> None:
    REQUEST_SECONDS.labels(route, method).observe(seconds)
    RESPONSES.labels(route, f"{status // 100}xx").inc()


class DatabaseCollector:
    """Figures read from the database when scraped: the same from every worker, so not kept per process."""

    def collect(self):
        queue = GaugeMetricFamily("regietafel_tasks", "Background tasks by state.", labels=["state"])
        imports = GaugeMetricFamily(
            "regietafel_imports", "Imports by table and state.", labels=["kind", "state"]
        )
        try:
            for row in DBTaskResult.objects.values("status").annotate(n=Count("id")).order_by():
                queue.add_metric([row["status"].lower()], row["n"])
            for row in ImportBatch.objects.values("kind", "status").annotate(n=Count("id")).order_by():
                imports.add_metric([row["kind"], row["status"]], row["n"])
        except DatabaseError:
            return
        yield queue
        yield imports


def _allowed(request) -> bool:
    token = settings.METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@login_not_required
@never_cache
@require_GET
def metrics(request):
    if not _allowed(request):
        raise Http404
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        MultiProcessCollector(registry)
    else:
        registry = CollectorRegistry()
        registry.register(_Default())
    registry.register(DatabaseCollector())
    return HttpResponse(generate_latest(registry), content_type=CONTENT_TYPE_LATEST)


class _Default:
    """This process's own metrics (the development server, tests)."""

    def collect(self):
        yield from REGISTRY.collect()
