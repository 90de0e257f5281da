from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import HttpRequest, HttpResponse
from simple_history.admin import SimpleHistoryAdmin

from opf.core.accounts import User
from opf.organization.models import OrgUnit, Project
from opf.organization.services import password_changed
from opf.reference.models import Goal, Practice, ProcessArea, ReferenceModel


class ReadOnlyHistoryAdmin(SimpleHistoryAdmin):
    """History is append-only, superusers included: past versions are listed and shown
    here, never reverted, edited or deleted (no historical model is registered)."""

    def revert_disabled(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return True

    def history_form_view(
        self,
        request: HttpRequest,
        object_id: str,
        version_id: str,
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)


class PasswordChangeForm(AdminPasswordChangeForm):
    """The admin's "change password" form: the person's API tokens are revoked as well
    (their sessions end by themselves, as after any password change)."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit=commit)
        if commit:
            password_changed(user)
        return user


@admin.register(User)
class UserAdmin(BaseUserAdmin, ReadOnlyHistoryAdmin):
    change_password_form = PasswordChangeForm
    list_display = ("username", "first_name", "last_name", "email", "org_unit", "is_active")
    list_filter = ("groups", "is_active", "is_staff")
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), ("OPF", {"fields": ("job_title", "org_unit")}))


@admin.register(OrgUnit)
class OrgUnitAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "code", "parent", "head", "active")
    list_filter = ("active",)
    search_fields = ("name", "code")
    autocomplete_fields = ("parent", "head")


@admin.register(Project)
class ProjectAdmin(ReadOnlyHistoryAdmin):
    list_display = ("name", "code", "org_unit", "manager", "phase", "start_date", "active")
    list_filter = ("phase", "active", "org_unit")
    search_fields = ("name", "code")
    autocomplete_fields = ("org_unit", "manager")


class ProcessAreaInline(admin.TabularInline):
    model = ProcessArea
    fields = ("abbreviation", "name", "category", "maturity_level", "order")
    extra = 0


@admin.register(ReferenceModel)
class ReferenceModelAdmin(ReadOnlyHistoryAdmin):
    list_display = ("abbreviation", "name", "version", "builtin")
    search_fields = ("abbreviation", "name")
    inlines = [ProcessAreaInline]


class GoalInline(admin.TabularInline):
    model = Goal
    fields = ("code", "name", "kind", "order")
    extra = 0


@admin.register(ProcessArea)
class ProcessAreaAdmin(ReadOnlyHistoryAdmin):
    list_display = ("abbreviation", "name", "reference_model", "category", "maturity_level")
    list_filter = ("reference_model", "category", "maturity_level")
    search_fields = ("abbreviation", "name")
    inlines = [GoalInline]


@admin.register(Goal)
class GoalAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "name", "process_area", "kind")
    list_filter = ("kind",)


@admin.register(Practice)
class PracticeAdmin(ReadOnlyHistoryAdmin):
    list_display = ("code", "name", "process_area", "goal")
    list_filter = ("process_area__reference_model",)
    search_fields = ("code", "name", "statement")
