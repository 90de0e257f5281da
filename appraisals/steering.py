"""What appraisals shows in steering's dashboard panels (see ``opf.core.evidence``).

Open appraisals are initiatives of the scope panel (their org units, subtrees
expanded, and projects). Appraisals give no evidence of a generic practice: a rating
says whether goals are satisfied, it is not GP 2.9's objective evaluation of
adherence (a compliance audit, ``lessons.steering``), and a "not satisfied" rating
must not credit anything.
"""

from __future__ import annotations

from appraisals.models import Appraisal
from opf.core import evidence

INITIATIVES = (
    evidence.Initiative(
        Appraisal,
        (Appraisal.State.CLOSED, Appraisal.State.CANCELLED),
        units=("org_units",),
        projects=("projects",),
    ),
)
