"""What appraisals shows in steering's dashboard panels (see ``opf.core.evidence``).

Evidence of GP 2.9 (objectively evaluate adherence): a confirmed rating of the process
area in an appraisal closed by the end of the period. Appraisals are initiatives of the
scope panel.
"""

from __future__ import annotations

from appraisals.models import Appraisal, Rating
from opf.core import evidence
from opf.core.permissions import restrict
from opf.organization.scope import DashboardFilter


def confirmed_ratings(f: DashboardFilter, areas: dict[str, int]) -> evidence.Evidence:
    pairs = (
        restrict(Rating._default_manager.all(), f.user)
        .filter(appraisal__state=Appraisal.State.CLOSED, appraisal__actual_end__lte=f.end)
        .exclude(value="")
        .values_list("process_area_id", "appraisal__title", "appraisal_id")
        .order_by("pk")
    )
    return evidence.by_area(
        pairs,
        lambda r: str(r[0]),
        lambda r: evidence.url("appraisals:appraisal_detail", r[1]),
    )


EVIDENCE = {"2.9": confirmed_ratings}
INITIATIVES = (
    evidence.Initiative(
        Appraisal,
        (Appraisal.State.CLOSED, Appraisal.State.CANCELLED),
        units=("org_units",),
        projects=("projects",),
    ),
)
