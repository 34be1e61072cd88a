"""Server time of whole pages, as a ratio to a bare Django view measured in the same run (the floor).

Every request goes through Django's full handler (all middleware, a signed-in beheerder's session, the templates),
as a production server would run it, without a network: ``django.test.Client`` outside the test environment. The
floor is a view that returns "ok" through the same middleware and session (bench/urls.py), so the ratio says how
much a page costs beyond what any signed-in request costs on this machine. Queries are counted per request with
Django's own query log (CaptureQueriesContext).
"""

import logging
import statistics
import time

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

FLOOR = "/bench/floor/"


def client_for(user) -> Client:
    settings.ROOT_URLCONF = "bench.urls"
    client = Client(HTTP_HOST="127.0.0.1")
    logging.disable(logging.INFO)  # the login's own log lines
    client.force_login(user)
    logging.disable(logging.NOTSET)
    return client


def server_ms(client: Client, path: str, runs: int) -> float:
    """The median of ``runs`` requests, after two to warm up (templates compiled, caches filled)."""
    timings = []
    for index in range(runs + 2):
        start = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, (path, response.status_code)
        if index >= 2:
            timings.append(elapsed)
    return statistics.median(timings)


def queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


def measure(client: Client, pages: dict[str, str], runs: int = 30) -> dict:
    """Per page: median server time, ratio to the floor, queries; the floor is measured between the pages too."""
    floors = [server_ms(client, FLOOR, runs)]
    result = {}
    for name, path in pages.items():
        ms = server_ms(client, path, runs)
        floors.append(server_ms(client, FLOOR, runs))
        result[name] = {"path": path, "ms": round(ms, 2), "queries": queries(client, path)}
    floor = statistics.median(floors)
    for figures in result.values():
        figures["ratio"] = round(figures["ms"] / floor, 2)
    return {"floor_ms": round(floor, 2), "floor_queries": queries(client, FLOOR), "pages": result}
