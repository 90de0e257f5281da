"""Pages of lessons learned and improvement proposals: anyone's submissions, the
record pages, effectiveness reviews, and the published lessons offered for a project
or an asset."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from actions.models import Improvement
from deployment.models import ProcessAsset
from lessons import effect_queries, filters, forms, queries, tables
from lessons.models import (
    EffectivenessReview,
    ImprovementProposal,
    Lesson,
    NonCompliance,
)
from lessons.services import learning as learning_services
from opf.core.permissions import can, signed_in_user
from opf.core.ui.htmx import wants_partial
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews
from opf.core.ui.writing import ObjectFormView
from opf.organization.models import Project


class SubmitView(ObjectFormView):
    """Anyone's submission: the "submit" permission, the model's submit service."""

    action = "submit"
    service: Any = None

    def required_action(self) -> str:
        return "submit"

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = type(self).service(
                form.save(commit=False), actor=signed_in_user(self.request)
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        form.save_m2m()
        messages.success(
            self.request, _("Thank you: %(object)s was submitted.") % {"object": self.object}
        )
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = _("Submit a %(model)s") % {"model": self.model._meta.verbose_name}
        return context


class LessonSubmitView(SubmitView):
    model = Lesson
    form_class = forms.LessonSubmitForm
    service = staticmethod(learning_services.lesson_submit)


class ProposalSubmitView(SubmitView):
    model = ImprovementProposal
    form_class = forms.ProposalSubmitForm
    service = staticmethod(learning_services.proposal_submit)


class LessonViews(ObjectViews):
    path_prefix = "lessons"
    model = Lesson
    queryset = Lesson.objects.select_related("project", "asset", "submitted_by")
    table = tables.LessonTable
    filterset = filters.LessonFilterSet
    form = forms.LessonForm
    list_links = (
        (_lazy("Submit a lesson"), "lessons:lesson_submit"),
        (_lazy("Lessons to reuse"), "lessons:my_project_lessons"),
    )
    transitions = {
        "publish": learning_services.lesson_publish,
        "archive": learning_services.lesson_archive,
    }


class ProposalDetailView(ObjectDetailView):
    def get_queryset(self) -> Any:
        return (
            super()
            .get_queryset()
            .select_related("asset", "process_area", "submitted_by", "improvement", "lesson")
            .prefetch_related(
                Prefetch(
                    "non_compliances", queryset=NonCompliance.objects.select_related("project")
                )
            )
        )


class ImprovementProposalViews(ObjectViews):
    path_prefix = "proposals"
    model = ImprovementProposal
    queryset = ImprovementProposal.objects.select_related(
        "asset", "process_area", "submitted_by", "improvement"
    )
    table = tables.ImprovementProposalTable
    filterset = filters.ImprovementProposalFilterSet
    form = forms.ImprovementProposalForm
    detail_view = ProposalDetailView
    list_links = ((_lazy("Submit a proposal"), "lessons:improvementproposal_submit"),)
    transitions = {
        "accept": learning_services.proposal_accept,
        "reject": learning_services.proposal_reject,
    }


class EffectivenessReviewDetailView(ObjectDetailView):
    """The review with the measured effect of every improvement with a benefit measure
    (``lessons.measured_effect``): what the reviewers weigh the standard set by."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        improvements = list(
            Improvement.objects.restrict(self.request.user, "view")
            .filter(benefit_measure__isnull=False)
            .only("pk", "title")
            .order_by("pk")
        )
        found = effect_queries.effects([i.pk for i in improvements])
        context["effects"] = [(i, found[i.pk]) for i in improvements]
        return context


class EffectivenessReviewViews(ObjectViews):
    path_prefix = "effectiveness-reviews"
    model = EffectivenessReview
    queryset = EffectivenessReview.objects.select_related("standard_set")
    table = tables.EffectivenessReviewTable
    filterset = filters.EffectivenessReviewFilterSet
    form = forms.EffectivenessReviewForm
    detail_view = EffectivenessReviewDetailView
    detail_template = "lessons/effectivenessreview_detail.html"


LESSON_TARGETS: dict[str, type[Project] | type[ProcessAsset]] = {
    "project": Project,
    "processasset": ProcessAsset,
}


@require_GET
def lessons_for(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """The published lessons of a project or an asset: a partial for their pages
    (``hx-get`` on load), or a page of its own without JavaScript."""
    target_model = LESSON_TARGETS.get(model)
    if target_model is None or not can(request.user, "view", Lesson):
        raise Http404
    target = get_object_or_404(target_model.objects.restrict(request.user, "view"), pk=pk)
    context = {"target": target, "lessons": list(queries.lessons_for(target)[:50])}
    template = "lessons/lessons_for.html"
    return render(request, f"{template}#lessons" if wants_partial(request) else template, context)


@require_GET
def my_project_lessons(request: HttpRequest) -> HttpResponse:
    """Published lessons offered to a project manager for each of their projects."""
    if not can(request.user, "view", Lesson):
        raise PermissionDenied
    context = {
        "title": _("Lessons to reuse"),
        "projects": queries.lessons_for_managed_projects(signed_in_user(request)),
    }
    return render(request, "lessons/my_project_lessons.html", context)
