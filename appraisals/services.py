"""Writes of SG 1 (needs, appraisals and their results), used by pages, API and demo."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisals import method, notices, queries
from appraisals.models import (
    Appraisal,
    Characterization,
    Evidence,
    Finding,
    FindingFeedback,
    GoalRating,
    PracticeCharacterization,
    ProcessNeed,
    Rating,
)
from opf.core.csvimport import CsvImport, ImportPreview, ImportRow
from opf.core.csvimport import ImportFailed as ImportFailed  # the pages catch services.ImportFailed
from opf.core.errors import TransitionRefused
from opf.core.history import attribute_change
from opf.core.permissions import can, perm_name, scope
from opf.core.roles import ALL
from opf.core.services import save_object
from opf.core.versioning import ensure_mutable
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Practice, ReferenceModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User

# --- process needs ---------------------------------------------------------


@transaction.atomic
def need_retire(need: ProcessNeed, *, actor: User, reason: str = "") -> ProcessNeed:
    return ProcessNeed.workflow.run(need, "retire", actor=actor, reason=reason)


@transaction.atomic
def need_reactivate(need: ProcessNeed, *, actor: User, reason: str = "") -> ProcessNeed:
    return ProcessNeed.workflow.run(need, "reactivate", actor=actor, reason=reason)


# --- appraisal lifecycle -----------------------------------------------------


def _locked(appraisal: Appraisal, name: str, actor: User, reason: str) -> Appraisal:
    """Refuse as the workflow would (state, permission) before the step's own guards
    run, then re-read the appraisal under a row lock so the guards see committed data."""
    transition = Appraisal.workflow[name]
    if appraisal.state not in transition.source or not can(actor, transition.action, appraisal):
        Appraisal.workflow.run(appraisal, name, actor=actor, reason=reason)  # raises the refusal
    return Appraisal.objects.select_for_update().get(pk=appraisal.pk)


@transaction.atomic
def appraisal_schedule(appraisal: Appraisal, *, actor: User, reason: str = "") -> Appraisal:
    current = _locked(appraisal, "schedule", actor, reason)
    if not (current.planned_start and current.planned_end):
        raise TransitionRefused(_("Set the planned start and end dates before scheduling."))
    Appraisal.workflow.run(appraisal, "schedule", actor=actor, reason=reason)
    notices.team_changed(appraisal, actor)
    return appraisal


@transaction.atomic
def appraisal_start(appraisal: Appraisal, *, actor: User, reason: str = "") -> Appraisal:
    current = _locked(appraisal, "start", actor, reason)
    if current.lead_appraiser_id is None:
        raise TransitionRefused(_("Name a lead appraiser before starting the appraisal."))
    if not current.team.exclude(pk=current.lead_appraiser_id).exists():
        raise TransitionRefused(_("The team needs at least one member besides the lead."))
    if not current.process_areas.exists():
        raise TransitionRefused(_("Put at least one process area in scope before starting."))
    if not (current.org_units.exists() or current.projects.exists()):
        raise TransitionRefused(_("Put at least one org unit or project in scope before starting."))
    Appraisal.workflow.run(
        appraisal,
        "start",
        actor=actor,
        reason=reason,
        extra={"actual_start": timezone.localdate()},
    )
    notices.team_changed(appraisal, actor)
    return appraisal


@transaction.atomic
def appraisal_deliver(appraisal: Appraisal, *, actor: User, reason: str = "") -> Appraisal:
    current = _locked(appraisal, "deliver", actor, reason)
    if not current.findings.exists():
        raise TransitionRefused(_("Record at least one finding before delivering findings."))
    refusal = validation_refusal(current)
    if refusal:
        raise TransitionRefused(refusal)
    moved = Appraisal.workflow.run(appraisal, "deliver", actor=actor, reason=reason)
    ratings_refresh(moved)
    notices.findings_delivered(moved, actor)
    return moved


def validation_refusal(
    appraisal: Appraisal, feedback: Sequence[FindingFeedback] | None = None
) -> str:
    """Why a Class A appraisal may not deliver its final findings yet
    (``method.VALIDATION_RULE``); "" when it may. Other classes are not held.
    ``feedback``: the appraisal's feedback when the caller has read it already."""
    if not method.rates(appraisal.method):
        return ""
    if feedback is None:
        feedback = list(FindingFeedback.objects.filter(appraisal=appraisal))
    if not feedback:
        return str(
            _(
                "Validate the preliminary findings with the participants first: record a "
                "validation session and their feedback. %(rule)s"
            )
            % {"rule": method.VALIDATION_RULE}
        )
    open_ones = sum(1 for item in feedback if item.open_disagreement)
    if open_ones:
        return str(
            _(
                "%(count)d disagreement(s) from the validation are not resolved: revise the "
                "finding or say why it stands. %(rule)s"
            )
            % {"count": open_ones, "rule": method.VALIDATION_RULE}
        )
    return ""


