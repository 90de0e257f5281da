"""Pages for PDF documents: request one, watch it being generated, download it."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from opf.core.documents import kinds
from opf.core.permissions import can, signed_in_user
from opf.core.ui.htmx import template_for
from opf.documents.models import Document
from opf.documents.services import document_request, subject_of


def visible_document(request: HttpRequest, pk: int) -> Document:
    if not can(request.user, "view", Document):
        raise PermissionDenied
    document = get_object_or_404(Document, pk=pk)
    spec = kinds().get(document.kind)
    if spec is None:
        raise Http404
    try:
        subject_of(spec, document.subject_id, signed_in_user(request))
    except ValidationError as error:
        raise Http404 from error
    return document


QUEUE_DOWN = _(
    "Background work is delayed: the job queue cannot be reached right now. Your request is "
    "saved and the document will be generated as soon as the queue is back."
)

ALREADY_ASKED = _(
    "You asked for this document already and it is not ready yet: here it is, being generated."
)


@require_GET
def document_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view", Document):
        raise PermissionDenied
    page = Paginator(Document.objects.select_related("requested_by"), 25).get_page(
        request.GET.get("page")
    )
    program_kinds = [k for k in kinds().values() if k.subject_model is None]
    delayed = any(document.waiting_for_queue for document in page)
    return render(
        request,
        "documents/page_list.html",
        {"page": page, "program_kinds": program_kinds, "delayed": delayed},
    )


@require_POST
def document_new(request: HttpRequest) -> HttpResponse:
    subject = request.POST.get("subject_id") or None
    try:
        document = document_request(
            kind=request.POST.get("kind", ""),
            subject_id=int(subject) if subject and subject.isdigit() else None,
            actor=signed_in_user(request),
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return HttpResponseRedirect(request.META.get("HTTP_REFERER") or "/documents/")
    if document.reused:
        messages.info(request, ALREADY_ASKED)
    if document.enqueued_at is None:  # the job queue refused it: the sweeper sends it later
        messages.warning(request, QUEUE_DOWN)
    return HttpResponseRedirect(document.get_absolute_url())


@require_GET
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = visible_document(request, pk)
    template = template_for(request, "documents/page_detail.html", "status")
    return render(request, template, {"document": document})


@require_GET
def document_file(request: HttpRequest, pk: int) -> FileResponse:
    document = visible_document(request, pk)
    if document.status != Document.Status.DONE or not document.file:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=False,
        filename=document.file.name.rsplit("/", 1)[-1],
    )
