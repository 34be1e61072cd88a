"""Errors as problem details (RFC 9457, ``application/problem+json``), naming the field that is wrong.

Every error the API returns has ``type``, ``title``, ``status``, ``detail`` and ``instance``; a validation error
adds ``invalid-params``, one entry per field and problem (``name`` is the field, with the row for bulk writes:
``rows[3].housed``). DRF's own errors come through ``exception_handler``; a 404 for an unknown address and an
unexpected server error come through ``middleware.ApiMiddleware``, so a client never gets an HTML page.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

CONTENT_TYPE = "application/problem+json"

TITLES = {
    400: gettext_lazy("Invalid request"),
    401: gettext_lazy("Not signed in"),
    403: gettext_lazy("Not allowed"),
    404: gettext_lazy("Not found"),
    405: gettext_lazy("Method not allowed"),
    406: gettext_lazy("Not acceptable"),
    409: gettext_lazy("Conflict"),
    413: gettext_lazy("Request too large"),
    415: gettext_lazy("Unsupported media type"),
    429: gettext_lazy("Too many requests"),
    500: gettext_lazy("Server error"),
}
# Headers of DRF's own response that the problem response keeps.
KEPT_HEADERS = ("WWW-Authenticate", "Retry-After", "Allow")


def problem(status_code: int, detail: str, instance: str, invalid_params: list[dict] | None = None) -> dict:
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": detail,
        "instance": instance,
    }
    if invalid_params is not None:
        body["invalid-params"] = invalid_params
    return body


def invalid_params(detail, prefix: str = "") -> list[dict]:
    """Flatten DRF's nested error detail into ``[{"name": "rows[2].housed", "reason": "..."}]``."""
    found = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            found += invalid_params(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        if detail and all(isinstance(item, dict | list) for item in detail):
            for index, item in enumerate(detail):
                found += invalid_params(item, f"{prefix}[{index}]")
        else:
            for item in detail:
                found += invalid_params(item, prefix)
    else:
        found.append({"name": prefix, "reason": str(detail)})
    return found


class Invalid(exceptions.ValidationError):
    """A refusal from a service (an import row, a stale version), already worded per field."""

    def __init__(self, params: list[dict], detail: str | None = None):
        self.params = params
        super().__init__(detail or _("The request is not valid; see invalid-params."))


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: the middleware answers 500 as a problem
    request = context["request"]
    if isinstance(exc, Invalid):
        body = problem(response.status_code, str(exc.detail[0]), request.path, exc.params)
    elif isinstance(exc, exceptions.ValidationError):
        body = problem(
            status.HTTP_400_BAD_REQUEST,
            _("The request is not valid; see invalid-params."),
            request.path,
            invalid_params(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = problem(response.status_code, str(detail), request.path)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return Response(body, status=response.status_code, headers=headers, content_type=CONTENT_TYPE)