@transaction.atomic
def appraisal_close(appraisal: Appraisal, *, actor: User, reason: str = "") -> Appraisal:
    current = _locked(appraisal, "close", actor, reason)
    ratings_refresh(current)
    missing = queries.unconfirmed_ratings(current) if method.rates(current.method) else []
    if missing:
        raise TransitionRefused(
            _("Confirm every rating before closing; %(count)d not confirmed: %(which)s.")
            % {"count": len(missing), "which": ", ".join(missing[:5])}
        )
    return Appraisal.workflow.run(
        appraisal,
        "close",
        actor=actor,
        reason=reason,
        extra={"actual_end": timezone.localdate()},
    )


@transaction.atomic
def appraisal_cancel(appraisal: Appraisal, *, actor: User, reason: str = "") -> Appraisal:
    return Appraisal.workflow.run(appraisal, "cancel", actor=actor, reason=reason)


@transaction.atomic
def appraisal_reopen(appraisal: Appraisal, *, actor: User, reason: str = "") -> Appraisal:
    """Closed → in progress, so that its results, team and scope may change again,
    with a reason (in history): ``may_reopen``."""
    if not may_reopen(actor, appraisal):
        raise PermissionDenied(
            _(
                "Only its lead appraiser reopens a closed Class A appraisal (its ratings are "
                "the lead's); another class, the lead appraiser or the process group."
            )
        )
    return Appraisal.workflow.run(
        appraisal, "reopen", actor=actor, reason=reason, extra={"actual_end": None}
    )


def may_reopen(actor: User | AnonymousUser, appraisal: Appraisal) -> bool:
    """The lead appraiser reopens their closed appraisal. A rated (Class A) appraisal's
    ratings are the lead's, so no one else reopens it; another class's the process
    group (who may delete appraisals) may reopen too."""
    if not actor.is_authenticated:
        return False
    if appraisal.lead_appraiser_id == actor.pk:
        return True
    return not method.rates(appraisal.method) and (
        scope(actor, perm_name(Appraisal, "delete")) == ALL
    )


@transaction.atomic
def appraisal_copy(previous: Appraisal, *, actor: User) -> Appraisal:
    """A new planned appraisal with the previous one's scope and team, in one step."""
    copy = Appraisal(
        title=_("%(title)s (follow-up)") % {"title": previous.title},
        method=previous.method,
        reference_model=previous.reference_model,
        sponsor=previous.sponsor,
        lead_appraiser=previous.lead_appraiser,
        resources=previous.resources,
        logistics=previous.logistics,
        previous=previous,
    )
    if copy.lead_appraiser_id and copy.qualification_error():
        copy.lead_appraiser = None  # no longer qualified: the process group names a lead
    save_object(copy, actor=actor, reason=_("Copied from %(title)s") % {"title": previous.title})
    copy.org_units.set(previous.org_units.all())
    copy.projects.set(previous.projects.all())
    copy.process_areas.set(previous.process_areas.all())
    copy.team.set(previous.team.all())
    _carry_over(previous, copy, actor)
    return copy


def _carry_over(previous: Appraisal, copy: Appraisal, actor: User) -> None:
    """The previous appraisal's characterizations and evidence (not archived) start
    the follow-up, marked carried over until the team confirms or changes them."""
    from simple_history.utils import bulk_create_with_history

    reason = _("Carried over from %(title)s") % {"title": previous.title}
    cells = [
        Characterization(
            appraisal=copy,
            practice_id=c.practice_id,
            org_unit_id=c.org_unit_id,
            project_id=c.project_id,
            value=c.value,
            note=c.note,
            carried_over=True,
        )
        for c in Characterization.objects.filter(appraisal=previous)
    ]
    bulk_create_with_history(
        cells, Characterization, default_user=actor, default_change_reason=reason
    )
    for evidence in Evidence.objects.filter(
        appraisal=previous, archived_at__isnull=True
    ).prefetch_related("practices"):
        carried = Evidence(
            appraisal=copy,
            org_unit_id=evidence.org_unit_id,
            project_id=evidence.project_id,
            kind=evidence.kind,
            title=evidence.title,
            link=evidence.link,
            note=evidence.note,
            carried_over=True,
        )
        attribute_change(carried, actor, reason)
        carried.save()
        carried.practices.set(evidence.practices.all())


