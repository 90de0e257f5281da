"""gunicorn's settings for OPF: ``gunicorn -c python:opf.gunicorn_config opf.wsgi``
(the image, docker-compose.yml and bench/load.py start it so). Every value can be
changed from the environment (``GUNICORN_CMD_ARGS`` too; the command line wins).

**No tail from the garbage collector.** A Django process holds a few hundred
thousand long-lived objects (modules, models, URL patterns, templates). Python's
full collection walks all of them, 40-320 ms on this project's 2-core machine,
and a request that happens to trigger one is that much slower. So once a worker
has loaded the app (and its URL conf), everything alive is moved out of the
collector's sight (``gc.freeze()``) and the generation thresholds are raised
(``OPF_GC_THRESHOLDS``): young collections run less often, and a full one only
walks what requests made since (about 40,000 objects, not 250,000). Measured
over 180 requests of six pages: Python's defaults, 7 full collections (the
longest 319 ms, 2.0 s of collecting in all); frozen with (700, 10, 10), 14 (the
longest 75 ms); frozen with (10000, 10, 10), none, 0.46 s in all (README,
"Deployment").

What is left are the young collections, about one request in ten: 10 ms for a
15 ms API list, 1.85 times its median at the 95th percentile. So each worker runs
the collection a request would soon trigger after the response has gone
(``post_request``): the benchmark does the same between its requests
(bench/measure.py), and the load test sees it as gunicorn runs it.
"""

from __future__ import annotations

import gc
import os
from typing import Any

# --- the server ---------------------------------------------------------------
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# gunicorn reads WEB_CONCURRENCY itself too; the defaults are for one 2-core machine.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# Behind the proxy of docker-compose.yml (or any): trust its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# --- the garbage collector -----------------------------------------------------
# (gen0, gen1, gen2): Python's are (700, 10, 10).
GC_THRESHOLDS = tuple(int(n) for n in os.environ.get("OPF_GC_THRESHOLDS", "10000,10,10").split(","))


def settle_collector(thresholds: tuple[int, ...] = GC_THRESHOLDS) -> None:
    """Load what Django loads on the first request (the URL conf), collect once,
    freeze what is left, and set the thresholds. Called once the app is loaded."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - imports every urls.py and view module
    gc.collect()
    gc.freeze()
    gc.set_threshold(*thresholds)


def collect_between_requests() -> int | None:
    """Run the collection the next request would trigger, now that a response has
    gone: the generation whose count is one step from its threshold (the oldest such),
    or the youngest past half of its own. A young collection walks what requests left
    since the last one (10 ms for some 17,000 objects on this machine); run in the
    middle of a 15 ms request it made that request's time half as long again, about
    every tenth request. The generation collected, or None."""
    counts, thresholds = gc.get_count(), gc.get_threshold()
    generation = next(
        (g for g in (2, 1) if all(counts[i] >= thresholds[i] - 1 for i in range(1, g + 1))),
        0 if counts[0] >= thresholds[0] // 2 else None,
    )
    if generation is not None:
        gc.collect(generation)
    return generation


def post_worker_init(worker: Any) -> None:
    """gunicorn's hook: in each worker process, once it has loaded the app."""
    settle_collector()


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    """gunicorn's hook: after each response has been sent (a sync worker takes no
    other request meanwhile)."""
    collect_between_requests()
