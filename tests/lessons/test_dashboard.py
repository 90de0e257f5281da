"""The compliance panel and the "proposals accepted" momentum series."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from lessons import dashboard
from lessons.models import AuditItem, ComplianceAudit, NonCompliance
from lessons.services import learning
from opf.core.dashboard import default_period
from opf.organization.scope import DashboardFilter
from tests.factories import OrgUnitFactory
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


def test_open_non_compliances_by_age_band_at_the_band_limits(people):
    """Worked numbers: ages in days at the period's end (June 30) 0, 30 | 31, 90 | 91;
    one opened after the end counts as new; closed ones and other units' are not counted;
    overdue is due before the end (due on the end day is not); archived ones are left out."""
    end = date(2026, 6, 30)
    audit = ComplianceAuditFactory()
    project = audit.project

    def nc(days_old: int, severity: str = "minor", **extra: object) -> None:
        opened = end - timedelta(days=days_old)
        NonComplianceFactory(project=project, severity=severity, opened_on=opened, **extra)

    nc(0, due_date=end)  # due today: not overdue
    nc(30, due_date=end - timedelta(days=1))  # overdue
    nc(-5)  # opened after the period's end
    nc(31, "major")
    nc(90, "major", state=NonCompliance.State.IN_CORRECTION)
    nc(91, "critical", due_date=date(2026, 1, 1))  # overdue
    nc(400, "critical", state=NonCompliance.State.CLOSED)  # closed: not counted
    nc(10, "critical", state=NonCompliance.State.VERIFIED)  # not open: not counted
    nc(5, archived_at=timezone.now())  # archived: left out, as the headline leaves it

    f = DashboardFilter(people.executive, None, date(2026, 1, 1), end)
    figures = dashboard.build(f)
    assert figures["bands"] == ["0-30", "31-90", ">90"]
    assert {a["severity"]: a["counts"] for a in figures["aging"]} == {
        "Minor": [3, 0, 0],
        "Major": [0, 2, 0],
        "Critical": [0, 0, 1],
    }
    assert figures["open_total"] == 6 and figures["overdue"] == 2
    # The headline counts those open at the end (not the one opened after), archived out.
    assert dashboard.open_ncs_figure(f)["value"] == 5

    # Another org unit's filter sees none of them.
    other = DashboardFilter(people.executive, OrgUnitFactory(), date(2026, 1, 1), end)
    assert dashboard.build(other)["open_total"] == 0
