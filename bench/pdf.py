"""Generate the process improvement plan PDF from the current database (the
benchmark's dataset) the way the worker does, and print pages and seconds as
JSON. Run by bench/run.py at each scale."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from opf.core.accounts import User  # noqa: E402
from opf.core.roles import PROCESS_GROUP  # noqa: E402
from opf.documents.models import Document  # noqa: E402
from opf.documents.services import document_render  # noqa: E402


def main() -> None:
    user = User.objects.filter(groups__name=PROCESS_GROUP.group).order_by("pk").first()
    document = Document.objects.create(
        kind="improvement_plan", title="Process improvement plan", requested_by=user
    )
    started = time.perf_counter()
    document_render(document.pk)
    seconds = time.perf_counter() - started
    document.refresh_from_db()
    assert document.status == Document.Status.DONE, document.error
    print(json.dumps({"pages": document.pages, "seconds": seconds}))


if __name__ == "__main__":
    main()
