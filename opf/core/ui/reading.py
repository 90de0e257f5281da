"""Generic reading pages: the filtered, sorted, paginated list (with exports and HTMX
partials) and the record page with its history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldError
from django.db.models import Model, QuerySet
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views import View
from django.views.generic import DetailView
from django.views.generic.base import ContextMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from opf.core.approval import executives
from opf.core.archive import (
    is_archivable,
    visible_in_list,
    wants_archived,
)
from opf.core.display import field_values
from opf.core.field_rights import refused_fields
from opf.core.freshness import counted
from opf.core.permissions import can
from opf.core.services import delete_refusal
from opf.core.ui import export
from opf.core.ui.base import ObjectPermissionMixin
from opf.core.ui.history import history_of
from opf.core.ui.htmx import template_for

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from opf.core.models import PageModel

    class _PageView(ContextMixin, View):
        """What ``ObjectPermissionMixin`` is mixed into."""

else:
    _PageView = object


class ObjectListView(ObjectPermissionMixin, SingleTableMixin, FilterView):
    """Filter (django-filter), sort and paginate (django-tables2), export to CSV/XLSX.

    An HTMX request gets only the results partial; links and the filter form
    work without JavaScript too. Exports (``?_export=csv``) stream every row the
    filter shows (``opf.core.ui.export``).
    """

    if TYPE_CHECKING:  # narrower than MultipleObjectMixin's: ObjectViews always gives it
        model: type[PageModel]
    template_name = "ui/object_list.html"
    # (label, url name) shown to users who may add
    list_links: tuple[tuple[StrOrPromise, str], ...] = ()
    export_formats = export.FORMATS
    export_trigger_param = "_export"
    exclude_columns: tuple[str, ...] = ()
    strict = True

    # An export streams its rows (a StreamingHttpResponse), which the view passes on as is.
    def render_to_response(  # type: ignore[override]
        self, context: dict[str, Any], **kwargs: Any
    ) -> HttpResponseBase:
        wanted = self.request.GET.get(self.export_trigger_param)
        if wanted not in self.export_formats:
            return super().render_to_response(context, **kwargs)
        table = self.get_table(**self.get_table_kwargs())
        rows = export.export_rows(table, exclude=self.exclude_columns)
        filename = self.get_export_filename(wanted)
        if wanted == "csv":
            return export.csv_response(rows, filename)
        return export.xlsx_response(rows, filename, str(self.model._meta.verbose_name_plural))

    def get_template_names(self) -> list[str]:
        return [template_for(self.request, self.template_name, "results")]

    def get_queryset(self) -> QuerySet:
        """An archivable model's archived rows only with ``?archived=1`` ("Show archived")."""
        return visible_in_list(super().get_queryset(), self.request.GET)

    def lean_count(self) -> int | None:
        """The number of rows the list shows, counted over the model's plain rows with
        the same scoping and filters: the declared queryset's annotations (a priority
        summed over scores, …) and joins are for showing rows, and a COUNT that carries
        them computes them for every row. None (count the list itself) when the
        declared queryset narrows the rows itself or a filter needs an annotation."""
        declared = self.queryset
        if declared is None or not declared.query.annotations:
            return None
        if declared.query.where or declared.query.distinct or declared.query.combinator:
            return None
        filterset = getattr(self, "filterset", None)
        if filterset is None or (filterset.is_bound and not filterset.is_valid()):
            return None
        self.queryset = self.model._default_manager.all()
        try:
            rows = self.get_queryset()
        finally:
            self.queryset = declared
        try:
            if filterset.is_bound:
                rows = filterset.filter_queryset(rows)
            return counted(rows.order_by())
        except FieldError:
            return None

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.model._meta.verbose_name_plural}.{export_format}".replace(" ", "-")

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"request": self.request, "row_count": self.lean_count()}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop(self.export_trigger_param, None)
        context["title"] = self.waiting_title() or self.model._meta.verbose_name_plural
        if context["can_add"]:
            context["add_url"] = reverse(self.model.url_name("add"))
            context["list_links"] = [(label, reverse(name)) for label, name in self.list_links]
        context["export_query"] = query.urlencode()
        context["export_formats"] = self.export_formats
        context["archivable"] = is_archivable(self.model)
        context["show_archived"] = wants_archived(self.request.GET)
        return context

    def waiting_title(self) -> StrOrPromise | None:
        """Narrowed to what waits for the user (``?waiting=<kind>``, a home page block
        or the navigation): the kind's label ("Your open action items") is the title."""
        from django.utils import timezone

        from opf.core.worklist import kinds, waiting_queryset

        slug = self.request.GET.get("waiting", "")
        kind = kinds().get(slug)
        user = self.request.user
        if kind is None or not user.is_authenticated:
            return None
        waiting = waiting_queryset(slug, user, timezone.localdate())
        return kind.label if waiting is not None and waiting.model is self.model else None


class ObjectDetailView(ObjectPermissionMixin, DetailView):
    """A record with its edit/delete buttons (as permitted) and its history."""

    template_name = "ui/object_detail.html"
    inline_fields: tuple[str, ...] = ()
    detail_exclude: tuple[str, ...] = ()
    deletable: bool = True  # False: the model has no delete page (e.g. retired, never deleted)
    has_transitions: bool = False  # the model's ObjectViews declares transition services

    def get_template_names(self) -> list[str]:
        opts = self.model._meta
        names = [f"{opts.app_label}/{opts.model_name}_detail.html", self.template_name]
        return (
            names if self.template_name == ObjectDetailView.template_name else [self.template_name]
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.object
        user = self.request.user
        locked = getattr(obj, "is_locked", False)
        archivable = is_archivable(obj)
        archived = archivable and obj.archived_at is not None
        may_delete = self.editable and not locked and can(user, "delete", obj)
        context.update(
            locked=locked,
            archived=archived,
            can_change=self.editable and not locked and not archived and can(user, "change", obj),
            can_delete=may_delete and self.deletable and delete_refusal(obj) is None,
            can_archive=may_delete and archivable and not archived,
            can_restore=may_delete and archived,
            history=history_of(obj) if hasattr(obj, "history") else [],
            fields=field_values(obj, self.writable_inline(obj), self.detail_exclude),
            transitions=self.transition_links(obj),
        )
        if any("approver" in t.inputs for t, _url in context["transitions"]):
            context["approvers"] = executives().order_by("last_name", "first_name")
        return context

    def writable_inline(self, obj: Model) -> tuple[str, ...]:
        """The inline fields this user may write (``opf.core.field_rights``)."""
        refused = refused_fields(self.request.user, "change", obj, self.inline_fields)
        return tuple(name for name in self.inline_fields if name not in refused)

    def transition_links(self, obj: Model) -> list[tuple[Any, str]]:
        """The lifecycle steps this user may take now, with the URL that takes each."""
        workflow = getattr(type(obj), "workflow", None)
        if workflow is None or not self.has_transitions:
            return []
        name = self.model.url_name("transition")
        return [
            (t, reverse(name, args=[obj.pk, t.name]))
            for t in workflow.available(obj, self.request.user)
        ]
