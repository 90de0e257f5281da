"""The compliance panel and the "proposals accepted" momentum series."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from lessons import dashboard
from lessons.models import AuditItem, ComplianceAudit, NonCompliance
from lessons.services import learning
from opf.core.dashboard import default_period
from opf.organization.scope import DashboardFilter
from tests.lessons.factories import (
    AuditItemFactory,
    ComplianceAuditFactory,
    ImprovementProposalFactory,
    NonComplianceFactory,
)

pytestmark = pytest.mark.django_db


def test_compliance_panel_figures_and_proposals_series(people, client_as):
    today = timezone.localdate()
    audit = ComplianceAuditFactory(
        state=ComplianceAudit.State.COMPLETED, performed_date=today.replace(day=1)
    )
    for result in ("compliant", "compliant", "compliant", "non_compliant", "not_applicable"):
        AuditItemFactory(audit=audit, result=result, evidence="x")
    NonComplianceFactory(project=audit.project, severity="major", due_date=date(2000, 1, 1))
    NonComplianceFactory(project=audit.project, state=NonCompliance.State.CLOSED)
    learning.proposal_accept(ImprovementProposalFactory(), actor=people.epg)

    start, end = default_period(today)
    f = DashboardFilter(people.executive, None, start, end)
    figures = dashboard.build(f)
    assert figures["rates"][-1] == 75.0
    assert figures["open_total"] == 1 and figures["overdue"] == 1
    major = next(a for a in figures["aging"] if a["severity"] == "Major")
    assert major["counts"] == [1, 0, 0]
    assert dashboard.proposals_accepted(f) == {today.replace(day=1): 1}
    assert set(dashboard.draw(figures)) == {"rate", "aging"}

    page = client_as(people.executive).get("/dashboard/").content.decode()
    assert "Process compliance" in page and "Proposals accepted" in page
    assert AuditItem.objects.count() == 5
