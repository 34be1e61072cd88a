"""Right after figures change, the worker renders the figures part of every overview and municipality page for each
role that has users (monitor/warmup.py), so the first person to open one after an import gets it from the cache.

The class property: for every page the worker renders and every role, the part it kept is exactly what a request of
someone of that role computes from the database, and a request finds it (it computes nothing itself).
"""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import DatabaseError
from django.db.models.signals import post_migrate, pre_migrate
from django.test import Client
from django_tasks.backends.immediate import ImmediateBackend

from regietafel.access.models import Membership, Role
from regietafel.housing.models import HousingRealisation
from regietafel.monitor import fragments, pagecache, warmup
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kept(settings, monkeypatch, demo):
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = 3600
    monkeypatch.setattr(pagecache, "SETTLE_SECONDS", 0)


def _member(username: str, role: str, organisation: Organisation | None = None) -> Client:
    user = get_user_model().objects.create_user(username)
    Membership.objects.create(user=user, role=role, organisation=organisation)
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def viewers(kept) -> dict[str, Client]:
    """One signed-in person of each role that sees the monitor."""
    zwolle = Organisation.objects.create(
        name="Gemeente Zwolle",
        kind=Organisation.Kind.MUNICIPALITY,
        municipality=Area.objects.get(code="GM0193"),
    )
    overijssel = Organisation.objects.create(
        name="Provincie Overijssel",
        kind=Organisation.Kind.PROVINCE,
        municipality=Area.objects.get(code="PV23"),
    )
    partner = Organisation.objects.create(name="COA", kind=Organisation.Kind.STATE)
    return {
        Role.ADMIN: _member("beheer", Role.ADMIN),
        Role.MUNICIPALITY: _member("zwolle", Role.MUNICIPALITY, zwolle),
        Role.EXECUTIVE: _member("bestuur", Role.EXECUTIVE),
        Role.PARTNER: _member("coa", Role.PARTNER, partner),
        Role.PROVINCE: _member("provincie", Role.PROVINCE, overijssel),
    }


def _main(response) -> str:
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def _pages() -> list[str]:
    paths = [f"/?regio={area.code}" for area in Area.objects.overviews()]
    return paths + [
        f"/gemeente/{area.code}/" for area in Area.objects.municipalities().filter(parent__kind="region")
    ]


def test_every_role_with_users_is_warmed(viewers):
    assert set(warmup.roles()) == {str(role) for role in viewers}


def test_every_part_the_worker_keeps_is_what_a_request_computes_and_a_request_finds_it(
    viewers, settings, monkeypatch
):
    kept = warmup.warm()
    assert kept > 0
    warmed = {}
    computing = []

    def refuse(*args, **kwargs):
        computing.append(args[0])
        raise AssertionError("the request computed a part the worker should have kept")

    with monkeypatch.context() as patched:
        patched.setattr(fragments, "overview", refuse)
        patched.setattr(fragments, "municipality", refuse)
        for role, client in viewers.items():
            for path in _pages():
                response = client.get(path)
                if response.status_code == 404:  # a province's user outside its province, or the nation
                    assert role == Role.PROVINCE, path
                    continue
                warmed[role, path] = _main(response)
    assert not computing
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = 0
    for (role, path), html in warmed.items():
        assert html == _main(viewers[role].get(path)), (
            f"{role} {path}: the kept part differs from a fresh one"
        )
    assert len(warmed) >= len(viewers) * 12


def test_a_figure_written_while_warming_stops_the_round(viewers, monkeypatch):
    rendered = []
    real = fragments.overview

    def overview_then_change(*args, **kwargs):
        rendered.append(args[0])
        html = real(*args, **kwargs)
        record = HousingRealisation.objects.first()
        record.housed += 1
        record.save()  # a new figures version: what this round renders is old
        return html

    monkeypatch.setattr(fragments, "overview", overview_then_change)
    version = pagecache.figures_version()
    assert warmup.warm(version) <= 1
    assert len(rendered) == 1
    assert pagecache.figures_version() != version


