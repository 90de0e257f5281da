"""The Celery application. Tasks live in each app's ``tasks.py``."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import task_postrun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "opf.settings")

app = Celery("opf")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_postrun.connect
def _bump_after_task(**kwargs: object) -> None:
    """A task may have written without a signal (``update()``): cached figures go."""
    from opf.core.freshness import bump

    bump()
