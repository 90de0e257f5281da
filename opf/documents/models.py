"""PDF documents generated in the background (WeasyPrint in a Celery task)."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=50)
    subject_id = models.PositiveBigIntegerField(_("subject"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=255)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("why it failed"), blank=True)
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    data_as_of = models.DateTimeField(_("data as of"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Delivery bookkeeping: a job is never lost nor rendered twice at once.
    enqueued_at = models.DateTimeField(
        _("sent to the job queue"),
        null=True,
        blank=True,
        help_text=_("Empty while the job queue could not be reached; the sweeper sends it later."),
    )
    claimed_at = models.DateTimeField(_("claimed by a worker"), null=True, blank=True)
    claimed_by = models.CharField(
        _("claiming message"),
        max_length=255,
        blank=True,
        help_text=_("Id of the queue message whose worker is generating the document."),
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "subject_id"]),
            models.Index(fields=["status", "created_at"], name="opf_document_status_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("opf:document_detail", args=[self.pk])

    #: Set by ``document_request`` when it answered with this pending document instead
    #: of queuing the same one again (not stored).
    reused: bool = False

    #: A job queued longer than this is shown as delayed.
    QUEUE_PATIENCE = timedelta(minutes=1)

    @property
    def waiting_for_queue(self) -> bool:
        """Background work is delayed: queued but not handed to the job queue (it was
        down), or queued for over a minute (no worker free)."""
        if self.status != self.Status.QUEUED:
            return False
        return self.enqueued_at is None or self.created_at < timezone.now() - self.QUEUE_PATIENCE

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
