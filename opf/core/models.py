"""What every domain model shares: versions, URLs by naming convention, row scoping,
one-line text fields."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar, Self

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from opf.core.permissions import restrict
from opf.core.urlnames import UrlNamesMixin
from opf.core.versioning import VersionedModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


ONE_LINE = _("Enter a single line: no line breaks.")


def has_line_break(value: str) -> bool:
    return "\r" in value or "\n" in value


class RestrictedQuerySet(models.QuerySet):
    """A QuerySet that can narrow itself to the rows a user may act on.

    ``restrict(user, "change")`` is the one place pages, the API and services
    ask "which of these may this user change?" (see ``opf.core.permissions``).
    """

    def restrict(self, user: User | AnonymousUser, action: str = "view") -> Self:
        return restrict(self, user, action)


class DomainModel(UrlNamesMixin, VersionedModel):
    """Base of the program's records.

    Every record carries a ``version`` (``opf.core.versioning.VersionedModel``): edit
    pages send it back in a hidden field, the API as an ETag / If-Match, and a
    stale write is refused, so no edit silently overwrites another.

    ``OWNER_PATH`` names the user field (through relations, ``__``-separated)
    that owns a row; a role granted an action with the "own" scope may act on
    exactly those rows, e.g. a project manager on ``project__manager``.

    ``NAME_JOINS`` names the relations (``__``-separated paths) the record's name
    (``__str__``) reads: what a reference to the record loads with it (the API's
    ``<field>_ref``, ``opf.core.rest.serializers.with_references``) so that naming
    it costs no query. Empty: the name reads the record's own columns only.
    """

    OWNER_PATH: ClassVar[str | None] = None
    NAME_JOINS: ClassVar[tuple[str, ...]] = ()

    objects = RestrictedQuerySet.as_manager()

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        """Django's field checks, and: a one-line text field (``CharField``; a
        ``TextField`` keeps its lines) holds no line break. A CR/LF in a title would
        end up in e-mail headers, CSV rows and one-line displays. Forms and
        ``save_object`` (so the API and imports) run this, each field's message
        on that field."""
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
        skipped = set(exclude or ()) | set(errors)
        for field in self._meta.concrete_fields:
            if not isinstance(field, models.CharField) or not field.editable:
                continue
            value = getattr(self, field.attname)
            if field.name not in skipped and isinstance(value, str) and has_line_break(value):
                errors[field.name] = [ValidationError(ONE_LINE, code="line_break")]
        if errors:
            raise ValidationError(errors)

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
