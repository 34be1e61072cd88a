"""Small values kept in the process until a table they are read from is written (core/memo.py), and the page
parts that use them: what the page around the figures shows is never older than the database.

These tests commit (transactional database), as production does: a table's version moves when the transaction that
wrote it commits.
"""

import datetime

import pytest
from cachalot.api import invalidate
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from regietafel.core import bulk, memo
from regietafel.meetings import services as meetings
from regietafel.meetings.models import Signal
from regietafel.notifications import services as notifications
from regietafel.organisations.models import Organisation
from regietafel.regions.models import Area

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def kept(settings, monkeypatch):
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = 3600
    monkeypatch.setattr(memo, "SETTLE_SECONDS", 0)


class Counted:
    """Zwolle's name as the database has it now, and how often it was read."""

    def __init__(self):
        self.reads = 0

    def __call__(self, code: str) -> str:
        self.reads += 1
        return Area.objects.get(code=code).name


def _save(name):
    with transaction.atomic():
        area = Area.objects.get(code="GM0193")
        area.name = name
        area.save()


def _update(name):
    Area.objects.filter(code="GM0193").update(name=name)  # outside a transaction


def _bulk(name):
    with transaction.atomic():
        bulk.update(Area, [(Area.objects.get(code="GM0193").pk, {"name": name})])


def _delete_and_create(name):
    with transaction.atomic():
        area = Area.objects.get(code="GM0193")
        area.delete()
        area.pk, area.name = None, name
        area.save()


WRITES = [
    pytest.param(_save, id="save"),
    pytest.param(_update, id="queryset-update"),
    pytest.param(_bulk, id="bulk-update"),
    pytest.param(_delete_and_create, id="delete-and-create"),
]


@pytest.mark.parametrize("write", WRITES)
def test_a_value_is_kept_until_its_table_is_written(kept, dataset, write):
    name = Counted()
    assert memo.remembered((Area,), name, "GM0193") == "Zwolle"
    assert memo.remembered((Area,), name, "GM0193") == "Zwolle"
    assert name.reads == 1
    write("Zwolle (nieuw)")
    assert memo.remembered((Area,), name, "GM0193") == "Zwolle (nieuw)"
    assert name.reads == 2


def test_a_write_to_another_table_keeps_the_value(kept, dataset):
    name = Counted()
    memo.remembered((Area,), name, "GM0193")
    Organisation.objects.create(name="GGD IJsselland", kind=Organisation.Kind.CARE)
    memo.remembered((Area,), name, "GM0193")
    assert name.reads == 1


def test_a_write_in_another_process_is_seen(kept, dataset):
    """Another process tells the shared cache through cachalot, as every ORM write does."""
    name = Counted()
    memo.remembered((Area,), name, "GM0193")
    invalidate(Area)
    memo.remembered((Area,), name, "GM0193")
    assert name.reads == 2


def test_a_rolled_back_write_keeps_the_value(kept, dataset):
    name = Counted()
    memo.remembered((Area,), name, "GM0193")
    with pytest.raises(RuntimeError), transaction.atomic():
        Area.objects.filter(code="GM0193").update(name="Nooit")
        raise RuntimeError
    assert memo.remembered((Area,), name, "GM0193") == "Zwolle"
    assert name.reads == 1


def test_a_lost_version_is_replaced_by_a_newer_one(kept, dataset):
    name = Counted()
    memo.remembered((Area,), name, "GM0193")
    cache.clear()  # evicted, or a new cache: what was kept may be older than the database
    memo.remembered((Area,), name, "GM0193")
    assert name.reads == 2


def test_a_value_read_just_after_a_write_is_not_kept(kept, dataset, monkeypatch):
    monkeypatch.setattr(memo, "SETTLE_SECONDS", 3600)
    name = Counted()
    memo.remembered((Area,), name, "GM0193")
    memo.remembered((Area,), name, "GM0193")
    assert name.reads == 2


def test_nothing_is_kept_when_the_page_cache_is_off(dataset, monkeypatch):
    monkeypatch.setattr(memo, "SETTLE_SECONDS", 0)
    name = Counted()
    memo.remembered((Area,), name, "GM0193")
    memo.remembered((Area,), name, "GM0193")
    assert name.reads == 2


def _header_and_banner(client) -> str:
    response = client.get("/?halfjaar=2025-H2")
    assert response.status_code == 200
    return response.content.decode()


def _tables_read(client) -> set[str]:
    with CaptureQueriesContext(connection) as captured:
        _header_and_banner(client)
    return {
        table
        for query in captured
        for table in ("notifications_", "meetings_signal")
        if table in query["sql"]
    }


def test_the_page_around_the_figures_shows_every_change_at_once(kept, demo, logged_in, user):
    """The unread notifications in the menu and the open signals above the overview are kept, and follow every
    change: a new urgent signal (which tells the beheerders), a notification read, a signal closed."""
    page = _header_and_banner(logged_in)
    assert "rt-badge" not in page and "rt-signals" not in page
    signal = meetings.raise_signal(
        title="Noodklok AMV",
        description="Geen plek voor 20 AMV.",
        raised_by=Organisation.objects.create(name="COA", kind=Organisation.Kind.CARE),
        raised_on=datetime.date(2026, 12, 1),
        urgency=Signal.Urgency.URGENT,
        group=Signal.Group.MINORS,
    )
    page = _header_and_banner(logged_in)
    assert 'class="rt-badge">1<' in page
    assert "1 signaal wacht op de tafel, waarvan 1 urgent" in page
    assert _tables_read(logged_in) == set()  # kept
    notifications.mark_read(user)
    page = _header_and_banner(logged_in)
    assert "rt-badge" not in page and "1 signaal wacht" in page
    meetings.close_signal(signal, signal.version, "Opgevangen in Deventer.", datetime.date(2026, 12, 2))
    assert "rt-signals" not in _header_and_banner(logged_in)
