"""Compliance audits (SP 3.3): checklist, results, score, non-compliances, recurrence."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from deployment.models import ProjectDeployment, TailoringRecord
from lessons import compliance_counts, notices
from lessons.models import (
    AuditItem,
    ComplianceAudit,
    ImprovementProposal,
    NonCompliance,
    RecurrenceRule,
)
from lessons.models.audits import compliance_score
from opf.core.errors import TransitionRefused
from opf.core.history import attribute_change
from opf.core.services import check, save_object
from opf.core.versioning import guard_write

if TYPE_CHECKING:
    from opf.core.accounts import User

Result = AuditItem.Result

# --- audit lifecycle ---------------------------------------------------------


@transaction.atomic
def audit_start(audit: ComplianceAudit, *, actor: User, reason: str = "") -> ComplianceAudit:
    if audit.auditor_id is None:
        raise TransitionRefused(_("Name the auditor before the audit starts."))
    if audit.project_id is None and not audit.process_areas.exists():
        raise TransitionRefused(
            _(
                "An audit of the organization's own process names the process areas it "
                "audits (for example OPF) before it starts."
            )
        )
    if not audit.items.exists():
        raise TransitionRefused(_("Build the checklist before the audit starts."))
    return ComplianceAudit.workflow.run(audit, "start", actor=actor, reason=reason)


@transaction.atomic
def audit_complete(audit: ComplianceAudit, *, actor: User, reason: str = "") -> ComplianceAudit:
    pending = audit.items.filter(result=Result.PENDING).count()
    if pending:
        raise TransitionRefused(
            ngettext(
                "%(count)d checklist item is still pending: record its result.",
                "%(count)d checklist items are still pending: record a result for each.",
                pending,
            )
            % {"count": pending}
        )
    return ComplianceAudit.workflow.run(
        audit,
        "complete",
        actor=actor,
        reason=reason,
        extra={"performed_date": timezone.localdate(), "score": score_of(audit)},
    )


@transaction.atomic
def audit_cancel(audit: ComplianceAudit, *, actor: User, reason: str = "") -> ComplianceAudit:
    return ComplianceAudit.workflow.run(audit, "cancel", actor=actor, reason=reason)


@transaction.atomic
def audit_reopen(audit: ComplianceAudit, *, actor: User, reason: str = "") -> ComplianceAudit:
    """Completed → in progress, so that its results may change again: the process
    group only, with a reason (in history). Completing it again recomputes the score."""
    return ComplianceAudit.workflow.run(
        audit, "reopen", actor=actor, reason=reason, extra={"performed_date": None}
    )


def score_of(audit: ComplianceAudit) -> Any:
    """The audit's score, from the item counts kept on it (``lessons.compliance_counts``)."""
    counts = ComplianceAudit.objects.filter(pk=audit.pk).values(
        "compliant_items", non_compliant=compliance_counts.NON_COMPLIANT_ITEMS
    )
    row = counts.get()
    return compliance_score(row["compliant_items"], row["non_compliant"])


def refresh_score(audit: ComplianceAudit) -> None:
    """The score is derived from the items: stored for lists and trends."""
    audit.score = score_of(audit)
    ComplianceAudit.objects.filter(pk=audit.pk).update(score=audit.score)


# --- checklist ---------------------------------------------------------------


def checklist_deployments(audit: ComplianceAudit) -> list[ProjectDeployment]:
    """The project's deployed asset versions an audit checks (none for an audit of the
    organization's own process). Waived deployments are left out; a tailored one stays,
    with its approved tailorings prefetched (``approved_tailorings``): the tailored
    process is what is audited (SP 3.2), not a gap in the checklist."""
    if audit.project_id is None:
        return []
    approved = TailoringRecord.objects.filter(state=TailoringRecord.State.APPROVED).order_by("pk")
    return list(
        ProjectDeployment.objects.filter(project_id=audit.project_id)
        .exclude(state=ProjectDeployment.State.WAIVED)
        .select_related("asset_version__asset")
        .prefetch_related(Prefetch("tailorings", approved, to_attr="approved_tailorings"))
        .order_by("asset_version__asset__name", "pk")
    )


