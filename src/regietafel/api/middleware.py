"""Every API response carries the full version in ``API-Version``; errors outside DRF become problem details."""

import logging

from django.conf import settings
from django.http import JsonResponse

from regietafel.api.problems import CONTENT_TYPE, DETAILS, problem

logger = logging.getLogger("regietafel.api")

PREFIX = "/api/"


class ApiMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(PREFIX):
            return response
        if response.status_code in DETAILS and not response.get("Content-Type", "").startswith(
            ("application/json", CONTENT_TYPE)
        ):
            # An address or method no view answers, or an error in a middleware: Django's HTML page would be
            # useless to a client. The problem keeps the headers the inner middleware set (security, caching).
            page = response
            response = JsonResponse(
                problem(response.status_code, "", request.path),
                status=response.status_code,
                content_type=CONTENT_TYPE,
            )
            for header, value in page.items():
                if header.lower() not in ("content-type", "content-length"):
                    response[header] = value
        response["API-Version"] = settings.REGIETAFEL_API_VERSION
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith(PREFIX):
            return None
        # The request's path and the exception only: the body may hold personal data.
        logger.exception("API error on %s %s", request.method, request.path)
        response = JsonResponse(
            problem(500, "", request.path),
            status=500,
            content_type=CONTENT_TYPE,
        )
        response["API-Version"] = settings.REGIETAFEL_API_VERSION
        return response
