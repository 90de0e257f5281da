"""Archive instead of delete: records that are evidence are never removed.

A model that derives from ``ArchivableModel`` (findings, appraisals, evidence,
compliance audits, non-compliances) has no delete: its delete page becomes an
"Archive" confirmation, the API refuses ``DELETE`` (405) and offers
``POST {id}/archive/`` and ``POST {id}/restore/`` instead.

- Archiving stamps ``archived_at`` / ``archived_by``, bumps the version and
  writes a history entry ("Archived"); restoring clears them (history
  "Restored"). Whoever may delete the record (``can(user, "delete", obj)``)
  may archive and restore it; a model may refuse with ``archive_refusal``.
  Other evidence is kept by refusing deletion instead (a decided plan review:
  ``delete_refusal``; a released version: it is locked).
- Generic list pages and API lists hide archived rows unless asked
  (``?archived=1`` on pages, ``?archived=true`` in the API); a record's own
  URL still shows it, with an "Archived" badge. An archived record is
  read-only until it is restored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings
from django.db import models, transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opf.core.errors import TransitionRefused
from opf.core.history import attribute_change
from opf.core.services import check
from opf.core.versioning import guard_write

if TYPE_CHECKING:
    from opf.core.accounts import User

ARCHIVED_PARAM = "archived"  # ?archived=1 (pages) / ?archived=true (API): include archived rows
TRUE_VALUES = {"1", "true", "yes", "on"}


class ArchivableModel(models.Model):
    """``archived_at`` / ``archived_by``: set by ``archive_object``, cleared by
    ``restore_object``; such a model is never deleted through pages or the API."""

    archived_at = models.DateTimeField(
        gettext_lazy("archived at"), null=True, blank=True, editable=False, db_index=True
    )
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=gettext_lazy("archived by"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None

    def archive_refusal(self) -> str | None:
        """Why this record may not be archived now (None: it may)."""
        return None


A = TypeVar("A", bound=ArchivableModel)


def is_archivable(model: type[Model] | Model) -> bool:
    cls = model if isinstance(model, type) else type(model)
    return issubclass(cls, ArchivableModel)


def wants_archived(params: Any) -> bool:
    """Whether a list request asks to include archived rows."""
    return str(params.get(ARCHIVED_PARAM, "")).strip().lower() in TRUE_VALUES


def visible_in_list(queryset: QuerySet, params: Any) -> QuerySet:
    """Hide archived rows of an archivable model unless the request asks for them."""
    if is_archivable(queryset.model) and not wants_archived(params):
        return queryset.filter(archived_at__isnull=True)
    return queryset


def archived_refusal(obj: Model) -> str:
    return _("%(object)s is archived: restore it before changing it.") % {"object": obj}


def _stamp(instance: A, *, actor: User, archived: bool, reason: str, expected: int | None) -> A:
    check(actor, "delete", instance)
    guard_write(instance, expected=expected, archive_step=True)
    instance.archived_at = timezone.now() if archived else None
    instance.archived_by = actor if archived else None
    label = _("Archived") if archived else _("Restored")
    attribute_change(instance, actor, f"{label}: {reason}" if reason else label)
    instance.save(update_fields=["archived_at", "archived_by", "version"])
    return instance


@transaction.atomic
def archive_object(
    instance: A, *, actor: User, reason: str = "", expected_version: int | None = None
) -> A:
    """Archive ``instance`` as ``actor`` (who must be allowed to delete it).

    Refused (``TransitionRefused``: a message in pages, 409 in the API) when it
    is already archived, locked, or its model says no (``archive_refusal``)."""
    check(actor, "delete", instance)
    if instance.is_archived:
        raise TransitionRefused(_("%(object)s is already archived.") % {"object": instance})
    refusal = instance.archive_refusal()
    if refusal:
        raise TransitionRefused(refusal)
    return _stamp(instance, actor=actor, archived=True, reason=reason, expected=expected_version)


@transaction.atomic
def restore_object(
    instance: A, *, actor: User, reason: str = "", expected_version: int | None = None
) -> A:
    """Bring an archived record back into lists (same permission as archiving)."""
    check(actor, "delete", instance)
    if not instance.is_archived:
        raise TransitionRefused(_("%(object)s is not archived.") % {"object": instance})
    return _stamp(instance, actor=actor, archived=False, reason=reason, expected=expected_version)
