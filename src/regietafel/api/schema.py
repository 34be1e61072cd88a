"""Additions to the generated OpenAPI document: the errors every operation can answer (as problem details) and
the ``API-Version`` header every response carries."""

PROBLEM = {
    "type": "object",
    "description": "Problem details (RFC 9457).",
    "required": ["type", "title", "status", "detail", "instance"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "invalid-params": {
            "type": "array",
            "description": "One entry per field and problem; for bulk writes the field is rows[i].column.",
            "items": {
                "type": "object",
                "required": ["name", "reason"],
                "properties": {"name": {"type": "string"}, "reason": {"type": "string"}},
            },
        },
    },
}

ERRORS = {
    "400": "The request is not valid: see invalid-params.",
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
        "schema": {"type": "string", "example": "1.0.0"},
    }
}


def add_problems_and_version(result, generator, request, public):
    result["components"].setdefault("schemas", {})["Problem"] = PROBLEM
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    for item in result["paths"].values():
        for method, operation in item.items():
            responses = operation.setdefault("responses", {})
            errors = {**ERRORS, **(WRITE_ERRORS if method in ("post", "put", "patch") else {})}
            for code, description in errors.items():
                responses.setdefault(code, {"description": description, "content": problem})
            for response in responses.values():
                response.setdefault("headers", {}).update(VERSION_HEADER)
    return result