class Queue:
    """The worker's queue as ``schedule`` sees it: a backend, and the rounds handed to it."""

    def __init__(self, backend):
        self.backend = backend
        self.queued = 0

    def get_backend(self):
        return self.backend

    def enqueue(self):
        self.queued += 1


def test_a_change_schedules_one_round_for_the_worker(kept, monkeypatch):
    queue = Queue(object())
    monkeypatch.setattr(warmup, "warm_pages", queue)
    record = HousingRealisation.objects.first()
    for housed in (1, 2, 3):
        record.housed = housed
        record.save()
    assert queue.queued == 1  # the round renders the newest version when it starts
    warmup.cache.delete(warmup.SCHEDULED_KEY)  # what the round does first
    record.save()
    assert queue.queued == 2


def test_nothing_is_scheduled_when_tasks_run_inside_the_request_or_the_cache_is_off(
    kept, settings, monkeypatch
):
    immediate = Queue(ImmediateBackend(alias="default", params={}))
    monkeypatch.setattr(warmup, "warm_pages", immediate)
    record = HousingRealisation.objects.first()
    record.save()
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = 0
    worker = Queue(object())
    monkeypatch.setattr(warmup, "warm_pages", worker)
    record.save()
    assert immediate.queued == worker.queued == 0


class NoQueue(Queue):
    def enqueue(self):
        raise DatabaseError('relation "django_tasks_database_dbtaskresult" does not exist')


def test_a_write_before_the_queue_exists_schedules_nothing_and_fails_nothing(kept, monkeypatch):
    """``migrate`` writes figures (data migrations) before it makes the task queue's table."""
    monkeypatch.setattr(warmup, "warm_pages", NoQueue(object()))
    record = HousingRealisation.objects.first()
    record.save()
    assert warmup.cache.get(warmup.SCHEDULED_KEY) is None  # the next write tries again
    assert HousingRealisation.objects.filter(pk=record.pk).exists()


def test_a_migration_writing_figures_schedules_nothing(kept, monkeypatch):
    """A freshly migrated database holds no queued task (``regietafel restore`` counts it as empty)."""
    queue = Queue(object())
    monkeypatch.setattr(warmup, "warm_pages", queue)
    configs = [config for config in apps.get_app_configs() if config.models_module]
    signal = {"verbosity": 0, "interactive": False, "using": "default"}
    pre_migrate.send(sender=configs[0], app_config=configs[0], **signal)
    try:
        HousingRealisation.objects.first().save()
        # Each app's post_migrate may write (permissions): the migration is over after the last app's.
        post_migrate.send(sender=configs[0], app_config=configs[0], **signal)
        HousingRealisation.objects.first().save()
    finally:
        post_migrate.send(sender=configs[-1], app_config=configs[-1], **signal)
    assert queue.queued == 0
    HousingRealisation.objects.first().save()
    assert queue.queued == 1


def test_a_restore_schedules_nothing_even_after_its_own_migrate(kept, monkeypatch):
    """``restore`` migrates, then loads a backup's rows: the restored database equals the backup, with no task
    added to its queue (``tests/operations/test_backup.py`` compares every table)."""
    queue = Queue(object())
    monkeypatch.setattr(warmup, "warm_pages", queue)
    configs = [config for config in apps.get_app_configs() if config.models_module]
    signal = {"verbosity": 0, "interactive": False, "using": "default"}
    with warmup.quiet("restore"):
        pre_migrate.send(sender=configs[0], app_config=configs[0], **signal)
        post_migrate.send(sender=configs[-1], app_config=configs[-1], **signal)
        HousingRealisation.objects.first().save()  # the rows it loads after the migration
    assert queue.queued == 0
    HousingRealisation.objects.first().save()
    assert queue.queued == 1
