"""The Celery application. Tasks live in each app's ``tasks.py``."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import task_postrun, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opf.settings")

app = Celery("opf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def _start_task(**kwargs: object) -> None:
    from opf.core.freshness import start_work

    start_work()


@task_postrun.connect
def _end_task(**kwargs: object) -> None:
    """The tables a task wrote move when it has run (cached figures that read them go)."""
    from opf.core.freshness import end_work

    end_work()
