"""Kill test (PostgreSQL): the task worker killed with SIGKILL in the middle of a large import leaves the database
with none of it, and the user, told on the import's page that it was broken off, confirms again: a new worker then
writes all of it.

The production server (gunicorn) and the task worker (`regietafel db_worker`) run as processes of their own against
the test database; the file is uploaded and confirmed over HTTP as a beheerder does it, and both requests return at
once: the worker checks the file and, after the confirmation, writes it. The kill comes once the import's
transaction has written rows (the table's file on disk grows with rows nobody else can see yet).
"""

import datetime
import re

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
from tests.imports.worker import DbWorker
from tests.support import REALISATION_HEADER, Gunicorn, csv_bytes, database_url, wait_for

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the kill test runs on PostgreSQL"),
]
MUNICIPALITIES = 300
MONTHS = 60  # 18,000 rows
QUEUE = {"REGIETAFEL_TASKS": "database"}


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


def fingerprint(html: str) -> str:
    return re.search(r'name="fingerprint" value="([^"]+)"', html).group(1)


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


def status_of(batch: ImportBatch) -> str:
    batch.refresh_from_db(fields=["status"])
    return batch.status


def test_a_worker_killed_mid_import_leaves_all_or_nothing_and_confirming_again_writes_all(
    dataset, django_user_model, tmp_path
):
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

    server = Gunicorn(tmp_path, database_url(), env=QUEUE)
    worker = DbWorker(tmp_path, database_url())
    try:
        browser = signed_in(admin)
        upload_page = browser.get(f"{server.url}/import/realisation/", timeout=30).text
        uploaded = browser.post(
            f"{server.url}/import/realisation/",
            data={"csrfmiddlewaretoken": token(upload_page)},
            files={"file": ("groot.csv", content, "text/csv")},
            allow_redirects=False,
            timeout=60,
        )
        assert uploaded.status_code == 302, uploaded.status_code
        page = f"{server.url}{uploaded.headers['Location']}"
        batch = ImportBatch.objects.get(kind="realisation")
        wait_for(
            lambda: status_of(batch) == ImportBatch.Status.STAGED,
            300,
            "the worker checked the file",
            worker.alive,
        )
        preview = browser.get(page, timeout=30).text
        confirm = {"csrfmiddlewaretoken": token(preview), "fingerprint": fingerprint(preview)}

        start = heap_bytes()
        confirmed = browser.post(page, data=confirm, allow_redirects=False, timeout=60)
        # The request returns at once: the worker writes.
        assert confirmed.status_code == 302 and confirmed.headers["Location"] == uploaded.headers["Location"]
        assert status_of(batch) == ImportBatch.Status.IMPORTING
        wait_for(lambda: heap_bytes() >= start + 512 * 1024, 300, "the import wrote rows", worker.alive)
        assert status_of(batch) == ImportBatch.Status.IMPORTING, (
            "the import finished before it could be killed"
        )
        worker.kill()

        # PostgreSQL sees the connection gone and rolls the transaction back; wait until it has.
        wait_for(lambda: not others_in_transaction(own_pid), 60, "the transaction was rolled back")
        assert imported.count() == 0
        batch.refresh_from_db()
        assert batch.status == ImportBatch.Status.IMPORTING and batch.applied_at is None

        # The page says the import was broken off, that nothing was written, and offers to confirm again.
        def broken_off():
            shown = browser.get(page, timeout=30).text
            return shown if "Het importeren is onderbroken" in shown else None

        shown = wait_for(broken_off, 60, "the page said the import was broken off")
        assert "er is niets opgeslagen" in shown
        assert 'hx-trigger="every 2s"' not in shown
        assert fingerprint(shown) == confirm["fingerprint"]

        # Confirmed again, a new worker writes all of it.
        worker = DbWorker(tmp_path, database_url())
        again = browser.post(
            page, data={**confirm, "csrfmiddlewaretoken": token(shown)}, allow_redirects=False
        )
        assert again.status_code == 302
        wait_for(
            lambda: status_of(batch) == ImportBatch.Status.APPLIED,
            300,
            "the new worker imported",
            worker.alive,
        )
        assert "Geïmporteerd: 18000 nieuw, 0 bijgewerkt, 0 ongewijzigd." in browser.get(page, timeout=30).text
    finally:
        worker.kill()
        server.kill()
    assert imported.count() == rows
