from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from appraisals.models import (
    Appraisal,
    Evidence,
    Finding,
    FindingFeedback,
    FindingsValidation,
    LeadAppraiserQualification,
    ProcessNeed,
    Recommendation,
)
from appraisals.models.qualification import QUALIFICATION_RULE
from appraisals.services import check_scope_and_team
from opf.core.accounts import User
from opf.core.permissions import perm_name, scope
from opf.core.roles import ALL
from opf.core.ui.forms import CsvImportForm, ObjectForm, set_queryset, typed_field
from opf.organization.forms import DateInput
from opf.reference.forms import areas_with_their_model
from opf.reference.models import Practice


class ProcessNeedForm(ObjectForm):
    class Meta:
        model = ProcessNeed
        fields = ["statement", "kind", "source", "owner", "priority", "measure", "target", "unit"]


def appraisers() -> QuerySet[User]:
    return Appraisal.lead_candidates()


class AppraisalForm(ObjectForm):
    class Meta:
        model = Appraisal
        fields = [
            "title",
            "initiative",
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
            set_queryset(self.fields, "sponsor", Appraisal.sponsor_candidates())
        if "lead_appraiser" in self.fields:
            set_queryset(self.fields, "lead_appraiser", appraisers())
            self.fields["lead_appraiser"].help_text = QUALIFICATION_RULE
        if "team" in self.fields:
            set_queryset(self.fields, "team", User.objects.filter(is_active=True))
        areas_with_their_model(self.fields)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        try:
            derived = check_scope_and_team(self.instance, data)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                self.add_error(name if name in self.fields else None, messages)
            return data
        if "team" in self.fields and "team" in derived:
            data["team"] = derived["team"]
        return data


def conducting_appraisals(user: User | None, model: type[Model]) -> QuerySet[Appraisal]:
    """Appraisals in progress the user may record ``model`` rows on."""
    appraisals = Appraisal.objects.filter(state=Appraisal.State.IN_PROGRESS)
    if user is not None and scope(user, perm_name(model, "add")) == ALL:
        return appraisals
    return appraisals.filter(Q(team=user) | Q(lead_appraiser=user)).distinct()


class TeamRecordForm(ObjectForm):
    """A record of one appraisal: on a new one, only appraisals the user conducts."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "appraisal" in self.fields:
            if self.instance.pk:
                self.fields["appraisal"].disabled = True
            else:
                set_queryset(
                    self.fields, "appraisal", conducting_appraisals(self.user, self._meta.model)
                )


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
            set_queryset(self.fields, "practice", Practice.objects.select_related("process_area"))


class PracticeChoiceField(forms.ModelChoiceField):
    """A practice named with its process area's abbreviation."""

    def label_from_instance(self, obj: Practice) -> str:
        return f"{obj.process_area.abbreviation} {obj.code} {obj.name}"


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
        field_classes = {"practice": PracticeChoiceField}

    def __init__(self, *args: Any, appraisal: Appraisal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.appraisal = appraisal
        set_queryset(self.fields, "process_area", appraisal.process_areas.all())
        set_queryset(
            self.fields,
            "practice",
            Practice.objects.filter(process_area__appraisals=appraisal).select_related(
                "process_area"
            ),
        )
        set_queryset(self.fields, "org_unit", appraisal.org_units.all())
        set_queryset(self.fields, "project", appraisal.projects.all())
        self.prefix = "finding"


class EvidenceForm(TeamRecordForm):
    link = forms.URLField(label=_("link"), required=False, assume_scheme="https")

    class Meta:
        model = Evidence
        fields = ["appraisal", "kind", "title", "link", "note", "org_unit", "project", "practices"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "practices" in self.fields:
            set_queryset(self.fields, "practices", Practice.objects.select_related("process_area"))
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
        from appraisals.models import Rating

        typed_field(self.fields, "value", forms.ChoiceField).choices = Rating.Value.choices


class UnitCharacterizationForm(forms.Form):
    """The team's confirmation of one practice's unit-level characterization; the
    rule (a reason when departing from the proposal) is the model's."""

    value = forms.ChoiceField(label=_("Characterization"), choices=())
    reason = forms.CharField(
        label=_("Reason (if departing from the proposal)"), required=False, max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from appraisals.models import PracticeCharacterization

        choices = PracticeCharacterization.Value.choices
        typed_field(self.fields, "value", forms.ChoiceField).choices = choices


class GoalJudgmentForm(forms.Form):
    """The team's judgment of one goal; the rules (satisfied only where the practices
    allow it, a reason when departing from the proposal) are the model's."""

    value = forms.ChoiceField(label=_("Goal"), choices=())
    reason = forms.CharField(
        label=_("Reason (if departing from the proposal)"), required=False, max_length=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        typed_field(self.fields, "value", forms.ChoiceField).choices = self.choices()

    @staticmethod
    def choices() -> list[tuple[str, str]]:
        from appraisals.models import GoalRating

        return list(GoalRating._meta.get_field("value").choices or [])


class LeadAppraiserQualificationForm(ObjectForm):
    class Meta:
        model = LeadAppraiserQualification
        fields = ["person", "certificate_id", "issued_on", "expires_on", "note"]
        widgets = {"issued_on": DateInput(), "expires_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "person" in self.fields:
            set_queryset(self.fields, "person", appraisers())


class FindingsValidationForm(TeamRecordForm):
    class Meta:
        model = FindingsValidation
        fields = ["appraisal", "held_on", "participants", "summary"]
        widgets = {"held_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "participants" in self.fields:
            set_queryset(self.fields, "participants", User.objects.filter(is_active=True))


class FindingFeedbackForm(TeamRecordForm):
    class Meta:
        model = FindingFeedback
        fields = [
            "appraisal",
            "validation",
            "finding",
            "participant",
            "response",
            "comment",
            "resolution",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        raw = self.initial.get("appraisal") or getattr(self.instance, "appraisal_id", None)
        if str(raw or "").isdigit():
            appraisal_id = int(str(raw))
            if "validation" in self.fields:
                set_queryset(
                    self.fields,
                    "validation",
                    FindingsValidation.objects.filter(appraisal_id=appraisal_id),
                )
            if "finding" in self.fields:
                set_queryset(
                    self.fields,
                    "finding",
                    Finding.objects.filter(appraisal_id=appraisal_id, archived_at__isnull=True),
                )
        if "participant" in self.fields:
            set_queryset(self.fields, "participant", User.objects.filter(is_active=True))
