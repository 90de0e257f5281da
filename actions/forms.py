from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from actions.models import (
    SCORE_MAX,
    SCORE_MIN,
    ActionItem,
    Commitment,
    CostRate,
    Improvement,
    Milestone,
    Pilot,
    PlanIssue,
    PlanMeeting,
    PlanReview,
    PlanTeamMember,
    PrioritizationCriterion,
    ProcessActionPlan,
    SuccessCriterion,
)
from actions.services import check_improvements
from appraisals.models import Finding, ProcessNeed
from opf.core.accounts import User
from opf.core.permissions import can, restrict
from opf.core.roles import EXECUTIVE
from opf.core.ui.forms import ObjectForm, RefinedChoicesMixin, set_queryset


class PrioritizationCriterionForm(ObjectForm):
    class Meta:
        model = PrioritizationCriterion
        fields = [
            "name",
            "description",
            "source",
            "weight",
            "higher_is_better",
            "active",
            "order",
        ]


class CostRateForm(ObjectForm):
    class Meta:
        model = CostRate
        fields = ["name", "hourly_rate", "currency", "active"]


BUSINESS_CASE_FIELDS = [
    "benefit_measure",
    "benefit_baseline",
    "benefit_target",
    "benefit_money_per_year",
    "benefit_hours_per_year",
    "estimated_hours",
    "other_cost",
]


class ImprovementForm(ObjectForm):
    class Meta:
        model = Improvement
        fields = [
            "title",
            "initiative",
            "description",
            "process_areas",
            "findings",
            "needs",
            "owner",
            *BUSINESS_CASE_FIELDS,
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "findings" in self.fields:
            set_queryset(
                self.fields,
                "findings",
                Finding.objects.filter(kind=Finding.Kind.WEAKNESS).select_related("appraisal"),
            )
            self.fields["findings"].help_text = _("Weaknesses this improvement addresses.")
        if "needs" in self.fields:
            set_queryset(
                self.fields, "needs", ProcessNeed.objects.filter(state=ProcessNeed.State.ACTIVE)
            )


class FromFindingsForm(forms.Form):
    findings = forms.ModelMultipleChoiceField(
        queryset=Finding.objects.select_related("process_area"), label=_("Weaknesses")
    )
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    separately = forms.BooleanField(label=_("One improvement per weakness"), required=False)


class ScoreForm(forms.Form):
    value = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[("", "—"), *((n, str(n)) for n in range(SCORE_MIN, SCORE_MAX + 1))],
    )


class RankForm(forms.Form):
    rank = forms.IntegerField(label=_("Manual rank"), min_value=1, required=False)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


# --- SG 2: action plans -------------------------------------------------------------


