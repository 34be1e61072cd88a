"""The request log and the request metrics: what an operator reads of every request."""

import logging
import time

from regietafel.core.routes import route_label
from regietafel.operations import metrics

logger = logging.getLogger("regietafel.request")


class RequestLogMiddleware:
    """One log line per request (logger ``regietafel.request``) and the request metrics (``metrics``).

    The line names the route pattern (``gemeente/<str:code>/``), not the path, so no value from a URL reaches the
    log; the user only by id. The request id is added by django-guid's log filter.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        start = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - start
        match = getattr(request, "resolver_match", None)
        route = route_label(match.route) if match else "(unresolved)"
        user = getattr(request, "user", None)
        metrics.observe(route, request.method, response.status_code, seconds)
        log = logger.warning if response.status_code >= 500 else logger.info
        log(
            "%s %s %s %.0f ms",
            request.method,
            route,
            response.status_code,
            seconds * 1000,
            extra={
                "method": request.method,
                "route": route,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": user.pk if user is not None and user.is_authenticated else None,
            },
        )
        return response
