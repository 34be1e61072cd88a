"""Kill test (PostgreSQL): the server process killed with SIGKILL in the middle of a large import leaves the database
with none of it, and the same import confirmed again afterwards writes all of it.

The production server (gunicorn) runs as a process of its own against the test database; the import is uploaded
and confirmed over HTTP as a beheerder does it. The kill comes once the import's transaction has written rows
(the table's file on disk grows with rows nobody else can see yet).
"""

import datetime
import re
import threading
import time
from urllib.parse import urlsplit

import psycopg
import pytest
import requests
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection

from regietafel.access.models import Membership, Role
from regietafel.housing.models import HousingRealisation
from regietafel.imports.models import ImportBatch
from regietafel.regions.models import Area
from tests.support import REALISATION_HEADER, Gunicorn, csv_bytes, database_url

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the kill test runs on PostgreSQL"),
]
MUNICIPALITIES = 300
MONTHS = 60  # 18,000 rows


def signed_in(user) -> requests.Session:
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    session = requests.Session()
    session.cookies.set("sessionid", store.session_key)
    return session


def token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def heap_bytes() -> int:
    with psycopg.connect(database_url(), autocommit=True) as probe:
        return probe.execute("SELECT pg_relation_size('housing_housingrealisation')").fetchone()[0]


def others_in_transaction(own_pid: int) -> int:
    """Backends of the test database, other than the test's own, still inside a transaction."""
    with psycopg.connect(database_url(), autocommit=True) as probe:
        return probe.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND pid <> %s AND xact_start IS NOT NULL",
            [own_pid],
        ).fetchone()[0]


def test_a_server_killed_mid_import_leaves_all_or_nothing(dataset, django_user_model, tmp_path):
    region = Area.objects.create(code="KT01", name="Killtest", kind=Area.Kind.REGION)
    areas = Area.objects.bulk_create(
        Area(code=f"KT{n:04d}", name=f"Killgemeente {n}", kind=Area.Kind.MUNICIPALITY, parent=region)
        for n in range(MUNICIPALITIES)
    )
    months = [datetime.date(1990 + m // 12, m % 12 + 1, 1) for m in range(MONTHS)]
    content = csv_bytes(
        REALISATION_HEADER, [(a.code, m, 3, 1, None, "killtest", "H") for m in months for a in areas]
    )
    rows = MUNICIPALITIES * MONTHS
    admin = django_user_model.objects.create_user("killtest")
    Membership.objects.create(user=admin, role=Role.ADMIN)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        own_pid = cursor.fetchone()[0]
    imported = HousingRealisation.objects.filter(municipality__parent=region)

    server = Gunicorn(tmp_path, database_url())
    try:
        browser = signed_in(admin)
        upload_page = browser.get(f"{server.url}/import/realisation/", timeout=30).text
        preview = browser.post(
            f"{server.url}/import/realisation/",
            data={"csrfmiddlewaretoken": token(upload_page)},
            files={"file": ("groot.csv", content, "text/csv")},
            timeout=300,
        )
        assert preview.status_code == 200 and "/import/realisation/" in preview.url, preview.status_code
        fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview.text).group(1)
        confirm = {"csrfmiddlewaretoken": token(preview.text), "fingerprint": fingerprint}
        batch = ImportBatch.objects.get(kind="realisation", status=ImportBatch.Status.STAGED)

        start = heap_bytes()
        outcome = {}

        def post():
            try:
                outcome["response"] = browser.post(preview.url, data=confirm, timeout=600)
            except requests.RequestException as exc:
                outcome["error"] = exc

        confirming = threading.Thread(target=post)
        confirming.start()
        deadline = time.monotonic() + 300
        while heap_bytes() < start + 512 * 1024:
            assert confirming.is_alive(), f"the import finished before it could be killed: {outcome}"
            assert time.monotonic() < deadline, "the import wrote nothing within 300 s"
            time.sleep(0.05)
    finally:
        server.kill()
    confirming.join(timeout=60)
    assert "error" in outcome, outcome

    # PostgreSQL sees the connection gone and rolls the transaction back; wait until it has.
    deadline = time.monotonic() + 60
    while others_in_transaction(own_pid):
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert imported.count() == 0
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.STAGED

    # Confirmed again on a new server: all of it.
    server = Gunicorn(tmp_path, database_url())
    try:
        browser = signed_in(admin)
        again = f"{server.url}{urlsplit(preview.url).path}"
        page = browser.get(again, timeout=60)
        done = browser.post(again, data={**confirm, "csrfmiddlewaretoken": token(page.text)}, timeout=600)
        assert done.status_code == 200
    finally:
        server.kill()
    assert imported.count() == rows
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.APPLIED
