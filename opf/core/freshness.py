"""Figures cached until the data they were computed from changes.

Every table has a *generation* number in the shared cache that moves when the table
is written. A cached figure remembers which tables its computation read and their
generations when it started; it is served only while all of them are unchanged. So a
figure is never stale after a change someone just made, and a write moves only the
figures that read what it wrote: a project manager's deployment update computes the
coverage panel again, not the improvement funnel.

Reads and writes are seen where they happen, in the database connection
(:func:`watch`, an execute wrapper on every connection): every statement Django or raw
SQL sends, ``QuerySet.update()``, bulk inserts and many-to-many changes included.

- A statement that writes notes its table in the thread. The table's generation moves
  when that thread next reads a cached figure (its own writes show at once), and again
  when its request or Celery task ends, after its transaction has committed (so a
  reader who computed between the write and the commit is not served for long)
  (:class:`BumpAfterWrites`, in ``MIDDLEWARE``; ``opf.celery``).
- A statement read while a figure is being computed adds the tables it names to that
  figure's reads (and to those of any figure computed around it).
- :func:`bump` moves everything at once: the commands that load data in bulk
  (``demo_data``, ``build_dataset``) call it when they end, and a write whose table
  cannot be read from its SQL does too.

The cache must be shared by every process that writes (Redis): with a per-process cache
(locmem, the embedded default) a write in the Celery worker would not reach the web
process, so nothing is cached then (``OPF_FIGURES_CACHE_SECONDS`` is 0). Entries expire
after that many seconds anyway, which bounds what a write outside the database's
connection (a file, another database) could leave behind.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache as memoize
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

GENERATIONS = "opf:data-generations"  # a Redis hash: table -> its generation
EVERYTHING = "*"  # its field moves on bump() (and on a write whose table is unknown)
EPOCH = "epoch"  # set when the hash is made: a hash lost and made again never matches

WRITE = re.compile(r"\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?(\w+)", re.IGNORECASE)
NAME = re.compile(r"[a-z_][a-z0-9_]*")


REDIS_RETRY_SECONDS = 5.0  # after a failure, figures are computed without the cache


def enabled() -> bool:
    """Cached figures need a cache that every process shares (Redis) and that answers:
    after a failure, none is asked for a few seconds (each attempt costs a timeout)."""
    return bool(seconds()) and _shared_cache() and time.monotonic() >= _down_until[0]


_down_until = [0.0]


def _failed(doing: str) -> None:
    _down_until[0] = time.monotonic() + REDIS_RETRY_SECONDS
    logger.warning("Figures cache: could not %s", doing, exc_info=True)


def _shared_cache() -> bool:
    return hasattr(cache, "client") and hasattr(cache.client, "get_client")  # django-redis


def seconds() -> int:
    return int(getattr(settings, "OPF_FIGURES_CACHE_SECONDS", 0))


class _State(threading.local):
    def __init__(self) -> None:
        self.pending: set[str] = set()  # written, generation not moved yet
        self.written: set[str] = set()  # written in the request or task under way
        self.depth = 0  # requests and tasks under way (an eager task runs in a request)
        self.reading: list[set[str]] = []  # tables read by the figures being computed
        self.snapshots: list[dict[str, int | None]] = []  # their generations before


_state = _State()


@memoize
def known_tables() -> frozenset[str]:
    """Every installed model's table (many-to-many and history tables included)."""
    from django.apps import apps

    return frozenset(m._meta.db_table for m in apps.get_models(include_auto_created=True))


_derived: set[str] = set()


def derived_table(table: str) -> None:
    """``table`` holds what its readers compute from other tables and keep in the
    database (``deployment``'s per-project coverage counts): writing it moves no
    generation, since a figure that reads it notes the tables it is computed from
    (:func:`note_read`), whose writes move the figure on."""
    _derived.add(table)


def forget_rows(rows: QuerySet[Any]) -> None:
    """Delete ``rows`` of a derived table, so its readers count them again: now, and
    again once the transaction under way has committed (a read in between may have
    counted what was not committed yet)."""
    from django.db import connection, transaction

    rows.delete()
    if connection.in_atomic_block:
        transaction.on_commit(rows.delete)


def table_names(**models: Any) -> dict[str, str]:
    """Each model's table, quoted for raw SQL, by the name a statement's template
    uses for it (``{deployment}``)."""
    from django.db import connection

    return {name: connection.ops.quote_name(m._meta.db_table) for name, m in models.items()}


@dataclass(frozen=True)
class Keys:
    """The rows a recount of kept figures is about: some keys, or every row (``every``).
    ``where(column)`` is the raw SQL condition on a column holding them, with its
    parameters."""

    chosen: tuple[int, ...] = ()
    every: bool = False

    @classmethod
    def of(cls, keys: Iterable[int | None] | None) -> Keys:
        """``None``: every row; else the distinct keys given, sorted (None left out)."""
        if keys is None:
            return cls(every=True)
        return cls(tuple(sorted({int(pk) for pk in keys if pk is not None})))

    def __bool__(self) -> bool:
        return self.every or bool(self.chosen)

    def where(self, column: str) -> tuple[str, list[int]]:
        if self.every:
            return "1 = 1", []
        return f"{column} IN ({', '.join(['%s'] * len(self.chosen))})", list(self.chosen)