class ProcessActionPlanForm(ObjectForm):
    class Meta:
        model = ProcessActionPlan
        fields = [
            "title",
            "initiative",
            "improvements",
            "strategy",
            "owner",
            "sponsor",
            "stakeholders",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "improvements" in self.fields:
            linked = Q(action_plans=self.instance) if self.instance.pk else Q(pk__in=[])
            set_queryset(
                self.fields,
                "improvements",
                Improvement.objects.filter(Q(state=Improvement.State.SELECTED) | linked).distinct(),
            )
        if "sponsor" in self.fields:
            set_queryset(self.fields, "sponsor", User.objects.filter(groups__name=EXECUTIVE.group))

    def clean_improvements(self) -> Any:
        value = self.cleaned_data["improvements"]
        try:
            check_improvements(self.instance, value)
        except ValidationError as error:
            raise ValidationError(error.message_dict["improvements"]) from error
        return value


class PlanTeamMemberForm(ObjectForm):
    class Meta:
        model = PlanTeamMember
        fields = ["plan", "user", "role"]


class PlanReviewForm(ObjectForm):
    class Meta:
        model = PlanReview
        fields = ["plan", "reviewer", "focus"]


class MilestoneForm(ObjectForm):
    class Meta:
        model = Milestone
        fields = ["plan", "title", "due", "done"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}


# What an assignee may change on their own item; the rest is the process group's.
ASSIGNEE_FIELDS = ("spent_effort",)


class ActionItemForm(ObjectForm):
    class Meta:
        model = ActionItem
        fields = ["plan", "milestone", "title", "assignee", "due", "planned_effort", "spent_effort"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        planning = self.user is None or can(self.user, "add", ActionItem)
        for name, field in self.fields.items():
            if name not in ASSIGNEE_FIELDS and name != "version":
                field.disabled = not planning
        if "milestone" in self.fields:
            set_queryset(self.fields, "milestone", Milestone.objects.select_related("plan"))


class CommitmentForm(ObjectForm):
    class Meta:
        model = Commitment
        fields = ["plan", "what", "from_party", "to_party", "owner", "due"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"})}


class PlanIssueForm(ObjectForm):
    class Meta:
        model = PlanIssue
        fields = ["plan", "title", "description", "owner", "root_cause"]


class PlanMeetingForm(ObjectForm):
    class Meta:
        model = PlanMeeting
        fields = ["plan", "date", "attendees", "notes", "decisions"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"})}


class PilotForm(ObjectForm):
    class Meta:
        model = Pilot
        fields = ["action_plan", "title", "objective", "projects", "start", "end"]
        widgets = {
            "start": forms.DateInput(attrs={"type": "date"}),
            "end": forms.DateInput(attrs={"type": "date"}),
        }


class SuccessCriterionForm(ObjectForm):
    class Meta:
        model = SuccessCriterion
        fields = ["pilot", "measure", "unit", "comparator", "target"]


class MoveForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)


class FollowUpForm(forms.Form):
    title = forms.CharField(label=_("Follow-up"), max_length=200)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.filter(is_active=True), required=False
    )
    due = forms.DateField(
        label=_("Due date"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Pilot.Decision.choices)
    rationale = forms.CharField(
        label=_("Rationale"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )
    changes = forms.CharField(
        label=_("What changes (adapt)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required to adapt: what changes before the rollout."),
    )
    override_reason = forms.CharField(
        label=_("Executive override: reason"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Executives only: to adopt although not every criterion is measured and met."),
    )


class CarryOverForm(RefinedChoicesMixin, forms.Form):
    """To which open plan (any but this one) and why. Beyond ``OPF_FULL_CHOICES`` open
    plans the page carries none of them: the picker searches them
    (``opf.core.ui.choices.choices_view``), which builds this form again for the plan
    named in its signed URL (``choice_search_state``, ``for_choice_search``)."""

    to_plan = forms.ModelChoiceField(
        label=_("Carry over to plan"),
        queryset=ProcessActionPlan.objects.filter(state__in=ProcessActionPlan.OPEN_STATES),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, plan: ProcessActionPlan, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.plan = plan
        set_queryset(
            self.fields,
            "to_plan",
            ProcessActionPlan.objects.filter(state__in=ProcessActionPlan.OPEN_STATES).exclude(
                pk=plan.pk
            ),
        )

    def choice_search_state(self) -> dict[str, Any]:
        return {"plan": self.plan.pk}

    @classmethod
    def for_choice_search(cls, request: HttpRequest, state: Any) -> CarryOverForm | None:
        """The form of the plan ``state`` names, for whoever may see that plan and
        carry records over (as ``plan_views.plan_carry_over`` asks)."""
        user = request.user
        if not can(user, "add", ActionItem):
            raise PermissionDenied
        pk = state.get("plan") if isinstance(state, dict) else None
        plan = restrict(ProcessActionPlan.objects.all(), user).filter(pk=pk).first()
        # the plan's own form, for its subclass too: the plans offered are the same
        return None if plan is None else CarryOverForm(plan=plan)


class CarryOverManyForm(CarryOverForm):
    """The plan page's one carry-over form: which of the plan's open records (ticked),
    to which open plan, and why. The plans are offered once, not once per record."""

    records = forms.MultipleChoiceField(
        label=_("Carry over"), widget=forms.CheckboxSelectMultiple, required=False
    )

    def __init__(self, *args: Any, plan: ProcessActionPlan, open_records: list, **kwargs: Any):
        super().__init__(*args, plan=plan, **kwargs)
        self.by_key = {record_key(obj): obj for obj in open_records}
        records = self.fields["records"]
        assert isinstance(records, forms.MultipleChoiceField)
        records.choices = [(key, str(obj)) for key, obj in self.by_key.items()]
        self.order_fields(["records", "to_plan", "reason"])

    def chosen(self) -> list:
        return [self.by_key[key] for key in self.cleaned_data.get("records", [])]


def record_key(obj: Any) -> str:
    """``<model name>-<pk>``: one open record of a plan, as the carry-over form names it."""
    return f"{obj._meta.model_name}-{obj.pk}"


OBJECTIVE_CHOICES = [
    ("", "—"),
    ("yes", _("Reached")),
    ("partly", _("Partly reached")),
    ("no", _("Not reached")),
]


class CompletePlanForm(forms.Form):
    """Per improvement in action: was its objective reached, and a note."""

    reason = forms.CharField(
        label=_("Comment"), required=False, max_length=1000, widget=forms.TextInput()
    )

    def __init__(self, *args: Any, improvements: list[Improvement], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.improvements = improvements
        for improvement in improvements:
            self.fields[f"reached_{improvement.pk}"] = forms.ChoiceField(
                label=_("Objective of “%(i)s” reached?") % {"i": improvement},
                choices=OBJECTIVE_CHOICES,
                required=False,
            )
            self.fields[f"note_{improvement.pk}"] = forms.CharField(
                label=_("Note on “%(i)s”") % {"i": improvement},
                required=False,
                max_length=2000,
                help_text=_("Required unless reached: what was not reached."),
            )

    def outcomes(self) -> list[dict[str, Any]]:
        return [
            {
                "improvement": i,
                "reached": self.cleaned_data.get(f"reached_{i.pk}", ""),
                "note": self.cleaned_data.get(f"note_{i.pk}", ""),
            }
            for i in self.improvements
        ]


class ResultsForm(forms.Form):
    """One optional number per success criterion of the pilot."""

    def __init__(self, *args: Any, criteria: list[SuccessCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"c{criterion.pk}"] = forms.DecimalField(
                label=str(criterion),
                required=False,
                max_digits=12,
                decimal_places=2,
                initial=criterion.result,
            )

    def results(self) -> list[tuple[SuccessCriterion, Any]]:
        return [(c, self.cleaned_data.get(f"c{c.pk}")) for c in self.criteria]
