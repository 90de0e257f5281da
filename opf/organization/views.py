"""Pages of the program core: home, org units, projects, people, reference models."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from opf.core.accounts import User
from opf.core.health import Heartbeat
from opf.core.permissions import can, signed_in_user
from opf.core.ui.views import ObjectDetailView, ObjectViews
from opf.organization import filters, forms, tables
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Practice, ProcessArea, ReferenceModel
from opf.reference.services import ImportFailed, import_reference_model
from opf.steering.dashboard.access import scope_of
from opf.steering.models import SteeringMeeting


class OrgUnitViews(ObjectViews):
    path_prefix = "org-units"
    model = OrgUnit
    queryset = OrgUnit.objects.select_related("parent", "head").annotate(
        project_count=Count("projects", filter=Q(projects__active=True))
    )
    table = tables.OrgUnitTable
    filterset = filters.OrgUnitFilterSet
    form = forms.OrgUnitForm
    inline_fields = ("head", "active")
    detail_template = "opf/orgunit_detail.html"


class ProjectViews(ObjectViews):
    path_prefix = "projects"
    model = Project
    queryset = Project.objects.select_related("org_unit", "manager")
    table = tables.ProjectTable
    filterset = filters.ProjectFilterSet
    form = forms.ProjectForm
    inline_fields = ("phase", "manager", "active", "end_date")
    detail_template = "opf/project_detail.html"


class ReferenceModelDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["areas"] = self.object.process_areas.annotate(
            goal_count=Count("goals", distinct=True),
            practice_count=Count("practices", distinct=True),
        )
        return context


class ReferenceModelViews(ObjectViews):
    path_prefix = "reference-models"
    model = ReferenceModel
    queryset = ReferenceModel.objects.annotate(area_count=Count("process_areas"))
    table = tables.ReferenceModelTable
    filterset = filters.ReferenceModelFilterSet
    form = forms.ReferenceModelForm
    list_links = ((_lazy("Import from a file"), "opf:referencemodel_import"),)
    detail_view = ReferenceModelDetailView
    detail_template = "opf/referencemodel_detail.html"


class ProcessAreaDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["goals"] = self.object.goals.prefetch_related("practices")
        context["loose_practices"] = self.object.practices.filter(goal__isnull=True)
        return context


class ProcessAreaViews(ObjectViews):
    path_prefix = "process-areas"
    model = ProcessArea
    queryset = ProcessArea.objects.select_related("reference_model")
    table = tables.ProcessAreaTable
    filterset = filters.ProcessAreaFilterSet
    form = forms.ProcessAreaForm
    detail_view = ProcessAreaDetailView
    detail_template = "opf/processarea_detail.html"


class PracticeViews(ObjectViews):
    path_prefix = "practices"
    model = Practice
    queryset = Practice.objects.select_related("process_area__reference_model", "goal")
    table = tables.PracticeTable
    filterset = filters.PracticeFilterSet
    form = forms.PracticeForm
    detail_template = "opf/practice_detail.html"


class UserViews(ObjectViews):
    """People are read here; accounts and roles are managed in the admin."""

    path_prefix = "people"
    model = User
    queryset = User.objects.select_related("org_unit").prefetch_related("groups")
    table = tables.UserTable
    filterset = filters.UserFilterSet
    detail_template = "opf/user_detail.html"


def home(request: HttpRequest) -> HttpResponse:
    """The program at a glance; the dashboard issue grows this page."""
    user = request.user
    projects = Project.objects.restrict(user, "view")
    phase_counts = dict(projects.filter(active=True).values_list("phase").annotate(n=Count("pk")))
    context = {
        "unit_count": OrgUnit.objects.restrict(user, "view").filter(active=True).count(),
        "project_count": sum(phase_counts.values()),
        "phases": [(label, phase_counts.get(value, 0)) for value, label in Project.Phase.choices],
        "models": ReferenceModel.objects.restrict(user, "view").annotate(
            area_count=Count("process_areas")
        ),
        "my_projects": projects.filter(manager=user, active=True).select_related("org_unit"),
        "heartbeat": Heartbeat.objects.filter(name="worker").first(),
        "dashboard_scope": scope_of(user),
        "next_meeting": SteeringMeeting.objects.restrict(user, "view")
        .filter(state=SteeringMeeting.State.PLANNED, scheduled_at__gte=timezone.now())
        .order_by("scheduled_at")
        .first(),
    }
    return render(request, "opf/home.html", context)


@require_http_methods(["GET", "POST"])
def reference_import(request: HttpRequest) -> HttpResponse:
    if not can(request.user, "add", ReferenceModel):
        raise PermissionDenied
    form = forms.ReferenceImportForm(request.POST or None, request.FILES or None)
    errors: list[Any] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        meta = {k: form.cleaned_data[k] for k in ("abbreviation", "name", "version")}
        try:
            model = import_reference_model(
                upload.read(),
                upload.name,
                actor=signed_in_user(request),
                **(meta if upload.name.lower().endswith(".csv") else {}),
            )
        except ImportFailed as failure:
            errors = failure.errors
        else:
            messages.success(request, _("Imported %(model)s.") % {"model": model})
            return HttpResponseRedirect(model.get_absolute_url())
    status = 400 if request.method == "POST" and (errors or form.errors) else 200
    return render(
        request, "opf/reference_import.html", {"form": form, "errors": errors}, status=status
    )


@require_http_methods(["GET", "POST"])
def profile(request: HttpRequest) -> HttpResponse:
    """The signed-in user's own page: roles and the API token for scripts."""
    user = signed_in_user(request)
    if request.method == "POST":
        Token.objects.filter(user=user).delete()
        if request.POST.get("action") == "create":
            Token.objects.create(user=user)
            messages.success(
                request, _("A new API token was created; the old one no longer works.")
            )
        else:
            messages.success(request, _("Your API token was revoked."))
        return HttpResponseRedirect(request.path)
    token = Token.objects.filter(user=user).first()
    return render(request, "opf/profile.html", {"token": token})


@login_not_required
@require_http_methods(["GET", "HEAD"])
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for load balancers and docker compose: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
