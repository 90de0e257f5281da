"""Process-compliance audits (SP 3.3): checklist items, scores, non-compliances."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from opf.core.archive import ArchivableModel
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.versioning import LockableMixin
from opf.core.workflow import Transition, Workflow


class ComplianceAudit(LockableMixin, ArchivableModel, DomainModel):
    """One audit of one project's use of its deployed assets, or, without a project, of
    the organization's own process (the process group's: OPF, OPD), naming the process
    areas it audits. Completed, it is locked with its items, results and score until
    the process group reopens it. A completed audit is the evidence of GP 2.9
    (objectively evaluate adherence) for the process areas it audited."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    OWNER_PATH = "auditor"
    LOCKED_STATES = (State.COMPLETED,)
    LOCKED_HINT = _("The process group may reopen it, giving a reason.")

    project = models.ForeignKey(
        "opf.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="audits",
        help_text=_(
            "Leave empty to audit the organization's own process (the process group's); "
            "then name the process areas it audits."
        ),
    )
    process_areas = models.ManyToManyField(
        "opf.ProcessArea",
        verbose_name=_("processes audited"),
        blank=True,
        related_name="compliance_audits",
        help_text=_(
            "The process areas this audit evaluates (required without a project); the "
            "areas of the checked asset versions count too."
        ),
    )
    auditor = models.ForeignKey(
        "opf.User",
        verbose_name=_("auditor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="compliance_audits",
    )
    planned_date = models.DateField(_("planned date"))
    performed_date = models.DateField(_("performed on"), null=True, blank=True, editable=False)
    scope = models.TextField(
        _("scope and notes"), blank=True, help_text=_("What is audited, and anything to know.")
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNED, editable=False
    )
    score = models.DecimalField(
        _("score %"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        editable=False,
        help_text=_(
            "Compliant items / (compliant + non-compliant); not-applicable items excluded."
        ),
    )

    # Its items counted (``lessons.compliance_counts``, which keeps them on every write
    # of an item or of the non-compliance raised on one): the compliance figures add
    # these up, one row per audit, instead of reading every item. Non-compliant items
    # are counted by the severity of their non-compliance (none raised: minor).
    compliant_items = models.PositiveIntegerField(
        _("compliant items"), default=0, db_default=0, editable=False
    )
    minor_items = models.PositiveIntegerField(
        _("non-compliant items, minor"), default=0, db_default=0, editable=False
    )
    major_items = models.PositiveIntegerField(
        _("non-compliant items, major"), default=0, db_default=0, editable=False
    )
    critical_items = models.PositiveIntegerField(
        _("non-compliant items, critical"), default=0, db_default=0, editable=False
    )
    ITEM_COUNTS = ("compliant_items", "minor_items", "major_items", "critical_items")

    history = ChangeHistory(excluded_fields=["version", *ITEM_COUNTS], m2m_fields=["process_areas"])
    workflow = Workflow(
        Transition(
            "start", _("Start"), source=[State.PLANNED], target=State.IN_PROGRESS, style="primary"
        ),
        Transition(
            "complete",
            _("Complete"),
            source=[State.IN_PROGRESS],
            target=State.COMPLETED,
            style="primary",
        ),
        Transition(
            "cancel",
            _("Cancel"),
            source=[State.PLANNED, State.IN_PROGRESS],
            target=State.CANCELLED,
            reason_required=True,
            style="danger",
        ),
        Transition(
            "reopen",
            _("Reopen"),
            source=[State.COMPLETED],
            target=State.IN_PROGRESS,
            action="delete",  # the process group
            reason_required=True,
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("compliance audit")
        verbose_name_plural = _("compliance audits")
        ordering = ["-planned_date", "-pk"]
        indexes = [
            models.Index(fields=["state"]),
            models.Index(fields=["planned_date"]),
            # newest first: the dashboard's audit evidence reads the newest audits first
            # (opf.core.evidence.first_per_area)
            models.Index(fields=["-performed_date", "-id"], name="lessons_audit_newest"),
        ]

    NAME_JOINS = ("project",)  # what __str__ reads

    def __str__(self) -> str:
        where = self.project if self.project_id else _("Organization process")
        return f"{where} – {self.planned_date}"

    @property
    def name(self) -> str:
        return str(self)

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Saving an audit never writes its item counts: they are kept from the items
        (``lessons.compliance_counts``), and an instance read before an item changed
        would write its old counts back."""
        if (
            not self._state.adding
            and kwargs.get("update_fields") is None
            and not kwargs.get("force_insert")
        ):
            kwargs["update_fields"] = [
                f.name
                for f in self._meta.concrete_fields
                if not f.primary_key and f.name not in self.ITEM_COUNTS
            ]
        super().save(*args, **kwargs)


def compliance_score(compliant: int, non_compliant: int) -> Decimal | None:
    """Percentage of compliant among judged items (N/A and pending excluded)."""
    judged = compliant + non_compliant
    if judged == 0:
        return None
    return (Decimal(100) * compliant / judged).quantize(Decimal("0.1"))


class AuditItem(LockableMixin, DomainModel):
    """One checklist line: a deployed asset version, or a work product reviewed
    (locked with its audit)."""

    class Result(models.TextChoices):
        PENDING = "pending", _("Pending")
        COMPLIANT = "compliant", _("Compliant")
        NON_COMPLIANT = "non_compliant", _("Non-compliant")
        NOT_APPLICABLE = "not_applicable", _("Not applicable")

    OWNER_PATH = "audit__auditor"
    LOCK_PARENT = "audit"

    audit = models.ForeignKey(
        ComplianceAudit, verbose_name=_("audit"), on_delete=models.CASCADE, related_name="items"
    )
    deployment = models.ForeignKey(
        "deployment.ProjectDeployment",
        verbose_name=_("deployment"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_items",
    )
    asset_version = models.ForeignKey(
        "deployment.AssetVersion",
        verbose_name=_("asset version"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_items",
    )
    work_product = models.CharField(
        _("work product"),
        max_length=200,
        blank=True,
        help_text=_("A work product reviewed, when the item is not a deployed asset."),
    )
    tailoring = models.ForeignKey(
        "deployment.TailoringRecord",
        verbose_name=_("tailoring audited"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        editable=False,
        related_name="audit_items",
        help_text=_("The approved tailoring this item checks: the tailored process is audited."),
    )
    checks = models.TextField(
        _("what is checked"),
        blank=True,
        editable=False,
        help_text=_("For a tailored process: what the project does instead, as approved."),
    )
    result = models.CharField(
        _("result"), max_length=20, choices=Result.choices, default=Result.PENDING
    )
    evidence = models.TextField(_("evidence"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("audit item")
        verbose_name_plural = _("audit items")
        ordering = ["audit", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["audit", "asset_version"],
                name="unique_audit_item_version",
                violation_error_message=_("This audit already checks this asset version."),
            )
        ]

    NAME_JOINS = ("asset_version__asset",)  # what __str__ (its name) reads

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        if self.asset_version_id:
            if self.tailoring_id:
                return str(_("%(version)s, as tailored") % {"version": self.asset_version})
            return str(self.asset_version)
        return self.work_product

    def clean(self) -> None:
        if not self.asset_version_id and not self.work_product.strip():
            raise ValidationError(
                {"work_product": _("Name the work product reviewed, or choose an asset version.")}
            )
        if self.result == self.Result.NON_COMPLIANT and not self.evidence.strip():
            raise ValidationError({"evidence": _("Say what was found: evidence is required.")})


class NonCompliance(LockableMixin, ArchivableModel, DomainModel):
    """What an audit found not followed; the project's manager answers it.
    Verified or closed, it is locked until reopened (with a reason)."""

    class Severity(models.TextChoices):
        MINOR = "minor", _("Minor")
        MAJOR = "major", _("Major")
        CRITICAL = "critical", _("Critical")

    class RootCause(models.TextChoices):
        ASSET_DEFECT = "asset_defect", _("Asset defect (the process itself)")
        EXECUTION = "execution", _("Execution (the process was not followed)")
        TRAINING = "training", _("Training")
        TOOLS = "tools", _("Tools or environment")
        RESOURCES = "resources", _("Resources or schedule")
        COMMUNICATION = "communication", _("Communication")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        IN_CORRECTION = "in_correction", _("In correction")
        VERIFIED = "verified", _("Verified")
        CLOSED = "closed", _("Closed")

    OPEN_STATES = (State.OPEN, State.IN_CORRECTION)
    LOCKED_STATES = (State.VERIFIED, State.CLOSED)
    LOCKED_HINT = _("Whoever verifies non-compliances may reopen it, giving a reason.")
    OWNER_PATH = "project__manager"

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    audit = models.ForeignKey(
        ComplianceAudit,
        verbose_name=_("audit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="non_compliances",
    )
    item = models.OneToOneField(
        AuditItem,
        verbose_name=_("audit item"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="non_compliance",
    )
    project = models.ForeignKey(
        "opf.Project",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="non_compliances",
        help_text=_("Empty for a finding on the organization's own process."),
    )
    asset = models.ForeignKey(
        "deployment.ProcessAsset",
        verbose_name=_("asset"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="non_compliances",
    )
    severity = models.CharField(
        _("severity"), max_length=10, choices=Severity.choices, default=Severity.MINOR
    )
    owner = models.ForeignKey(
        "opf.User",
        verbose_name=_("owner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="owned_non_compliances",
        help_text=_("Left empty: the project's manager."),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    corrective_action = models.TextField(_("corrective action"), blank=True)
    proposed_due_date = models.DateField(
        _("proposed due date"),
        null=True,
        blank=True,
        help_text=_("The project's answer: when the correction will be done."),
    )
    evidence = models.TextField(
        _("evidence of correction"),
        blank=True,
        help_text=_("What shows the correction was made (documents, links, records)."),
    )
    root_cause_category = models.CharField(
        _("root cause"), max_length=20, choices=RootCause.choices, blank=True
    )
    five_whys = models.TextField(
        _("five whys"),
        blank=True,
        help_text=_("Why did it happen? Ask “why” again of each answer (GP 5.2)."),
    )
    verification_note = models.TextField(_("verification"), blank=True, editable=False)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.OPEN, editable=False
    )
    opened_on = models.DateField(_("opened on"), default=timezone.localdate, editable=False)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])
    workflow = Workflow(
        Transition(
            "start_correction",
            _("Start correction"),
            source=[State.OPEN],
            target=State.IN_CORRECTION,
            style="primary",
        ),
        Transition(
            "verify",
            _("Verify"),
            source=[State.IN_CORRECTION],
            target=State.VERIFIED,
            action="verify",
            reason_required=True,
            style="primary",
        ),
        Transition(
            "close", _("Close"), source=[State.VERIFIED], target=State.CLOSED, action="verify"
        ),
        Transition(
            "reopen",
            _("Reopen"),
            source=[State.IN_CORRECTION, State.VERIFIED, State.CLOSED],
            target=State.OPEN,
            action="verify",
            reason_required=True,
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("non-compliance")
        verbose_name_plural = _("non-compliances")
        ordering = ["-opened_on", "-pk"]
        indexes = [
            models.Index(fields=["state"]),
            models.Index(fields=["due_date"]),
            # the lists' page of live rows in their usual order (and its COUNT)
            models.Index(
                fields=["-opened_on", "-id"],
                condition=Q(archived_at__isnull=True),
                name="lessons_nc_live_by_opened",
            ),
        ]
        permissions = [("verify_noncompliance", "Can verify and close non-compliance")]

    def __str__(self) -> str:
        return self.title

    @property
    def name(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN_STATES

    @property
    def overdue(self) -> bool:
        return bool(self.is_open and self.due_date and self.due_date < timezone.localdate())

    @property
    def age_days(self) -> int:
        end = self.closed_on or timezone.localdate()
        return (end - self.opened_on).days

    def clean(self) -> None:
        if self.owner_id is None and self.project is not None:
            self.owner_id = self.project.manager_id
        if self.project_id and self.audit is not None and self.audit.project_id != self.project_id:
            raise ValidationError({"project": _("The project must be the audited project.")})


class RecurrenceRule(DomainModel):
    """When non-compliances against one asset recur in this many distinct projects
    within this many months, the asset itself gets an improvement proposal.

    The process group edits the rule on its page; the first rule is the one used
    (none: the defaults, 3 projects in 6 months)."""

    DEFAULT_PROJECTS = 3
    DEFAULT_MONTHS = 6

    name = models.CharField(_("name"), max_length=100)
    min_projects = models.PositiveSmallIntegerField(
        _("distinct projects"),
        default=DEFAULT_PROJECTS,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
    )
    months = models.PositiveSmallIntegerField(
        _("within months"),
        default=DEFAULT_MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recurrence rule")
        verbose_name_plural = _("recurrence rules")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.name
