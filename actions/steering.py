"""What actions shows in steering's dashboard panels (see ``opf.core.evidence``).

Evidence of the generic practices, per process area of a plan's improvements: action
plans approved or later (GP 2.2), plans with planned effort (2.3), plan teams (2.7),
done action items (2.8) and the improvements themselves (3.2). GP 2.3 (provide
resources) is credited only by effort planned in a plan whose improvements are about
that process area, the program's own areas (OPF, OPD) included: an unrelated plan's
effort credits nothing. Open action plans are initiatives of
the scope panel, reaching the projects their pilots run on.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from actions.models import ActionItem, Improvement, PlanTeamMember, ProcessActionPlan
from opf.core.evidence import Evidence, Initiative, by_area, url
from opf.core.permissions import restrict
from opf.organization.scope import DashboardFilter

PLAN_PAGE = "actions:processactionplan_detail"


def plans(f: DashboardFilter, areas: dict[str, int], filters: Q, what: str) -> Evidence:
    """Action plans matching ``filters``, by their improvements' process areas."""
    pairs = (
        restrict(ProcessActionPlan._default_manager.all(), f.user)
        .filter(filters)
        .values_list("improvements__process_areas", "title", "pk")
        .order_by("pk")
    )
    return by_area(pairs, areas, lambda r: f"{what}: {r[0]}", lambda r: url(PLAN_PAGE, r[1]))


def approved_plans(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    State = ProcessActionPlan.State
    approved = Q(state__in=[State.APPROVED, State.IN_PROGRESS, State.COMPLETED])
    return plans(f, areas, approved, str(_("Action plan")))


def planned_effort(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    # EXISTS, not a join: a plan once, not once per item (150,000 items at scale 10)
    effort = ActionItem._default_manager.filter(plan=OuterRef("pk"), planned_effort__gt=0)
    return plans(f, areas, Q(Exists(effort)), str(_("Planned effort")))


def plan_teams(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    pairs = (
        restrict(PlanTeamMember._default_manager.all(), f.user)
        .values_list("plan__improvements__process_areas", "plan__title", "plan_id")
        .order_by("pk")
    )
    return by_area(
        pairs,
        areas,
        lambda r: str(_("Team of %(plan)s") % {"plan": r[0]}),
        lambda r: url(PLAN_PAGE, r[1]),
    )


def items_done(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    pairs = (
        restrict(ActionItem._default_manager.all(), f.user)
        .filter(status=ActionItem.Status.DONE)
        .values_list("plan__improvements__process_areas", "plan__title", "plan_id")
        .order_by("pk")
    )
    return by_area(
        pairs,
        areas,
        lambda r: str(_("Items done in %(plan)s") % {"plan": r[0]}),
        lambda r: url(PLAN_PAGE, r[1]),
    )


def improvements(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    pairs = (
        restrict(Improvement._default_manager.all(), f.user)
        .values_list("process_areas", "title", "pk")
        .order_by("pk")
    )
    return by_area(
        pairs, areas, lambda r: str(r[0]), lambda r: url("actions:improvement_detail", r[1])
    )


EVIDENCE = {
    "2.2": approved_plans,
    "2.3": planned_effort,
    "2.7": plan_teams,
    "2.8": items_done,
    "3.2": improvements,
}
INITIATIVES = (
    Initiative(
        ProcessActionPlan,
        (ProcessActionPlan.State.COMPLETED, ProcessActionPlan.State.CANCELLED),
        projects=("pilots__projects",),
    ),
)


# An action plan in review waits for a decision too (the engagement's time to decide):
# from its submission until it is approved, or sent back by a reviewer's request.
DECISIONS = ((ProcessActionPlan, "state", ProcessActionPlan.State.IN_REVIEW),)
