"""Doors of the audit, lesson, proposal and measurement pages (see tests/doors.py).

``people.appraiser`` is the auditor of the audit each door builds; anyone
submits lessons and proposals; project managers import their own measurements.
"""

from __future__ import annotations

from tests.actions.factories import ImprovementFactory
from tests.doors import EVERYONE, Door
from tests.factories import ProjectFactory
from tests.lessons.factories import (
    AuditItemFactory,
    ComplianceAuditFactory,
    MeasureFactory,
    ProcessPerformanceBaselineFactory,
    PublishedLessonFactory,
)

AUDITOR = frozenset({"epg", "appraiser"})
PROCESS_GROUP = frozenset({"epg"})
MEASURERS = frozenset({"epg", "pm", "other_pm"})


def _audit(people) -> int:
    return ComplianceAuditFactory(auditor=people.appraiser, state="in_progress").pk


def _item(people) -> int:
    audit = ComplianceAuditFactory(auditor=people.appraiser, state="in_progress")
    return AuditItemFactory(audit=audit).pk


def _lessons_of_project(people) -> str:
    project = ProjectFactory()
    PublishedLessonFactory(project=project)
    return f"/lessons/for/project/{project.pk}/"


def _frozen_baseline(people) -> int:
    return ProcessPerformanceBaselineFactory(state="frozen").pk


def _lesson_trace(people) -> int:
    return PublishedLessonFactory().pk


LESSON = {
    "title": "Estimate with history",
    "what_happened": "We were late.",
    "next_time": "Use data.",
}

DOORS = [
    Door("lessons:compliance", lambda p: "/audits/compliance/", EVERYONE),
    Door(
        "lessons:audit_checklist",
        lambda p: f"/audits/{_audit(p)}/checklist/",
        AUDITOR,
        "POST",
        data=lambda: {"work_products": "Project plan"},
    ),
    Door(
        "POST /api/v1/compliance-audits/{id}/build-checklist/",
        lambda p: f"/api/v1/compliance-audits/{_audit(p)}/build-checklist/",
        AUDITOR,
        "POST",
        data=lambda: {"work_products": ["Project plan"]},
    ),
    Door(
        "lessons:audititem_result",
        lambda p: f"/audit-items/{_item(p)}/result/",
        AUDITOR,
        "POST",
        data=lambda: {"result": "compliant"},
    ),
    Door(
        "POST /api/v1/audit-items/{id}/record/",
        lambda p: f"/api/v1/audit-items/{_item(p)}/record/",
        AUDITOR,
        "POST",
        data=lambda: {"result": "compliant"},
    ),
    Door("lessons:lesson_submit", lambda p: "/lessons/submit/", EVERYONE),
    Door(
        "POST /api/v1/lessons/submit/",
        lambda p: "/api/v1/lessons/submit/",
        EVERYONE,
        "POST",
        data=lambda: dict(LESSON),
    ),
    Door("lessons:improvementproposal_submit", lambda p: "/proposals/submit/", EVERYONE),
    Door(
        "POST /api/v1/proposals/submit/",
        lambda p: "/api/v1/proposals/submit/",
        EVERYONE,
        "POST",
        data=lambda: {"title": "Lighter reviews", "problem": "Slow", "proposed_change": "Less"},
    ),
    Door("lessons:lessons_for", _lessons_of_project, EVERYONE),
    Door("lessons:my_project_lessons", lambda p: "/lessons/mine/", EVERYONE),
    Door("lessons:measurements_import", lambda p: "/measurements/import/", MEASURERS),
    Door(
        "POST /api/v1/measurements/import/",
        lambda p: "/api/v1/measurements/import/",
        MEASURERS,
        "POST",
        format="multipart",
    ),
    Door(
        "POST /api/v1/measurements/bulk/",
        lambda p: "/api/v1/measurements/bulk/",
        MEASURERS,
        "POST",
        body=lambda p: [{"measure": MeasureFactory().pk, "period": "2026-01-01", "value": "1"}],
    ),
    Door(
        "GET /api/v1/measures/{id}/control-chart/",
        lambda p: f"/api/v1/measures/{MeasureFactory().pk}/control-chart/",
        EVERYONE,
    ),
    Door(
        "lessons:processperformancebaseline_revise",
        lambda p: f"/baselines/{_frozen_baseline(p)}/revise/",
        PROCESS_GROUP,
        "POST",
    ),
    Door(
        "POST /api/v1/baselines/{id}/revise/",
        lambda p: f"/api/v1/baselines/{_frozen_baseline(p)}/revise/",
        PROCESS_GROUP,
        "POST",
    ),
    Door(
        "GET /api/v1/baselines/{id}/judgement/",
        lambda p: f"/api/v1/baselines/{ProcessPerformanceBaselineFactory().pk}/judgement/",
        EVERYONE,
    ),
    Door("lessons:trace", lambda p: f"/trace/lessons/lesson/{_lesson_trace(p)}/", EVERYONE),
    Door(
        "GET /api/v1/trace/{kind}/{object_id}/",
        lambda p: f"/api/v1/trace/lessons/{_lesson_trace(p)}/",
        EVERYONE,
    ),
    Door(
        "GET /api/v1/improvements/{id}/effect/",
        lambda p: f"/api/v1/improvements/{ImprovementFactory().pk}/effect/",
        EVERYONE,
    ),
    Door("lessons:process_architecture", lambda p: "/process-architecture/", EVERYONE),
]
