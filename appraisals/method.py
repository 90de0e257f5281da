"""The appraisal method's rules (SCAMPI A v1.2), in one place, as pure functions.

Services and queries apply them; pages and the API show the ``*_RULE`` texts where
the rule decides. Nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.utils.translation import gettext_lazy as _

FI, LI, PI, NI, NY = "FI", "LI", "PI", "NI", "NY"
SATISFIED, NOT_SATISFIED, NOT_RATED, NOT_APPLICABLE = (
    "satisfied",
    "not_satisfied",
    "not_rated",
    "not_applicable",
)

# --- method classes --------------------------------------------------------------

RATING_METHODS = frozenset({"scampi_a"})

# The method definition whose rules this module applies (shown in the ADS).
METHOD_VERSION = "SCAMPI v1.2 (Method Definition Document, CMU/SEI-2006-HB-002)"

CLASS_RULE = _(
    "Only a SCAMPI Class A appraisal rates (goal and process-area ratings, maturity "
    "level). Class B and C appraisals, gap analyses and self-assessments characterize "
    "practices and produce findings only: no ratings and no maturity level."
)


def rates(method: str) -> bool:
    """Whether an appraisal of this method produces ratings (``CLASS_RULE``)."""
    return method in RATING_METHODS


# --- evidence coverage -----------------------------------------------------------

DIRECT, INDIRECT, AFFIRMATION = "direct", "indirect", "affirmation"

COVERAGE_RULE = _(
    "Coverage (SCAMPI A): a practice instance is covered when it has a direct artifact "
    "plus an indirect artifact or an affirmation. In a Class A appraisal an instance "
    "cannot be characterized Fully or Largely implemented until it is covered; in other "
    "classes the team is warned."
)


def covered(kinds: Iterable[str]) -> bool:
    """The coverage rule (``COVERAGE_RULE``) on the evidence types mapped to an instance."""
    present = set(kinds)
    return DIRECT in present and bool(present & {INDIRECT, AFFIRMATION})


def needs_coverage(value: str) -> bool:
    return value in (FI, LI)


# --- aggregation: instances -> organizational unit -------------------------------

AGGREGATION_RULE = _(
    "Organizational-unit characterization of a practice, from its instances (NY "
    "instances, projects not yet at that stage, are left out): all FI gives FI; all FI "
    "or LI, at least one LI, gives LI; any PI or NI gives PI when at least one instance "
    "is FI, LI or PI, and NI when all are NI. While an instance is not characterized, "
    "or every instance is NY, the practice has no unit value yet."
)


def aggregate(values: Iterable[str | None]) -> str | None:
    """The unit-level characterization (``AGGREGATION_RULE``); ``None`` is undetermined."""
    listed = list(values)
    if any(v is None for v in listed):
        return None
    counted = [v for v in listed if v != NY]
    if not counted:
        return None
    if all(v == FI for v in counted):
        return FI
    if all(v in (FI, LI) for v in counted):
        return LI
    if all(v == NI for v in counted):
        return NI
    return PI


UNIT_CHARACTERIZATION_RULE = _(
    "SCAMPI A v1.2, activity 2.4.2 (characterize implementation of model practices): "
    "the team confirms one organizational-unit characterization per practice. The "
    "aggregation rule proposes it; a confirmed value that departs from the proposal "
    "needs the team's reason, kept in history. Goal proposals use the confirmed value "
    "where there is one."
)


def departs(value: str, proposed: str | None) -> bool:
    """A confirmed unit value differs from the aggregation's proposal
    (``UNIT_CHARACTERIZATION_RULE``); an undetermined proposal is departed from by
    any value."""
    return bool(value) and value != (proposed or "")


VALIDATION_RULE = _(
    "SCAMPI A v1.2, activity 2.5 (validate preliminary findings): the team presents its "
    "preliminary findings to the participants, records each one's feedback per finding "
    "(agree, disagree, comment) and revises the findings; the final findings and ratings "
    "(activity 2.6) follow. A Class A appraisal delivers its final findings only once a "
    "validation session with feedback is recorded and every disagreement is resolved."
)


# --- indicative profile (classes that do not rate) --------------------------------

NO_GAP, GAPS, INCOMPLETE = "no_gap", "gaps", "incomplete"

INDICATIVE_RULE = _(
    "Indicative profile, not a rating: for a Class B or C appraisal, gap analysis or "
    "self-assessment, each process area's practices in a staged scope (specific "
    "practices, GP 2.x, and GP 3.x for areas of level 3 and up) counted by their "
    'organizational-unit characterization. "No gap found" when every one is FI or '
    'LI, "Gaps found" when one is PI or NI, otherwise "Incomplete". It shows '
    "where the gaps are; it rates no goal or area and gives no maturity level."
)


INDICATIONS = {
    NO_GAP: _("No gap found"),
    GAPS: _("Gaps found"),
    INCOMPLETE: _("Incomplete"),
}


def indication(values: Iterable[str | None]) -> str:
    """The indicative profile's reading of one area's unit-level values
    (``INDICATIVE_RULE``); the same thresholds as ``practices_allow``."""
    allowed = practices_allow(values)
    return {SATISFIED: NO_GAP, NOT_SATISFIED: GAPS}.get(allowed, INCOMPLETE)


# --- goals, process areas ---------------------------------------------------------

GOAL_RULE = _(
    "A goal is proposed satisfied when every one of its practices is FI or LI at unit "
    "level and no open high-severity weakness was found on its practices (or on the "
    "area as a whole); not satisfied when a practice is PI or NI or such a weakness "
    "exists; otherwise not rated. The team's judgment per goal decides. GG 4 and GG 5 "
    "(and their GP 4.x, 5.x) belong to the continuous representation and do not count "
    "in a staged rating."
)

AREA_RULE = _(
    "A process area is proposed Satisfied when all its goals in scope are satisfied "
    "(its specific goals and GG 2, and GG 3 for areas of level 3 and up); Not satisfied "
    "when any goal is not; otherwise Not rated. The lead appraiser confirms the proposal "
    "or overrides it with a reason. Not applicable only where the model allows it (in "
    "CMMI-DEV, SAM)."
)

STAGED_GENERIC_GOALS = {2: "GG2", 3: "GG3"}
CONTINUOUS_ONLY_GOALS = frozenset({"GG4", "GG5"})


def goal_key(code: str) -> str:
    """``"GG 2"`` and ``"GG2"`` are the same goal."""
    return code.replace(" ", "").upper()


def counts_in_staged_rating(code: str, kind: str, area_level: int | None) -> bool:
    """Whether a goal is in scope of the area's staged rating (``AREA_RULE``)."""
    if kind != "generic":
        return True
    key = goal_key(code)
    if key == STAGED_GENERIC_GOALS[2]:
        return True
    if key == STAGED_GENERIC_GOALS[3]:
        return (area_level or 0) >= 3
    return False


