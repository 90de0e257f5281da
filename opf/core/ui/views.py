"""Generic pages: list, detail, create, edit, inline field edit and delete.

A model's pages are declared once with ``ObjectViews`` (model, queryset,
table, filterset, form) and get URLs, permission checks, HTMX partials,
CSV/XLSX export and history without further code. Writes go through
``opf.core.services`` so pages and the API share one path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, ProtectedError, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django.views.generic.base import ContextMixin
from django.views.generic.detail import SingleObjectTemplateResponseMixin
from django.views.generic.edit import ModelFormMixin, ProcessFormView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from opf.core.archive import (
    ArchivableModel,
    archive_object,
    archived_refusal,
    is_archivable,
    restore_object,
    visible_in_list,
    wants_archived,
)
from opf.core.display import FieldValue, display_value, field_values, model_field
from opf.core.errors import TransitionRefused
from opf.core.permissions import can, check_step_permission, restrict, signed_in_user
from opf.core.services import delete_object, delete_refusal, save_object
from opf.core.ui import export
from opf.core.ui.forms import ObjectForm
from opf.core.ui.history import history_of
from opf.core.ui.htmx import template_for, wants_partial
from opf.core.versioning import Lockable, StaleVersion

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from opf.core.accounts import User
    from opf.core.models import PageModel

    class _PageView(ContextMixin, View):
        """What ``ObjectPermissionMixin`` is mixed into."""

else:
    _PageView = object

P = TypeVar("P", bound="PageModel")


def refuse_locked(request: HttpRequest, obj: PageModel | None) -> HttpResponse | None:
    """A locked record (released, approved, …) has no edit or delete: say why."""
    if obj is not None and isinstance(obj, Lockable) and obj.is_locked:
        messages.error(request, obj.locked_reason())
        return HttpResponseRedirect(obj.get_absolute_url())
    if obj is not None and getattr(obj, "archived_at", None) is not None:
        messages.error(request, archived_refusal(obj))
        return HttpResponseRedirect(obj.get_absolute_url())
    return None


def save_form(form: forms.ModelForm, actor: User) -> PageModel:
    """Save a model form's instance through ``save_object``, with the version
    the form was opened at (raises ``StaleVersion`` / ``TransitionRefused``)."""
    expected = getattr(form, "expected_version", None)
    return save_object(form.save(commit=False), actor=actor, expected_version=expected)


def used_by_message(obj: Model, error: ProtectedError) -> str:
    used_by = ", ".join(sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects}))
    return _("%(object)s is still used by %(used_by)s and was not deleted.") % {
        "object": obj,
        "used_by": used_by,
    }


class ObjectPermissionMixin(_PageView):
    """Refuses the request unless the user may do ``action`` on the model,
    and scopes every lookup to the rows the user may see."""

    if TYPE_CHECKING:
        model: type[PageModel]  # always given: ObjectViews passes it to as_view()
    else:
        model = None
    queryset: QuerySet | None = None
    action: ClassVar[str] = "view"
    editable: bool = True  # False: the model has no edit pages (read-only here)
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not can(request.user, self.required_action(), self.model):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def required_action(self) -> str:
        return self.action

    def get_queryset(self) -> QuerySet:
        base = self.queryset if self.queryset is not None else self.model._default_manager.all()
        return restrict(base.all(), self.request.user, "view")

    def check_object(self, obj: P) -> P:
        action = self.required_action()
        if action != "view" and not can(self.request.user, action, obj):
            raise PermissionDenied
        return obj

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        opts = self.model._meta
        context.update(
            opts=opts,
            list_url=reverse(self.model.url_name("list")),
            can_add=self.editable and can(self.request.user, "add", self.model),
        )
        return context


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

    def get_export_filename(self, export_format: str) -> str:
        return f"{self.model._meta.verbose_name_plural}.{export_format}".replace(" ", "-")

    def get_table_kwargs(self) -> dict[str, Any]:
        return {"request": self.request}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop(self.export_trigger_param, None)
        context["title"] = self.model._meta.verbose_name_plural
        if context["can_add"]:
            context["add_url"] = reverse(self.model.url_name("add"))
            context["list_links"] = [(label, reverse(name)) for label, name in self.list_links]
        context["export_query"] = query.urlencode()
        context["export_formats"] = self.export_formats
        context["archivable"] = is_archivable(self.model)
        context["show_archived"] = wants_archived(self.request.GET)
        return context


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
            fields=field_values(obj, self.inline_fields, self.detail_exclude),
            transitions=self.transition_links(obj),
        )
        return context

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


class ObjectFormView(
    ObjectPermissionMixin, SingleObjectTemplateResponseMixin, ModelFormMixin, ProcessFormView
):
    """Create (no pk in the URL) or edit a record through ``save_object``."""

    template_name = "ui/object_form.html"
    form_class: type[ObjectForm] | None = None

    def required_action(self) -> str:
        return "change" if "pk" in self.kwargs else "add"

    def get_object(self, queryset: QuerySet | None = None) -> PageModel | None:
        if "pk" not in self.kwargs:
            return None
        return self.check_object(super().get_object(queryset))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return refuse_locked(request, self.object) or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return refuse_locked(request, self.object) or super().post(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        """A new record may be prefilled from the query (``?asset=3`` from the asset's page)."""
        initial = super().get_initial()
        if self.object is None and self.form_class is not None:
            fields = self.form_class.base_fields
            initial.update({k: v for k, v in self.request.GET.items() if k in fields})
        return initial

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["user"] = signed_in_user(self.request)
        return kwargs

    def form_valid(self, form: ObjectForm) -> HttpResponse:
        try:
            self.object = save_form(form, signed_in_user(self.request))
        except StaleVersion as stale:
            form.add_conflict(stale.current)
            return self.render_to_response(self.get_context_data(form=form), status=409)
        except TransitionRefused as refused:
            messages.error(self.request, refused.message)
            return HttpResponseRedirect(form.instance.get_absolute_url())
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        form.save_m2m()
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})
        return HttpResponseRedirect(self.object.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        verbose = self.model._meta.verbose_name
        if self.object is None:
            context["title"] = _("New %(model)s") % {"model": verbose}
            context["cancel_url"] = reverse(self.model.url_name("list"))
        else:
            context["title"] = _("Edit %(object)s") % {"object": self.object}
            context["cancel_url"] = self.object.get_absolute_url()
        return context


class ObjectFieldView(ObjectPermissionMixin, View):
    """Inline edit of one field on a detail page (HTMX): GET shows the field's
    form, POST saves it and returns the read-only value, or the form with its
    error in place."""

    action = "change"
    form_class: type[ObjectForm] | None = None
    fields: ClassVar[tuple[str, ...]] = ()
    template_name = "ui/inline_field.html"

    def setup_field(
        self, request: HttpRequest, pk: int, field: str
    ) -> tuple[PageModel, type[ObjectForm]]:
        if field not in self.fields:
            raise PermissionDenied
        obj = self.check_object(get_object_or_404(self.get_queryset(), pk=pk))
        # modelform_factory subclasses the form it is given; its stub says only ModelForm.
        form_class = cast(
            type[ObjectForm],
            forms.modelform_factory(self.model, form=self.form_class or ObjectForm, fields=[field]),
        )
        return obj, form_class

    def render_field(
        self, request: HttpRequest, obj: PageModel, field: str, form: Any, partial: str
    ) -> HttpResponse:
        value, link = display_value(obj, field)
        url = reverse(self.model.url_name("field"), args=[obj.pk, field])
        context = {
            "object": obj,
            "item": FieldValue(
                field, str(model_field(self.model, field).verbose_name), value, link, True
            ),
            "form": form,
            "can_change": True,
            "field_url": url,
        }
        template = (
            f"{self.template_name}#{partial}" if wants_partial(request) else self.template_name
        )
        return render(
            request, template, context, status=400 if form is not None and form.errors else 200
        )

    def get(self, request: HttpRequest, pk: int, field: str) -> HttpResponse:
        obj, form_class = self.setup_field(request, pk, field)
        editing = request.GET.get("cancel") is None
        form = form_class(instance=obj, user=signed_in_user(request)) if editing else None
        return self.render_field(request, obj, field, form, "form" if editing else "display")

    def post(self, request: HttpRequest, pk: int, field: str) -> HttpResponse:
        obj, form_class = self.setup_field(request, pk, field)
        refused = refuse_locked(request, obj)
        if refused:
            return refused
        form = form_class(request.POST, instance=obj, user=signed_in_user(request))
        status = 400
        if form.is_valid():
            try:
                save_form(form, signed_in_user(request))
            except StaleVersion as stale:
                form.add_conflict(stale.current)
                status = 409
            except TransitionRefused as refusal:
                form.add_error(None, refusal.message)
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
        if form.errors:
            obj.refresh_from_db()
            response = self.render_field(request, obj, field, form, "form")
            response.status_code = status
            return response
        if not wants_partial(request):
            messages.success(request, _("Saved %(object)s.") % {"object": obj})
            return HttpResponseRedirect(obj.get_absolute_url())
        return self.render_field(request, obj, field, None, "display")


class ObjectDeleteView(ObjectPermissionMixin, DetailView):
    """Confirm, then delete; a record still in use is kept, with a message naming why."""

    action = "delete"
    template_name = "ui/object_delete.html"

    def get_object(self, queryset: QuerySet | None = None) -> PageModel:
        return self.check_object(super().get_object(queryset))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        refusal = delete_refusal(obj)
        if refusal:
            messages.error(request, refusal)
            return HttpResponseRedirect(obj.get_absolute_url())
        return refuse_locked(request, obj) or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        try:
            delete_object(obj, actor=signed_in_user(request))
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(obj.get_absolute_url())
        except ProtectedError as error:
            messages.error(request, used_by_message(obj, error))
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(object)s.") % {"object": obj})
        return HttpResponseRedirect(reverse(self.model.url_name("list")))


class ObjectArchiveView(ObjectPermissionMixin, DetailView):
    """Archive (or, with ``restore=True``, restore) one record: GET asks for
    confirmation, POST does it through ``opf.core.archive`` (history, version bump)."""

    action = "delete"  # whoever may delete a record may archive and restore it
    restore: bool = False
    template_name = "ui/object_delete.html"

    def get_object(self, queryset: QuerySet | None = None) -> PageModel:
        return self.check_object(super().get_object(queryset))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["mode"] = "restore" if self.restore else "archive"
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        if not isinstance(obj, ArchivableModel):  # the URLs exist for archivable models only
            raise Http404
        service = restore_object if self.restore else archive_object
        reason = request.POST.get("reason", "")[:1000]
        try:
            service(obj, actor=signed_in_user(request), reason=reason)
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except StaleVersion as stale:
            messages.error(request, str(stale))
        else:
            done = _("Restored %(object)s.") if self.restore else _("Archived %(object)s.")
            messages.success(request, done % {"object": obj})
        return HttpResponseRedirect(obj.get_absolute_url())


class TransitionView(ObjectPermissionMixin, View):
    """POST ``<prefix>/<pk>/do/<name>/``: run one lifecycle step through its service.

    A refusal (``TransitionRefused``, a validation error) is shown as a message
    on the record's page and changes nothing.
    """

    transitions: dict[str, Any] = {}

    def post(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        user = signed_in_user(request)
        service = self.transitions.get(name)
        obj = get_object_or_404(self.get_queryset(), pk=pk)
        if service is None:
            raise Http404
        check_step_permission(user, obj, name)
        try:
            service(obj, actor=user, reason=request.POST.get("reason", ""))
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            label = type(obj).workflow[name].label if hasattr(type(obj), "workflow") else name
            messages.success(request, _("%(step)s: done.") % {"step": label})
        return HttpResponseRedirect(obj.get_absolute_url())


class ObjectViews:
    """Declare a model's pages once; ``urls()`` gives their URL patterns.

    Names follow ``<app>:<model>_<view>`` (list, add, detail, edit, field, delete;
    archive and restore instead of delete for an archivable model).
    """

    model: ClassVar[type[PageModel]]
    queryset: ClassVar[QuerySet | None] = None
    table: ClassVar[type]
    filterset: ClassVar[type]
    form: ClassVar[type[ObjectForm] | None] = None
    inline_fields: ClassVar[tuple[str, ...]] = ()
    list_view: ClassVar[type[ObjectListView]] = ObjectListView
    detail_view: ClassVar[type[ObjectDetailView]] = ObjectDetailView
    form_view: ClassVar[type[ObjectFormView]] = ObjectFormView
    field_view: ClassVar[type[ObjectFieldView]] = ObjectFieldView
    delete_view: ClassVar[type[ObjectDeleteView]] = ObjectDeleteView
    archive_view: ClassVar[type[ObjectArchiveView]] = ObjectArchiveView
    transition_view: ClassVar[type[TransitionView]] = TransitionView
    detail_template: ClassVar[str] = ObjectDetailView.template_name
    path_prefix: ClassVar[str | None] = None  # default: "<model_name>s"
    list_links: ClassVar[tuple[tuple[StrOrPromise, str], ...]] = ()
    transitions: ClassVar[dict[str, Any]] = {}  # name -> service(obj, *, actor, reason)
    deletable: ClassVar[bool] = True

    @classmethod
    def urls(cls) -> list[URLPattern]:
        name = cls.model._meta.model_name
        prefix = cls.path_prefix or f"{name}s"
        common = {"model": cls.model, "queryset": cls.queryset, "editable": cls.form is not None}
        patterns = [
            path(
                f"{prefix}/",
                cls.list_view.as_view(
                    table_class=cls.table,
                    filterset_class=cls.filterset,
                    list_links=cls.list_links,
                    **common,
                ),
                name=f"{name}_list",
            ),
            path(
                f"{prefix}/<int:pk>/",
                cls.detail_view.as_view(
                    template_name=cls.detail_template,
                    inline_fields=cls.inline_fields,
                    has_transitions=bool(cls.transitions),
                    deletable=cls.deletable,
                    **common,
                ),
                name=f"{name}_detail",
            ),
        ]
        if cls.form is not None:
            form_view = cls.form_view.as_view(form_class=cls.form, **common)
            patterns += [
                path(f"{prefix}/add/", form_view, name=f"{name}_add"),
                path(f"{prefix}/<int:pk>/edit/", form_view, name=f"{name}_edit"),
                path(
                    f"{prefix}/<int:pk>/fields/<str:field>/",
                    cls.field_view.as_view(form_class=cls.form, fields=cls.inline_fields, **common),
                    name=f"{name}_field",
                ),
            ]
            if is_archivable(cls.model):  # archived, never deleted (opf.core.archive)
                patterns += [
                    path(
                        f"{prefix}/<int:pk>/archive/",
                        cls.archive_view.as_view(**common),
                        name=f"{name}_archive",
                    ),
                    path(
                        f"{prefix}/<int:pk>/restore/",
                        cls.archive_view.as_view(restore=True, **common),
                        name=f"{name}_restore",
                    ),
                ]
            elif cls.deletable:
                patterns.append(
                    path(
                        f"{prefix}/<int:pk>/delete/",
                        cls.delete_view.as_view(**common),
                        name=f"{name}_delete",
                    )
                )
        if cls.transitions:
            patterns.append(
                path(
                    f"{prefix}/<int:pk>/do/<str:name>/",
                    cls.transition_view.as_view(transitions=cls.transitions, **common),
                    name=f"{name}_transition",
                )
            )
        return patterns
