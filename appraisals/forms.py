from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from opf.forms import DateInput
from opf.models import Practice, ProcessArea, User
from opf.permissions import perm_name, scope
from opf.roles import ALL, APPRAISER, EXECUTIVE, PROCESS_GROUP
from opf.ui.forms import CsvImportForm, ObjectForm

from .models import (
    Appraisal,
    Evidence,
    Finding,
    ProcessNeed,
    Recommendation,
    check_scope_matches_model,
)
from .services import team_with_lead


class ProcessNeedForm(ObjectForm):
    class Meta:
        model = ProcessNeed
        fields = ["statement", "kind", "source", "owner", "priority", "measure", "target", "unit"]


def appraisers() -> QuerySet[User]:
    return User.objects.filter(
        is_active=True, groups__name__in=[APPRAISER.group, PROCESS_GROUP.group]
    ).distinct()


class AppraisalForm(ObjectForm):
    class Meta:
        model = Appraisal
        fields = [
            "title",
            "method",
            "reference_model",
            "process_areas",
            "org_units",
            "projects",
            "sponsor",
            "lead_appraiser",
            "team",
            "planned_start",
            "planned_end",
            "resources",
            "logistics",
        ]
        widgets = {"planned_start": DateInput(), "planned_end": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "sponsor" in self.fields:
            self.fields["sponsor"].queryset = User.objects.filter(
                is_active=True, groups__name=EXECUTIVE.group
            )
        if "lead_appraiser" in self.fields:
            self.fields["lead_appraiser"].queryset = appraisers()
        if "team" in self.fields:
            self.fields["team"].queryset = User.objects.filter(is_active=True)
        if "process_areas" in self.fields:
            self.fields["process_areas"].queryset = ProcessArea.objects.select_related(
                "reference_model"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, message in check_scope_matches_model(
            data.get("reference_model"), data.get("process_areas")
        ).items():
            self.add_error(name, message)
        if "team" in self.fields:
            data["team"] = team_with_lead(data.get("team"), data.get("lead_appraiser"))
        return data


def conducting_appraisals(user: Any, model: type) -> QuerySet[Appraisal]:
    """Appraisals in progress the user may record ``model`` rows on."""
    appraisals = Appraisal.objects.filter(state=Appraisal.State.IN_PROGRESS)
    if scope(user, perm_name(model, "add")) == ALL:
        return appraisals
    return appraisals.filter(Q(team=user) | Q(lead_appraiser=user)).distinct()


class TeamRecordForm(ObjectForm):
    """A record of one appraisal: on a new one, only appraisals the user conducts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields.get("appraisal")
        if field is not None:
            if self.instance.pk:
                field.disabled = True
            else:
                field.queryset = conducting_appraisals(self.user, self._meta.model)


class FindingForm(TeamRecordForm):
    class Meta:
        model = Finding
        fields = [
            "appraisal",
            "process_area",
            "practice",
            "org_unit",
            "project",
            "kind",
            "severity",
            "statement",
            "evidence",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "practice" in self.fields:
            self.fields["practice"].queryset = Practice.objects.select_related("process_area")


class InlineFindingForm(ObjectForm):
    """Record a finding on the appraisal's page: choices limited to the scope."""

    class Meta:
        model = Finding
        fields = [
            "process_area",
            "practice",
            "org_unit",
            "project",
            "kind",
            "severity",
            "statement",
            "evidence",
        ]
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, appraisal: Appraisal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.appraisal = appraisal
        self.fields["process_area"].queryset = appraisal.process_areas.all()
        self.fields["practice"].queryset = Practice.objects.filter(
            process_area__appraisals=appraisal
        ).select_related("process_area")
        self.fields["practice"].label_from_instance = lambda p: (
            f"{p.process_area.abbreviation} {p.code} {p.name}"
        )
        self.fields["org_unit"].queryset = appraisal.org_units.all()
        self.fields["project"].queryset = appraisal.projects.all()
        self.prefix = "finding"


class EvidenceForm(TeamRecordForm):
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Evidence
        fields = ["appraisal", "kind", "title", "link", "note", "org_unit", "project", "practices"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "practices" in self.fields:
            self.fields["practices"].queryset = Practice.objects.select_related("process_area")
            self.fields["practices"].help_text = _("The practices this evidence supports.")


class RecommendationForm(TeamRecordForm):
    class Meta:
        model = Recommendation
        fields = ["appraisal", "process_area", "statement", "priority"]


class FindingsImportForm(CsvImportForm):
    """Findings: kind, area, practice, unit or project, statement, severity."""


class RatingConfirmForm(forms.Form):
    value = forms.ChoiceField(label=_("Rating"), choices=())
    reason = forms.CharField(label=_("Reason (if overriding)"), required=False, max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from .models import Rating

        self.fields["value"].choices = Rating.Value.choices
