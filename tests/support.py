"""Constants and helpers shared by more than one test module: `from tests.support import ...`."""

import csv
import datetime
import io
import time
from collections.abc import Callable

import openpyxl

from regietafel.housing.models import (
    HousingRealisation,
    NationalOutcome,
    NationalTarget,
    OpeningBalance,
    ReportedTarget,
)
from regietafel.reception.models import Location, ReceptionTask, ThirdCountryNationalCount
from regietafel.regions.models import Area, PopulationFigure

# The eleven municipalities of the region IJsselland (VR04), in alphabetical order.
IJSSELLAND = [
    "Dalfsen",
    "Deventer",
    "Hardenberg",
    "Kampen",
    "Olst-Wijhe",
    "Ommen",
    "Raalte",
    "Staphorst",
    "Steenwijkerland",
    "Zwartewaterland",
    "Zwolle",
]

# Every table an import can write to.
DATA_MODELS = [
    Area,
    PopulationFigure,
    NationalTarget,
    NationalOutcome,
    ReportedTarget,
    OpeningBalance,
    HousingRealisation,
    ReceptionTask,
    Location,
    ThirdCountryNationalCount,
]


def snapshot() -> dict[str, list[dict]]:
    """Every data row, field by field: equal snapshots mean nothing was written."""
    return {model.__name__: list(model.objects.order_by("pk").values()) for model in DATA_MODELS}


# The columns of the import files, in the order of their specs.
POPULATION_HEADER = [
    "code",
    "name",
    "province_code",
    "region_code",
    "region_name",
    "reference_date",
    "population",
    "source",
    "confidence",
]
REALISATION_HEADER = [
    "municipality_code",
    "month",
    "housed",
    "housed_minors",
    "reference_date",
    "source",
    "confidence",
]
LOCATION_HEADER = [
    "municipality_code",
    "name",
    "kind",
    "capacity",
    "occupancy",
    "start_date",
    "end_date",
    "reference_date",
    "source",
    "confidence",
]
NATIONAL_HEADER = [
    "half_year",
    "revision",
    "headline",
    "distributed",
    "note",
    "reference_date",
    "source",
    "confidence",
]


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def csv_bytes(header, rows, delimiter=",", encoding="utf-8") -> bytes:
    """A CSV file: None as an empty cell, dates as ISO dates."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(header, rows) -> bytes:
    """A workbook with native cell types: dates as dates, numbers as numbers."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# Every page of the monitor a logged-in user can open (views and accessibility are tested on each).
# The day the tests' demo figures are generated as of: realisation for the twelve months of 2025, so that the
# figures the tests assert on do not move with the calendar (``tests/operations/test_demo.py`` covers the demo
# generated relative to other days).
DEMO_DAY = datetime.date(2026, 1, 1)

MONITOR_PAGES = [
    "/",
    "/?halfjaar=2025-H1",
    "/asielopvang/",
    "/oekraine/",
    "/amv/",
    "/landelijk/",
    "/gemeente/GM0177/",
    "/toezicht/",
    "/toezicht/GM0177/vastleggen/",
    "/corporaties/",
    "/vergoedingen/",
    "/derdelanders/",
    "/spreidingswet/",
    "/?regio=PV23",
    "/?regio=NL01",
    "/afspraken/2025-H2/",
    "/import/",
    "/indicatoren/",
    "/indicatoren/?domein=reception_quality",
    "/indicatoren/definities/",
    "/indicatoren/ZRG-HUISARTS/",
]


def database_url(port: int | None = None) -> str:
    """The test database as a DATABASE_URL, for a server process of the test's own (through ``port`` if given)."""
    from django.db import connection

    settings = connection.settings_dict
    credentials = settings["USER"] + (f":{settings['PASSWORD']}" if settings["PASSWORD"] else "")
    host = "127.0.0.1" if port else settings["HOST"] or "127.0.0.1"
    return f"postgres://{credentials}@{host}:{port or settings['PORT'] or 5432}/{settings['NAME']}"


