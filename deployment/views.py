"""Pages of the asset library and deployments (thin: rules live in services)."""

from __future__ import annotations

from collections import Counter
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from deployment import filters, forms, queries, services, tables
from deployment.coverage_page import coverage_page
from deployment.models import (
    AssetVersion,
    DeploymentPlan,
    ProcessAsset,
    ProjectDeployment,
    StandardProcessSet,
    TailoringRecord,
    TrainingRecord,
)
from opf.core.errors import TransitionRefused
from opf.core.permissions import can, restrict, signed_in_user
from opf.core.ui.htmx import wants_partial
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews
from opf.core.uploads import serve_upload
from opf.core.versioning import StaleVersion
from opf.organization.models import Project

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django_stubs_ext import StrOrPromise

    from opf.core.accounts import User

# --- assets and versions -------------------------------------------------------


class ProcessAssetDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        asset = self.object
        context["versions"] = asset.versions.annotate(deployment_count=Count("deployments"))
        context["process_areas"] = asset.process_areas.select_related("reference_model")
        context["tailorings"] = queries.tailorings_for_asset(asset.pk)
        context["compare_form"] = forms.CompareForm(asset=asset)
        context["can_add_version"] = can(self.request.user, "add", AssetVersion)
        return context


class ProcessAssetViews(ObjectViews):
    path_prefix = "assets"
    model = ProcessAsset
    queryset = ProcessAsset.objects.select_related("owner").annotate(
        version_count=Count("versions", distinct=True),
        current_number=Subquery(
            AssetVersion.objects.filter(
                asset=OuterRef("pk"), state=AssetVersion.State.RELEASED
            ).values("number")[:1]
        ),
    )
    table = tables.ProcessAssetTable
    filterset = filters.ProcessAssetFilterSet
    form = forms.ProcessAssetForm
    inline_fields = ("owner", "requires_training")
    detail_view = ProcessAssetDetailView
    detail_template = "deployment/processasset_detail.html"


class AssetVersionDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        version = self.object
        deployments = version.deployments.select_related("project")
        context["deployment_states"] = _state_counts(deployments)
        context["training"] = version.training_records.select_related("person").order_by(
            "status", "person__last_name"
        )
        context["standard_sets"] = version.standard_sets.all()
        return context


class AssetVersionViews(ObjectViews):
    path_prefix = "asset-versions"
    model = AssetVersion
    queryset = AssetVersion.objects.select_related("asset")
    table = tables.AssetVersionTable
    filterset = filters.AssetVersionFilterSet
    form = forms.AssetVersionForm
    detail_view = AssetVersionDetailView
    detail_template = "deployment/assetversion_detail.html"
    transitions = {
        "submit": services.asset_version_submit,
        "send_back": services.asset_version_send_back,
        "approve": services.asset_version_approve,
        "release": services.asset_version_release,
        "return_to_draft": services.asset_version_return_to_draft,
    }


@require_GET
def version_file(request: HttpRequest, pk: int) -> FileResponse:
    """A version's file, for signed-in users who may see it (never a public media URL)."""
    version = get_object_or_404(restrict(AssetVersion.objects.all(), request.user, "view"), pk=pk)
    if not version.file:
        raise Http404
    name = PurePath(version.file.name).name
    return serve_upload(version.file, name)


@require_GET
def compare_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """The change summaries from one version to another, in order."""
    asset = get_object_or_404(restrict(ProcessAsset.objects.all(), request.user, "view"), pk=pk)
    form = forms.CompareForm(request.GET or None, asset=asset)
    steps: list[AssetVersion] = []
    if form.is_valid():
        old, new = form.cleaned_data["old"], form.cleaned_data["new"]
        low, high = sorted([old.pk, new.pk])
        steps = list(asset.versions.filter(pk__gt=low, pk__lte=high).order_by("pk"))
    return render(
        request,
        "deployment/compare.html",
        {"asset": asset, "form": form, "steps": steps},
        status=400 if form.errors else 200,
    )


# --- standard sets and plans ---------------------------------------------------


class StandardProcessSetDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["versions"] = self.object.asset_versions.select_related("asset").order_by(
            "asset__name"
        )
        return context


class StandardProcessSetViews(ObjectViews):
    path_prefix = "standard-sets"
    model = StandardProcessSet
    queryset = StandardProcessSet.objects.annotate(version_count=Count("asset_versions"))
    table = tables.StandardProcessSetTable
    filterset = filters.StandardProcessSetFilterSet
    form = forms.StandardProcessSetForm
    detail_view = StandardProcessSetDetailView
    detail_template = "deployment/standardprocessset_detail.html"
    transitions = {
        "submit": services.standard_set_submit,
        "send_back": services.standard_set_send_back,
        "approve": services.standard_set_approve,
        "publish": services.standard_set_publish,
        "retire": services.standard_set_retire,
    }


class DeploymentPlanDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        plan = self.object
        context["versions"] = services.plan_versions(plan)
        context["target_units"] = plan.target_units.all()
        context["projects"] = services.plan_projects(plan).select_related("manager")
        context["deployment_states"] = _state_counts(plan.deployments.all())
        return context


class DeploymentPlanViews(ObjectViews):
    path_prefix = "deployment-plans"
    model = DeploymentPlan
    queryset = DeploymentPlan.objects.select_related("standard_set").annotate(
        deployment_count=Count("deployments")
    )
    table = tables.DeploymentPlanTable
    filterset = filters.DeploymentPlanFilterSet
    form = forms.DeploymentPlanForm
    detail_view = DeploymentPlanDetailView
    detail_template = "deployment/deploymentplan_detail.html"
    transitions = {
        "submit": services.deployment_plan_submit,
        "send_back": services.deployment_plan_send_back,
        "approve": services.deployment_plan_approve,
        "refresh": services.deployment_plan_refresh,
        "complete": services.deployment_plan_complete,
        "cancel": services.deployment_plan_cancel,
    }


def _state_counts(deployments: Any) -> list[tuple[StrOrPromise, int]]:
    counts = Counter(deployments.values_list("state", flat=True))
    return [(label, counts.get(value, 0)) for value, label in ProjectDeployment.State.choices]


# --- project deployments -----------------------------------------------------


class ProjectDeploymentDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        deployment = self.object
        user = self.request.user
        context["row"] = _row_context(deployment, user)
        context["tailorings"] = deployment.tailorings.select_related("decided_by")
        context["can_tailor"] = can(user, "change", deployment)
        if deployment.asset_version.asset.requires_training:
            context["untrained"] = services.untrained(deployment)
        return context


class ProjectDeploymentViews(ObjectViews):
    path_prefix = "project-deployments"
    model = ProjectDeployment
    queryset = ProjectDeployment.objects.select_related(
        "project__org_unit", "project__manager", "asset_version__asset", "plan"
    )
    table = tables.ProjectDeploymentTable
    filterset = filters.ProjectDeploymentFilterSet
    form = forms.ProjectDeploymentForm
    inline_fields = ("notes",)
    detail_view = ProjectDeploymentDetailView
    detail_template = "deployment/projectdeployment_detail.html"


def _row_context(
    deployment: ProjectDeployment,
    user: User | AnonymousUser,
    form: forms.DeploymentStatusForm | None = None,
) -> dict[str, Any]:
    may_change = can(user, "change", deployment)
    stale = (
        deployment.state not in ProjectDeployment.CLOSED_STATES
        and deployment.updated_at < queries.stale_cutoff()
    )
    return {
        "deployment": deployment,
        "form": form
        or (forms.DeploymentStatusForm(deployment=deployment, user=user) if may_change else None),
        "stale": stale,
        "needs_update": needs_update(deployment, stale),
    }


def needs_update(deployment: ProjectDeployment, stale: bool) -> bool:
    """Still going (not verified or waived) and either stale (not updated for the
    stale days) or on a superseded version (a newer release is out)."""
    if deployment.state in ProjectDeployment.CLOSED_STATES:
        return False
    return stale or deployment.asset_version.state == AssetVersion.State.SUPERSEDED


