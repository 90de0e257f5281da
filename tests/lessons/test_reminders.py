"""Reminders (NC past due, effectiveness review due) and calendar entries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from lessons import calendar as lessons_calendar
from lessons.models import NonCompliance
from opf.notifications.services import send_due_reminders
from tests.factories import ProjectFactory
from tests.lessons.factories import (
    ComplianceAuditFactory,
    EffectivenessReviewFactory,
    NonComplianceFactory,
)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 10)


def test_past_due_non_compliance_reminds_its_owner_once(people):
    project = ProjectFactory(manager=people.pm)
    late = NonComplianceFactory(project=project, due_date=TODAY - timedelta(days=1))
    NonComplianceFactory(project=project, due_date=TODAY + timedelta(days=3))
    closed = NonComplianceFactory(project=project, due_date=TODAY - timedelta(days=5))
    NonCompliance.objects.filter(pk=closed.pk).update(state=NonCompliance.State.CLOSED)
    assert send_due_reminders("non_compliance_past_due", today=TODAY) == 1
    assert send_due_reminders("non_compliance_past_due", today=TODAY) == 0
    note = people.pm.notifications.get()
    assert late.title in note.title and note.url == late.get_absolute_url()


def test_effectiveness_review_due_reminds_the_process_group(people):
    EffectivenessReviewFactory(
        review_date=TODAY - timedelta(days=300), next_review_due=TODAY + timedelta(days=5)
    )
    assert send_due_reminders("effectiveness_review_due", lead_days=14, today=TODAY) == 1
    assert people.epg.notifications.filter(title__contains="effectiveness review").exists()
    assert not people.member.notifications.exists()


def test_calendar_has_audits_nc_due_dates_and_review_due(people):
    project = ProjectFactory(manager=people.pm)
    audit = ComplianceAuditFactory(project=project, auditor=people.appraiser, planned_date=TODAY)
    nc = NonComplianceFactory(project=project, due_date=TODAY)
    EffectivenessReviewFactory(next_review_due=TODAY + timedelta(days=30))
    auditor_events = {e.uid for e in lessons_calendar.events_for(people.appraiser)}
    assert f"compliance-audit-{audit.pk}" in auditor_events
    pm_events = {e.uid for e in lessons_calendar.events_for(people.pm)}
    assert {f"compliance-audit-{audit.pk}", f"non-compliance-{nc.pk}"} <= pm_events
    assert any(
        uid.startswith("effectiveness-review-due")
        for uid in (e.uid for e in lessons_calendar.events_for(people.epg))
    )
    assert not list(lessons_calendar.events_for(people.member))
