"""Request a PDF (any page or the API) and render it in a worker (WeasyPrint)."""

from __future__ import annotations

import contextlib
import logging
from datetime import timedelta
from pathlib import Path
from typing import Any

from celery import current_app
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from opf.core.accounts import User
from opf.core.documents import DocumentKind, kinds
from opf.core.permissions import can
from opf.documents.models import Document

logger = logging.getLogger(__name__)


def subject_of(kind: DocumentKind, subject_id: int | None, user: User) -> Model | None:
    """The record the document is about, checked against what ``user`` may see."""
    if kind.subject_model is None:
        return None
    if subject_id is None:
        raise ValidationError({"subject_id": _("This kind of document is about one record.")})
    from opf.core.permissions import restrict

    subject = (
        restrict(kind.subject_model._default_manager.all(), user, "view")
        .filter(pk=subject_id)
        .first()
    )
    if subject is None:
        raise ValidationError({"subject_id": _("No such record, or you cannot see it.")})
    return subject


class TooManyPending(ValidationError):
    """The person already has ``OPF_PDF_PENDING_PER_USER`` documents waiting."""


PENDING = (Document.Status.QUEUED, Document.Status.RUNNING)


def pending_limit() -> int:
    """How many documents one person may have waiting at once (``OPF_PDF_PENDING_PER_USER``)."""
    return int(settings.OPF_PDF_PENDING_PER_USER)


@transaction.atomic
def document_request(*, kind: str, subject_id: int | None = None, actor: User) -> Document:
    """Queue a document; the worker renders it once the request is committed.

    The same request (person, kind, record) still pending is answered with the
    document already queued (``reused`` is True); a person has at most
    ``pending_limit()`` documents waiting, else :class:`TooManyPending`.

    If the job queue cannot be reached the document stays queued (``enqueued_at``
    empty) and the sweeper sends it when the queue is back: no error for the user."""
    spec = kinds().get(kind)
    if spec is None:
        raise ValidationError({"kind": _("Unknown kind of document.")})
    if not can(actor, "view", Document):
        raise PermissionDenied
    subject = subject_of(spec, subject_id, actor)
    subject_pk = subject.pk if subject is not None else None
    # One request of a person at a time: the checks below and the insert are one step.
    User.objects.select_for_update().filter(pk=actor.pk).first()
    pending = Document.objects.filter(requested_by=actor, status__in=PENDING)
    same = pending.filter(kind=kind, subject_id=subject_pk).order_by("created_at", "pk").first()
    if same is not None:
        same.reused = True
        return same
    count = pending.count()
    if count >= pending_limit():
        raise TooManyPending(
            _(
                "You have %(count)s documents waiting to be generated, as many as one "
                "person may have at a time: request this one when one of them is ready."
            )
            % {"count": count}
        )
    document = Document.objects.create(
        kind=kind, subject_id=subject_pk, title=spec.title(subject)[:255], requested_by=actor
    )
    transaction.on_commit(lambda: enqueue_render(document))
    return document


# A request's message is sent within milliseconds of its commit; the sweeper leaves
# younger documents alone so that it never races the request that made them.
QUEUE_GRACE = timedelta(seconds=60)
# A message the queue accepted but no worker took by then may have been lost (Redis
# restarted without its data): send another one. A duplicate only finds the job taken.
RESEND_AFTER = timedelta(minutes=30)
# A job whose worker died this many times is failed instead of retried forever.
MAX_ATTEMPTS = 3
# The Celery task (``opf.tasks.render_document``) that runs ``document_render``: published
# by name, so this module needs no import of the task module (which imports this one).
RENDER_TASK = "opf.render_document"
RENDER_TIME_LIMIT = 900  # seconds; the task's hard time limit
# Publishing from a web request: one quick retry, then give up (the sweeper retries).
PUBLISH_RETRY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2, "interval_max": 0.2}


def enqueue_render(document: Document) -> bool:
    """Send the render job to the queue; False (logged, no exception) if the queue is down."""
    try:
        # By name, so ``ignore_result`` is said here as the task says it: else Celery
        # subscribes to the result store first (a dead Redis would hang the request).
        current_app.send_task(
            RENDER_TASK,
            args=(document.pk,),
            ignore_result=True,
            retry=True,
            retry_policy=PUBLISH_RETRY,
        )
    except Exception:  # any broker failure: the job waits for the sweeper, the page works
        logger.warning(
            "Job queue unreachable: document %s stays queued until the sweeper sends it",
            document.pk,
            exc_info=True,
        )
        return False
    sent_at = timezone.now()
    Document.objects.filter(pk=document.pk).update(enqueued_at=sent_at)
    document.enqueued_at = sent_at
    return True


def claim_timeout() -> timedelta:
    """After this a RUNNING claim is a dead worker's: the task's hard time limit kills
    any render by then (plus a margin for the kill and its bookkeeping)."""
    return timedelta(seconds=RENDER_TIME_LIMIT + 60)


