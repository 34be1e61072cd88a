"""Small values every page asks the database for (an area by its code, the announced half-years, a user's unread
notifications), kept in the process until a table they are read from is written.

The page around a kept figures part (``monitor.pagecache``) costs a few queries of its own, and on a busy page each
costs about as much as the rest of the request. Which tables were written, and when, is what django-cachalot notes
for the page cache (``post_invalidation``, at the commit of the writing transaction): each table's last write is
kept in the shared cache as its version, so every process learns of every other's writes. A value is kept with the
versions of the tables it was read from and read again as soon as one of them differs.

As for the page cache, a table version that is gone from the cache (evicted, or a new cache) is replaced by a new
one, never by an older one; a value read within ``SETTLE_SECONDS`` of a write to its tables is used but not kept
(a write outside a transaction is noted just before it reaches the database); and
``REGIETAFEL_PAGE_CACHE_SECONDS = 0`` turns keeping off (the tests do, except their own).
"""

import time
from collections.abc import Callable, Hashable
from typing import TypeVar

from cachalot.signals import post_invalidation
from django.conf import settings
from django.core.cache import cache
from django.db.models import Model
from django.dispatch import receiver

T = TypeVar("T")

SETTLE_SECONDS = 2.0
# At most this many values are kept per process (a value per user for some): a full memo starts again.
LIMIT = 10_000

_kept: dict[tuple, tuple[tuple[float, ...], object]] = {}


def _key(table: str) -> str:
    return f"regietafel:table-version:{table}"


@receiver(post_invalidation)
def table_written(sender: str, **kwargs) -> None:
    cache.set(_key(sender), time.time(), None)


def versions(tables: tuple[str, ...]) -> tuple[float, ...]:
    """The version of each table: when it was last written, as far as the shared cache knows."""
    keys = [_key(table) for table in tables]
    found = cache.get_many(keys)
    missing = [key for key in keys if key not in found]
    if missing:
        now = time.time()
        for key in missing:
            cache.add(key, now, None)
        found.update(cache.get_many(missing))
    return tuple(found.get(key, time.time()) for key in keys)


def remembered(models: tuple[type[Model], ...], compute: Callable[..., T], *args: Hashable) -> T:
    """``compute(*args)``, which reads only the tables of ``models``, kept until one of them is written."""
    if not settings.REGIETAFEL_PAGE_CACHE_SECONDS:
        return compute(*args)
    now = versions(tuple(model._meta.db_table for model in models))
    where = (compute, args)
    kept = _kept.get(where)
    if kept is not None and kept[0] == now:
        return kept[1]
    value = compute(*args)
    if time.time() - max(now) >= SETTLE_SECONDS:
        if len(_kept) >= LIMIT:
            _kept.clear()
        _kept[where] = (now, value)
    return value
