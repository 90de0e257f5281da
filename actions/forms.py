from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from appraisals.models import Finding, ProcessNeed
from opf.ui.forms import ObjectForm

from .models import SCORE_MAX, SCORE_MIN, Improvement, PrioritizationCriterion


class PrioritizationCriterionForm(ObjectForm):
    class Meta:
        model = PrioritizationCriterion
        fields = ["name", "description", "weight", "higher_is_better", "active", "order"]


class ImprovementForm(ObjectForm):
    class Meta:
        model = Improvement
        fields = ["title", "description", "process_areas", "findings", "needs", "owner"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "findings" in self.fields:
            self.fields["findings"].queryset = Finding.objects.filter(
                kind=Finding.Kind.WEAKNESS
            ).select_related("appraisal")
            self.fields["findings"].help_text = _("Weaknesses this improvement addresses.")
        if "needs" in self.fields:
            self.fields["needs"].queryset = ProcessNeed.objects.filter(
                state=ProcessNeed.State.ACTIVE
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
