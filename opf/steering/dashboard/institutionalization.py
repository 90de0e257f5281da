"""Which process areas show evidence of each generic practice (GP 2.1-2.10, 3.1-3.2).

One rule per generic practice. A rule maps process areas to one piece of evidence
(text and link). *Program* process areas (``PROGRAM_AREAS``: OPF and OPD, the
processes the program itself runs) draw on the program's own records; every
process area draws on the records linked to it:

======  ==============================  =====================================================
GP      program areas (OPF, OPD)        any area
======  ==============================  =====================================================
2.1     approved program policy         released *guideline* asset for the area
2.2     approved improvement plan       approved (or later) action plan for the area
2.3     action items with planned       action items with planned effort in its plans
        effort in any plan
2.4     active members in both the      an asset for the area with an owner
        steering committee and the
        process group
2.5     —                               done training on a version of an asset for the area
2.6     a published standard set        a released asset version for the area
2.7     a held meeting with attendees   team members on an action plan for the area
2.8     a follow-up completed           a done action item in its plans
2.9     —                               confirmed rating in a closed appraisal
2.10    a held steering meeting         a held meeting's decision about the area
3.1     —                               released *standard process* asset for the area
3.2     —                               an improvement about the area
======  ==============================  =====================================================

Only evidence dated up to the end of the dashboard period counts where a date exists.
Each rule runs one or two queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from opf.core.permissions import restrict
from opf.organization.scope import DashboardFilter

PROGRAM_AREAS = ("OPF", "OPD")
Evidence = dict[int, tuple[str, str]]  # process area pk -> (what, link)


@dataclass(frozen=True)
class Rule:
    code: str
    title: Any
    evidence: Callable[[DashboardFilter, dict[str, int]], Evidence]


def _url(name: str, pk: int) -> str:
    """The record's page; empty while the area has no page for it yet."""
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:
        return ""


def _program(areas: dict[str, int], found: tuple[str, str] | None) -> Evidence:
    if found is None:
        return {}
    return {areas[a]: found for a in PROGRAM_AREAS if a in areas}


def _first(queryset: Any) -> Any:
    return queryset.order_by("-pk").first()


def _by_area(pairs: Any, text: Callable[[Any], str], href: Callable[[Any], str]) -> Evidence:
    found: Evidence = {}
    for area_id, *rest in pairs:
        if area_id is not None and area_id not in found:
            found[area_id] = (text(rest), href(rest))
    return found


def _released_assets(f: DashboardFilter, kind: str | None = None) -> Evidence:
    version = apps.get_model("deployment", "AssetVersion")
    rows = restrict(version._default_manager.all(), f.user).filter(
        released_at__isnull=False, released_at__date__lte=f.end
    )
    if kind:
        rows = rows.filter(asset__kind=kind)
    pairs = rows.values_list("asset__process_areas", "asset__name", "pk").order_by("pk")
    return _by_area(
        pairs, lambda r: str(r[0]), lambda r: _url("deployment:assetversion_detail", r[1])
    )


def _program_document(f: DashboardFilter, kind: str) -> tuple[str, str] | None:
    from opf.steering.models import ProgramDocument

    doc = _first(
        restrict(ProgramDocument._default_manager.all(), f.user).filter(
            kind=kind, state=ProgramDocument.State.APPROVED, approved_at__date__lte=f.end
        )
    )
    return (str(doc), doc.get_absolute_url()) if doc else None


def _plans_for_areas(f: DashboardFilter, filters: Q, what: str) -> Evidence:
    """Action plans (via their improvements' process areas) matching ``filters``."""
    plan = apps.get_model("actions", "ProcessActionPlan")
    pairs = (
        restrict(plan._default_manager.all(), f.user)
        .filter(filters)
        .values_list("improvements__process_areas", "title", "pk")
        .order_by("pk")
    )
    return _by_area(
        pairs,
        lambda r: f"{what}: {r[0]}",
        lambda r: _url("actions:processactionplan_detail", r[1]),
    )


