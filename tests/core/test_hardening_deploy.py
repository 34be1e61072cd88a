"""Production settings come from the environment, and Django's deployment check passes on them."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

REGIETAFEL = Path(sys.executable).with_name("regietafel")
# Set by the test run, never in production (the browser tests allow Django calls from Playwright's event loop).
TEST_ONLY = {"DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def production_env(**extra: str) -> dict[str, str]:
    """The process environment without our own settings, plus the three a production set-up needs at least."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith("REGIETAFEL_") and name not in TEST_ONLY
    }
    env.update(
        REGIETAFEL_ENV="production",
        REGIETAFEL_SECRET_KEY=secrets.token_urlsafe(64),
        REGIETAFEL_ALLOWED_HOSTS="regietafel.example.nl",
    )
    env.update(extra)
    return env


def regietafel(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    # Our own console script with fixed arguments.
    return subprocess.run([str(REGIETAFEL), *args], env=env, capture_output=True, text=True, timeout=120)  # noqa: S603


def test_deploy_check_passes_at_warning_level_with_production_settings():
    result = regietafel("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_are_hardened():
    script = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_NAME.startswith('__Host-'), s.CSRF_COOKIE_NAME.startswith('__Host-'), "
        "s.SECURE_REFERRER_POLICY, 'unsafe-inline' in str(s.CONTENT_SECURITY_POLICY))"
    )
    result = regietafel("shell", "--no-imports", "-c", script, env=production_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", *["True"] * 7, "same-origin", "False"]


def test_the_deploy_check_fails_when_a_protection_is_switched_off():
    """The check in CI is not a formality: switching HSTS off makes it fail."""
    result = regietafel(
        "check", "--deploy", "--fail-level", "WARNING", env=production_env(REGIETAFEL_HSTS_SECONDS="0")
    )
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret_key"
    key_file.write_text(secrets.token_urlsafe(64) + "\n")
    env = production_env(REGIETAFEL_SECRET_KEY_FILE=str(key_file))
    del env["REGIETAFEL_SECRET_KEY"]
    result = regietafel("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["REGIETAFEL_SECRET_KEY", "REGIETAFEL_ALLOWED_HOSTS"])
def test_production_refuses_to_run_without_its_settings(missing):
    env = production_env()
    del env[missing]
    result = regietafel("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0


def test_a_proxy_header_tells_django_the_request_came_over_https():
    script = "from django.conf import settings as s; print(s.SECURE_PROXY_SSL_HEADER)"
    env = production_env(REGIETAFEL_PROXY_SSL_HEADER="X-Forwarded-Proto")
    result = regietafel("shell", "--no-imports", "-c", script, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