def watch(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
    """Execute wrapper (installed on every connection): notes the table a statement
    writes, and the tables a figure being computed reads."""
    head = sql[:12].lstrip()[:8].upper()
    if head.startswith(("INSERT", "UPDATE", "DELETE", "TRUNCATE")):
        found = WRITE.match(sql)
        table = found.group(1) if found else EVERYTHING
        if table in _derived:
            return execute(sql, params, many, context)
        _state.pending.add(table)
        if _state.depth:
            _state.written.add(table)
    elif _state.reading:
        _state.reading[-1].update(known_tables().intersection(NAME.findall(sql.lower())))
    return execute(sql, params, many, context)


def watch_connection(connection: Any, **kwargs: Any) -> None:
    """``connection_created`` receiver: every connection reports its reads and writes."""
    if watch not in connection.execute_wrappers:  # first: others' wrappers pop their own
        connection.execute_wrappers.insert(0, watch)


def _redis() -> Any:
    from django_redis import get_redis_connection  # type: ignore[import-untyped]

    return get_redis_connection("default")


def _hash() -> str:
    return cache.make_key(GENERATIONS)


def bump() -> None:
    """Move everything on: every cached figure is computed again when next asked."""
    _state.pending.clear()
    announce([EVERYTHING])


def announce(tables: Iterable[str]) -> None:
    """Move the generation of each table written (one round trip to Redis)."""
    tables = {EVERYTHING} if EVERYTHING in tables else set(tables)
    if not enabled() or not tables:
        return
    try:
        pipe = _redis().pipeline(transaction=False)
        for table in sorted(tables):
            pipe.hincrby(_hash(), table, 1)
        pipe.execute()
    except RedisError:  # as the cache itself does (IGNORE_EXCEPTIONS): figures expire
        _failed("move the data generations")


def stamp(table: str) -> int | None:
    """The generation of ``table`` (``None`` before its first write)."""
    value = _redis().hget(_hash(), table)
    return int(value) if value is not None else None


def _stamps(tables: Iterable[str] | None = None) -> dict[str, int | None]:
    """The generations of ``tables`` (of every table written so far, when ``None``),
    with the hash's epoch and the generation that :func:`bump` moves."""
    client, key = _redis(), _hash()
    found: dict[str, int | None]
    if tables is None:
        found = {k.decode(): int(v) for k, v in client.hgetall(key).items()}
    else:
        wanted = [EPOCH, EVERYTHING, *tables]
        values = client.hmget(key, wanted)
        found = {n: int(v) for n, v in zip(wanted, values, strict=True) if v is not None}
    if EPOCH not in found:
        client.hsetnx(key, EPOCH, time.time_ns())
        found[EPOCH] = int(client.hget(key, EPOCH) or 0)
    return found


def bump_if_written() -> None:
    """Move the generations of the tables this thread has written since it last did."""
    if _state.pending:
        tables, _state.pending = _state.pending, set()
        announce(tables)


def reading(compute: Callable[[], Any]) -> tuple[Any, frozenset[str]]:
    """``compute()``'s value and the tables it read (which count as read by any figure
    being computed around it too)."""
    _state.reading.append(set())
    try:
        value = compute()
    finally:
        read = frozenset(_state.reading.pop())
        note_read(read)
    return value, read


def note_read(tables: Iterable[str]) -> None:
    """Count ``tables`` as read by the figure being computed (a value remembered from an
    earlier read, e.g. one that several panels share)."""
    if _state.reading:
        _state.reading[-1].update(tables)


def cached(key: tuple[Any, ...], compute: Callable[[], Any]) -> Any:
    """``compute()``'s value, kept while none of the tables it read has been written."""
    if not enabled():
        return compute()
    bump_if_written()  # this thread's own writes show at once
    full = "opf:figures:" + ":".join(str(part) for part in key)
    try:
        found = cache.get(full)
        if found is not None:
            stamps, value = found
            tables = stamps.keys() - {EPOCH, EVERYTHING}
            if _valid(tables, stamps):
                note_read(tables)  # for a figure computed around this one
                return value
        # Taken first, so a write meanwhile makes the entry stale. Inside another
        # figure's computation, that one's (older, so never fresher than the truth).
        before = _state.snapshots[-1] if _state.snapshots else _stamps()
    except RedisError:
        _failed("read the data generations")
        return compute()
    _state.snapshots.append(before)
    try:
        value, read = reading(compute)
    finally:
        _state.snapshots.pop()
    stamps = {t: before.get(t) for t in (EPOCH, EVERYTHING, *read)}
    cache.set(full, (stamps, value), timeout=seconds())
    return value


def _valid(tables: Iterable[str], stamps: dict[str, int | None]) -> bool:
    now = _stamps(tables)
    return all(now.get(name) == stamp for name, stamp in stamps.items())


def counted(rows: QuerySet) -> int:
    """``rows.count()``, kept until its table is written: a list's total over a big
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


def start_work() -> None:
    """A request or task begins: what it writes is announced again when it ends."""
    _state.depth += 1


def end_work() -> None:
    """A request or task has ended (its transaction committed): the tables it wrote
    move once more, so a figure computed before the commit is not served."""
    _state.depth = max(_state.depth - 1, 0)
    if _state.depth:
        return  # an eager task inside a request: the request's end announces
    written = _state.written | _state.pending
    _state.written, _state.pending = set(), set()
    announce(written)


class BumpAfterWrites:
    """Middleware: the tables a request wrote move once it has answered."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        start_work()
        try:
            return self.get_response(request)
        finally:
            end_work()
