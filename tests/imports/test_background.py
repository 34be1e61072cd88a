"""Imports as background work: the batch page in each state, the polling fragment, tasks delivered twice, a task
that crashes, and the queue only hearing of a batch once it is committed.

Most tests here hold tasks in a queue that runs nothing (django_tasks' DummyBackend) so that the page can be seen
while the batch waits, and then run the task by hand, as a worker would."""

import datetime
import html
import re
import threading

import pytest
from django.core.cache import cache
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from regietafel.core.specs import TableSpec, get_spec
from regietafel.housing.models import HousingRealisation
from regietafel.imports import services
from regietafel.imports.models import ImportBatch
from tests.support import REALISATION_HEADER, csv_bytes, snapshot

ROWS = [
    ["GM0177", "2025-07", 5, 1, "2025-08-01", "COA maandrapportage", "H"],
    ["GM0177", "2025-08", 4, 0, "2025-09-01", "COA maandrapportage", "H"],
    ["GM0193", "2025-07", 12, 2, "2025-08-01", "COA maandrapportage", "H"],
]
CONFIRM_BUTTON = "utrecht-button--primary-action"
POLLING = 'hx-trigger="every 2s"'


@pytest.fixture
def queued(settings, monkeypatch, django_capture_on_commit_callbacks):
    """Tasks wait in a queue until the test runs them (as a worker would). A request's transaction commits when
    the request ends (the test's own transaction never does), so what a request hands the queue on commit
    arrives then."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    request = Client.request

    def committing(self, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return request(self, **kwargs)

    monkeypatch.setattr(Client, "request", committing)
    yield default_task_backend
    default_task_backend.clear()


def run_queued(backend) -> list:
    """Run every queued task once, in order, as a worker does; returns what they returned."""
    results = [result.task.call(*result.args, **result.kwargs) for result in backend.results]
    backend.clear()
    return results


def page_url(batch) -> str:
    return reverse("imports:preview", args=[batch.kind, batch.pk])


def status_url(batch) -> str:
    return reverse("imports:status", args=[batch.kind, batch.pk])


def text(response) -> str:
    return html.unescape(response.content.decode())


def fingerprint(response) -> str:
    return re.search(r'name="fingerprint" value="([^"]*)"', response.content.decode()).group(1)


def upload(client, rows=ROWS) -> ImportBatch:
    response = client.post(
        reverse("imports:upload", args=["realisation"]),
        {"file": _file(rows)},
    )
    batch = ImportBatch.objects.order_by("-pk").first()
    assert response.status_code == 302 and response["Location"] == page_url(batch)
    return batch


def _file(rows):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("realisatie.csv", csv_bytes(REALISATION_HEADER, rows), content_type="text/csv")


def imported():
    return HousingRealisation.objects.filter(
        source__name="COA maandrapportage", month__year=2025, month__month__gte=7
    )


def test_the_upload_returns_before_the_check_and_the_page_polls_until_it_is_checked(
    dataset, client_en, queued
):
    before = snapshot()
    batch = upload(client_en)

    # Stored, not yet checked: the request only kept the file and queued the check.
    assert batch.status == ImportBatch.Status.CHECKING
    assert bytes(batch.content) == csv_bytes(REALISATION_HEADER, ROWS)
    assert [result.task.name for result in queued.results] == ["check_import"]
    page = client_en.get(page_url(batch))
    content = page.content.decode()
    assert page.status_code == 200
    assert "Waiting to be checked" in text(page)
    assert POLLING in content and f'hx-get="{status_url(batch)}?shown=' in content
    assert re.search(r'id="import-melding" role="status" aria-live="polite"', content)
    # Without JavaScript, a link reloads the page to show where the check is.
    assert (
        f'<noscript><p class="utrecht-paragraph"><a class="utrecht-link" href="{page_url(batch)}">' in content
    )
    assert CONFIRM_BUTTON not in content

    # The worker has started and reported how far it is.
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now())
    cache.set(services.progress_key(batch.pk), {"step": "check", "done": 2000, "total": 5000})
    page = client_en.get(page_url(batch))
    assert "Checking the file… 40%" in text(page)
    assert '<progress class="rt-progress" max="5000" value="2000"' in page.content.decode()
    assert "2000 of 5000 rows" in text(page)
    assert POLLING in page.content.decode()
    cache.delete(services.progress_key(batch.pk))

    assert run_queued(queued) == [ImportBatch.Status.STAGED]
    page = client_en.get(page_url(batch))
    content = page.content.decode()
    assert "The file has been checked" in text(page)
    assert POLLING not in content
    assert CONFIRM_BUTTON in content
    assert page.context["counts"] == {"create": 3, "update": 0, "unchanged": 0}
    assert "First 3 of 3 rows" in text(page)
    assert snapshot() == before


def test_confirming_returns_at_once_and_the_page_shows_the_import_then_its_result(dataset, client_en, queued):
    batch = upload(client_en)
    run_queued(queued)
    page = client_en.get(page_url(batch))
    before = snapshot()

    confirmed = client_en.post(page_url(batch), {"fingerprint": fingerprint(page)})

    assert confirmed.status_code == 302 and confirmed["Location"] == page_url(batch)
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.IMPORTING
    assert batch.fingerprint == fingerprint(page)
    assert snapshot() == before  # nothing written until the worker runs the task
    waiting = client_en.get(page_url(batch))
    assert "Waiting to be imported" in text(waiting)
    assert POLLING in waiting.content.decode() and CONFIRM_BUTTON not in waiting.content.decode()
    # Confirming again while the import waits does not queue it twice.
    again = client_en.post(page_url(batch), {"fingerprint": fingerprint(page)})
    assert again.status_code == 200 and len(queued.results) == 1

    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now())
    cache.set(services.progress_key(batch.pk), {"step": "write", "done": 1, "total": 3})
    importing = client_en.get(page_url(batch))
    assert "Importing: writing the rows… 30%" in text(importing)
    cache.delete(services.progress_key(batch.pk))

    assert run_queued(queued) == [ImportBatch.Status.APPLIED]
    assert imported().count() == 3
    done = client_en.get(page_url(batch))
    assert "Imported: 3 new, 0 updated, 0 unchanged." in text(done)
    assert POLLING not in done.content.decode() and CONFIRM_BUTTON not in done.content.decode()
    index = client_en.get(reverse("imports:index"))
    assert "realisatie.csv (realisation): applied (3 new, 0 updated, 0 unchanged)" in text(index)


def test_the_polling_fragment_follows_the_batch_and_updates_the_live_region_only_when_it_changes(
    dataset, client_en, queued
):
    batch = upload(client_en)
    fragment = client_en.get(status_url(batch))
    content = fragment.content.decode()
    assert fragment.status_code == 200
    assert "<html" not in content and content.startswith('<div id="import-batch" hx-get=')
    key = fragment.context["announcement_key"]
    # Asked without knowing what the live region says: it gets the text out of band.
    assert '<div id="import-melding" hx-swap-oob="innerHTML">' in content
    same = client_en.get(status_url(batch), {"shown": key})
    assert "hx-swap-oob" not in same.content.decode()
    assert POLLING in same.content.decode()

    run_queued(queued)
    checked = client_en.get(status_url(batch), {"shown": key})
    content = checked.content.decode()
    assert POLLING not in content  # finished: the page stops asking
    assert 'hx-swap-oob="innerHTML"' in content and "The file has been checked" in text(checked)
    assert CONFIRM_BUTTON in content and fingerprint(checked) == fingerprint(client_en.get(page_url(batch)))


def test_a_rejected_file_shows_its_problems_after_the_check(dataset, client_en, queued):
    batch = upload(client_en, [*ROWS, ["GM9999", "2025-07", 1, 0, "", "COA", "H"]])
    run_queued(queued)
    page = client_en.get(page_url(batch))
    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.REJECTED
    assert "has problems: nothing will be imported" in text(page)
    assert "Row 5, field 'municipality_code': Unknown code GM9999." in text(page)
    assert CONFIRM_BUTTON not in page.content.decode()


@pytest.mark.parametrize("which", ["check", "apply"])
def test_a_task_delivered_twice_does_the_work_once(dataset, client_en, queued, which):
    batch = upload(client_en)
    if which == "apply":
        run_queued(queued)
        client_en.post(page_url(batch), {"fingerprint": fingerprint(client_en.get(page_url(batch)))})
    delivered = queued.results[0]
    queued.results.append(delivered)  # the queue hands the same task out a second time

    first, second = run_queued(queued)

    batch.refresh_from_db()
    expected = ImportBatch.Status.STAGED if which == "check" else ImportBatch.Status.APPLIED
    assert first == second == expected
    assert batch.status == expected
    assert imported().count() == (3 if which == "apply" else 0)
    state = (snapshot(), batch.summary, batch.applied_at)
    services.apply_import.call(batch.pk)
    services.check_import.call(batch.pk)
    batch.refresh_from_db()
    assert (snapshot(), batch.summary, batch.applied_at) == state


@pytest.mark.parametrize("step", ["check", "apply"])
def test_a_crash_in_the_task_marks_the_batch_failed_in_dutch_and_writes_nothing(
    dataset, logged_in, queued, monkeypatch, step
):
    batch = upload(logged_in)
    if step == "apply":
        run_queued(queued)
        logged_in.post(page_url(batch), {"fingerprint": fingerprint(logged_in.get(page_url(batch)))})
        written = []
        original = TableSpec.record

        def record_then_crash(spec, data):
            if written:  # the first row is written, then the database connection drops
                raise RuntimeError("server closed the connection unexpectedly")
            written.append(data)
            return original(spec, data)

        monkeypatch.setattr(TableSpec, "record", record_then_crash)
    else:

        def crash(*args, **kwargs):
            raise MemoryError

        monkeypatch.setattr(services, "validate", crash)
    before = snapshot()

    assert run_queued(queued) == [ImportBatch.Status.FAILED]

    batch.refresh_from_db()
    assert batch.status == ImportBatch.Status.FAILED
    assert snapshot() == before
    assert imported().count() == 0
    assert batch.applied_at is None
    page = logged_in.get(page_url(batch))
    shown = text(page)
    assert batch.error in shown
    assert "fout in het systeem" in batch.error and "Er is niets geïmporteerd" in batch.error
    assert "server closed" not in shown and "MemoryError" not in shown
    assert POLLING not in page.content.decode() and CONFIRM_BUTTON not in page.content.decode()
    assert 'href="/import/realisation/">Upload het bestand opnieuw</a>' in page.content.decode()


def test_the_queue_hears_of_a_batch_only_when_it_is_committed(
    dataset, user, queued, django_capture_on_commit_callbacks
):
    spec = get_spec("realisation")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        batch = services.store(spec, "r.csv", csv_bytes(REALISATION_HEADER, ROWS), user, enqueue=True)
        assert queued.results == []  # inside the transaction a worker could not see the batch yet
    assert len(callbacks) == 1
    assert [(result.task.name, result.args) for result in queued.results] == [("check_import", [batch.pk])]


def test_an_import_broken_off_by_a_stopped_worker_can_be_confirmed_again(dataset, client_en, queued):
    batch = upload(client_en)
    run_queued(queued)
    preview = client_en.get(page_url(batch))
    client_en.post(page_url(batch), {"fingerprint": fingerprint(preview)})
    queued.clear()  # the worker took the task and was killed: its transaction wrote nothing
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=timezone.now())

    running = client_en.get(page_url(batch))
    assert "Importing" in text(running) and POLLING in running.content.decode()

    # Long after its start nobody holds the batch (on SQLite, which cannot tell, after an hour).
    started = timezone.now() - services.STALL_WITHOUT_LOCKS - datetime.timedelta(minutes=1)
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=started)
    stopped = client_en.get(page_url(batch))
    assert "Importing was interrupted before it finished" in text(stopped)
    assert "nothing was written" in text(stopped)
    assert POLLING not in stopped.content.decode()
    assert "Import again" in text(stopped) and fingerprint(stopped) == fingerprint(preview)

    client_en.post(page_url(batch), {"fingerprint": fingerprint(stopped)})
    assert run_queued(queued) == [ImportBatch.Status.APPLIED]
    assert imported().count() == 3


def test_a_check_broken_off_can_be_started_again(dataset, client_en, queued):
    batch = upload(client_en)
    queued.clear()
    started = timezone.now() - services.STALL_WITHOUT_LOCKS - datetime.timedelta(minutes=1)
    ImportBatch.objects.filter(pk=batch.pk).update(started_at=started)

    page = client_en.get(page_url(batch))
    assert "Checking was interrupted" in text(page) and "Check the file again" in text(page)
    response = client_en.post(page_url(batch), {"check_again": "1"})

    assert response.status_code == 302
    assert run_queued(queued) == [ImportBatch.Status.STAGED]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_two_deliveries_of_the_import_at_the_same_time_write_once(dataset, user):
    spec = get_spec("realisation")
    batch, validation = services.stage(
        spec, "r.csv", csv_bytes(REALISATION_HEADER, ROWS), user, services.Guard(user)
    )
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=ImportBatch.Status.IMPORTING, confirmed_by=user, fingerprint=validation.fingerprint()
    )
    start = threading.Barrier(2)
    outcomes = []

    def deliver():
        try:
            start.wait()
            outcomes.append(services.apply_batch(batch.pk))
        finally:
            connections.close_all()

    workers = [threading.Thread(target=deliver) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)

    assert outcomes == [ImportBatch.Status.APPLIED, ImportBatch.Status.APPLIED]
    assert imported().count() == 3
    batch.refresh_from_db()
    assert batch.summary["counts"] == {"create": 3, "update": 0, "unchanged": 0}
