"""Pages of the organization: org units, projects, people, and one's own profile."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from rest_framework.authtoken.models import Token

from opf.core.accounts import User
from opf.core.permissions import signed_in_user
from opf.core.roles import role_labels
from opf.core.ui.reading import ObjectDetailView
from opf.core.ui.views import ObjectViews
from opf.organization import filters, forms, tables
from opf.organization.models import OrgUnit, Project


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


# When a person signs in and joined: shown on their own page only (and never in history).
SIGN_IN_FIELDS = ("last_login", "date_joined")


class UserDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        if self.object.pk != self.request.user.pk:
            self.detail_exclude = (*self.detail_exclude, *SIGN_IN_FIELDS)
        return {**super().get_context_data(**kwargs), "roles": role_labels(self.object)}


class UserViews(ObjectViews):
    """People are read here; accounts and roles are managed in the admin."""

    path_prefix = "people"
    model = User
    queryset = User.objects.select_related("org_unit").prefetch_related("groups")
    table = tables.UserTable
    filterset = filters.UserFilterSet
    detail_template = "opf/user_detail.html"
    detail_view = UserDetailView


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
    return render(request, "opf/profile.html", {"token": token, "roles": role_labels(user)})
