"""Appraisals (SP 1.2): scope, team, dates and their lifecycle.

An appraisal's team (its lead appraiser and members) owns its findings,
characterizations, evidence, recommendations and ratings (``TeamOwned``):
``OWNER_PATH`` reaches the team through a many-to-many, so ``is_owned_by`` is
answered here (``opf.core.permissions.restrict`` filters on the same path in SQL).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appraisals.models.qualification import QUALIFICATION_RULE, LeadAppraiserQualification
from opf.core.archive import ArchivableModel
from opf.core.history import ChangeHistory
from opf.core.models import DomainModel
from opf.core.roles import APPRAISER, EXECUTIVE, PROCESS_GROUP
from opf.core.versioning import LockableMixin
from opf.core.workflow import Transition, Workflow
from opf.organization.models import OrgUnit, Project
from opf.reference.models import ProcessArea, ReferenceModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


class TeamOwned(LockableMixin, DomainModel):
    """A record of one appraisal; its team may change it while the appraisal is
    not closed (locked with it)."""

    OWNER_PATH = "appraisal__team"
    LOCK_PARENT = "appraisal"

    appraisal_id: int | None  # every subclass has the appraisal foreign key

    class Meta:
        abstract = True

    def is_owned_by(self, user: User | AnonymousUser) -> bool:
        appraisal = getattr(self, "appraisal", None) if self.appraisal_id else None
        return appraisal is not None and appraisal.is_owned_by(user)


def _newly_chosen(chosen: int | None, stored: int | None, candidates: QuerySet[User]) -> bool:
    """Is ``chosen`` a new choice (not the stored one) outside ``candidates``?"""
    if chosen is None or chosen == stored:
        return False
    return not candidates.filter(pk=chosen).exists()


class Appraisal(LockableMixin, ArchivableModel, DomainModel):
    """Closed, an appraisal is locked with everything in it (results, team,
    scope) until it is reopened (``services.may_reopen``)."""

    class Method(models.TextChoices):
        SCAMPI_A = "scampi_a", _("SCAMPI A")
        SCAMPI_B = "scampi_b", _("SCAMPI B")
        SCAMPI_C = "scampi_c", _("SCAMPI C")
        GAP_ANALYSIS = "gap_analysis", _("Gap analysis")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        FINDINGS_DELIVERED = "findings_delivered", _("Findings delivered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    OWNER_PATH = "team"
    LOCKED_STATES = (State.CLOSED,)
    LOCKED_HINT = _(
        "Its lead appraiser may reopen it, giving a reason (for a class that does not rate, "
        "the process group too)."
    )

    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=20, choices=Method.choices)
    reference_model = models.ForeignKey(
        ReferenceModel,
        verbose_name=_("reference model"),
        on_delete=models.PROTECT,
        related_name="appraisals",
    )
    org_units = models.ManyToManyField(
        OrgUnit, verbose_name=_("org units in scope"), blank=True, related_name="appraisals"
    )
    projects = models.ManyToManyField(
        Project, verbose_name=_("projects in scope"), blank=True, related_name="appraisals"
    )
    process_areas = models.ManyToManyField(
        ProcessArea,
        verbose_name=_("process areas in scope"),
        blank=True,
        related_name="appraisals",
    )
    initiative = models.ForeignKey(
        "opf.Initiative",
        verbose_name=_("initiative"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="appraisals",
    )
    sponsor = models.ForeignKey(
        "opf.User",
        verbose_name=_("sponsor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sponsored_appraisals",
    )
    lead_appraiser = models.ForeignKey(
        "opf.User",
        verbose_name=_("lead appraiser"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="led_appraisals",
    )
    team = models.ManyToManyField(
        "opf.User",
        verbose_name=_("team"),
        blank=True,
        related_name="appraisal_teams",
        help_text=_("The lead appraiser is always on the team."),
    )
    planned_start = models.DateField(_("planned start"), null=True, blank=True)
    planned_end = models.DateField(_("planned end"), null=True, blank=True)
    actual_start = models.DateField(_("actual start"), null=True, blank=True, editable=False)
    actual_end = models.DateField(_("actual end"), null=True, blank=True, editable=False)
    resources = models.TextField(_("resources"), blank=True)
    logistics = models.TextField(_("logistics"), blank=True)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous appraisal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="followups",
        editable=False,
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNED, editable=False
    )

    history = ChangeHistory(m2m_fields=["org_units", "projects", "process_areas", "team"])
    workflow = Workflow(
        Transition(
            "schedule",
            _("Schedule"),
            source=[State.PLANNED],
            target=State.SCHEDULED,
            style="primary",
        ),
        Transition(
            "start", _("Start"), source=[State.SCHEDULED], target=State.IN_PROGRESS, style="primary"
        ),
        Transition(
            "deliver",
            _("Deliver findings"),
            source=[State.IN_PROGRESS],
            target=State.FINDINGS_DELIVERED,
            style="primary",
        ),
        Transition(
            "close",
            _("Close"),
            source=[State.FINDINGS_DELIVERED],
            target=State.CLOSED,
            style="primary",
        ),
        Transition(
            "cancel",
            _("Cancel"),
            source=[State.PLANNED, State.SCHEDULED, State.IN_PROGRESS],
            target=State.CANCELLED,
            reason_required=True,
            style="danger",
        ),
        Transition(
            "reopen",
            _("Reopen"),
            source=[State.CLOSED],
            target=State.IN_PROGRESS,
            reason_required=True,  # who may: services.may_reopen
            style="danger",
        ),
    )

    class Meta:
        verbose_name = _("appraisal")
        verbose_name_plural = _("appraisals")
        ordering = ["-planned_start", "-pk"]
        indexes = [
            models.Index(fields=["state"]),
            # The default ordering; findings lists sort through it too (bench EXPLAIN).
            models.Index(fields=["-planned_start", "-id"], name="appraisal_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_end__isnull=True)
                | Q(planned_start__isnull=True)
                | Q(planned_end__gte=models.F("planned_start")),
                name="appraisal_end_after_start",
                violation_error_message=_("The planned end cannot be before the planned start."),
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def conducting(self) -> bool:
        """Findings, characterizations and evidence are recorded now."""
        return self.state == self.State.IN_PROGRESS

    def clean(self) -> None:
        errors: dict[str, Any] = self.people_errors()
        if self.planned_start and self.planned_end and self.planned_end < self.planned_start:
            errors["planned_end"] = _("The planned end cannot be before the planned start.")
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def sponsor_candidates() -> QuerySet[User]:
        """Who may sponsor an appraisal: an active executive (the form's choices too)."""
        from opf.core.accounts import User

        return User.objects.filter(is_active=True, groups__name=EXECUTIVE.group)

    @staticmethod
    def lead_candidates() -> QuerySet[User]:
        """Who may lead an appraisal: an active appraiser or process-group member."""
        from opf.core.accounts import User

        groups = [APPRAISER.group, PROCESS_GROUP.group]
        return User.objects.filter(is_active=True, groups__name__in=groups).distinct()

    def people_errors(self) -> dict[str, Any]:
        """The sponsor must be an executive and the lead an appraiser (or of the
        process group), checked when chosen (a stored choice stays valid if the
        person later changes roles). Pages and the API both reach it through
        ``full_clean``."""
        names = ("sponsor_id", "lead_appraiser_id")
        rows = type(self)._base_manager.filter(pk=self.pk).values_list(*names)
        stored = rows.first() if self.pk is not None else None
        before = dict(zip(names, stored or (None, None), strict=True))
        errors: dict[str, Any] = {}
        if _newly_chosen(self.sponsor_id, before.get("sponsor_id"), self.sponsor_candidates()):
            errors["sponsor"] = _("The sponsor must be an active executive.")
        if _newly_chosen(
            self.lead_appraiser_id, before.get("lead_appraiser_id"), self.lead_candidates()
        ):
            errors["lead_appraiser"] = _(
                "The lead appraiser must be an active appraiser or process-group member."
            )
        elif self.lead_appraiser_id is not None and self._lead_or_dates_changed(before):
            unqualified = self.qualification_error()
            if unqualified:
                errors["lead_appraiser"] = unqualified
        return errors

    def _lead_or_dates_changed(self, before: dict[str, Any]) -> bool:
        if self.pk is None or self.lead_appraiser_id != before.get("lead_appraiser_id"):
            return True
        stored = (
            type(self)._base_manager.filter(pk=self.pk).values_list("planned_start", "planned_end")
        )
        return stored.first() != (self.planned_start, self.planned_end)

    def qualification_error(self) -> str:
        """``QUALIFICATION_RULE`` on the lead and the planned dates ("" when it holds).
        An appraisal without dates is checked on today."""
        today = timezone.localdate()
        first = self.planned_start or self.planned_end or today
        last = self.planned_end or first
        valid = LeadAppraiserQualification.valid_between(first, last)
        if valid.filter(person_id=self.lead_appraiser_id).exists():
            return ""
        return str(
            _("%(rule)s No valid certificate from %(first)s to %(last)s.")
            % {"rule": QUALIFICATION_RULE, "first": first, "last": last}
        )

    def is_owned_by(self, user: User | AnonymousUser) -> bool:
        if not user.is_authenticated or self.pk is None:
            return False
        if self.lead_appraiser_id == user.pk:
            return True
        cache = getattr(self, "_prefetched_objects_cache", {})
        if "team" in cache:
            return any(member.pk == user.pk for member in cache["team"])
        return self.team.filter(pk=user.pk).exists()
