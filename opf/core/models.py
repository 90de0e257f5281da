"""What every domain model shares: URLs by naming convention and row scoping."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, runtime_checkable

from django.db import models
from django.urls import reverse

from opf.core.versioning import VersionedModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


@runtime_checkable
class HasPage(Protocol):
    def get_absolute_url(self) -> str: ...


def absolute_url(obj: models.Model) -> str:
    """The URL of the record's own page (``get_absolute_url``)."""
    if not isinstance(obj, HasPage):
        raise TypeError(f"A {obj._meta.label} has no page of its own.")
    return obj.get_absolute_url()


def model_name(model: type[models.Model] | models.Model) -> str:
    """``_meta.model_name``, which every installed model has (the stubs allow None)."""
    name = model._meta.model_name
    if name is None:
        raise TypeError(f"{model} is not an installed model.")
    return name


class RestrictedQuerySet(models.QuerySet):
    """A QuerySet that can narrow itself to the rows a user may act on.

    ``restrict(user, "change")`` is the one place pages, the API and services
    ask "which of these may this user change?" (see ``opf.core.permissions``).
    """

    def restrict(self, user: User | AnonymousUser, action: str = "view") -> Self:
        from opf.core.permissions import restrict

        return restrict(self, user, action)


class UrlNamesMixin:
    """URL names follow ``<app>:<model>_<view>`` (see ``opf.core.ui.views.ObjectViews``)."""

    _meta: Any
    pk: Any

    @classmethod
    def url_name(cls, view: str) -> str:
        return f"{cls._meta.app_label}:{cls._meta.model_name}_{view}"

    def get_absolute_url(self) -> str:
        return reverse(self.url_name("detail"), args=[self.pk])


class DomainModel(UrlNamesMixin, VersionedModel):
    """Base of the program's records.

    Every record carries a ``version`` (``opf.core.versioning.VersionedModel``): edit
    pages send it back in a hidden field, the API as an ETag / If-Match, and a
    stale write is refused, so no edit silently overwrites another.

    ``OWNER_PATH`` names the user field (through relations, ``__``-separated)
    that owns a row; a role granted an action with the "own" scope may act on
    exactly those rows, e.g. a project manager on ``project__manager``.
    """

    OWNER_PATH: ClassVar[str | None] = None

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_owned_by(self, user: User | AnonymousUser) -> bool:
        """Evaluate ``OWNER_PATH`` in Python (no query when relations are loaded)."""
        if not self.OWNER_PATH or not user.is_authenticated:
            return False
        *hops, last = self.OWNER_PATH.split("__")
        target: Any = self
        for hop in hops:
            target = getattr(target, hop, None)
            if target is None:
                return False
        return getattr(target, f"{last}_id", None) == user.pk


if TYPE_CHECKING:
    from typing import TypeAlias

    # A model with its own pages (``opf.core.ui.views.ObjectViews``): URL names by convention.
    PageModel: TypeAlias = DomainModel | User