def gp21(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    return {**_released_assets(f, "guideline"), **_program(areas, _program_document(f, "policy"))}


def gp22(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    found = _plans_for_areas(
        f, Q(state__in=["approved", "in_progress", "completed"]), str(_("Action plan"))
    )
    return {**found, **_program(areas, _program_document(f, "plan"))}


def gp23(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    found = _plans_for_areas(f, Q(items__planned_effort__gt=0), str(_("Planned effort")))
    program = next(iter(found.values()), None)
    return {**found, **_program(areas, program)}


def gp24(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    from opf.steering.models import Body, CommitteeMembership

    asset = apps.get_model("deployment", "ProcessAsset")
    pairs = (
        restrict(asset._default_manager.all(), f.user)
        .filter(owner__isnull=False)
        .values_list("process_areas", "name", "pk")
        .order_by("pk")
    )
    found = _by_area(
        pairs,
        lambda r: str(_("Owner of %(asset)s") % {"asset": r[0]}),
        lambda r: _url("deployment:processasset_detail", r[1]),
    )
    bodies = set(
        restrict(CommitteeMembership._default_manager.all(), f.user)
        .filter(Q(end__isnull=True) | Q(end__gte=f.end), start__lte=f.end)
        .values_list("body", flat=True)
        .distinct()
    )
    program = None
    if {Body.STEERING_COMMITTEE, Body.PROCESS_GROUP} <= bodies:
        program = (
            str(_("Steering committee and process group members")),
            reverse("opf:committeemembership_list"),
        )
    return {**found, **_program(areas, program)}


def gp25(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    training = apps.get_model("deployment", "TrainingRecord")
    pairs = (
        restrict(training._default_manager.all(), f.user)
        .filter(status="done")
        .values_list("asset_version__asset__process_areas", "asset_version__asset__name", "pk")
        .order_by("pk")
    )
    return _by_area(
        pairs,
        lambda r: str(_("Training on %(asset)s") % {"asset": r[0]}),
        lambda r: _url("deployment:trainingrecord_detail", r[1]),
    )


def gp26(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    standard_set = apps.get_model("deployment", "StandardProcessSet")
    published = _first(
        restrict(standard_set._default_manager.all(), f.user).filter(state="published")
    )
    program = (str(published), published.get_absolute_url()) if published else None
    return {**_released_assets(f), **_program(areas, program)}


def gp27(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    from opf.steering.models import SteeringMeeting

    member = apps.get_model("actions", "PlanTeamMember")
    pairs = (
        restrict(member._default_manager.all(), f.user)
        .values_list("plan__improvements__process_areas", "plan__title", "plan_id")
        .order_by("pk")
    )
    found = _by_area(
        pairs,
        lambda r: str(_("Team of %(plan)s") % {"plan": r[0]}),
        lambda r: _url("actions:processactionplan_detail", r[1]),
    )
    meeting = _first(
        restrict(SteeringMeeting._default_manager.all(), f.user).filter(
            state=SteeringMeeting.State.HELD, scheduled_at__date__lte=f.end, attendees__isnull=False
        )
    )
    program = (str(meeting), meeting.get_absolute_url()) if meeting else None
    return {**found, **_program(areas, program)}


def gp28(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    from opf.steering.models import FollowUp

    item = apps.get_model("actions", "ActionItem")
    pairs = (
        restrict(item._default_manager.all(), f.user)
        .filter(status="done")
        .values_list("plan__improvements__process_areas", "plan__title", "plan_id")
        .order_by("pk")
    )
    found = _by_area(
        pairs,
        lambda r: str(_("Items done in %(plan)s") % {"plan": r[0]}),
        lambda r: _url("actions:processactionplan_detail", r[1]),
    )
    done = _first(
        restrict(FollowUp._default_manager.all(), f.user).filter(
            status=FollowUp.Status.DONE, completed_at__date__lte=f.end
        )
    )
    program = (str(done), done.get_absolute_url()) if done else None
    return {**found, **_program(areas, program)}


def gp29(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    rating = apps.get_model("appraisals", "Rating")
    pairs = (
        restrict(rating._default_manager.all(), f.user)
        .filter(appraisal__state="closed", appraisal__actual_end__lte=f.end)
        .exclude(value="")
        .values_list("process_area_id", "appraisal__title", "appraisal_id")
        .order_by("pk")
    )
    return _by_area(
        pairs,
        lambda r: str(r[0]),
        lambda r: _url("appraisals:appraisal_detail", r[1]),
    )


def gp210(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    from opf.steering.models import Decision, SteeringMeeting

    held = Q(meeting__state=SteeringMeeting.State.HELD, meeting__scheduled_at__date__lte=f.end)
    pairs = (
        restrict(Decision._default_manager.all(), f.user)
        .filter(held)
        .values_list("process_areas", "title", "pk")
        .order_by("pk")
    )
    found = _by_area(pairs, lambda r: str(r[0]), lambda r: _url("opf:decision_detail", r[1]))
    meeting = _first(
        restrict(SteeringMeeting._default_manager.all(), f.user).filter(
            state=SteeringMeeting.State.HELD, scheduled_at__date__lte=f.end
        )
    )
    program = (str(meeting), meeting.get_absolute_url()) if meeting else None
    return {**found, **_program(areas, program)}


def gp31(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    return _released_assets(f, "standard_process")


def gp32(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    improvement = apps.get_model("actions", "Improvement")
    pairs = (
        restrict(improvement._default_manager.all(), f.user)
        .values_list("process_areas", "title", "pk")
        .order_by("pk")
    )
    return _by_area(pairs, lambda r: str(r[0]), lambda r: _url("actions:improvement_detail", r[1]))


RULES = (
    Rule("2.1", _("Establish an organizational policy"), gp21),
    Rule("2.2", _("Plan the process"), gp22),
    Rule("2.3", _("Provide resources"), gp23),
    Rule("2.4", _("Assign responsibility"), gp24),
    Rule("2.5", _("Train people"), gp25),
    Rule("2.6", _("Manage configurations"), gp26),
    Rule("2.7", _("Identify and involve relevant stakeholders"), gp27),
    Rule("2.8", _("Monitor and control the process"), gp28),
    Rule("2.9", _("Objectively evaluate adherence"), gp29),
    Rule("2.10", _("Review status with higher level management"), gp210),
    Rule("3.1", _("Establish a defined process"), gp31),
    Rule("3.2", _("Collect improvement information"), gp32),
)


def grid(f: DashboardFilter, areas: dict[str, int]) -> dict[str, Evidence]:
    """GP code -> evidence per process area pk (only the given areas)."""
    wanted = set(areas.values())
    return {
        rule.code: {a: e for a, e in rule.evidence(f, areas).items() if a in wanted}
        for rule in RULES
    }