def practices_allow(unit_values: Iterable[str | None]) -> str:
    """What a goal's practices alone allow (``GOAL_RULE``): satisfied only when every
    one is FI or LI at unit level; not satisfied when one is PI or NI; otherwise not
    rated (a practice not determined yet)."""
    values = list(unit_values)
    if any(v in (PI, NI) for v in values):
        return NOT_SATISFIED
    if not values or any(v not in (FI, LI) for v in values):
        return NOT_RATED
    return SATISFIED


def goal_rating(unit_values: Iterable[str | None], *, high_weakness: bool) -> str:
    """The goal rule's proposal (``GOAL_RULE``) on its practices' unit-level values."""
    allowed = practices_allow(unit_values)
    if high_weakness and allowed != NOT_SATISFIED:
        return NOT_SATISFIED
    return allowed


GOAL_JUDGMENT_RULE = _(
    "SCAMPI A v1.2, activity 2.6.1 (rate goals): a goal is satisfied when every one of "
    "its practices is FI or LI at unit level and the team judges that the weaknesses "
    "found do not significantly affect the goal's achievement. The proposal counts an "
    "open high-severity weakness as significant; the team records its own judgment per "
    "goal, and a judgment that departs from the proposal needs its reason. Where a "
    "practice is PI, NI or not determined, the goal cannot be judged satisfied; a "
    "judgment is cleared when its practices change so."
)


def judgment_applies(allowed: str) -> bool:
    """The team judges the weaknesses' effect only where the practices allow the goal
    (``GOAL_JUDGMENT_RULE``)."""
    return allowed == SATISFIED


def judged_goal(allowed: str, proposed: str, judged: str | None) -> str:
    """The goal's value: the team's judgment where it applies, else the proposal."""
    if judged and judgment_applies(allowed):
        return judged
    return proposed


def area_rating(goal_values: Iterable[str]) -> str:
    """The area rule (``AREA_RULE``) on its in-scope goals' ratings."""
    values = list(goal_values)
    if any(v == NOT_SATISFIED for v in values):
        return NOT_SATISFIED
    if not values or any(v != SATISFIED for v in values):
        return NOT_RATED
    return SATISFIED


# CMMI-DEV v1.2: only Supplier Agreement Management may be not applicable (no
# suppliers); every other area of a staged level must be rated.
NOT_APPLICABLE_AREAS = frozenset({"SAM"})


def may_be_not_applicable(abbreviation: str) -> bool:
    return abbreviation.upper() in NOT_APPLICABLE_AREAS


# --- maturity level ----------------------------------------------------------------

MATURITY_RULE = _(
    "Maturity level (staged): level n when every process area of levels 2 to n is "
    "rated Satisfied or Not applicable, with GG 2 for level 2 and also GG 3 of every "
    "area for level 3 and up. A level 2 area not rated (or not in scope) leaves the "
    "level not determined, never level 1."
)


def maturity_level(
    by_level: dict[int, set[int]], values: dict[int, str], gg3_unmet: set[int] | None = None
) -> int | None:
    """The maturity rule (``MATURITY_RULE``). ``by_level``: level -> the model's area
    pks; ``values``: area pk -> confirmed rating; ``gg3_unmet``: areas of level 2 whose
    GG 3 is not satisfied. ``None`` is "not determined"."""
    good = {SATISFIED, NOT_APPLICABLE}
    unmet = gg3_unmet or set()
    level = 1
    for candidate in range(2, 6):
        areas = by_level.get(candidate, set())
        if not areas:
            break
        ratings = [values.get(a, NOT_RATED) or NOT_RATED for a in areas]
        if any(r == NOT_SATISFIED for r in ratings):
            return level
        if any(r not in good for r in ratings):
            return None if candidate == 2 else level
        if candidate == 3 and unmet & by_level.get(2, set()):
            return level
        level = candidate
    return level if level >= 2 else None


# --- expiry --------------------------------------------------------------------------

RATING_VALIDITY_YEARS = 3

EXPIRY_RULE = _("The ratings of a Class A appraisal expire three years after its end date.")


def ratings_expire(end: date | None) -> date | None:
    """The day the ratings of an appraisal ending ``end`` expire (``EXPIRY_RULE``)."""
    if end is None:
        return None
    try:
        return end.replace(year=end.year + RATING_VALIDITY_YEARS)
    except ValueError:  # 29 February
        return end.replace(year=end.year + RATING_VALIDITY_YEARS, day=28)
