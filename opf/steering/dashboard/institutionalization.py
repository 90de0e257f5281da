"""Which process areas show evidence of each generic practice (GP 2.1-2.10, 3.1-3.2).

Steering keeps the table of generic practices (``RULES``); the evidence comes from the
features that own the records, through the ``<pkg>.steering`` hook (``opf.core.registry``,
``opf.core.evidence``): ``EVIDENCE`` maps process areas to one piece of evidence (text
and link) for a practice, ``PROGRAM_EVIDENCE`` gives the one piece for the *program*
process areas (``PROGRAM_AREAS``: OPF and OPD, the processes the program itself runs).
Per practice, the area evidence of every contributor is merged in registry order (the
first to name an area keeps it), then the program evidence, if any, replaces that of
OPF and OPD (the first contributor with some wins):

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

(Program evidence: steering's own records, ``opf.steering.steering``, but 2.3 (actions)
and 2.6 (deployment).) Only evidence dated up to the end of the dashboard period counts
where a date exists. Each rule runs one query.
"""

from __future__ import annotations

from dataclasses import dataclass
from types import ModuleType
from typing import Any

from django.utils.translation import gettext_lazy as _

from opf.core.evidence import Evidence
from opf.core.registry import app_modules
from opf.organization.scope import DashboardFilter

PROGRAM_AREAS = ("OPF", "OPD")


@dataclass(frozen=True)
class Rule:
    code: str
    title: Any


RULES = (
    Rule("2.1", _("Establish an organizational policy")),
    Rule("2.2", _("Plan the process")),
    Rule("2.3", _("Provide resources")),
    Rule("2.4", _("Assign responsibility")),
    Rule("2.5", _("Train people")),
    Rule("2.6", _("Manage configurations")),
    Rule("2.7", _("Identify and involve relevant stakeholders")),
    Rule("2.8", _("Monitor and control the process")),
    Rule("2.9", _("Objectively evaluate adherence")),
    Rule("2.10", _("Review status with higher level management")),
    Rule("3.1", _("Establish a defined process")),
    Rule("3.2", _("Collect improvement information")),
)


def evidence(
    code: str, f: DashboardFilter, areas: dict[str, int], contributors: list[ModuleType]
) -> Evidence:
    """GP ``code``'s evidence per process area pk, from every contributor."""
    found: Evidence = {}
    for module in contributors:
        rule = getattr(module, "EVIDENCE", {}).get(code)
        if rule is not None:
            for area, piece in rule(f, areas).items():
                found.setdefault(area, piece)
    for module in contributors:
        program_rule = getattr(module, "PROGRAM_EVIDENCE", {}).get(code)
        program = program_rule(f) if program_rule is not None else None
        if program is not None:
            found.update({areas[a]: program for a in PROGRAM_AREAS if a in areas})
            break
    return found


def grid(f: DashboardFilter, areas: dict[str, int]) -> dict[str, Evidence]:
    """GP code -> evidence per process area pk (only the given areas)."""
    contributors = app_modules("steering")
    wanted = set(areas.values())
    return {
        rule.code: {
            a: e for a, e in evidence(rule.code, f, areas, contributors).items() if a in wanted
        }
        for rule in RULES
    }
