"""What the generated OpenAPI document adds to drf-spectacular's, for the NL GOV API Design Rules
(``tests/api/test_design_rules.py`` checks each rule): the server address with the major version, who answers for
the API, every tag declared with its description, the OpenAPI document itself as a path, the errors every operation
can answer as problem details, and the ``API-Version`` header on every response."""

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regietafel.api.resources import RESOURCES

PROBLEM = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string", "description": "about:blank: the status says what went wrong."},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string", "description": "The address of the request."},
        "errors": {
            "type": "array",
            "description": "With a 400: every input that is wrong, all at once, each with the same message as the "
            "import gives for that value in a file.",
            "items": {"$ref": "#/components/schemas/InvalidInput"},
        },
    },
}
INVALID_INPUT = {
    "type": "object",
    "description": "One input that is wrong.",
    "required": ["in", "location", "detail"],
    "properties": {
        "in": {"type": "string", "enum": ["body", "query"], "description": "Where the input was sent."},
        "location": {
            "type": "string",
            "description": "In the body: a JSON Pointer (RFC 6901) in URI fragment form, e.g. #/rows/1/housed (the "
            "second row's housed) or # (the whole body); in the query: the parameter's name.",
        },
        "detail": {"type": "string", "description": "What is wrong, in the request's language."},
    },
}

ERRORS = {
    "400": "The request is not valid: see errors.",
    "401": "No valid token or session.",
    "403": "The account has no role yet, or a read-only token tried to write.",
    "404": "No such resource, or not within the caller's scope.",
    "429": "Too many requests for this token; see Retry-After.",
}
WRITE_ERRORS = {"409": "Someone else changed the resource since the version sent."}
VERSION_HEADER = {
    "API-Version": {
        "description": "The full version of the API (the URL holds only the major version).",
        "required": True,
        "schema": {"type": "string", "example": settings.REGIETAFEL_API_VERSION},
    }
}
CORS_HEADER = {
    "Access-Control-Allow-Origin": {
        "description": "Any origin may read the document.",
        "required": True,
        "schema": {"type": "string", "enum": ["*"]},
    }
}
# Public addresses: no token needed, so no 401, 403 or 429 to document.
PUBLIC = {"/", "/openapi.json"}
LICENSE = {"name": "EUPL-1.2", "url": "https://joinup.ec.europa.eu/collection/eupl/eupl-text-eupl-12"}
# What a path or query parameter without its own description means (the router's and the views' own names).
PARAMETERS = {
    "id": gettext_lazy("The record's id, as the list gives it."),
    "code": gettext_lazy("The municipality's CBS code, e.g. GM0193."),
    "version": gettext_lazy("The version you read: a newer one in the database is a 409, never overwritten."),
}


def server() -> str:
    """The API's absolute address with its major version: ``https://regietafel.example.nl/api/v1``."""
    return f"{settings.REGIETAFEL_BASE_URL}{settings.SPECTACULAR_SETTINGS['SCHEMA_PATH_PREFIX']}"


def _openapi_path() -> dict:
    return {
        "get": {
            "operationId": "openapi_document",
            "summary": _("This OpenAPI document"),
            "description": _("The API's description, public and readable from any origin."),
            "tags": ["api"],
            "security": [{}],
            "responses": {
                "200": {
                    "description": _("The OpenAPI document."),
                    "headers": {**VERSION_HEADER, **CORS_HEADER},
                    "content": {"application/json": {"schema": {"type": "object"}}},
                }
            },
        }
    }


def _tags(result) -> list[dict]:
    described = {prefix: str(text) for prefix, _viewset, _basename, text in RESOURCES}
    described["api"] = _("The landing page and this document.")
    used = {
        tag for item in result["paths"].values() for operation in item.values() for tag in operation["tags"]
    }
    return sorted(
        ({"name": name, "description": text} for name, text in described.items() if name in used),
        key=lambda tag: tag["name"],
    )


def complete_document(result, generator, request, public):
    # In the request's language, like every other description (NL GOV /core/doc-language).
    result["info"]["description"] = " ".join(
        (
            _("Figures, targets, reception and the work of a regional steering table for refugees."),
            _("Errors are problem details (RFC 9457); lists are paginated with links; see docs/api.md."),
        )
    )
    result["servers"] = [{"url": server(), "description": _("This installation of Regietafel")}]
    result["info"]["contact"] = {
        "name": settings.REGIETAFEL_API_CONTACT_NAME,
        "email": settings.REGIETAFEL_API_CONTACT_EMAIL,
        "url": settings.REGIETAFEL_API_CONTACT_URL,
    }
    result["info"]["license"] = LICENSE
    result["paths"]["/openapi.json"] = _openapi_path()
    schemas = result["components"].setdefault("schemas", {})
    schemas["Problem"] = PROBLEM
    schemas["InvalidInput"] = INVALID_INPUT
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for path, item in result["paths"].items():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            errors = {**ERRORS, **(WRITE_ERRORS if method in ("post", "put", "patch") else {})}
            if path in PUBLIC:
                operation["security"] = [{}]
                errors = {"400": ERRORS["400"]} if operation.get("parameters") else {}
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": problem})
            for response in responses.values():
                response.setdefault("headers", {}).update(VERSION_HEADER)
            for parameter in operation.get("parameters", []):
                if not parameter.get("description") and parameter["name"] in PARAMETERS:
                    parameter["description"] = str(PARAMETERS[parameter["name"]])
    result["tags"] = _tags(result)
    return result
