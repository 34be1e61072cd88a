"""The production start: `regietafel serve` (gunicorn) with REGIETAFEL_ENV=production serves the overview to a user
who signs in through the login form, behind a proxy that terminates TLS; static files, request ids, JSON logs and
the protected metrics come with it. The database is a file of its own, prepared as an installation would be."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import requests
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.migrations.executor import MigrationExecutor

from tests.support import Browser, Gunicorn

REGIETAFEL = str(Path(sys.executable).parent / "regietafel")
SECRET = "production-test-" + "k" * 50
METRICS_TOKEN = "scraper-token-for-the-test"


def installed(data_dir: Path, **env) -> tuple[dict, str]:
    """A new installation in ``data_dir``: migrated, the IJsselland data set loaded, the first beheerder made."""
    environment = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{data_dir / 'regietafel.sqlite3'}",
        "REGIETAFEL_DATA_DIR": str(data_dir),
        "REGIETAFEL_SECRET_KEY": SECRET,
        **env,
    }
    for command in (["migrate", "--no-input", "-v0"], ["load-dataset"]):
        subprocess.run([REGIETAFEL, *command], env=environment, check=True, capture_output=True)  # noqa: S603
    made = subprocess.run(  # noqa: S603
        [REGIETAFEL, "ensure-admin"], env=environment, check=True, capture_output=True, text=True
    )
    password = re.search(r"^\s+wachtwoord:\s+(\S+)$", made.stdout, re.MULTILINE).group(1)
    return environment, password


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("production")
    environment, password = installed(data_dir)
    home = data_dir / "home"
    home.mkdir()
    server = Gunicorn(
        data_dir,
        environment["DATABASE_URL"],
        workers=2,
        env={
            "HOME": str(home),
            "XDG_RUNTIME_DIR": "",
            "REGIETAFEL_ENV": "production",
            "REGIETAFEL_SECRET_KEY": SECRET,
            "REGIETAFEL_ALLOWED_HOSTS": "127.0.0.1",
            "REGIETAFEL_PROXY_SSL_HEADER": "X-Forwarded-Proto",
            "REGIETAFEL_METRICS_TOKEN": METRICS_TOKEN,
            "LOG_LEVEL": "INFO",
        },
    )
    yield server, password
    server.kill()
    # No control socket in the home directory (shared by every instance the same user runs).
    assert not any(home.iterdir()), list(home.iterdir())


def test_the_production_start_serves_the_overview_to_a_signed_in_user(production):
    server, password = production
    browser = Browser(server.url)
    signed_in = browser.sign_in("beheerder", password)
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert "__Host-regietafel-session" in browser.cookies
    overview = browser.request("GET", signed_in.headers["Location"])
    assert overview.status_code == 200
    page = overview.text
    assert "IJsselland" in page and "Zwolle" in page
    assert "Regietafel versie" in page
    assert overview.headers["Cache-Control"] == "private, no-store"
    assert overview.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    # The stylesheets the page names are served, compressed, by the app server itself.
    for stylesheet in re.findall(r'<link[^>]+href="(/static/[^"]+\.css)"', page):
        css = browser.request("GET", stylesheet, headers={"Accept-Encoding": "gzip"})
        assert css.status_code == 200 and css.headers["Content-Encoding"] == "gzip", stylesheet
        assert "max-age=" in css.headers["Cache-Control"]


def test_plain_http_is_sent_to_https_but_health_checks_answer_on_the_app_server(production):
    server, _ = production
    redirected = requests.get(f"{server.url}/", allow_redirects=False, timeout=30)
    assert redirected.status_code == 301 and redirected.headers["Location"].startswith("https://")
    live = requests.get(f"{server.url}/health/live", timeout=30)
    assert live.status_code == 200
    assert "gunicorn" not in live.headers.get("Server", "").lower()
    ready = requests.get(f"{server.url}/health/ready", timeout=30)
    assert ready.status_code == 200 and ready.json()["status"] == "ok"


def test_every_answer_has_a_request_id_and_the_log_is_json_without_personal_data(production):
    server, password = production
    given = "0f1e2d3c4b5a49788796a5b4c3d2e1f0"
    answer = requests.get(f"{server.url}/health/live", headers={"X-Request-ID": given}, timeout=30)
    assert answer.headers["X-Request-ID"] == given
    made = requests.get(f"{server.url}/health/live", headers={"X-Request-ID": "not a uuid"}, timeout=30)
    assert re.fullmatch(r"[0-9a-f]{32}", made.headers["X-Request-ID"])
    Browser(server.url).sign_in("beheerder", "wrong password, logged nowhere")
    Browser(server.url).request("GET", "/gemeente/GM0193/?bsn=123456789&email=jan@example.nl")
    Browser(server.url).request("GET", "/api/v1/gemeenten/GM0193")

    lines = [line for line in server.log.read_text().splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    requests_logged = [r for r in records if r["logger"] == "regietafel.request"]
    assert {"time", "level", "message", "request_id", "route", "status", "duration_ms"} <= set(
        requests_logged[0]
    )
    assert given in {r["request_id"] for r in requests_logged}
    assert "gemeente/<str:code>/" in {r["route"] for r in requests_logged}
    assert "api/v1/gemeenten/<code>" in {r["route"] for r in requests_logged}
    assert not any("?" in r["route"] or "(" in r["route"] for r in requests_logged)
    text = server.log.read_text()
    for personal in (
        "beheerder",
        password,
        "wrong password",
        "123456789",
        "jan@example.nl",
        "GM0193",
        SECRET,
    ):
        assert personal not in text, personal


def test_metrics_only_for_the_scraper_with_the_token(production):
    server, _ = production
    assert requests.get(f"{server.url}/metrics", timeout=30).status_code == 404
    wrong = requests.get(f"{server.url}/metrics", headers={"Authorization": "Bearer guess"}, timeout=30)
    assert wrong.status_code == 404
    for _ in range(3):
        requests.get(f"{server.url}/health/live", timeout=30)
    scraped = requests.get(
        f"{server.url}/metrics", headers={"Authorization": f"Bearer {METRICS_TOKEN}"}, timeout=30
    )
    assert scraped.status_code == 200
    text = scraped.text
    # Added up over both workers.
    count = re.search(
        r'regietafel_request_duration_seconds_count\{method="GET",route="health/live"\} (\S+)', text
    )
    assert count and float(count.group(1)) >= 3
    assert 'regietafel_responses_total{route="metrics",status="4xx"}' in text
    assert "regietafel_tasks" in text and "regietafel_imports" in text


@pytest.mark.django_db
def test_serve_refuses_while_a_migration_is_pending(monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("migration", False)])
    with pytest.raises(CommandError, match="1 migration\\(s\\) pending: run `regietafel migrate` first"):
        call_command("serve")


@pytest.mark.django_db
def test_serve_production_refuses_outside_production():
    with pytest.raises(CommandError, match="REGIETAFEL_ENV is not 'production'"):
        call_command("serve", "--production")
