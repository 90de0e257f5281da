"""What lessons and audits tell people (``opf.core.notices``): proposals decided,
non-compliances raised or assigned, lessons published for a project or asset."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lessons.models import Lesson, NonCompliance
from opf.core.notices import NoticeKind, tell, tell_each

if TYPE_CHECKING:
    from opf.core.accounts import User

PROPOSAL_DECIDED = "proposal_decided"
NON_COMPLIANCE = "non_compliance"
LESSON_PUBLISHED = "lesson_published"

KINDS = (
    NoticeKind(PROPOSAL_DECIDED, _lazy("Your improvement proposal was decided")),
    NoticeKind(
        NON_COMPLIANCE, _lazy("A non-compliance is raised on your project or assigned to you")
    ),
    NoticeKind(LESSON_PUBLISHED, _lazy("A lesson is published about your project or asset")),
)


def non_compliance_saved(nc: NonCompliance, actor: User) -> None:
    """Its project's manager hears it was raised; its owner, that it is theirs."""
    if nc.state not in (NonCompliance.State.OPEN, NonCompliance.State.IN_CORRECTION):
        return
    body = _("Project: %(project)s. Severity: %(severity)s. Due: %(due)s.") % {
        "project": nc.project,
        "severity": nc.get_severity_display(),
        "due": nc.due_date,
    }
    url = nc.get_absolute_url()
    manager = nc.project.manager if nc.project is not None else None
    tell(
        recipient=manager,
        kind=NON_COMPLIANCE,
        title=_("Non-compliance raised on %(project)s: %(title)s")
        % {"project": nc.project, "title": nc.title},
        body=body,
        url=url,
        key=f"{NON_COMPLIANCE}:noncompliance:{nc.pk}:raised",
        actor=actor,
    )
    if nc.owner_id is not None and nc.owner_id != getattr(manager, "pk", None):
        tell(
            recipient=nc.owner,
            kind=NON_COMPLIANCE,
            title=_("Non-compliance assigned to you: %(title)s") % {"title": nc.title},
            body=body,
            url=url,
            key=f"{NON_COMPLIANCE}:noncompliance:{nc.pk}:owner:{nc.owner_id}",
            actor=actor,
        )


def lesson_published(lesson: Lesson, actor: User) -> None:
    """The manager of the lesson's project and the owner of its asset."""
    people = [
        lesson.project.manager if lesson.project is not None else None,
        lesson.asset.owner if lesson.asset is not None else None,
    ]
    tell_each(
        people,
        kind=LESSON_PUBLISHED,
        title=_("Lesson published: %(title)s") % {"title": lesson.title},
        body=_("It concerns %(what)s.")
        % {"what": ", ".join(str(x) for x in (lesson.project, lesson.asset) if x is not None)},
        url=lesson.get_absolute_url(),
        key=f"{LESSON_PUBLISHED}:lesson:{lesson.pk}",
        actor=actor,
    )


ON_SAVE = {"lessons.noncompliance": non_compliance_saved}
