"""What every generic page shares: the permission check and the locked-record refusal."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views import View
from django.views.generic.base import ContextMixin

from opf.core.archive import (
    archived_refusal,
)
from opf.core.permissions import can, restrict
from opf.core.versioning import Lockable

if TYPE_CHECKING:
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
