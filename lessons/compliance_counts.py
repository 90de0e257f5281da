"""Each compliance audit's items counted once and kept on the audit (#24), so the
compliance figures (the dashboard's rate, its monthly rates and the severity-weighted
compliance, the compliance page's tables, the plan's chapter) add up one row per audit
instead of reading every item.

The rule is here, once: an item counts as compliant or non-compliant by its result
(pending and not-applicable items are not judged), and a non-compliant one by the
severity of the non-compliance raised on it, none raised counting as minor
(``COMPLIANT``, ``SEVERITY``). The rate is ``models.audits.compliance_score`` of the sums.

The counts (``ComplianceAudit.ITEM_COUNTS``) are counted again from the items:

- when an item is saved or deleted, for its audit and the audit it was moved from;
- when a non-compliance is saved or deleted, for the audit of its item and of the item
  it was linked to before (its severity weighs the item);
- by whoever writes items or non-compliances in bulk, or loads them without their
  counts (the benchmark's dataset builder, ``manage.py restore``): :func:`recount`.

Saving an audit never writes them (``ComplianceAudit.save``). A recount locks the
audits' rows before it counts, in a statement of its own, so two writers of one
audit's items each count what the other committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from lessons.models import AuditItem, ComplianceAudit, NonCompliance
from opf.organization.scope import of_projects

Result = AuditItem.Result
Severity = NonCompliance.Severity

COMPLIANT = Q(result=Result.COMPLIANT)
NON_COMPLIANT = Q(result=Result.NON_COMPLIANT)
SEVERITY = "non_compliance__severity"  # of the non-compliance raised on the item
BY_FIELD: dict[str, Q] = {
    "compliant_items": COMPLIANT,
    "minor_items": NON_COMPLIANT
    & (Q(**{f"{SEVERITY}__isnull": True}) | Q(**{SEVERITY: Severity.MINOR})),
    "major_items": NON_COMPLIANT & Q(**{SEVERITY: Severity.MAJOR}),
    "critical_items": NON_COMPLIANT & Q(**{SEVERITY: Severity.CRITICAL}),
}
SEVERITY_FIELDS = {
    Severity.MINOR.value: "minor_items",
    Severity.MAJOR.value: "major_items",
    Severity.CRITICAL.value: "critical_items",
}
assert set(BY_FIELD) == set(ComplianceAudit.ITEM_COUNTS)


def counted_audits(projects: QuerySet | None = None) -> QuerySet[ComplianceAudit]:
    """The audits whose items the compliance figures count: completed and not archived
    (``opf.core.archive``: figures leave archived records out), of ``projects`` (None:
    every audit, the organization's own process included)."""
    audits = ComplianceAudit.objects.filter(
        state=ComplianceAudit.State.COMPLETED,
        performed_date__isnull=False,
        archived_at__isnull=True,
    )
    if projects is not None:
        audits = audits.filter(of_projects("project", projects))
    return audits.order_by()


NON_COMPLIANT_ITEMS = F("minor_items") + F("major_items") + F("critical_items")


def _counted(q: Q) -> Coalesce:
    """The audit's items matching ``q`` (a subquery of the audit's row)."""
    items = (
        AuditItem.objects.filter(q, audit=OuterRef("pk"))
        .order_by()
        .values("audit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(items, output_field=IntegerField()), Value(0))


def recount(audit_ids: Iterable[int | None] | None = None) -> None:
    """Count these audits' items again (every audit's when None): their rows are
    locked first, then one statement writes the counts."""
    audits = ComplianceAudit.objects.all()
    if audit_ids is not None:
        ids = sorted({pk for pk in audit_ids if pk is not None})
        if not ids:
            return
        audits = audits.filter(pk__in=ids)
    with transaction.atomic():
        list(audits.select_for_update().order_by("pk").values_list("pk", flat=True))
        audits.update(**{field: _counted(q) for field, q in BY_FIELD.items()})


def _stored(model: type[Any], pk: Any, path: str) -> int | None:
    """What the row of ``model`` ``pk`` holds at ``path`` before a save (None: new)."""
    if pk is None:
        return None
    return model._default_manager.filter(pk=pk).values_list(path, flat=True).first()


def _item_saving(sender: type, instance: AuditItem, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        instance._counted_before = _stored(AuditItem, instance.pk, "audit_id")  # type: ignore[attr-defined]


def _item_saved(sender: type, instance: AuditItem, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        recount([instance.audit_id, getattr(instance, "_counted_before", None)])


def _item_deleted(sender: type, instance: AuditItem, **kwargs: Any) -> None:
    recount([instance.audit_id])


def _nc_saving(sender: type, instance: NonCompliance, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        instance._counted_before = _stored(NonCompliance, instance.pk, "item__audit_id")  # type: ignore[attr-defined]


def _item_audit(item_id: int | None) -> int | None:
    return _stored(AuditItem, item_id, "audit_id")


def _nc_saved(sender: type, instance: NonCompliance, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        recount([_item_audit(instance.item_id), getattr(instance, "_counted_before", None)])


def _nc_deleted(sender: type, instance: NonCompliance, **kwargs: Any) -> None:
    recount([_item_audit(instance.item_id)])


def keep_compliance_counts() -> None:
    """Connect the signals (``LessonsConfig.ready``)."""
    from django.db.models.signals import post_delete, post_save, pre_save

    for model, saving, saved, deleted in (
        (AuditItem, _item_saving, _item_saved, _item_deleted),
        (NonCompliance, _nc_saving, _nc_saved, _nc_deleted),
    ):
        name = model._meta.model_name
        pre_save.connect(saving, sender=model, dispatch_uid=f"compliance-{name}-saving")
        post_save.connect(saved, sender=model, dispatch_uid=f"compliance-{name}-saved")
        post_delete.connect(deleted, sender=model, dispatch_uid=f"compliance-{name}-deleted")
