"""/health/live and /health/ready answer without login, as JSON, never cached, with nothing personal in them."""

import contextlib
import socket
import threading

import pytest
import requests
from django.db import OperationalError, connection
from django.db.migrations.executor import MigrationExecutor

from tests.support import Gunicorn, database_url, wait_for

pytestmark = pytest.mark.django_db


def test_live_answers_without_login(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_ready_when_the_database_answers_and_every_migration_is_applied(client):
    response = client.get("/health/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "migrations": "ok"}}


def test_not_ready_while_a_migration_is_pending(client, monkeypatch):
    monkeypatch.setattr(MigrationExecutor, "migration_plan", lambda self, targets: [("migration", False)])
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "ok", "migrations": "1 pending"}}


def test_not_ready_while_the_database_is_unreachable(client, monkeypatch):
    def refuse():
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "ensure_connection", refuse)
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "unreachable", "migrations": "not checked"}
    assert "refused" not in response.content.decode()


@pytest.mark.parametrize("path", ["/health/live", "/health/ready"])
def test_only_get_is_answered(client, path):
    assert client.post(path).status_code == 405


class Outage:
    """A TCP relay between the server and PostgreSQL that can be cut and restored, like a database going away."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = threading.Event()
        self.up.set()
        self.open: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _address = self.listener.accept()
            except OSError:
                return
            if not self.up.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self.target)
            self.open += [client, upstream]
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source, sink):
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for end in (source, sink):
                with contextlib.suppress(OSError):
                    end.close()

    def cut(self):
        self.up.clear()
        for end in self.open:
            with contextlib.suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)
        self.open.clear()

    def restore(self):
        self.up.set()

    def close(self):
        self.cut()
        self.listener.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="a real outage of PostgreSQL")
def test_ready_fails_while_postgresql_is_away_and_recovers_when_it_returns(tmp_path):
    settings = connection.settings_dict
    outage = Outage((settings["HOST"] or "127.0.0.1", int(settings["PORT"] or 5432)))
    server = Gunicorn(tmp_path, database_url(port=outage.port))
    url = f"{server.url}/health/ready"

    def status() -> int:
        return wait_for(lambda: requests.get(url, timeout=10).status_code, 60, "the server answering")

    try:
        assert status() == 200
        outage.cut()
        assert status() == 503
        assert requests.get(url.replace("ready", "live"), timeout=10).status_code == 200
        outage.restore()
        assert status() == 200
    finally:
        server.kill()
        outage.close()
