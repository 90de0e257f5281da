"""Figures cached until the data changes: a *generation* number that moves on every
write, and a cache of computed figures keyed by it.

A figure cached under the current generation is never stale after a change someone
just made, because every way data is written moves the generation:

- a row saved or deleted, or a many-to-many set changed (any model's signals): noted
  in the thread, and moved when that thread next reads a cached figure or its request
  or task ends;
- any request that may write (POST, PUT, PATCH, DELETE), when it has answered and its
  transaction has committed: this covers ``QuerySet.update()`` and bulk writes, which
  send no signal, and a reader who computed between a save and its commit
  (:class:`BumpAfterWrites`, in ``MIDDLEWARE``);
- any Celery task, when it has run (the same for the background's writes);
- the commands that load data in bulk (``demo_data``, ``build_dataset``) call
  :func:`bump` when they end.

The cache must be shared by every process that writes (Redis): with a per-process cache
(locmem, the embedded default) a write in the Celery worker would not reach the web
process, so nothing is cached then (``OPF_FIGURES_CACHE_SECONDS`` is 0). Entries expire
after that many seconds anyway, which bounds what a write outside these paths (a shell)
could leave behind.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

KEY = "opf:data-generation"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def enabled() -> bool:
    return bool(seconds())


def seconds() -> int:
    return int(getattr(settings, "OPF_FIGURES_CACHE_SECONDS", 0))


def generation() -> int:
    value = cache.get(KEY)
    if value is None:
        cache.add(KEY, 1, timeout=None)
        value = cache.get(KEY, 1)
    return int(value)


def bump() -> None:
    """Move the generation on: every cached figure is computed again when next asked."""
    _written.pending = False
    if not enabled():
        return
    try:
        cache.incr(KEY)
    except ValueError:  # not there yet (or evicted): any new number will do
        cache.add(KEY, 1, timeout=None)


_written = threading.local()


def bump_on_write(*args: Any, **kwargs: Any) -> None:
    """Signal receiver for any model's writes: noted here, and the generation moves
    (one Redis call, however many rows were written) when this thread next reads a
    cached figure or its request or task ends — whichever comes first."""
    _written.pending = True


def bump_if_written() -> None:
    if getattr(_written, "pending", False):
        bump()


def cached(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()``'s value, kept for the current generation under ``key``."""
    if not enabled():
        return compute()
    bump_if_written()  # this thread's own writes show at once
    full = "opf:figures:" + ":".join(str(part) for part in (generation(), *key))
    found = cache.get(full)
    if found is None:
        found = compute()
        cache.set(full, found, timeout=seconds())
    return found


def counted(rows: QuerySet) -> int:
    """``rows.count()``, kept for the current generation: a list's total over a big
    table (an exact COUNT reads every row, 30 ms over 400,000) is read again only
    after a write. Keyed by the query itself, so by the reader's scope and filters."""
    if not enabled():
        return rows.count()
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:
        return 0
    digest = hashlib.sha256(repr((rows.db, sql, params)).encode()).hexdigest()
    return int(cached(("count", digest), rows.count))


class BumpAfterWrites:
    """Middleware: a request that may have written moves the generation once it has
    answered (its transaction, if any, has committed by then)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.method not in SAFE_METHODS:
            bump()
        else:
            bump_if_written()  # a reading request that saved something all the same
        return response
