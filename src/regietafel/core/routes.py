"""How logs and metrics name a request: by its route, never by its path (a path can hold codes and ids)."""

import re

_REGEX_GROUP = re.compile(r"\(\?P<(\w+)>[^()]*\)")


def route_label(route: str) -> str:
    """A route as people read it, for logs and metrics: the API router's regular expressions
    (``api/v1/^partners/(?P<pk>[^/.]+)$``) written like Django's paths (``api/v1/partners/<pk>``)."""
    return (
        _REGEX_GROUP.sub(r"<\1>", route)
        .replace("^", "")
        .replace("$", "")
        .replace("\\", "")
        .replace("/?", "/")
    )
