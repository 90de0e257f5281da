"""What steering tells people (``opf.core.notices``): a follow-up of a meeting is theirs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from opf.core.notices import NoticeKind, tell
from opf.steering.models import FollowUp

if TYPE_CHECKING:
    from opf.core.accounts import User

FOLLOW_UP_ASSIGNED = "follow_up_assigned"

KINDS = (NoticeKind(FOLLOW_UP_ASSIGNED, _lazy("A steering follow-up is assigned to you")),)


def follow_up_saved(item: FollowUp, actor: User) -> None:
    if item.owner_id is None or item.status != FollowUp.Status.OPEN:
        return
    tell(
        recipient=item.owner,
        kind=FOLLOW_UP_ASSIGNED,
        title=_("Follow-up assigned to you: %(title)s") % {"title": item.title},
        body=_("Meeting: %(meeting)s. Due: %(due)s.")
        % {"meeting": item.meeting, "due": item.due or "—"},
        url=item.get_absolute_url(),
        key=f"{FOLLOW_UP_ASSIGNED}:followup:{item.pk}:{item.owner_id}",
        actor=actor,
    )


ON_SAVE = {"opf.followup": follow_up_saved}