def tailored_checks(tailorings: list[TailoringRecord]) -> str:
    """What an item checks on a tailored process: what the project does instead and
    why, each approved tailoring cited."""
    return "\n".join(
        _("Tailored (approved, #%(pk)s): %(what)s. Why: %(why)s")
        % {"pk": t.pk, "what": t.what, "why": t.why}
        for t in tailorings
    )


@transaction.atomic
def audit_build_checklist(
    audit: ComplianceAudit, *, actor: User, work_products: Iterable[str] = ()
) -> list[AuditItem]:
    """Add one item per deployed asset version (a tailored one checked against its
    approved tailoring) and one per work product named; items already on the checklist
    are kept, never duplicated."""
    check(actor, "change", audit)
    if audit.state not in (ComplianceAudit.State.PLANNED, ComplianceAudit.State.IN_PROGRESS):
        raise TransitionRefused(_("The checklist of a finished audit does not change."))
    existing = list(audit.items.values_list("asset_version_id", "work_product"))
    versions = {v for v, _w in existing if v}
    products = {w.strip().lower() for _v, w in existing if w}
    new: list[AuditItem] = []
    for deployment in checklist_deployments(audit):
        if deployment.asset_version_id not in versions:
            versions.add(deployment.asset_version_id)
            tailorings = deployment.approved_tailorings  # type: ignore[attr-defined]
            new.append(
                AuditItem(
                    audit=audit,
                    deployment=deployment,
                    asset_version=deployment.asset_version,
                    tailoring=tailorings[-1] if tailorings else None,
                    checks=tailored_checks(tailorings),
                )
            )
    for raw in work_products:
        text = raw.strip()[:200]
        if text and text.lower() not in products:
            products.add(text.lower())
            new.append(AuditItem(audit=audit, work_product=text))
    # Whoever may change the audit builds its checklist (the auditor included).
    for item in new:
        item.full_clean()
        guard_write(item, expected=None)  # a new item of a locked audit is refused
        attribute_change(item, actor, _("Checklist built"))
        item.save()
    return new


# --- results -----------------------------------------------------------------


@transaction.atomic
def audit_item_record(
    item: AuditItem,
    *,
    result: str,
    evidence: str,
    actor: User,
    raise_non_compliance: bool = False,
    severity: str = NonCompliance.Severity.MINOR,
) -> AuditItem:
    """Record one item's result (the audit must be in progress); a non-compliant
    item may raise its non-compliance in the same step."""
    check(actor, "change", item)
    audit = item.audit
    if audit.state != ComplianceAudit.State.IN_PROGRESS:
        raise TransitionRefused(_("Results are recorded while the audit is in progress."))
    if result not in Result.values:
        raise ValidationError({"result": _("Choose a result.")})
    item.result = result
    item.evidence = evidence.strip()
    save_object(item, actor=actor)
    refresh_score(audit)
    if raise_non_compliance and result == Result.NON_COMPLIANT:
        non_compliance_raise(item, actor=actor, severity=severity)
    return item


@transaction.atomic
def non_compliance_raise(
    item: AuditItem,
    *,
    actor: User,
    severity: str = NonCompliance.Severity.MINOR,
    due_date: date | None = None,
    today: date | None = None,
) -> NonCompliance:
    """The non-compliance of a non-compliant item (once per item); its owner is the
    project's manager. Then checks whether the asset's problem recurs."""
    check(actor, "change", item)
    if item.result != Result.NON_COMPLIANT:
        raise ValidationError(_("Only a non-compliant item raises a non-compliance."))
    existing = NonCompliance.objects.filter(item=item).first()
    if existing is not None:
        return existing
    audit = item.audit
    version = item.asset_version
    today = today or timezone.localdate()
    nc = NonCompliance(
        title=(_("Not followed: %(item)s") % {"item": item.name})[:200],
        description=item.evidence,
        audit=audit,
        item=item,
        project_id=audit.project_id,
        asset_id=version.asset_id if version else None,
        severity=severity,
        due_date=due_date or today + timedelta(days=30),
        opened_on=today,
    )
    nc.full_clean()
    attribute_change(nc, actor, _("Raised by the audit"))
    nc.save()
    notices.non_compliance_saved(nc, actor)
    if nc.asset_id:
        check_recurrence(nc.asset_id, actor=actor, today=today)
    return nc


# --- non-compliance lifecycle ------------------------------------------------


