"""Scaling out (PostgreSQL): two app servers started as production starts them, against one database, one Redis
cache and one shared upload directory. A user signed in on one is signed in on the other, a document uploaded on
one is downloaded from the other, and signing out on one ends the session on both: no state lives in a server."""

import re
import socket
import subprocess
import time

import pytest
import redis
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from regietafel.access.models import Membership, Role
from regietafel.meetings.models import AgendaItem, Body, Document, Meeting
from tests.support import Gunicorn, database_url

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
    deadline = time.monotonic() + 30
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.1)
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
    shared = {"MEDIA_ROOT": str(tmp_path / "uploads"), "REGIETAFEL_CACHE_URL": redis_url}
    first = Gunicorn(tmp_path / "first", database_url(), workers=2, env=shared)
    try:
        second = Gunicorn(tmp_path / "second", database_url(), workers=2, env=shared)
    except BaseException:
        first.kill()
        raise
    try:
        # Signed in on the first server ...
        on_first = requests.Session()
        login = on_first.get(f"{first.url}/inloggen/", timeout=60)
        signed_in = on_first.post(
            f"{first.url}/inloggen/",
            data={"csrfmiddlewaretoken": token(login.text), "username": "secretaris", "password": PASSWORD},
            timeout=60,
        )
        assert signed_in.status_code == 200 and "/inloggen/" not in signed_in.url
        # ... and on the second with the same cookie.
        on_second = requests.Session()
        on_second.cookies.update(on_first.cookies)
        overview = on_second.get(f"{second.url}/", allow_redirects=False, timeout=60)
        assert overview.status_code == 200 and "secretaris" in overview.text

        # A document uploaded on the first server is downloaded from the second.
        page = on_first.get(f"{first.url}/regietafel/vergadering/{meeting.pk}/", timeout=60)
        content = b"%PDF-1.4 agenda RRVIJ december\n" + bytes(range(256)) * 40
        uploaded = on_first.post(
            f"{first.url}/regietafel/agendapunt/{item.pk}/document/",
            data={"csrfmiddlewaretoken": token(page.text)},
            files={"file": ("agenda.pdf", content, "application/pdf")},
            timeout=60,
        )
        assert uploaded.status_code == 200
        document = Document.objects.get(agenda_item=item)
        downloaded = on_second.get(f"{second.url}/regietafel/document/{document.pk}/", timeout=60)
        assert downloaded.status_code == 200 and downloaded.content == content

        # Signed out on the second server: the session is gone on the first as well.
        page = on_second.get(f"{second.url}/", timeout=60)
        on_second.post(f"{second.url}/uitloggen/", data={"csrfmiddlewaretoken": token(page.text)}, timeout=60)
        after = on_first.get(f"{first.url}/", allow_redirects=False, timeout=60)
        assert after.status_code == 302 and after.headers["Location"].startswith("/inloggen/")
    finally:
        first.kill()
        second.kill()
    # Both servers used the one cache: the figures version and rendered tables are in Redis, not in the servers.
    assert redis.Redis.from_url(redis_url).dbsize() > 0
