import os
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from django.contrib.auth import get_user_model

from regietafel.access.models import Membership, Role
from tests.support import wait_for

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "a-long-login-password-1"
PROVIDER_PASSWORD = "provider-password-1"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Many logins per test: a fast hasher keeps them quick (hashing itself is not what these tests test)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def account(db):
    """A local account with a role, logging in with a password."""
    user = get_user_model().objects.create_user("medewerker", password=PASSWORD)
    Membership.objects.create(user=user, role=Role.ADMIN)
    return user


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass(frozen=True)
class Provider:
    url: str
    client_id: str
    client_secret: str

    @property
    def issuer(self) -> str:
        return f"{self.url}/openid"


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """A real OpenID Connect provider (tests/oidc_op, django-oidc-provider) in its own process and database,
    with the live server's callback registered as the client's redirect URI."""
    port = _free_port()
    data_dir = tmp_path_factory.mktemp("oidc_op")
    provider = Provider(f"http://127.0.0.1:{port}", "regietafel-test", "test-client-secret")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_op.settings",
        "OIDC_OP_DATA_DIR": str(data_dir),
        "OIDC_OP_SITE_URL": provider.url,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
    }
    env.pop("DATABASE_URL", None)

    def manage(*args):
        return [sys.executable, "-m", "django", *args]

    for command in (
        manage("migrate", "--no-input", "-v0"),
        manage("creatersakey"),
        manage(
            "op_setup",
            f"--redirect-uri={live_server.url}/oidc/callback/",
            f"--client-id={provider.client_id}",
            f"--client-secret={provider.client_secret}",
            f"--password={PROVIDER_PASSWORD}",
        ),
    ):
        subprocess.run(command, env=env, cwd=ROOT, check=True, capture_output=True)  # noqa: S603
    log = (data_dir / "server.log").open("w")
    server = subprocess.Popen(  # noqa: S603
        manage("runserver", "--noreload", f"127.0.0.1:{port}"),
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        try:
            wait_for(
                lambda: requests.get(f"{provider.issuer}/.well-known/openid-configuration", timeout=5).ok,
                60,
                "The test OIDC provider answering",
                alive=lambda: server.poll() is None,
            )
        except AssertionError as failure:
            pytest.fail(f"{failure}\n{(data_dir / 'server.log').read_text()}")
        yield provider
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