@transaction.atomic
def non_compliance_start_correction(
    nc: NonCompliance, *, actor: User, reason: str = ""
) -> NonCompliance:
    missing = []
    if nc.owner_id is None:
        missing.append(_("an owner"))
    if nc.due_date is None:
        missing.append(_("a due date"))
    if not nc.corrective_action.strip():
        missing.append(_("the corrective action"))
    if not nc.root_cause_category:
        missing.append(_("the root cause"))
    if nc.severity != NonCompliance.Severity.MINOR and not nc.five_whys.strip():
        missing.append(_("the five whys (major and critical non-compliances)"))
    if missing:
        raise TransitionRefused(
            _("Before the correction starts, give %(missing)s.") % {"missing": ", ".join(missing)}
        )
    return NonCompliance.workflow.run(nc, "start_correction", actor=actor, reason=reason)


@transaction.atomic
def non_compliance_verify(nc: NonCompliance, *, actor: User, reason: str = "") -> NonCompliance:
    """The reason is the verification note: what was checked, and how."""
    return NonCompliance.workflow.run(
        nc, "verify", actor=actor, reason=reason, extra={"verification_note": reason.strip()}
    )


@transaction.atomic
def non_compliance_close(nc: NonCompliance, *, actor: User, reason: str = "") -> NonCompliance:
    if not nc.verification_note.strip():
        raise TransitionRefused(_("Verify the correction before closing."))
    return NonCompliance.workflow.run(
        nc, "close", actor=actor, reason=reason, extra={"closed_on": timezone.localdate()}
    )


@transaction.atomic
def non_compliance_reopen(nc: NonCompliance, *, actor: User, reason: str = "") -> NonCompliance:
    return NonCompliance.workflow.run(
        nc, "reopen", actor=actor, reason=reason, extra={"verification_note": ""}
    )


# --- recurrence --------------------------------------------------------------


def recurrence_rule() -> RecurrenceRule:
    """The rule in force: the first one stored, or the defaults (3 projects, 6 months)."""
    return RecurrenceRule.objects.order_by("pk").first() or RecurrenceRule(name="default")


def _months_before(day: date, months: int) -> date:
    month = day.month - months
    year = day.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    return date(year, month, min(day.day, 28))


@transaction.atomic
def check_recurrence(
    asset_id: int, *, actor: User | None = None, today: date | None = None
) -> ImprovementProposal | None:
    """Non-compliances against one asset in at least N distinct projects within M
    months point at the asset, not the projects: raise (once) a proposal against
    the asset linked to them. Later ones join the proposal while it is open."""
    rule = recurrence_rule()
    if not rule.active:
        return None
    today = today or timezone.localdate()
    linked = ImprovementProposal.non_compliances.through.objects.filter(
        improvementproposal__source=ImprovementProposal.Source.RECURRENCE
    ).values("noncompliance_id")
    recent = list(
        NonCompliance.objects.filter(
            asset_id=asset_id, opened_on__gte=_months_before(today, rule.months)
        )
        .exclude(pk__in=linked)
        .select_related("asset")
    )
    if not recent:
        return None
    open_proposal = (
        ImprovementProposal.objects.select_for_update()
        .filter(
            asset_id=asset_id,
            source=ImprovementProposal.Source.RECURRENCE,
            state=ImprovementProposal.State.SUBMITTED,
        )
        .first()
    )
    if open_proposal is not None:
        open_proposal.non_compliances.add(*recent)
        return open_proposal
    projects = {nc.project_id for nc in recent}
    if len(projects) < rule.min_projects:
        return None
    asset = recent[0].asset
    proposal = ImprovementProposal(
        title=(_("Recurring non-compliances: %(asset)s") % {"asset": asset})[:200],
        asset=asset,
        problem=_(
            "%(count)d non-compliances against this asset in %(projects)d projects within "
            "%(months)d months: the asset itself may be hard to follow or wrong."
        )
        % {"count": len(recent), "projects": len(projects), "months": rule.months},
        proposed_change=_("Review the asset with the projects concerned and revise it."),
        source=ImprovementProposal.Source.RECURRENCE,
    )
    proposal.full_clean()
    attribute_change(
        proposal,
        actor if actor is not None and actor.pk else None,
        _("Raised by the recurrence rule"),
    )
    proposal.save()
    proposal.non_compliances.set(recent)
    return proposal