# --- scope and team ------------------------------------------------------------


def scope_errors(reference_model: ReferenceModel | None, process_areas: Any) -> dict[str, str]:
    """Field errors when in-scope process areas belong to another reference model."""
    if reference_model is None or not process_areas:
        return {}
    foreign = [pa for pa in process_areas if pa.reference_model_id != reference_model.pk]
    if foreign:
        return {
            "process_areas": _("%(areas)s not in %(model)s.")
            % {"areas": ", ".join(pa.abbreviation for pa in foreign), "model": reference_model}
        }
    return {}


def team_with_lead(team: Any, lead: Any) -> list[Any]:
    """The lead appraiser is always on the team."""
    members = list(team or [])
    if lead is not None and all(m.pk != lead.pk for m in members):
        members.append(lead)
    return members


def check_scope_and_team(appraisal: Appraisal | None, values: Mapping[str, Any]) -> dict[str, Any]:
    """An appraisal's scope and team rules, on the ``values`` about to be saved
    (what they leave out is read from ``appraisal``, the stored record if any).

    The process areas in scope must belong to its reference model: a
    ``ValidationError`` on ``process_areas`` if not. The lead appraiser is
    always on the team: when the team or the lead is among ``values``, the
    result holds the team to save (``{"team": [...]}``, the lead added).
    Pages (``AppraisalForm.clean``) and the API (``AppraisalSerializer``) ask this.
    """
    stored = appraisal if appraisal is not None and appraisal.pk is not None else None
    model = values.get("reference_model", getattr(appraisal, "reference_model", None))
    areas = values.get("process_areas")
    if areas is None and stored is not None and "reference_model" in values:
        areas = list(stored.process_areas.all())
    errors = scope_errors(model, areas)
    if errors:
        raise ValidationError(errors)
    if "team" not in values and "lead_appraiser" not in values:
        return {}
    team = values.get("team")
    if team is None and stored is not None:
        team = list(stored.team.all())
    lead = values.get("lead_appraiser", getattr(appraisal, "lead_appraiser", None))
    return {"team": team_with_lead(team, lead)}


# --- conducting --------------------------------------------------------------


def parse_instance(appraisal: Appraisal, key: str) -> dict[str, Any]:
    """``u12`` (org unit 12) or ``p7`` (project 7), checked against the scope."""
    kind, raw = key[:1], key[1:]
    if not raw.isdigit() or kind not in ("u", "p"):
        raise ValidationError(_("Unknown place %(key)s.") % {"key": key})
    if kind == "u":
        unit = OrgUnit.objects.filter(pk=int(raw)).first()
        if unit is None:
            raise ValidationError(_("Unknown place %(key)s.") % {"key": key})
        return {"org_unit": unit, "project": None}
    project = Project.objects.filter(pk=int(raw)).first()
    if project is None:
        raise ValidationError(_("Unknown place %(key)s.") % {"key": key})
    return {"project": project, "org_unit": None}


@transaction.atomic
def characterize(
    *, appraisal: Appraisal, practice: Practice, instance: str, value: str, actor: User
) -> Characterization:
    """Set one cell of the grid (create or change its characterization)."""
    place = parse_instance(appraisal, instance)
    lookup = {"appraisal": appraisal, "practice": practice, **place}
    existing = Characterization.objects.filter(**lookup).first()
    cell = existing or Characterization(**lookup)
    reason = ""
    if cell.carried_over:
        reason = (
            _("Carried over value confirmed")
            if cell.value == value
            else _("Carried over value changed")
        )
    cell.value = value
    cell.carried_over = False  # the team has looked at it
    return save_object(cell, actor=actor, reason=reason)


# --- organizational-unit characterizations (SCAMPI A v1.2, 2.4.2) ----------------


def may_characterize_units(actor: User | AnonymousUser, appraisal: Appraisal) -> bool:
    """The appraisal team (the lead included) confirms unit-level characterizations
    while the appraisal is in progress; the process group, off the team, does not."""
    return (
        actor.is_authenticated
        and appraisal.conducting
        and appraisal.team.filter(pk=actor.pk).exists()
    )


