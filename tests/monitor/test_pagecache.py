"""The figures part of the overview and municipality pages is kept in the cache until a figure changes.

These tests commit (transactional database), as production does: the figures version moves when a transaction
that wrote a figure commits.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from regietafel.housing.models import HousingRealisation
from regietafel.monitor import pagecache

pytestmark = pytest.mark.django_db(transaction=True)

OVERVIEW = "/?halfjaar=2025-H2"
ZWOLLE = "/gemeente/GM0193/"


@pytest.fixture
def kept(settings, monkeypatch, demo):
    settings.REGIETAFEL_PAGE_CACHE_SECONDS = 3600
    monkeypatch.setattr(pagecache, "SETTLE_SECONDS", 0)


def content(client, path) -> str:
    """The page's main element (the header holds a CSRF token that differs on every request)."""
    response = client.get(path)
    assert response.status_code == 200
    page = response.content.decode()
    return page[page.index("<main") : page.index("</main>")]


def fresh(client, settings, path) -> str:
    """The page as computed from the database now, without the cache."""
    seconds, settings.REGIETAFEL_PAGE_CACHE_SECONDS = settings.REGIETAFEL_PAGE_CACHE_SECONDS, 0
    try:
        return content(client, path)
    finally:
        settings.REGIETAFEL_PAGE_CACHE_SECONDS = seconds


def queries(client, path) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return len(captured)


@pytest.mark.parametrize("path", [OVERVIEW, ZWOLLE])
def test_a_second_request_reuses_the_figures(kept, logged_in, settings, path):
    first = queries(logged_in, path)
    assert queries(logged_in, path) < first
    assert content(logged_in, path) == fresh(logged_in, settings, path)


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda record: record.save(), id="save"),
        pytest.param(
            lambda record: HousingRealisation.objects.filter(pk=record.pk).update(housed=record.housed),
            id="queryset-update",
        ),
        pytest.param(lambda record: record.delete(), id="delete"),
    ],
)
@pytest.mark.parametrize("path", [OVERVIEW, ZWOLLE])
def test_a_changed_figure_is_shown_at_once(kept, logged_in, settings, path, change):
    before = content(logged_in, path)
    record = HousingRealisation.objects.filter(
        municipality__code="GM0193", month__year=2025, month__month=9
    ).get()
    record.housed += 37
    change(record)
    after = content(logged_in, path)
    assert after != before
    assert after == fresh(logged_in, settings, path)


def test_logins_and_sessions_do_not_drop_the_figures(kept, logged_in, client, user):
    content(logged_in, OVERVIEW)
    version = pagecache.figures_version()
    client.force_login(user)  # a session and a last-login time written
    assert pagecache.figures_version() == version
    assert queries(logged_in, OVERVIEW) < 8


def test_a_lost_version_is_replaced_by_a_newer_one(kept, logged_in, settings):
    from django.core.cache import cache

    content(logged_in, OVERVIEW)
    version = pagecache.figures_version()
    cache.delete(pagecache.VERSION_KEY)
    assert pagecache.figures_version() > version


def test_figures_rendered_just_after_a_write_are_shared_then_and_not_kept(kept, logged_in, monkeypatch):
    """Within the settling seconds of a write, a part could show the state just before it: the requests of those
    seconds share it (not all compute it at once), the first request after them renders it again, and that one
    is kept."""
    monkeypatch.setattr(pagecache, "SETTLE_SECONDS", 3600)
    first = queries(logged_in, OVERVIEW)
    assert queries(logged_in, OVERVIEW) < first
    monkeypatch.setattr(pagecache, "SETTLE_SECONDS", 0)
    assert queries(logged_in, OVERVIEW) == first
    assert queries(logged_in, OVERVIEW) < first


def test_each_language_has_its_own_figures(kept, logged_in):
    dutch = content(logged_in, OVERVIEW)
    logged_in.cookies["django_language"] = "en"
    english = content(logged_in, OVERVIEW)
    assert "Statutory target" in english and "Statutory target" not in dutch


def test_a_new_release_does_not_show_what_the_old_one_rendered(kept, logged_in, monkeypatch):
    """The release is part of the key: after an upgrade, changed templates show at once."""
    first = queries(logged_in, ZWOLLE)
    assert queries(logged_in, ZWOLLE) < first
    monkeypatch.setattr("regietafel.core.context_processors.VERSION", "99.0.0")
    assert queries(logged_in, ZWOLLE) == first


def _asking():
    from django.http import HttpRequest

    from regietafel.access.scope import StandIn

    request = HttpRequest()
    request.user = StandIn("beheerder")
    return request


def test_a_part_being_rendered_is_waited_for_not_rendered_again(kept):
    """Right after an import everyone opens the same pages at once: one request renders a part, the others that
    ask for it meanwhile wait for it."""
    import threading

    from django.core.cache import cache

    parts = ("overview", "VR04", "2025-H2")
    where = pagecache.key(pagecache.figures_version(), parts, "beheerder")
    assert cache.add(f"{where}:rendering", True, 60)  # another request renders it
    threading.Timer(0.3, lambda: cache.set(where, b"<p>rendered by the other</p>", 60)).start()

    def render_again():
        raise AssertionError("rendered twice")

    assert pagecache.cached(_asking(), parts, render_again) == b"<p>rendered by the other</p>"


def test_a_request_renders_the_part_itself_when_the_other_does_not_finish(kept, monkeypatch):
    from django.core.cache import cache

    monkeypatch.setattr(pagecache, "WAIT_SECONDS", 0.2)
    parts = ("overview", "VR04", "2025-H2")
    where = pagecache.key(pagecache.figures_version(), parts, "beheerder")
    cache.add(f"{where}:rendering", True, 60)  # a request that died while rendering
    assert pagecache.cached(_asking(), parts, lambda: "<p>mine</p>") == b"<p>mine</p>"
    assert cache.get(where) == b"<p>mine</p>"
