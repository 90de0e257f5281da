"""Generic writing pages: create and edit forms, inline field edits, delete, archive
and restore, and lifecycle steps. Every write goes through ``opf.core.services``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, ProtectedError, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView
from django.views.generic.base import ContextMixin
from django.views.generic.detail import SingleObjectTemplateResponseMixin
from django.views.generic.edit import ModelFormMixin, ProcessFormView

from opf.core.archive import (
    ArchivableModel,
    archive_object,
    restore_object,
)
from opf.core.display import FieldValue, display_value, model_field
from opf.core.errors import TransitionRefused
from opf.core.field_rights import FieldRefused, refused_fields
from opf.core.permissions import check_step_permission, signed_in_user
from opf.core.services import delete_object, delete_refusal, save_object
from opf.core.ui.base import ObjectPermissionMixin, refuse_locked
from opf.core.ui.choices import offer_all_choices
from opf.core.ui.forms import ObjectForm
from opf.core.ui.htmx import wants_partial
from opf.core.versioning import StaleVersion

if TYPE_CHECKING:
    from opf.core.accounts import User
    from opf.core.models import PageModel

    class _PageView(ContextMixin, View):
        """What ``ObjectPermissionMixin`` is mixed into."""

else:
    _PageView = object


def save_form(form: forms.ModelForm, actor: User) -> PageModel:
    """Save a model form's instance through ``save_object``, with the version
    the form was opened at (raises ``StaleVersion`` / ``TransitionRefused``)."""
    expected = getattr(form, "expected_version", None)
    return save_object(
        form.save(commit=False), actor=actor, expected_version=expected, then=form.save_m2m
    )


def return_to(request: HttpRequest) -> str | None:
    """The local page a form returns to (``next`` in the query or the form: a child
    added from its parent's page goes back there); None for a missing or foreign one."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, {request.get_host()}, require_https=request.is_secure()
    )
    return target if target and allowed else None


def used_by_message(obj: Model, error: ProtectedError) -> str:
    used_by = ", ".join(sorted({str(o._meta.verbose_name_plural) for o in error.protected_objects}))
    return _("%(object)s is still used by %(used_by)s and was not deleted.") % {
        "object": obj,
        "used_by": used_by,
    }


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

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        offer_all_choices(form, self.request)  # big selects: every option without JavaScript
        return form

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
        messages.success(self.request, _("Saved %(object)s.") % {"object": self.object})
        return HttpResponseRedirect(return_to(self.request) or self.object.get_absolute_url())

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        verbose = self.model._meta.verbose_name
        if self.object is None:
            context["title"] = _("New %(model)s") % {"model": verbose}
            context["cancel_url"] = reverse(self.model.url_name("list"))
        else:
            context["title"] = _("Edit %(object)s") % {"object": self.object}
            context["cancel_url"] = self.object.get_absolute_url()
        context["next"] = return_to(self.request)
        context["cancel_url"] = context["next"] or context["cancel_url"]
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
        if refused_fields(signed_in_user(request), self.action, obj, [field]):
            raise FieldRefused([field])  # 403: a field right, before any validation
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
        steps = getattr(getattr(type(obj), "workflow", None), "transitions", {})
        inputs = steps[name].inputs if name in steps else ()
        extra = {field: request.POST.get(field, "") for field in inputs}
        try:
            service(obj, actor=user, reason=request.POST.get("reason", ""), **extra)
        except TransitionRefused as refused:
            messages.error(request, refused.message)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, step_done_message(obj, name))
        return HttpResponseRedirect(obj.get_absolute_url())


def step_done_message(obj: Model, step: str) -> str:
    """A lifecycle step's outcome as a sentence: "The appraisal is scheduled." (the
    record's new state, read from it), not "Schedule: done."."""
    workflow = getattr(type(obj), "workflow", None)
    state_field = getattr(workflow, "state_field", "state")
    display = getattr(obj, f"get_{state_field}_display", None)
    if display is None:
        return _("Done: %(step)s.") % {"step": step}
    state = str(display())
    return _("The %(model)s is %(state)s.") % {
        "model": obj._meta.verbose_name,
        "state": state[:1].lower() + state[1:],
    }