def _store_unit_characterizations(
    appraisal: Appraisal, practices: Mapping[tuple[int, int], str | None]
) -> bool:
    """Store the aggregation's proposal per (practice, org unit). A confirmation that
    took the old proposal as it was is reset when the proposal moves (the team looks
    again); one the team departed from, with a reason, stays. True if any was reset."""
    existing = {
        (pc.practice_id, pc.org_unit_id): pc
        for pc in PracticeCharacterization.objects.filter(appraisal=appraisal)
    }
    reset = False
    for (practice_id, unit_id), value in practices.items():
        proposed = value or ""
        row = existing.get((practice_id, unit_id))
        if row is None:
            PracticeCharacterization.objects.create(
                appraisal=appraisal, practice_id=practice_id, org_unit_id=unit_id, proposed=proposed
            )
            continue
        if row.proposed == proposed:
            continue
        row.proposed = proposed
        if row.value and not row.reason.strip() and row.value != proposed:
            row.value, row.confirmed_by, reset = "", None, True
            attribute_change(row, None, _("Proposal changed: to be confirmed again"))
        else:
            attribute_change(row, None, _("Proposal changed"))
        row.save()
    return reset


@transaction.atomic
def unit_characterizations_propose(
    appraisal: Appraisal, *, actor: User
) -> list[PracticeCharacterization]:
    """The team asks for fresh proposals from the instance characterizations."""
    if not may_characterize_units(actor, appraisal):
        raise PermissionDenied(
            _("The appraisal's team characterizes practices while the appraisal is in progress.")
        )
    ensure_mutable(Appraisal.objects.get(pk=appraisal.pk))
    proposals = queries.rating_proposals_in_full(appraisal)
    _store_unit_characterizations(appraisal, proposals.practices)
    return list(queries.practice_characterizations_of(appraisal))


@transaction.atomic
def unit_characterization_confirm(
    characterization: PracticeCharacterization, *, value: str, reason: str = "", actor: User
) -> PracticeCharacterization:
    """The team confirms the proposed unit value, or another one with a reason."""
    appraisal = characterization.appraisal
    ensure_mutable(Appraisal.objects.get(pk=appraisal.pk))
    if not may_characterize_units(actor, appraisal):
        raise PermissionDenied(
            _("The appraisal's team confirms unit characterizations while it is in progress.")
        )
    current = PracticeCharacterization.objects.select_for_update().get(pk=characterization.pk)
    current.value = value
    current.reason = reason.strip() if method.departs(value, current.proposed) else ""
    current.confirmed_by = actor
    verb = _("Departed from the proposal") if current.departs else _("Confirmed")
    return save_object(current, actor=actor, reason=verb)


# --- ratings -----------------------------------------------------------------


def _check_rates(appraisal: Appraisal) -> None:
    """A class that does not rate refuses every rating step (the API answers 409)."""
    if not method.rates(appraisal.method):
        raise TransitionRefused(
            _("A %(method)s appraisal does not rate. %(rule)s")
            % {"method": appraisal.get_method_display(), "rule": method.CLASS_RULE}
        )


def may_confirm(actor: User | AnonymousUser, appraisal: Appraisal) -> bool:
    """Only the appraisal's lead appraiser, on its team, confirms ratings: not the
    process group, not another team member."""
    return (
        actor.is_authenticated
        and appraisal.lead_appraiser_id == actor.pk
        and appraisal.team.filter(pk=actor.pk).exists()
        and method.rates(appraisal.method)
    )


@transaction.atomic
def ratings_refresh(appraisal: Appraisal) -> list[Rating]:
    """Create a goal rating and an area rating row per in-scope goal / process area and
    org unit and update their proposals. Nothing for a class that does not rate; refused
    once the appraisal is closed (its ratings are locked with it)."""
    stored = Appraisal.objects.get(pk=appraisal.pk)
    if stored.is_locked:
        raise TransitionRefused(stored.locked_reason())
    proposals = queries.rating_proposals_in_full(appraisal)
    if _store_unit_characterizations(appraisal, proposals.practices):
        proposals = queries.rating_proposals_in_full(appraisal)  # a confirmation was reset
    if not method.rates(appraisal.method):
        return []
    if _store_goal_ratings(appraisal, proposals):
        proposals = queries.rating_proposals_in_full(appraisal)  # a judgment was cleared
    existing = {
        (r.process_area_id, r.org_unit_id): r for r in Rating.objects.filter(appraisal=appraisal)
    }
    result = []
    for (area_id, unit_id), proposed in proposals.areas.items():
        rating = existing.get((area_id, unit_id))
        if rating is None:
            rating = Rating.objects.create(
                appraisal=appraisal, process_area_id=area_id, org_unit_id=unit_id, proposed=proposed
            )
        elif rating.proposed != proposed:
            Rating.objects.filter(pk=rating.pk).update(proposed=proposed)
            rating.proposed = proposed
        result.append(rating)
    return result


