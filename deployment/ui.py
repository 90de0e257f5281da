"""The shared page views, extended for locked records and optimistic concurrency.

- A locked record (``is_locked``: a released version, an approved plan) shows
  no edit or delete button, and its edit, inline-edit and delete URLs refuse
  with a message.
- A versioned record (``opf.concurrency.VersionedModel``) carries its version
  in a hidden field; a stale form is refused with the current values.

``LockingObjectViews`` plugs these views into ``ObjectViews``.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model, ProtectedError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _

from opf.concurrency import StaleVersion, VersionedFormMixin, save_versioned
from opf.ui.htmx import wants_partial
from opf.ui.views import (
    ObjectDeleteView,
    ObjectDetailView,
    ObjectFieldView,
    ObjectFormView,
    ObjectViews,
)
from opf.workflow import TransitionRefused

from .services import locked_delete, locked_save


def _save(instance: Model, form: forms.Form, actor: Any) -> Model:
    if isinstance(form, VersionedFormMixin):
        return save_versioned(instance, actor=actor, expected=form.expected_version)
    return locked_save(instance, actor=actor)


def _refuse_locked(request: HttpRequest, obj: Model | None) -> HttpResponse | None:
    if obj is not None and getattr(obj, "is_locked", False):
        messages.error(request, obj.locked_reason())  # type: ignore[attr-defined]
        return HttpResponseRedirect(obj.get_absolute_url())  # type: ignore[attr-defined]
    return None


class LockingDetailView(ObjectDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        if getattr(self.object, "is_locked", False):
            context.update(can_change=False, can_delete=False, locked=True)
        return context


class LockingFormView(ObjectFormView):
    def get_initial(self) -> dict[str, Any]:
        """A new record may be prefilled from the query (``?asset=3`` from the asset's page)."""
        initial = super().get_initial()
        if self.object is None and self.form_class is not None:
            fields = self.form_class.base_fields
            initial.update({k: v for k, v in self.request.GET.items() if k in fields})
        return initial

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return _refuse_locked(request, self.object) or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        return _refuse_locked(request, self.object) or super().post(request, *args, **kwargs)

    def form_valid(self, form: forms.ModelForm) -> HttpResponse:
        try:
            self.object = _save(form.save(commit=False), form, self.request.user)
        except StaleVersion as stale:
            form.add_conflict(stale.current)  # type: ignore[attr-defined]
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


class LockingFieldView(ObjectFieldView):
    def post(self, request: HttpRequest, pk: int, field: str) -> HttpResponse:
        obj, form_class = self.setup_field(request, pk, field)
        if getattr(obj, "is_locked", False):
            messages.error(request, obj.locked_reason())  # type: ignore[attr-defined]
            return HttpResponseRedirect(obj.get_absolute_url())
        form = form_class(request.POST, instance=obj, user=request.user)
        status = 400
        if form.is_valid():
            try:
                _save(form.instance, form, request.user)
            except StaleVersion as stale:
                form.add_conflict(stale.current)  # type: ignore[attr-defined]
                status = 409
            except ValidationError as error:
                form.add_error(None, error)
            except TransitionRefused as refused:
                form.add_error(None, refused.message)
                status = 409
        if form.errors:
            obj.refresh_from_db()
            response = self.render_field(request, obj, field, form, "form")
            response.status_code = status
            return response
        if not wants_partial(request):
            messages.success(request, _("Saved %(object)s.") % {"object": obj})
            return HttpResponseRedirect(obj.get_absolute_url())
        return self.render_field(request, obj, field, None, "display")


class LockingDeleteView(ObjectDeleteView):
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _refuse_locked(request, self.get_object()) or super().get(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        obj = self.get_object()
        try:
            locked_delete(obj, actor=request.user)
        except TransitionRefused as refused:
            messages.error(request, refused.message)
            return HttpResponseRedirect(obj.get_absolute_url())
        except ProtectedError as error:
            used_by = ", ".join(
                sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects})
            )
            messages.error(
                request,
                _("%(object)s is still used by %(used_by)s and was not deleted.")
                % {"object": obj, "used_by": used_by},
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(object)s.") % {"object": obj})
        return HttpResponseRedirect(reverse(self.model.url_name("list")))  # type: ignore[attr-defined]


class LockingObjectViews(ObjectViews):
    """``ObjectViews`` whose edit, inline-edit and delete views refuse locked
    records and check versions."""

    detail_view: ClassVar[type[ObjectDetailView]] = LockingDetailView
    form_view: ClassVar[type[ObjectFormView]] = LockingFormView
    field_view: ClassVar[type[ObjectFieldView]] = LockingFieldView
    delete_view: ClassVar[type[ObjectDeleteView]] = LockingDeleteView
