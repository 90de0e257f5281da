"""What lessons shows in steering's dashboard panels (see ``opf.core.evidence``).

Evidence of GP 2.9 (objectively evaluate adherence): a *completed compliance audit* of
the process, performed by the end of the period. An audit evaluates the process areas
it names (an audit of the organization's own process names OPF, OPD…) and those of the
asset versions on its checklist. An appraisal rating is no such evidence: it rates
capability, it does not evaluate adherence (and a "not satisfied" rating credits
nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from lessons.models import ComplianceAudit
from opf.core.evidence import Evidence, by_area, url
from opf.core.permissions import restrict
from opf.organization.scope import DashboardFilter

AUDIT_PAGE = "lessons:complianceaudit_detail"


def _text(row: Sequence[Any]) -> str:
    project, performed = row[1], row[2]
    what = project or _("the organization's own process")
    return _("Audit of %(what)s completed on %(date)s") % {
        "what": what,
        "date": performed.isoformat() if performed else "—",
    }


def completed_audits(f: DashboardFilter, areas: dict[str, int]) -> Evidence:
    audits: QuerySet[ComplianceAudit] = restrict(
        ComplianceAudit._default_manager.all(), f.user
    ).filter(
        state=ComplianceAudit.State.COMPLETED,
        performed_date__lte=f.end,
        archived_at__isnull=True,
    )
    found: Evidence = {}
    for area in ("process_areas", "items__asset_version__asset__process_areas"):
        pairs = audits.values_list(area, "pk", "project__name", "performed_date").order_by(
            "-performed_date", "-pk"
        )
        evidence = by_area(pairs, areas, _text, lambda r: url(AUDIT_PAGE, r[0]))
        for pk, piece in evidence.items():
            found.setdefault(pk, piece)
    return found


EVIDENCE = {"2.9": completed_audits}


def process_coverage(f: DashboardFilter) -> dict[str, Any]:
    """The process architecture's enterprise-wide coverage (``lessons.services.architecture``)
    for the scope panel: processes at process level defined across units with a released
    definition, of all processes at that level."""
    from lessons.services.architecture import enterprise_coverage

    found = enterprise_coverage(f.user)
    return {
        "defined": found.enterprise_defined,
        "processes": found.processes,
        "share": found.share,
        "href": reverse("lessons:process_architecture"),
    }


PROCESS_COVERAGE = process_coverage
