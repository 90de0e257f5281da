from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.template.defaultfilters import floatformat
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lessons.models import (
    AuditItem,
    BaselineExclusion,
    ComplianceAudit,
    EffectivenessReview,
    Handoff,
    ImprovementProposal,
    Lesson,
    Measure,
    Measurement,
    NonCompliance,
    Process,
    ProcessPerformanceBaseline,
    QuantitativeObjective,
    RecurrenceRule,
)
from opf.core.display import format_date
from opf.core.ui.tables import ObjectTable

NUM = {"td": {"class": "num"}}


class ComplianceAuditTable(ObjectTable):
    name = tables.Column(
        verbose_name=_("Audit"),
        linkify=True,
        order_by=("project__name", "planned_date"),
        accessor="pk",
    )
    score = tables.Column(attrs=NUM)

    class Meta(ObjectTable.Meta):
        model = ComplianceAudit
        fields = ("name", "project", "auditor", "planned_date", "performed_date", "state", "score")

    def render_name(self, record: ComplianceAudit) -> str:
        return str(record)

    def value_name(self, record: ComplianceAudit) -> str:
        return str(record)


class AuditItemTable(ObjectTable):
    name = tables.Column(verbose_name=_("Item"), linkify=True, accessor="pk", orderable=False)

    class Meta(ObjectTable.Meta):
        model = AuditItem
        fields = ("name", "audit", "result", "evidence")

    def render_name(self, record: AuditItem) -> str:
        return record.name

    def value_name(self, record: AuditItem) -> str:
        return record.name


class NonComplianceTable(ObjectTable):
    title = tables.Column(linkify=True)
    due_date = tables.Column()
    age = tables.Column(verbose_name=_("Age (days)"), accessor="opened_on", attrs=NUM)

    class Meta(ObjectTable.Meta):
        model = NonCompliance
        fields = ("title", "project", "asset", "severity", "owner", "state", "due_date", "age")
        row_attrs = {"class": lambda record: "overdue" if record.overdue else ""}

    def render_due_date(self, value: Any, record: NonCompliance) -> str:
        if record.overdue:
            return format_html(
                '<span class="badge warn">{} · {}</span>', format_date(value), _("overdue")
            )
        return format_date(value)

    def value_due_date(self, value: Any) -> str:
        """The date alone in exports (the page adds an "overdue" badge)."""
        return value.isoformat() if value else ""

    def render_age(self, record: NonCompliance) -> int:
        return record.age_days

    def value_age(self, record: NonCompliance) -> int:
        return record.age_days


class RecurrenceRuleTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = RecurrenceRule
        fields = ("name", "min_projects", "months", "active")


class LessonTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Lesson
        fields = ("title", "tags", "project", "asset", "submitted_by", "submitted_on", "state")


class ImprovementProposalTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = ImprovementProposal
        fields = (
            "title",
            "asset",
            "process_area",
            "source",
            "submitted_by",
            "submitted_on",
            "state",
            "improvement",
        )


class EffectivenessReviewTable(ObjectTable):
    title = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = EffectivenessReview
        fields = ("title", "standard_set", "review_date", "next_review_due")


class MeasureTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Measure
        fields = ("name", "unit", "direction", "asset")


class MeasurementTable(ObjectTable):
    measure = tables.Column(linkify=lambda record: record.get_absolute_url())
    value = tables.Column(attrs=NUM)

    class Meta(ObjectTable.Meta):
        model = Measurement
        fields = ("measure", "project", "period", "value", "note")


class QuantitativeObjectiveTable(ObjectTable):
    name = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = QuantitativeObjective
        fields = ("name", "measure", "target", "lower_limit", "upper_limit", "owner")


class ProcessPerformanceBaselineTable(ObjectTable):
    name = tables.Column(linkify=True)
    measure = tables.Column(linkify=True)
    centre = tables.Column(attrs=NUM)
    point_count = tables.Column(attrs=NUM)

    class Meta(ObjectTable.Meta):
        model = ProcessPerformanceBaseline
        fields = (
            "name",
            "revision",
            "measure",
            "org_unit",
            "period_start",
            "period_end",
            "state",
            "centre",
            "point_count",
        )

    def render_centre(self, value: float) -> str:
        return floatformat(value, -3)


class BaselineExclusionTable(ObjectTable):
    period = tables.Column(linkify=True)
    baseline = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = BaselineExclusion
        fields = ("period", "baseline", "project", "reason")


class ProcessTable(ObjectTable):
    name = tables.Column(linkify=True)
    parent = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Process
        fields = ("code", "name", "kind", "parent", "owner", "owning_unit")


class HandoffTable(ObjectTable):
    work_product = tables.Column(linkify=True)
    source = tables.Column(linkify=True)
    target = tables.Column(linkify=True)

    class Meta(ObjectTable.Meta):
        model = Handoff
        fields = ("source", "work_product", "target")
