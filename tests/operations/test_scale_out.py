"""Scaling out (PostgreSQL): two app servers started as production starts them (`regietafel serve`,
REGIETAFEL_ENV=production, behind a TLS proxy), against one database, one Redis cache and one shared upload
directory. A user signed in on one is signed in on the other, a document uploaded on one is downloaded from the
other, and signing out on one ends the session on both: no state lives in a server."""

import re
import socket
import subprocess

import pytest
import redis
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from regietafel.access.models import Membership, Role
from regietafel.meetings.models import AgendaItem, Body, Document, Meeting
from tests.support import Browser, Gunicorn, database_url, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="several app servers share one PostgreSQL"),
]
PASSWORD = "een-lang-wachtwoord-voor-de-test"


@pytest.fixture
def redis_url():
    """A Redis of the test's own, keeping nothing on disk."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],  # noqa: S607
        stdout=subprocess.DEVNULL,
    )
    client = redis.Redis(port=port)
    wait_for(client.ping, 30, "redis-server answering", alive=lambda: server.poll() is None)
    yield f"redis://127.0.0.1:{port}/0"
    server.kill()
    server.wait()


def token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_two_app_servers_share_sessions_uploads_and_the_cache(
    dataset, django_user_model, tmp_path, redis_url
):
    # Hashed as the servers check it (the tests' own hasher is a fast one that the servers do not know).
    user = django_user_model.objects.create_user("secretaris")
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save()
    Membership.objects.create(user=user, role=Role.ADMIN)
    body = Body.objects.create(name="Regietafel IJsselland", kind=Body.Kind.STEERING_TABLE)
    meeting = Meeting.objects.create(body=body, title="RRVIJ december", starts_at=timezone.now())
    item = AgendaItem.objects.create(meeting=meeting, position=1, title="Huisvesting")
    # Both as production runs them, behind a proxy that terminates TLS, sharing the database, Redis and uploads.
    shared = {
        "REGIETAFEL_ENV": "production",
        "REGIETAFEL_ALLOWED_HOSTS": "127.0.0.1",
        "REGIETAFEL_PROXY_SSL_HEADER": "X-Forwarded-Proto",
        "MEDIA_ROOT": str(tmp_path / "uploads"),
        "REGIETAFEL_CACHE_URL": redis_url,
    }
    first = Gunicorn(tmp_path / "first", database_url(), workers=2, env=shared)
    try:
        second = Gunicorn(tmp_path / "second", database_url(), workers=2, env=shared)
    except BaseException:
        first.kill()
        raise
    try:
        # Signed in on the first server ...
        on_first = Browser(first.url)
        signed_in = on_first.sign_in("secretaris", PASSWORD)
        assert signed_in.status_code == 302, signed_in.text[:300]
        # ... and on the second with the same cookie.
        on_second = Browser(second.url)
        on_second.cookies = dict(on_first.cookies)
        overview = on_second.request("GET", "/")
        assert overview.status_code == 200 and "secretaris" in overview.text

        # A document uploaded on the first server is downloaded from the second.
        page = on_first.request("GET", f"/regietafel/vergadering/{meeting.pk}/")
        content = b"%PDF-1.4 agenda RRVIJ december\n" + bytes(range(256)) * 40
        uploaded = on_first.request(
            "POST",
            f"/regietafel/agendapunt/{item.pk}/document/",
            data={"csrfmiddlewaretoken": token(page.text)},
            files={"file": ("agenda.pdf", content, "application/pdf")},
        )
        assert uploaded.status_code == 302
        document = Document.objects.get(agenda_item=item)
        downloaded = on_second.request("GET", f"/regietafel/document/{document.pk}/")
        assert downloaded.status_code == 200 and downloaded.content == content

        # Signed out on the second server: the session is gone on the first as well.
        page = on_second.request("GET", "/")
        on_second.request("POST", "/uitloggen/", data={"csrfmiddlewaretoken": token(page.text)})
        after = on_first.request("GET", "/")
        assert after.status_code == 302 and after.headers["Location"].startswith("/inloggen/")
    finally:
        first.kill()
        second.kill()
    # Both servers used the one cache: the figures version and rendered tables are in Redis, not in the servers.
    assert redis.Redis.from_url(redis_url).dbsize() > 0
