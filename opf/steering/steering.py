"""What steering itself shows in its dashboard panels, by the same hook as the apps
(``<pkg>.steering``, see ``opf.core.evidence``).

Evidence of the generic practices for the program's own process areas: the approved
program policy (GP 2.1) and improvement plan (2.2), active members in both the steering
committee and the process group (2.4), a held meeting with attendees (2.7), a completed
follow-up (2.8) and a held steering meeting (2.10); for any process area, a held
meeting's decision about it (2.10).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from opf.core.evidence import Evidence, Found, by_area, found, latest, url
from opf.core.permissions import restrict
from opf.organization.scope import DashboardFilter
from opf.steering.models import (
    Body,
    CommitteeMembership,
    Decision,
    FollowUp,
    ProgramDocument,
    SteeringMeeting,
)


def program_document(f: DashboardFilter, kind: str) -> Found | None:
    """The latest program document of ``kind`` approved by the end of the period."""
    rows = restrict(ProgramDocument._default_manager.all(), f.user)
    return found(
        latest(
            rows.filter(
                kind=kind, state=ProgramDocument.State.APPROVED, approved_at__date__lte=f.end
            )
        )
    )


def policy(f: DashboardFilter) -> Found | None:
    return program_document(f, ProgramDocument.Kind.POLICY)


def improvement_plan(f: DashboardFilter) -> Found | None:
    return program_document(f, ProgramDocument.Kind.PLAN)


def committees_staffed(f: DashboardFilter) -> Found | None:
    """Members active at the end of the period in both the committee and the group."""
    bodies = set(
        restrict(CommitteeMembership._default_manager.all(), f.user)
        .filter(Q(end__isnull=True) | Q(end__gte=f.end), start__lte=f.end)
        .values_list("body", flat=True)
        .distinct()
    )
    if not {Body.STEERING_COMMITTEE, Body.PROCESS_GROUP} <= bodies:
        return None
    return (
        str(_("Steering committee and process group members")),
        reverse("opf:committeemembership_list"),
    )


def held_meetings(f: DashboardFilter) -> Q:
    return Q(state=SteeringMeeting.State.HELD, scheduled_at__date__lte=f.end)


def meeting_attended(f: DashboardFilter) -> Found | None:
    rows = restrict(SteeringMeeting._default_manager.all(), f.user)
    return found(latest(rows.filter(held_meetings(f), attendees__isnull=False)))


def follow_up_done(f: DashboardFilter) -> Found | None:
    rows = restrict(FollowUp._default_manager.all(), f.user)
    return found(latest(rows.filter(status=FollowUp.Status.DONE, completed_at__date__lte=f.end)))


def meeting_held(f: DashboardFilter) -> Found | None:
    rows = restrict(SteeringMeeting._default_manager.all(), f.user)
    return found(latest(rows.filter(held_meetings(f))))


def decisions(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    """Decisions of meetings held by the end of the period, by their process areas."""
    held = Q(meeting__state=SteeringMeeting.State.HELD, meeting__scheduled_at__date__lte=f.end)
    pairs = (
        restrict(Decision._default_manager.all(), f.user)
        .filter(held)
        .values_list("process_areas", "title", "pk")
        .order_by("pk")
    )
    return by_area(pairs, areas, lambda r: str(r[0]), lambda r: url("opf:decision_detail", r[1]))


EVIDENCE = {"2.10": decisions}
PROGRAM_EVIDENCE = {
    "2.1": policy,
    "2.2": improvement_plan,
    "2.4": committees_staffed,
    "2.7": meeting_attended,
    "2.8": follow_up_done,
    "2.10": meeting_held,
}