def wait_for(
    probe: Callable[[], object],
    seconds: float,
    what: str,
    alive: Callable[[], bool] = lambda: True,
    interval: float = 0.2,
):
    """Call ``probe`` until it returns something true, and return that. Any error it raises (a refused connection,
    a first answer slower than its timeout, a reset) means "not yet": the suite shares a busy machine, so every wait
    for a server or worker retries until its deadline, and fails with ``what`` and the last error after it, or as
    soon as ``alive()`` says the process waited for has stopped."""
    deadline = time.monotonic() + seconds
    last_error: Exception | None = None
    while True:
        try:
            found = probe()
        except Exception as error:  # noqa: BLE001 (any error is a reason to try again until the deadline)
            found, last_error = None, error
        if found:
            return found
        if not alive():
            raise AssertionError(f"{what}: the process stopped (last error: {last_error!r})")
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {seconds} s (last error: {last_error!r})")
        time.sleep(interval)


class Gunicorn:
    """The production start (`regietafel serve`: gunicorn) against ``database``, in a process group of its own so
    that SIGKILL takes master and workers at once. Starts when /health/live answers. ``env`` adds or overrides
    variables (REGIETAFEL_ENV=production, a shared MEDIA_ROOT ...); the output is kept in ``data_dir/serve.log``."""

    def __init__(self, data_dir, database: str, workers: int = 1, env: dict | None = None):
        import os
        import socket
        import subprocess
        import sys
        from pathlib import Path

        import requests
        from django.conf import settings

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        Path(data_dir).mkdir(parents=True, exist_ok=True)
        self.log = Path(data_dir) / f"serve-{self.port}.log"
        environment = {
            **os.environ,
            "DATABASE_URL": database,
            "REGIETAFEL_DATA_DIR": str(data_dir),
            "STATIC_ROOT": str(Path(data_dir) / "static"),
            # Sessions a test signs are read by the server: the same key.
            "REGIETAFEL_SECRET_KEY": settings.SECRET_KEY,
            "REGIETAFEL_DEBUG": "0",
            "REGIETAFEL_CACHE_URL": "",
            "REGIETAFEL_BIND": f"127.0.0.1:{self.port}",
            "REGIETAFEL_WORKERS": str(workers),
            "REGIETAFEL_WORKER_TIMEOUT": "600",
            "LOG_LEVEL": "WARNING",
            **(env or {}),
        }
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(  # noqa: S603 (our own server, our own arguments)
                [str(Path(sys.executable).parent / "regietafel"), "serve"],
                env=environment,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        try:
            wait_for(
                lambda: requests.get(f"{self.url}/health/live", timeout=5).ok,
                120,
                "regietafel serve answering /health/live",
                alive=lambda: self.process.poll() is None,
            )
        except AssertionError as failure:
            self.kill()
            raise AssertionError(f"{failure}\n{self.log.read_text()[-3000:]}") from None

    def kill(self) -> None:
        import os
        import signal

        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)


class Browser:
    """A client behind the proxy: every request says it came over HTTPS, and the cookies (secure, __Host-) are
    sent back as a browser on https:// would."""

    def __init__(self, url: str):
        self.url = url
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, **kwargs):
        import requests

        headers = {"X-Forwarded-Proto": "https", "Referer": f"https://{self.url.split('//')[1]}{path}"}
        headers.update(kwargs.pop("headers", {}))
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        response = requests.request(
            method, self.url + path, headers=headers, allow_redirects=False, timeout=60, **kwargs
        )
        self.cookies.update(response.cookies.get_dict())
        return response

    def sign_in(self, username: str, password: str):
        import re

        page = self.request("GET", "/inloggen/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        return self.request(
            "POST",
            "/inloggen/",
            data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        )


# The organisations the import templates' example rows name: the embedded data set holds no partners.
EXAMPLE_ORGANISATIONS = {"Sallandwonen": "housing_corporation", "Nidos": "state"}


def example_organisations() -> None:
    from regietafel.organisations.models import Organisation

    for name, kind in EXAMPLE_ORGANISATIONS.items():
        if not Organisation.objects.filter(name__iexact=name).exists():
            Organisation.objects.create(name=name, kind=kind)
