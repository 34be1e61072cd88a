"""The figure parts of the monitor's pages, rendered once and kept until a figure changes.

On a meeting day many people open the same overview; computing it again for each of them (every municipality's
carry-over chain, hundreds of cells with their sources) is the one cost that grows with the region. So the part of a
page that shows figures is rendered once per region, period, language, role and day, and kept in the shared cache.

What "a figure changed" means is left to django-cachalot, configured not to cache queries itself
(``CACHALOT_ENABLED = False``) but still to note every write to a table made through the ORM, at the commit of its
transaction (raw SQL is not read: ``CACHALOT_INVALIDATE_RAW = False``). Every such write, to any table except the few written all the time that no cached
part shows (``NOT_FIGURES``), sets a new figures version; the version is part of every cache key, so nothing rendered
before a write is shown after it. A version that is gone from the cache (evicted, or a new cache) is replaced by a
new one, never by an older one.

A write outside a transaction is noted just before it reaches the database. Parts rendered within
``SETTLE_SECONDS`` of the newest version could therefore hold the state just before that write: they are shared by
the requests of those seconds only (right after an import, everyone opens the pages at once), and not kept after
them. ``REGIETAFEL_PAGE_CACHE_SECONDS = 0`` turns all of this off (the tests do, except their own).
"""

import hashlib
import math
import secrets
import time
from collections.abc import Callable

from cachalot.signals import post_invalidation
from django.conf import settings
from django.core.cache import cache
from django.dispatch import receiver
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import SafeString

from regietafel.access.scope import principal
from regietafel.core import context_processors

VERSION_KEY = "regietafel:figures-version"
SETTLE_SECONDS = 2.0

# Tables no cached part of a page shows: written on every login, request or background step, or the table's own
# work (meetings and actions, conditions, partners, practices), which is edited all through a meeting day and
# shows no figure. Every other table counts as figures, so a new table is safe until it is listed here.
NOT_FIGURES = (
    "access_systemtoken",
    "audit_",
    "auditlog_",
    "auth_user",
    "axes_",
    "conditions_",
    "django_admin_log",
    "django_session",
    "django_tasks",
    "imports_importbatch",
    "meetings_",
    "notifications_",
    "organisations_",
    "otp_",
    "practices_",
    "reports_reportjob",
    "rest_framework_api_key",
)


@receiver(post_invalidation)
def figures_changed(sender: str, **kwargs) -> None:
    if is_figures(sender):
        cache.set(VERSION_KEY, time.time(), None)


def is_figures(table: str) -> bool:
    """Whether a write to ``table`` changes what a kept part shows."""
    return not table.startswith(NOT_FIGURES)


def figures_version() -> float:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time(), None)
        version = cache.get(VERSION_KEY) or time.time()
    return version


def key(version: float, parts: tuple, role: str) -> str:
    """Where the part ``parts`` rendered for ``role`` in the active language today is kept, for figures ``version``.
    The release is in the key: a new version's templates never show a fragment the old one rendered."""
    text = repr(
        (context_processors.VERSION, parts, translation.get_language(), str(role), timezone.localdate())
    )
    return f"regietafel:part:{version!r}:{hashlib.sha256(text.encode()).hexdigest()}"


def _encoded(content: str | bytes) -> bytes:
    return content.encode(settings.DEFAULT_CHARSET) if isinstance(content, str) else content


def cached(request, parts: tuple, build: Callable[[], str | bytes]) -> bytes:
    """What ``build()`` renders for ``parts`` (what the page shows: its name, region, period), as bytes, kept per
    language, role and day until a figure changes. It must not depend on who asks beyond their role: the
    signed-in part of a page (menu, user name, forms with a CSRF token) stays outside (``around``)."""
    timeout = settings.REGIETAFEL_PAGE_CACHE_SECONDS
    if not timeout:
        return _encoded(build())
    version = figures_version()
    where = key(version, parts, principal(request.user).role)
    settling = SETTLE_SECONDS - (time.time() - version)
    if settling > 0:
        # Just after a write the part may still show the state before it. It is shared by the requests of those
        # seconds only, never kept after them.
        return _rendered_once(f"{where}:settling", math.ceil(settling), build)
    return _rendered_once(where, timeout, build)


# How long a request waits for another that renders the same part, at most, before it renders the part itself.
WAIT_SECONDS = 5.0


def _rendered_once(where: str, timeout: int, build: Callable[[], str | bytes]) -> bytes:
    """The part kept at ``where``, rendered by one request; others that ask for it meanwhile wait for it instead
    of rendering it too (right after an import, everyone opens the same pages at once)."""
    content = cache.get(where)
    if content is not None:
        return content
    lock = f"{where}:rendering"
    mine = cache.add(lock, True, math.ceil(WAIT_SECONDS))
    if not mine:
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline:
            time.sleep(0.02)
            content = cache.get(where)
            if content is not None:
                return content
    try:
        content = _encoded(build())
        cache.set(where, content, timeout)
    finally:
        if mine:
            cache.delete(lock)
    return content


def store(version: float, parts: tuple, role: str, html: str | bytes) -> None:
    """Keep a part rendered ahead (``monitor.warmup``) for figures ``version``."""
    cache.set(key(version, parts, role), _encoded(html), settings.REGIETAFEL_PAGE_CACHE_SECONDS)


# Stands in the page for its kept part while the page around it is rendered; no template writes it.
_PLACE = SafeString(f"<!-- regietafel-part-{secrets.token_hex(16)} -->")


def around(request, template: str, context: dict, part: bytes) -> HttpResponse:
    """The page ``template`` with the kept ``part`` as its ``body``. The part is put in as the bytes it is kept as:
    a national overview's part is over half a megabyte, and passing it through the template and encoding it again
    on every request would cost more than the rest of the page."""
    html = render_to_string(template, {**context, "body": _PLACE}, request)
    before, found, after = html.partition(_PLACE)
    if not found:
        raise ValueError(f"{template} does not show its body")
    charset = settings.DEFAULT_CHARSET
    return HttpResponse(b"".join((before.encode(charset), part, after.encode(charset))))


def has(version: float, parts: tuple, role: str) -> bool:
    return cache.get(key(version, parts, role)) is not None
