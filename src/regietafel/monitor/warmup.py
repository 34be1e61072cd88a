"""Right after figures change, the worker renders the figures part of the pages people open first, so that nobody
waits for them: every overview (each region, province and the nation, for the half-year it opens on) and every
municipality page, for each role that has users, in the languages ``REGIETAFEL_PAGE_WARM_LANGUAGES``.

An import of the whole country's figures makes every part old at once (``monitor.pagecache``: one figures version).
Without this, the first person to open each page after the monthly import would wait while it is computed; with it,
they get the part the worker kept. A part asked for before the worker got to it is computed by the request, as
before. Each region's figures are read once (``HousingLedger``) for its overview and all its municipalities.

The worker waits until the write has settled (``pagecache.SETTLE_SECONDS``), and stops as soon as figures change
again: the change schedules the next round.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from cachalot.signals import post_invalidation
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import DatabaseError, transaction
from django.db.models.signals import post_migrate, pre_migrate
from django.dispatch import receiver
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task
from django_tasks.backends.immediate import ImmediateBackend

from regietafel.access.models import Membership, Role
from regietafel.access.scope import StandIn
from regietafel.housing.ledger import HousingLedger, announced_half_years, default_half_year
from regietafel.monitor import fragments, pagecache
from regietafel.regions.models import Area

SCHEDULED_KEY = "regietafel:warmup:scheduled"

logger = logging.getLogger(__name__)


# Some commands write figures into a database nobody looks at yet: ``migrate`` (data migrations) and ``restore`` (a
# backup's rows). No round then, and no task left in the queue of a database that must equal what it was given
# (``operations.backup``). Each holds one reason for quiet while it runs.
_quiet: set[str] = set()
_quiet_lock = threading.Lock()


@contextmanager
def quiet(reason: str) -> Iterator[None]:
    """Schedule no round for writes to figures inside the block (``restore`` loads a backup's rows in one)."""
    with _quiet_lock:
        _quiet.add(reason)
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet.discard(reason)


@receiver(pre_migrate)
def _migration_starts(**kwargs) -> None:
    with _quiet_lock:
        _quiet.add("migrate")


@receiver(post_migrate)
def _migration_ends(app_config, **kwargs) -> None:
    """``migrate`` ends with a signal per app, each of which may write (permissions, content types): it is over
    after the last app's."""
    if app_config is [config for config in apps.get_app_configs() if config.models_module][-1]:
        with _quiet_lock:
            _quiet.discard("migrate")


@receiver(post_invalidation)
def figures_changed(sender: str, **kwargs) -> None:
    """A write to figures committed (after ``pagecache`` set the new figures version): a round for the worker."""
    if pagecache.is_figures(sender) and settings.REGIETAFEL_PAGE_CACHE_SECONDS and not _quiet:
        schedule()


def schedule() -> None:
    """Hand a round to the worker, unless one is waiting already (it renders the newest version when it starts).
    A backend that runs tasks inside the request (the tests) gets none: a write would wait for every page."""
    if isinstance(warm_pages.get_backend(), ImmediateBackend):
        return
    if cache.add(SCHEDULED_KEY, 1, 600):
        try:
            with transaction.atomic():
                warm_pages.enqueue()
        except DatabaseError:
            # No queue yet (``migrate`` writes figures before it makes the queue's table): pages are computed when
            # asked for, as without a worker.
            cache.delete(SCHEDULED_KEY)
            logger.info("No round of page parts scheduled: the task queue cannot be written.")


@task()
def warm_pages() -> int:
    cache.delete(SCHEDULED_KEY)  # a change from now on schedules the next round
    return warm()


def roles() -> list[str]:
    """The roles someone signed in has that see the monitor (a superuser is a beheerder)."""
    found = set(
        Membership.objects.filter(user__is_active=True)
        .exclude(role=Role.NONE)
        .values_list("role", flat=True)
        .distinct()
    )
    if get_user_model().objects.filter(is_active=True, is_superuser=True).exists():
        found.add(Role.ADMIN)
    return sorted(str(role) for role in found)


def _viewer(role: str, area: Area, path: str) -> HttpRequest | None:
    """A request as someone of ``role`` opening ``path``; None when the role does not see ``area`` (a province's
    role sees its own province only: it stands in for the province the area lies in)."""
    area_id = None
    if role == Role.PROVINCE:
        chain = [area, area.parent, area.parent.parent if area.parent else None]
        province = next((a for a in chain if a is not None and a.kind == Area.Kind.PROVINCE), None)
        if province is None:
            return None
        area_id = province.pk
    request = HttpRequest()
    request.path = request.path_info = path
    request.user = StandIn(role, area_id)
    return request


def _parts(roles: list[str]) -> Iterator[tuple[tuple, str, Area, str, Callable[[HttpRequest], str]]]:
    """(parts, role, area, path, render) of every part to render: each region's overview (its figures read once
    for every role), then its municipalities' pages, then the provinces' and the nation's overviews."""
    half_year = default_half_year(announced_half_years(), timezone.localdate())
    overview_path = reverse("monitor:overview")
    regions = list(Area.objects.regions().select_related("parent"))
    for region in regions:
        ledger = HousingLedger(region)
        parts = fragments.overview_parts(region, half_year)
        for role in roles:
            yield (
                parts,
                role,
                region,
                overview_path,
                lambda r, ledger=ledger, a=region: fragments.overview(a, half_year, r, ledger),
            )
        for municipality in ledger.municipalities:
            path = reverse("monitor:municipality", args=[municipality.code])
            for role in roles:
                yield (
                    fragments.municipality_parts(municipality),
                    role,
                    municipality,
                    path,
                    lambda r, a=municipality: fragments.municipality(a, r),
                )
    for area in Area.objects.overviews().exclude(kind=Area.Kind.REGION).select_related("parent"):
        ledger = HousingLedger(area)
        for role in roles:
            yield (
                fragments.overview_parts(area, half_year),
                role,
                area,
                overview_path,
                lambda r, ledger=ledger, a=area: fragments.overview(a, half_year, r, ledger),
            )


def warm(version: float | None = None) -> int:
    """Render and keep every part for the current figures version; the number of parts kept."""
    version = pagecache.figures_version() if version is None else version
    settling = version + pagecache.SETTLE_SECONDS - time.time()
    if settling > 0:
        time.sleep(settling)
    if pagecache.figures_version() != version:
        return 0
    kept = 0
    who = roles()
    for language in settings.REGIETAFEL_PAGE_WARM_LANGUAGES:
        with translation.override(language):
            for parts, role, area, path, render in _parts(who):
                if pagecache.figures_version() != version:
                    return kept  # figures changed again: the next round renders the new ones
                request = _viewer(role, area, path)
                if request is None or pagecache.has(version, parts, role):
                    continue
                pagecache.store(version, parts, role, render(request))
                kept += 1
    return kept
