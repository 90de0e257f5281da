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
2.3     action items with planned       action items with planned effort in a plan whose
        effort in a plan about OPF/OPD  improvements are about the area
2.4     active members in both the      an asset for the area with an owner
        steering committee and the
        process group
2.5     —                               done training on a version of an asset for the area
2.6     a published standard set        a released asset version for the area
2.7     a held meeting with attendees   team members on an action plan for the area
2.8     a follow-up completed           a done action item in its plans
2.9     a completed audit of the        a completed compliance audit of the area (named,
        organization's own process      or an asset of the area on its checklist); never
                                        an appraisal rating
2.10    a held steering meeting         a held meeting's decision about the area
3.1     —                               released *standard process* asset for the area
3.2     —                               an improvement about the area
======  ==============================  =====================================================

(Program evidence: steering's own records, ``opf.steering.steering``, but 2.6
(deployment); 2.3 and 2.9 for OPF and OPD come from the per-area rules, so only a plan
or an audit about those areas credits them.) Each rule's text (``Rule.rule``) is
stated on the panel next to its cells. Only evidence dated up to the end of the
dashboard period counts where a date exists. Each rule reads each relation in two
statements (``opf.core.evidence.first_per_area``).
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
    rule: Any = ""  # what credits the practice, as the panel states it


RULES = (
    Rule(
        "2.1",
        _("Establish an organizational policy"),
        _("OPF/OPD: the approved program policy; other areas: a released guideline asset."),
    ),
    Rule(
        "2.2",
        _("Plan the process"),
        _("OPF/OPD: the approved improvement plan; other areas: an approved action plan."),
    ),
    Rule(
        "2.3",
        _("Provide resources"),
        _("Effort planned in an action plan whose improvements are about that process area."),
    ),
    Rule(
        "2.4",
        _("Assign responsibility"),
        _(
            "OPF/OPD: active members of both the steering committee and the process group; "
            "other areas: an asset of the area with an owner."
        ),
    ),
    Rule("2.5", _("Train people"), _("Training done on a version of an asset of the area.")),
    Rule(
        "2.6",
        _("Manage configurations"),
        _("OPF/OPD: a published standard process set; other areas: a released asset version."),
    ),
    Rule(
        "2.7",
        _("Identify and involve relevant stakeholders"),
        _("OPF/OPD: a held meeting with attendees; other areas: an action plan's team."),
    ),
    Rule(
        "2.8",
        _("Monitor and control the process"),
        _("OPF/OPD: a completed follow-up; other areas: a done action item."),
    ),
    Rule(
        "2.9",
        _("Objectively evaluate adherence"),
        _(
            "A completed compliance audit of that process (the organization's own process "
            "for OPF/OPD); an appraisal rating never counts."
        ),
    ),
    Rule(
        "2.10",
        _("Review status with higher level management"),
        _("OPF/OPD: a held steering meeting; other areas: a meeting's decision about it."),
    ),
    Rule(
        "3.1",
        _("Establish a defined process"),
        _("A released standard process asset for the area."),
    ),
    Rule("3.2", _("Collect improvement information"), _("An improvement about the area.")),
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
