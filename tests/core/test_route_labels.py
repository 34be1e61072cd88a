"""Logs and metrics name a request by its route, never its path: for every route of the application the label
reads like a Django path, with no regular-expression syntax that the log's redaction would mangle (a "?" starts a
query string there: the API's routes were logged as ``api/v1/partners/(?[query]``)."""

import re

import pytest
from django.urls import URLResolver, get_resolver

from regietafel.core.routes import route_label


def routes(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from routes(pattern.url_patterns, prefix + str(pattern.pattern))
        else:
            yield prefix + str(pattern.pattern)


ALL = sorted(set(routes(get_resolver().url_patterns)))


def test_there_are_routes_of_both_kinds():
    assert any("(?P<" in route for route in ALL) and any("<int:" in route for route in ALL)


@pytest.mark.parametrize("route", ALL)
def test_every_route_has_a_readable_label(route):
    label = route_label(route)
    assert not re.search(r"[()?^$\[\]\\*+|{}]", label), label
    assert label.count("<") == label.count(">") == len(re.findall(r"<", route.replace("(?P<", "<")))