def documents_sweep(
    *,
    grace: timedelta = QUEUE_GRACE,
    resend_after: timedelta = RESEND_AFTER,
    stale_after: timedelta | None = None,
) -> int:
    """Outbox sweep (beat, every minute): release the claims of dead workers and send
    the jobs the queue does not have. Returns how many jobs were sent."""
    now = timezone.now()
    stale = now - (stale_after if stale_after is not None else claim_timeout())
    sent = 0
    dead = Document.objects.filter(status=Document.Status.RUNNING).filter(
        Q(claimed_at__lt=stale) | Q(claimed_at__isnull=True, created_at__lt=stale)
    )
    for row in dead.values("pk", "attempts", "claimed_by"):
        released = Document.objects.filter(
            pk=row["pk"], status=Document.Status.RUNNING, attempts=row["attempts"]
        ).update(status=Document.Status.QUEUED, claimed_by="", progress=0, enqueued_at=None)
        if released:
            logger.warning(
                "Document %s: the worker of attempt %s stopped answering; queued again",
                row["pk"],
                row["attempts"],
            )
            if enqueue_render(Document(pk=row["pk"])):
                sent += 1
    due = Document.objects.filter(status=Document.Status.QUEUED).filter(
        Q(enqueued_at__isnull=True, created_at__lt=now - grace)
        | Q(enqueued_at__lt=now - resend_after)
    )
    for document in due.only("pk").order_by("created_at", "pk")[:500]:
        if not enqueue_render(document):
            break  # the queue is still down: the next sweep tries again
        sent += 1
    return sent


class StaticFilesOnly(URLFetcher):
    """WeasyPrint may read our own static files and inline data, nothing from the network."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        prefix = "opf-static:"
        if url.startswith(prefix):
            found = finders.find(url[len(prefix) :].lstrip("/"))
            if found:
                return super().fetch(Path(found).as_uri(), headers)
        raise ValueError(f"Not fetched (documents read only OPF's static files): {url}")


class ClaimLost(Exception):
    """Another delivery took the job over (this worker was presumed dead)."""


def _claim(document_id: int, delivery: str) -> int | None:
    """Compare-and-set the job to RUNNING; the attempt number on success, else None.

    A QUEUED job is claimed by whichever message arrives first. A RUNNING job is
    claimed again only by a redelivery of the very message that claimed it: the
    broker redelivers a message only when its worker was lost (the Redis visibility
    timeout is longer than the task's hard time limit), so that worker is gone.
    """
    row = Document.objects.filter(pk=document_id).values("status", "attempts", "claimed_by").first()
    if row is None:
        return None
    redelivered = bool(delivery) and row["claimed_by"] == delivery
    if not (
        row["status"] == Document.Status.QUEUED
        or (row["status"] == Document.Status.RUNNING and redelivered)
    ):
        return None
    current = Document.objects.filter(
        pk=document_id, status=row["status"], attempts=row["attempts"]
    )
    if row["attempts"] >= MAX_ATTEMPTS:
        current.update(
            status=Document.Status.FAILED,
            error=_("Given up after %(count)s attempts: the worker stopped each time.")
            % {"count": row["attempts"]},
            finished_at=timezone.now(),
        )
        return None
    attempt = row["attempts"] + 1
    won = current.update(
        status=Document.Status.RUNNING,
        attempts=attempt,
        claimed_at=timezone.now(),
        claimed_by=delivery,
        progress=5,
        error="",
    )
    return attempt if won else None


def _advance(document_id: int, attempt: int, **values: Any) -> None:
    """Write progress only while this attempt still holds the claim (a fencing token)."""
    held = Document.objects.filter(
        pk=document_id, status=Document.Status.RUNNING, attempts=attempt
    ).update(**values)
    if not held:
        raise ClaimLost


def document_render(document_id: int, *, delivery: str = "") -> bool:
    """Render a queued document; False if another delivery has it (or had it) already.

    ``delivery`` identifies the queue message (the Celery task id)."""
    attempt = _claim(document_id, delivery)
    if attempt is None:
        return False
    document = Document.objects.get(pk=document_id)
    try:
        spec = kinds()[document.kind]
        subject = (
            spec.subject_model._default_manager.get(pk=document.subject_id)
            if spec.subject_model is not None
            else None
        )
        context = {
            **spec.context(subject),
            "document": document,
            "subject": subject,
            "print_css": print_css(),
        }
        _advance(document_id, attempt, progress=30, data_as_of=timezone.now())
        html = render_to_string(spec.template, context)
        _advance(document_id, attempt, progress=60)
        rendered = HTML(
            string=html, base_url="opf-static:/", url_fetcher=StaticFilesOnly()
        ).render()
        pdf = rendered.write_pdf()
        name = f"{slugify(document.title) or document.kind}-{document.pk}.pdf"
        document.file.save(name, ContentFile(pdf), save=False)
        try:
            _advance(
                document_id,
                attempt,
                file=document.file.name,
                pages=len(rendered.pages),
                status=Document.Status.DONE,
                progress=100,
                finished_at=timezone.now(),
            )
        except ClaimLost:
            document.file.delete(save=False)
            raise
    except ClaimLost:
        logger.warning("Document %s: attempt %s was taken over; stopped", document_id, attempt)
        return False
    except Exception as error:
        logger.exception("Document %s failed", document_id)
        with contextlib.suppress(ClaimLost):
            _advance(
                document_id,
                attempt,
                status=Document.Status.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                finished_at=timezone.now(),
            )
        return True
    return True


def print_css() -> str:
    """Our print stylesheet, inlined (no fetch needed)."""
    path = finders.find("css/print.css")
    return Path(path).read_text() if path else ""