@require_http_methods(["GET", "POST"])
def deployment_update(request: HttpRequest, pk: int) -> HttpResponse:
    """The project's manager (or the process group) moves a deployment's status
    and notes; HTMX swaps the row, without JavaScript the page reloads."""
    queryset = ProjectDeploymentViews.queryset
    deployment = get_object_or_404(restrict(queryset, request.user, "view"), pk=pk)
    if not can(request.user, "change", deployment):
        raise PermissionDenied
    form: forms.DeploymentStatusForm | None  # None once saved: the row shows a fresh one
    form = forms.DeploymentStatusForm(
        request.POST if request.method == "POST" else None, deployment=deployment, user=request.user
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.deployment_update(
                    deployment,
                    actor=signed_in_user(request),
                    expected_version=form.expected_version,
                    transition=form.cleaned_data["transition"],
                    notes=form.cleaned_data["notes"],
                    reason=form.cleaned_data["reason"],
                )
            except StaleVersion as stale:
                form = _conflict_form(request, stale.current.pk)
                status = 409
            except TransitionRefused as refused:
                form.add_error(None, refused.message)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            else:
                deployment = get_object_or_404(queryset, pk=pk)
                if not wants_partial(request):
                    messages.success(request, _("Saved %(object)s.") % {"object": deployment})
                    return HttpResponseRedirect(_next_url(request, deployment))
                form = None
                status = 200
    context = {
        **_row_context(deployment, request.user, form),
        "next": _next_url(request, None),
        "saved": request.method == "POST" and status == 200,
    }
    template = "deployment/deployment_row.html"
    if wants_partial(request):
        template += "#row"
    return render(request, template, context, status=status)


def _conflict_form(request: HttpRequest, pk: int) -> forms.DeploymentStatusForm:
    """The user's form, refused: current values shown, version moved forward."""
    current = ProjectDeploymentViews.queryset.get(pk=pk)
    form = forms.DeploymentStatusForm(request.POST, deployment=current, user=request.user)
    form.is_valid()
    form.add_conflict(current)
    return form


def _next_url(request: HttpRequest, deployment: ProjectDeployment | None) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return target
    return deployment.get_absolute_url() if deployment else ""


@require_GET
def my_projects(request: HttpRequest) -> HttpResponse:
    """The project manager's deployments, a compact table per project: filtered by the
    GET parameters (project, status, needs an update), those needing an update first."""
    user = signed_in_user(request)
    projects = queries.my_projects(user)
    choices = Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("name")
    form = filters.MyProjectsFilter(request.GET or None, projects=choices)
    wanted = form.cleaned_data if form.is_bound and form.is_valid() else {}
    cutoff = queries.stale_cutoff()
    shown = []
    for project in projects:
        if wanted.get("project") and wanted["project"].pk != project.pk:
            continue
        rows = []
        for d in project.deployments.all():
            stale = d.state not in ProjectDeployment.CLOSED_STATES and d.updated_at < cutoff
            row = {**_row_context(d, request.user), "stale": stale}
            row["needs_update"] = needs_update(d, stale)
            if wanted.get("status") and d.state != wanted["status"]:
                continue
            if wanted.get("needs_update") and not row["needs_update"]:
                continue
            rows.append(row)
        rows.sort(key=lambda r: (not r["needs_update"], str(r["deployment"].asset_version)))
        shown.append((project, rows))
    return render(
        request,
        "deployment/my_projects.html",
        {
            "projects": shown,
            "form": form,
            "filtered": bool(wanted and any(wanted.values())),
            "next": request.get_full_path(),
            "stale_days": queries.stale_days(),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


# --- tailoring and training ----------------------------------------------------


class TailoringRecordViews(ObjectViews):
    path_prefix = "tailoring-records"
    model = TailoringRecord
    queryset = TailoringRecord.objects.select_related(
        "deployment__project", "deployment__asset_version__asset", "decided_by"
    )
    table = tables.TailoringRecordTable
    filterset = filters.TailoringRecordFilterSet
    form = forms.TailoringRecordForm
    transitions = {"approve": services.tailoring_approve, "reject": services.tailoring_reject}


class TrainingRecordViews(ObjectViews):
    path_prefix = "training-records"
    model = TrainingRecord
    queryset = TrainingRecord.objects.select_related("person", "asset_version__asset")
    table = tables.TrainingRecordTable
    filterset = filters.TrainingRecordFilterSet
    form = forms.TrainingRecordForm
    inline_fields = ("status", "completed_on", "notes")


# --- coverage and attention -------------------------------------------------------


@require_GET
def coverage(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view", ProjectDeployment):
        raise PermissionDenied
    form = forms.CoverageFilterForm(request.GET or None)
    unit, only_set = None, False
    if form.is_valid():
        unit, only_set = form.cleaned_data["unit"], form.cleaned_data["only_set"]
    matrix = coverage_page(
        signed_in_user(request),
        unit=unit,
        only_set=only_set,
        number=request.GET.get("page", 1),
        columns=request.GET.get("assets", 1),
    )
    return render(request, "deployment/coverage.html", {"form": form, "matrix": matrix})


@require_GET
def attention(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "view", ProjectDeployment):
        raise PermissionDenied
    standard_set, startups = queries.startups_without_set(signed_in_user(request))
    days = queries.stale_days()
    stale = (
        restrict(services.stale_deployments(days), request.user, "view")
        .select_related("project__manager", "asset_version__asset")
        .order_by("updated_at")[:200]
    )
    return render(
        request,
        "deployment/attention.html",
        {
            "standard_set": standard_set,
            "startups": startups,
            "superseded": queries.on_superseded_versions(signed_in_user(request)),
            "stale": stale,
            "stale_days": days,
        },
    )
