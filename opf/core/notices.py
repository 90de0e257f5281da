"""Telling a person that something arrived for them, without knowing how they are told.

A feature calls :func:`tell` when a step creates work or news for someone (a proposal
decided, a review requested). The notifications feature (``opf.notifications``)
receives the ``told`` signal and delivers: in the app, and by e-mail at once or in the
daily digest, per the person's preferences. Features never import it directly.

Each feature declares the kinds it tells in ``<pkg>.notices`` as ``KINDS`` (a tuple of
:class:`NoticeKind`): the preferences page lists them, so a person chooses the delivery
of each. A feature may also react to a plain save of its records (a create or an edit
through ``opf.core.services.save_object``: an item assigned, a deployment created) with
``ON_SAVE``: ``{"app_label.modelname": hook(instance, actor)}``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.dispatch import Signal

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet
    from django_stubs_ext import StrOrPromise

    from opf.core.accounts import User
    from opf.core.roles import Role

# Sent with: recipient (User), kind (str), title, body, url, key (str).
told = Signal()


@dataclass(frozen=True)
class NoticeKind:
    """What a feature tells people about; a person chooses its delivery."""

    slug: str
    label: StrOrPromise
    description: StrOrPromise = ""


@cache
def kinds() -> dict[str, NoticeKind]:
    from opf.core.registry import app_modules

    found: dict[str, NoticeKind] = {}
    for module in app_modules("notices"):
        for kind in getattr(module, "KINDS", ()):
            found[kind.slug] = kind
    return found


def tell(
    *,
    recipient: User | None,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    key: str = "",
    actor: User | None = None,
) -> None:
    """Tell ``recipient`` (``kind`` names what happened; their preferences are per kind).

    Nobody is told of their own step (``actor``), nor an inactive account. With a
    ``key`` naming the event (``"<kind>:<model>:<pk>:<version>"``), a person is told of
    it once, however often the step runs. Notifications linking to the same page
    (``url``, the record) are grouped while unread."""
    if recipient is None or not recipient.is_active:
        return
    if actor is not None and recipient.pk == actor.pk:
        return
    told.send(
        sender=kind,
        recipient=recipient,
        kind=kind,
        title=str(title),
        body=str(body),
        url=url,
        key=key,
    )


def tell_each(recipients: Iterable[User | None], **message: Any) -> None:
    """:func:`tell` each distinct recipient (None and duplicates skipped)."""
    for recipient in {r.pk: r for r in recipients if r is not None}.values():
        tell(recipient=recipient, **message)


def role_members(role: Role) -> QuerySet[User]:
    """The active people holding ``role`` (e.g. the executives who approve)."""
    from opf.core.accounts import User

    return User.objects.filter(groups__name=role.group, is_active=True).distinct()


def author_of(record: Model) -> User | None:
    """Who created ``record``, from its history (None if no one is recorded)."""
    history = getattr(record, "history", None)
    if history is None:
        return None
    first = history.filter(history_type="+").order_by("history_date").first()
    return getattr(first, "history_user", None) if first is not None else None


SaveHook = Callable[[Any, "User"], None]


@cache
def _save_hooks() -> dict[str, list[SaveHook]]:
    from opf.core.registry import app_modules

    found: dict[str, list[SaveHook]] = {}
    for module in app_modules("notices"):
        for label, hook in getattr(module, "ON_SAVE", {}).items():
            found.setdefault(label, []).append(hook)
    return found


def saved(instance: Model, actor: User) -> None:
    """A record was created or edited by ``actor``: its feature tells whom it concerns."""
    for hook in _save_hooks().get(instance._meta.label_lower, ()):
        hook(instance, actor)