def ratings_propose(appraisal: Appraisal, *, actor: User) -> list[Rating]:
    """The lead appraiser asks for fresh proposals (``ratings_refresh``)."""
    _check_rates(appraisal)
    if not may_confirm(actor, appraisal):
        raise PermissionDenied(_("Only the appraisal's lead appraiser, on its team, rates."))
    return ratings_refresh(appraisal)


def _store_goal_ratings(appraisal: Appraisal, proposals: queries.Proposals) -> bool:
    """Store each goal's proposal and what its practices allow. A team judgment the
    practices no longer allow (one is now PI, NI or undetermined) is cleared, with
    history: the team judges again (``GOAL_JUDGMENT_RULE``). True if any was cleared."""
    existing = {
        (g.goal_id, g.org_unit_id): g for g in GoalRating.objects.filter(appraisal=appraisal)
    }
    cleared = False
    for key, proposed in proposals.goals.items():
        goal_id, unit_id = key
        allowed = proposals.allowed[key]
        row = existing.get(key)
        if row is None:
            GoalRating.objects.create(
                appraisal=appraisal,
                goal_id=goal_id,
                org_unit_id=unit_id,
                proposed=proposed,
                allowed=allowed,
            )
        elif row.value and not method.judgment_applies(allowed):
            row.proposed, row.allowed = proposed, allowed
            row.value, row.reason, row.judged_by, cleared = "", "", None, True
            attribute_change(row, None, _("Practices changed: to be judged again"))
            row.save()
        elif (row.proposed, row.allowed) != (proposed, allowed):
            GoalRating.objects.filter(pk=row.pk).update(proposed=proposed, allowed=allowed)
    return cleared


def may_judge_goals(actor: User | AnonymousUser, appraisal: Appraisal) -> bool:
    """The appraisal team (the lead included) judges goal satisfaction in a Class A
    appraisal, while it is in progress or its findings are delivered and the ratings
    are still open; the process group, off the team, does not."""
    return (
        actor.is_authenticated
        and method.rates(appraisal.method)
        and appraisal.state in (Appraisal.State.IN_PROGRESS, Appraisal.State.FINDINGS_DELIVERED)
        and appraisal.team.filter(pk=actor.pk).exists()
    )


@transaction.atomic
def goal_judge(goal_rating: GoalRating, *, value: str, reason: str = "", actor: User) -> GoalRating:
    """The team's judgment of one goal (``GOAL_JUDGMENT_RULE``); the area proposals
    follow at once."""
    appraisal = goal_rating.appraisal
    _check_rates(appraisal)
    ensure_mutable(Appraisal.objects.get(pk=appraisal.pk))
    if not may_judge_goals(actor, appraisal):
        raise PermissionDenied(
            _("The appraisal's team judges its goals while the ratings are open.")
        )
    ratings_refresh(appraisal)  # judge against what the practices allow now
    current = GoalRating.objects.select_for_update().select_related("goal").get(pk=goal_rating.pk)
    current.value = value
    current.reason = reason.strip() if value != current.proposed else ""
    current.judged_by = actor
    verb = _("Departed from the proposal") if current.departs else _("Judged")
    saved = save_object(current, actor=actor, reason=verb)
    ratings_refresh(appraisal)
    return saved


def _check_value(rating: Rating, value: str, reason: str) -> None:
    if value not in Rating.Value.values:
        raise ValidationError({"value": _("Choose a valid rating.")})
    area = rating.process_area
    if value == Rating.Value.NOT_APPLICABLE and not method.may_be_not_applicable(area.abbreviation):
        raise ValidationError(
            {
                "value": _(
                    "%(area)s cannot be Not applicable: the model allows it only for %(allowed)s."
                )
                % {
                    "area": area.abbreviation,
                    "allowed": ", ".join(sorted(method.NOT_APPLICABLE_AREAS)),
                }
            }
        )
    if value != rating.proposed and not reason.strip():
        raise ValidationError({"reason": _("Give a reason for overriding the proposed rating.")})


