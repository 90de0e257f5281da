"""The steering committee's records in the global search (``opf.core.search``)."""

from opf.core.search import Searchable
from opf.steering.models import Decision, FollowUp, ProgramDocument, SteeringMeeting

KINDS = [
    Searchable(SteeringMeeting, text=("title", "agenda", "notes")),
    Searchable(Decision, text=("title", "rationale")),
    Searchable(FollowUp, text=("title",)),
    Searchable(ProgramDocument, text=("title", "text")),
]
