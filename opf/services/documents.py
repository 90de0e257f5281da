"""Request a PDF (any page or the API) and render it in a worker (WeasyPrint)."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from opf.documents import DocumentKind, kinds
from opf.models import Document
from opf.permissions import can

logger = logging.getLogger(__name__)


def subject_of(kind: DocumentKind, subject_id: int | None, user: Any) -> Any:
    """The record the document is about, checked against what ``user`` may see."""
    if kind.subject_model is None:
        return None
    if subject_id is None:
        raise ValidationError({"subject_id": _("This kind of document is about one record.")})
    from opf.permissions import restrict

    subject = (
        restrict(kind.subject_model._default_manager.all(), user, "view")
        .filter(pk=subject_id)
        .first()
    )
    if subject is None:
        raise ValidationError({"subject_id": _("No such record, or you cannot see it.")})
    return subject


@transaction.atomic
def document_request(*, kind: str, subject_id: int | None = None, actor: Any) -> Document:
    """Queue a document; the worker renders it once the request is committed."""
    from opf.tasks import render_document

    spec = kinds().get(kind)
    if spec is None:
        raise ValidationError({"kind": _("Unknown kind of document.")})
    if not can(actor, "view", Document):
        raise PermissionDenied
    subject = subject_of(spec, subject_id, actor)
    document = Document.objects.create(
        kind=kind,
        subject_id=subject.pk if subject is not None else None,
        title=spec.title(subject)[:255],
        requested_by=actor,
    )
    transaction.on_commit(lambda: render_document.delay(document.pk))
    return document


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


def _advance(document_id: int, **values: Any) -> None:
    Document.objects.filter(pk=document_id).update(**values)


def document_render(document_id: int) -> bool:
    """Render a queued document; False if another worker has it already."""
    claimed = Document.objects.filter(pk=document_id, status=Document.Status.QUEUED).update(
        status=Document.Status.RUNNING, progress=5
    )
    if not claimed:
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
        _advance(document_id, progress=30, data_as_of=timezone.now())
        html = render_to_string(spec.template, context)
        _advance(document_id, progress=60)
        rendered = HTML(
            string=html, base_url="opf-static:/", url_fetcher=StaticFilesOnly()
        ).render()
        pdf = rendered.write_pdf()
        name = f"{slugify(document.title) or document.kind}-{document.pk}.pdf"
        document.file.save(name, ContentFile(pdf), save=False)
        _advance(
            document_id,
            file=document.file.name,
            pages=len(rendered.pages),
            status=Document.Status.DONE,
            progress=100,
            finished_at=timezone.now(),
        )
    except Exception as error:
        logger.exception("Document %s failed", document_id)
        _advance(
            document_id,
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