@transaction.atomic
def rating_confirm(rating: Rating, *, value: str, reason: str = "", actor: User) -> Rating:
    """The lead appraiser confirms a proposal or overrides it with a reason."""
    appraisal = rating.appraisal
    _check_rates(appraisal)
    if not can(actor, "change", rating) or not may_confirm(actor, appraisal):
        raise PermissionDenied(
            _("Only the appraisal's lead appraiser, on its team, confirms ratings.")
        )
    ensure_mutable(Rating.objects.select_related("appraisal").get(pk=rating.pk))
    if appraisal.state not in (Appraisal.State.IN_PROGRESS, Appraisal.State.FINDINGS_DELIVERED):
        raise ValidationError(
            {"value": _("Ratings are confirmed while the appraisal is in progress or delivered.")}
        )
    _check_value(rating, value, reason)
    rating.value = value
    rating.override_reason = reason.strip() if value != rating.proposed else ""
    rating.confirmed_by = actor
    attribute_change(rating, actor, _("Confirmed") if value == rating.proposed else _("Overridden"))
    rating.save()
    return rating


# --- findings import ---------------------------------------------------------

IMPORT_COLUMNS = (
    "process_area",
    "practice",
    "org_unit",
    "project",
    "kind",
    "severity",
    "statement",
    "evidence",
)


class FindingsImport(CsvImport[Finding]):
    """An appraisal tool's CSV export: one finding of ``appraisal`` per row."""

    columns = IMPORT_COLUMNS
    required = ("process_area", "kind", "statement")

    def __init__(self, appraisal: Appraisal) -> None:
        self.appraisal = appraisal

    def prepare(self) -> None:
        appraisal = self.appraisal
        self.areas = {pa.abbreviation.lower(): pa for pa in appraisal.process_areas.all()}
        self.practices = {
            (p.process_area_id, p.code.lower()): p
            for p in Practice.objects.filter(process_area__in=self.areas.values())
        }
        self.units = {u.code.lower(): u for u in appraisal.org_units.all()}
        self.projects = {p.code.lower(): p for p in appraisal.projects.all()}
        self.kinds = _choice_lookup(Finding.Kind.choices)
        self.severities = _choice_lookup(Finding.Severity.choices)

    def parse_row(self, row: ImportRow[Finding]) -> Finding | None:
        v, errors = row.values, row.errors
        area = self.areas.get(v["process_area"].lower())
        if area is None:
            errors.append(
                _("process area %(value)r is not in scope") % {"value": v["process_area"]}
            )
        practice = None
        if v["practice"] and area is not None:
            practice = self.practices.get((area.pk, v["practice"].lower()))
            if practice is None:
                errors.append(_("practice %(value)r not found") % {"value": v["practice"]})
        unit = self.units.get(v["org_unit"].lower()) if v["org_unit"] else None
        if v["org_unit"] and unit is None:
            errors.append(_("org unit %(value)r is not in scope") % {"value": v["org_unit"]})
        project = self.projects.get(v["project"].lower()) if v["project"] else None
        if v["project"] and project is None:
            errors.append(_("project %(value)r is not in scope") % {"value": v["project"]})
        if unit and project:
            errors.append(_("name an org unit or a project, not both"))
        kind = self.kinds.get(v["kind"].lower())
        if kind is None:
            errors.append(
                _("kind %(value)r is not strength, weakness or observation") % {"value": v["kind"]}
            )
        severity = self.severities.get((v["severity"] or "medium").lower())
        if severity is None:
            errors.append(
                _("severity %(value)r is not low, medium or high") % {"value": v["severity"]}
            )
        if not v["statement"]:
            errors.append(_("statement is empty"))
        if errors or kind is None or severity is None:
            return None
        return Finding(
            appraisal=self.appraisal,
            process_area=area,
            practice=practice,
            org_unit=unit,
            project=project,
            kind=kind,
            severity=severity,
            statement=v["statement"],
            evidence=v["evidence"],
        )


def _choice_lookup(choices: Sequence[tuple[str, Any]]) -> dict[str, str]:
    """A choice's value by its value or its label in lower case."""
    return {
        **{value: value for value, _label in choices},
        **{str(label).lower(): value for value, label in choices},
    }


def preview_findings_csv(appraisal: Appraisal, content: str) -> ImportPreview[Finding]:
    """Read an appraisal tool's CSV export; every row is checked, nothing is saved."""
    return FindingsImport(appraisal).preview(content)


def import_findings_csv(appraisal: Appraisal, content: str, *, actor: User) -> list[Finding]:
    """Save every row, or nothing if any row has an error (``ImportFailed``)."""
    return FindingsImport(appraisal).run(content, actor=actor)
