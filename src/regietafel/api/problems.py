"""Errors as problem details (RFC 9457, ``application/problem+json``), naming every input that is wrong.

Every error the API returns has ``type``, ``title``, ``status``, ``detail`` and ``instance`` (NL GOV API Design
Rules, ``/core/error-handling/problem-details``). A ``400`` adds ``errors``: one entry per input and problem, all of
them at once (``/core/error-handling/all-errors``), in the shape of the rules' field errors::

    {"in": "body", "location": "#/rows/1/housed", "detail": "Vul een geheel getal in."}
    {"in": "query", "location": "periode", "detail": "..."}

``location`` is a JSON Pointer (RFC 6901) into the request body, or the name of the query parameter. The views name
an input as a path (``rows[1].housed``, ``periode``, ``""`` for the whole body); this module turns that into the
entry. DRF's own errors come through ``exception_handler``; a 404 for an unknown address and an unexpected server error
come through ``middleware.ApiMiddleware``, so a client never gets an HTML page.
"""

from __future__ import annotations

import re

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
# What an error means when its cause gave no words of its own (a bare 404 from the access path).
DETAILS = {
    400: gettext_lazy("The request is not valid."),
    401: gettext_lazy("Send a valid token: Authorization: Token <key>."),
    403: gettext_lazy("This account or token may not do this."),
    404: gettext_lazy("No such resource, or not within your scope."),
    405: gettext_lazy("This address does not allow this method."),
    409: gettext_lazy("Someone else changed this; read it again and retry."),
    500: gettext_lazy("An unexpected error occurred; it has been logged."),
}
# Headers of DRF's own response that the problem response keeps.
KEPT_HEADERS = ("WWW-Authenticate", "Retry-After", "Allow")
# One input as the views name it: ``rows[1].housed`` -> ("rows", "1", "housed").
_PART = re.compile(r"[^.\[\]]+")


def problem(status_code: int, detail: str, instance: str, errors: list[dict] | None = None) -> dict:
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, _("Error"))),
        "status": status_code,
        "detail": detail or str(DETAILS.get(status_code, TITLES.get(status_code, _("Error")))),
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def pointer(name: str) -> str:
    """``rows[1].housed`` as a JSON Pointer in URI fragment form: ``#/rows/1/housed``; ``""`` is the whole body."""
    return "#" + "".join("/" + part.replace("~", "~0").replace("/", "~1") for part in _PART.findall(name))


def entries(found: list[tuple[str, str]], query: set[str]) -> list[dict]:
    """The views' ``(name, message)`` pairs as the rules' entries: a name whose first part is a query parameter of
    the request is ``in: query``, every other one is in the body."""
    result = []
    for name, message in found:
        first = next(iter(_PART.findall(name)), "")
        if first in query:
            result.append({"in": "query", "location": first, "detail": str(message)})
        else:
            result.append({"in": "body", "location": pointer(name), "detail": str(message)})
    return result


def flatten(detail, prefix: str = "") -> list[tuple[str, str]]:
    """DRF's nested error detail as ``[("rows[2].housed", "..."), ...]``."""
    found = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = key if key != "non_field_errors" else ""
            found += flatten(value, f"{prefix}.{name}" if prefix and name else prefix or name)
    elif isinstance(detail, list):
        if detail and all(isinstance(item, dict | list) for item in detail):
            for index, item in enumerate(detail):
                found += flatten(item, f"{prefix}[{index}]")
        else:
            for item in detail:
                found += flatten(item, prefix)
    else:
        found.append((prefix, str(detail)))
    return found


class Invalid(exceptions.ValidationError):
    """A refusal from a view or a service (an import row, a stale version), already worded per input: a list of
    ``(name, message)``, the name as ``rows[1].housed``, a query parameter's name, or ``""`` for the whole body."""

    def __init__(self, found: list[tuple[str, str]], detail: str | None = None):
        self.found = found
        super().__init__(detail or _("The request is not valid; see errors."))


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # an unexpected error: the middleware answers 500 as a problem
    request = context["request"]
    query = set(request.query_params)
    if isinstance(exc, Invalid):
        body = problem(response.status_code, str(exc.detail[0]), request.path, entries(exc.found, query))
    elif isinstance(exc, exceptions.ValidationError):
        body = problem(
            status.HTTP_400_BAD_REQUEST,
            _("The request is not valid; see errors."),
            request.path,
            entries(flatten(exc.detail), query),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = problem(response.status_code, str(detail), request.path)
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    return Response(body, status=response.status_code, headers=headers, content_type=CONTENT_TYPE)
