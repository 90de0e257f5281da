"""Generic pages: list, detail, create, edit, inline field edit and delete.

A model's pages are declared once with ``ObjectViews`` (model, queryset,
table, filterset, form) and get URLs, permission checks, HTMX partials,
CSV/XLSX export and history without further code. Writes go through
``opf.core.services`` so pages and the API share one path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from django.db.models import QuerySet
from django.urls import URLPattern, path
from django.views import View
from django.views.generic.base import ContextMixin

from opf.core.archive import (
    is_archivable,
)
from opf.core.ui.forms import ObjectForm
from opf.core.ui.reading import ObjectDetailView, ObjectListView
from opf.core.ui.writing import (
    ObjectArchiveView,
    ObjectDeleteView,
    ObjectFieldView,
    ObjectFormView,
    TransitionView,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from opf.core.models import PageModel

    class _PageView(ContextMixin, View):
        """What ``ObjectPermissionMixin`` is mixed into."""

else:
    _PageView = object


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
        """Every page of the model: list and record, then what its form, archive or
        delete rules and transitions add."""
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
            patterns += cls._edit_urls(f"{prefix}/", f"{name}_", common)
        if cls.transitions:
            patterns.append(
                path(
                    f"{prefix}/<int:pk>/do/<str:name>/",
                    cls.transition_view.as_view(transitions=cls.transitions, **common),
                    name=f"{name}_transition",
                )
            )
        return patterns

    @classmethod
    def _edit_urls(cls, prefix: str, name: str, common: dict[str, Any]) -> list[URLPattern]:
        """Add and edit forms, inline field edits, and archive/restore or delete."""
        form_view = cls.form_view.as_view(form_class=cls.form, **common)
        patterns = [
            path(f"{prefix}add/", form_view, name=f"{name}add"),
            path(f"{prefix}<int:pk>/edit/", form_view, name=f"{name}edit"),
            path(
                f"{prefix}<int:pk>/fields/<str:field>/",
                cls.field_view.as_view(form_class=cls.form, fields=cls.inline_fields, **common),
                name=f"{name}field",
            ),
        ]
        if is_archivable(cls.model):  # archived, never deleted (opf.core.archive)
            return [
                *patterns,
                path(
                    f"{prefix}<int:pk>/archive/",
                    cls.archive_view.as_view(**common),
                    name=f"{name}archive",
                ),
                path(
                    f"{prefix}<int:pk>/restore/",
                    cls.archive_view.as_view(restore=True, **common),
                    name=f"{name}restore",
                ),
            ]
        if cls.deletable:
            patterns.append(
                path(
                    f"{prefix}<int:pk>/delete/",
                    cls.delete_view.as_view(**common),
                    name=f"{name}delete",
                )
            )
        return patterns
