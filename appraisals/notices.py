"""What appraisals tell people (``opf.core.notices``): the team and its lead, ratings to
confirm, findings delivered to the sponsor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from appraisals.models import Appraisal
from opf.core.notices import NoticeKind, tell

if TYPE_CHECKING:
    from opf.core.accounts import User

TEAM = "appraisal_team"
RATINGS_TO_CONFIRM = "ratings_to_confirm"
FINDINGS_DELIVERED = "findings_delivered"

KINDS = (
    NoticeKind(TEAM, _lazy("You are put on an appraisal team or named its lead")),
    NoticeKind(RATINGS_TO_CONFIRM, _lazy("Ratings await your confirmation as lead appraiser")),
    NoticeKind(FINDINGS_DELIVERED, _lazy("Findings of an appraisal you sponsor are delivered")),
)

_OPEN = (Appraisal.State.PLANNED, Appraisal.State.SCHEDULED, Appraisal.State.IN_PROGRESS)


def team_changed(appraisal: Appraisal, actor: User) -> None:
    """Its lead and each member hear once that they are on it (a new lead: again)."""
    if appraisal.state not in _OPEN or appraisal.pk is None:
        return
    url = appraisal.get_absolute_url()
    if appraisal.lead_appraiser_id is not None:
        tell(
            recipient=appraisal.lead_appraiser,
            kind=TEAM,
            title=_("You are the lead appraiser of %(appraisal)s") % {"appraisal": appraisal},
            url=url,
            key=f"{TEAM}:appraisal:{appraisal.pk}:lead:{appraisal.lead_appraiser_id}",
            actor=actor,
        )
    for member in appraisal.team.exclude(pk=appraisal.lead_appraiser_id or 0):
        tell(
            recipient=member,
            kind=TEAM,
            title=_("You are on the team of %(appraisal)s") % {"appraisal": appraisal},
            url=url,
            key=f"{TEAM}:appraisal:{appraisal.pk}:member",
            actor=actor,
        )


def findings_delivered(appraisal: Appraisal, actor: User) -> None:
    """The sponsor gets the findings; the lead confirms the proposed ratings."""
    url = appraisal.get_absolute_url()
    tell(
        recipient=appraisal.sponsor,
        kind=FINDINGS_DELIVERED,
        title=_("Findings delivered: %(appraisal)s") % {"appraisal": appraisal},
        url=url,
        key=f"{FINDINGS_DELIVERED}:appraisal:{appraisal.pk}:{appraisal.version}",
        actor=actor,
    )
    tell(
        recipient=appraisal.lead_appraiser,
        kind=RATINGS_TO_CONFIRM,
        title=_("Ratings of %(appraisal)s await your confirmation") % {"appraisal": appraisal},
        url=url,
        key=f"{RATINGS_TO_CONFIRM}:appraisal:{appraisal.pk}:{appraisal.version}",
        actor=actor,
    )


ON_SAVE = {"appraisals.appraisal": team_changed}
