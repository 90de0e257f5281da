from __future__ import annotations

from typing import Any

from django import forms
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
from opf.core.ui.forms import CsvImportForm, ObjectForm, set_queryset, typed_field
from opf.organization.models import Project
from opf.reference.forms import areas_with_their_model

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ComplianceAuditForm(ObjectForm):
    class Meta:
        model = ComplianceAudit
        fields = ["project", "process_areas", "auditor", "planned_date", "scope"]
        widgets = {"planned_date": DATE}


def _related_choices(form: forms.ModelForm) -> None:
    """Choices whose labels name a related record, loaded in one query each."""
    related = {
        "audit": ("project",),
        "asset_version": ("asset",),
        "item": ("audit__project", "asset_version__asset"),
    }
    for name, paths in related.items():
        if name in form.fields:
            field = typed_field(form.fields, name, forms.ModelChoiceField)
            if field.queryset is not None:
                field.queryset = field.queryset.select_related(*paths)


class AuditItemForm(ObjectForm):
    class Meta:
        model = AuditItem
        fields = ["audit", "asset_version", "work_product", "result", "evidence"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _related_choices(self)


class NonComplianceForm(ObjectForm):
    class Meta:
        model = NonCompliance
        fields = [
            "title",
            "description",
            "audit",
            "project",
            "asset",
            "severity",
            "owner",
            "due_date",
            "corrective_action",
            "root_cause_category",
            "five_whys",
            "evidence",
            "proposed_due_date",
        ]
        widgets = {"due_date": DATE, "proposed_due_date": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _related_choices(self)


class RecurrenceRuleForm(ObjectForm):
    class Meta:
        model = RecurrenceRule
        fields = ["name", "min_projects", "months", "active"]


class LessonForm(ObjectForm):
    class Meta:
        model = Lesson
        fields = [
            "title",
            "context",
            "what_happened",
            "next_time",
            "tags",
            "project",
            "asset",
            "action_plan",
            "non_compliance",
        ]


class ImprovementProposalForm(ObjectForm):
    class Meta:
        model = ImprovementProposal
        fields = [
            "title",
            "asset",
            "process_area",
            "problem",
            "proposed_change",
            "expected_benefit",
            "lesson",
            "non_compliances",
        ]


class ProposalSubmitForm(ObjectForm):
    """What a member fills in (the links to lessons and NCs are the process group's)."""

    class Meta:
        model = ImprovementProposal
        fields = [
            "title",
            "asset",
            "process_area",
            "problem",
            "proposed_change",
            "expected_benefit",
        ]


class LessonSubmitForm(ObjectForm):
    class Meta:
        model = Lesson
        fields = [
            "title",
            "context",
            "what_happened",
            "next_time",
            "tags",
            "project",
            "asset",
            "action_plan",
        ]


class EffectivenessReviewForm(ObjectForm):
    class Meta:
        model = EffectivenessReview
        fields = [
            "title",
            "standard_set",
            "review_date",
            "reviewers",
            "findings",
            "proposals",
            "next_review_due",
        ]
        widgets = {"review_date": DATE, "next_review_due": DATE}


class MeasureForm(ObjectForm):
    class Meta:
        model = Measure
        fields = ["name", "unit", "counted", "direction", "asset"]


class MeasurementForm(ObjectForm):
    class Meta:
        model = Measurement
        fields = ["measure", "project", "period", "value", "note"]
        widgets = {"period": DATE}


class QuantitativeObjectiveForm(ObjectForm):
    class Meta:
        model = QuantitativeObjective
        fields = ["name", "measure", "target", "lower_limit", "upper_limit", "owner"]


def _pick_many(label: Any, choices: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        choices=choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: any."),
    )


class ProcessPerformanceBaselineForm(ObjectForm):
    """The selection (one project mix), the period and notes; the figures are the
    freeze step's."""

    project_types = _pick_many(_("Project types"), Project.ProjectType.choices)
    size_classes = _pick_many(_("Size classes"), Project.SizeClass.choices)
    phases = _pick_many(_("Lifecycle phases"), Project.Phase.choices)

    class Meta:
        model = ProcessPerformanceBaseline
        fields = [
            "measure",
            "name",
            "org_unit",
            "project_types",
            "size_classes",
            "phases",
            "period_start",
            "period_end",
            "notes",
        ]
        widgets = {"period_start": DATE, "period_end": DATE}


class BaselineExclusionForm(ObjectForm):
    class Meta:
        model = BaselineExclusion
        fields = ["baseline", "period", "project", "reason"]
        widgets = {"period": DATE}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "baseline" in self.fields:  # points are excluded from drafts only
            set_queryset(
                self.fields,
                "baseline",
                ProcessPerformanceBaseline.objects.filter(
                    state=ProcessPerformanceBaseline.State.DRAFT
                ).select_related("measure"),
            )


class ChecklistForm(forms.Form):
    work_products = forms.CharField(
        label=_("Work products to review"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, e.g. “Project plan”, “Peer review records”."),
    )

    def lines(self) -> list[str]:
        return [line for line in self.cleaned_data["work_products"].splitlines() if line.strip()]


class ItemResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=AuditItem.Result.choices)
    evidence = forms.CharField(
        label=_("Evidence"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    raise_non_compliance = forms.BooleanField(label=_("Raise a non-compliance"), required=False)
    severity = forms.ChoiceField(
        label=_("Severity"), choices=NonCompliance.Severity.choices, required=False
    )


class MeasurementsImportForm(CsvImportForm):
    """Measurements: measure, project, period, value, note."""


class ProcessForm(ObjectForm):
    class Meta:
        model = Process
        fields = [
            "name",
            "code",
            "kind",
            "parent",
            "owner",
            "owning_unit",
            "description",
            "process_areas",
            "assets",
            "measures",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        areas_with_their_model(self.fields)


class HandoffForm(ObjectForm):
    class Meta:
        model = Handoff
        fields = ["source", "target", "work_product", "notes"]
