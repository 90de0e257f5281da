"""The navigation: a handful of sections that each app fills with its pages, per role.

How an app adds its pages
-------------------------
Create ``<app>/navigation.py`` (found through ``opf.core.registry``) with::

    ITEMS = [NavItem("deployment", _("Process assets"), "deployment:processasset_list",
                     perm="deployment.view_processasset",
                     roles=(PROCESS_GROUP, PROJECT_MANAGER, EXECUTIVE))]
    NEW = [NewItem(_("Process asset"), "deployment:processasset_add",
                   perm="deployment.add_processasset")]

An item's ``label`` is the title (``h1``) of the page it opens: people recognise
where a link took them (``tests/opf/test_navigation.py`` visits every link of every
role and compares). ``roles`` says in whose navigation the item is: each role sees
what it uses, not every page it may read (a member sees a few links, the process
group all of them); empty means every role. ``perm`` hides it from whoever may not
open it. Every other page stays reachable through links and the search
(``opf.core.search``). ``NEW`` is the "New…" menu: what a person may create,
``perm`` being the add permission.

The context processor marks the current page (``aria-current``) and opens its
section; it also renders the "Waiting for you" count server-side, so it shows
without JavaScript.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from django.db.models import Count, IntegerField, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from opf.core.roles import PROCESS_GROUP, Role, roles_of

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User

# A person whose navigation has at most this many links sees every section open.
FEW_LINKS = 16


@dataclass(frozen=True)
class NavSection:
    slug: str
    label: Promise | str


SECTIONS: tuple[NavSection, ...] = (
    NavSection("work", _("Your work")),
    NavSection("organization", _("Organization and steering")),
    NavSection("appraisals", _("Needs and appraisals")),
    NavSection("actions", _("Improvements and actions")),
    NavSection("deployment", _("Assets and deployments")),
    NavSection("lessons", _("Audits and lessons")),
)
SECTION_SLUGS = {section.slug for section in SECTIONS}


@dataclass(frozen=True)
class NavItem:
    section: str
    label: Promise | str
    url_name: str
    perm: str | None = None
    roles: tuple[Role, ...] = ()  # in whose navigation; empty: every role's
    query: str = ""  # e.g. "waiting=action-items": a list narrowed to the person's rows

    @property
    def path(self) -> str:
        return reverse(self.url_name)

    @property
    def url(self) -> str:
        return f"{self.path}?{self.query}" if self.query else self.path

    def shown_to(self, user: User | AnonymousUser, roles: Iterable[Role]) -> bool:
        if self.perm is not None and not user.has_perm(self.perm):
            return False
        if not self.roles or user.is_superuser:
            return True
        return any(role in self.roles for role in roles)


@dataclass(frozen=True)
class NewItem:
    label: Promise | str
    url_name: str
    perm: str

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@cache
def items() -> tuple[NavItem, ...]:
    """Every app's items, section by section, in ``CONTRIBUTORS`` order within one."""
    from opf.core.registry import app_modules

    found = [item for module in app_modules("navigation") for item in module.ITEMS]
    unknown = {item.section for item in found} - SECTION_SLUGS
    if unknown:
        raise ValueError(f"Navigation items name unknown sections: {sorted(unknown)}")
    order = {section.slug: n for n, section in enumerate(SECTIONS)}
    return tuple(sorted(found, key=lambda item: order[item.section]))


@cache
def new_items() -> tuple[NewItem, ...]:
    from opf.core.registry import app_modules

    return tuple(item for module in app_modules("navigation") for item in module.NEW)


def items_for(user: User | AnonymousUser) -> list[NavItem]:
    """The items in ``user``'s navigation (a superuser's: all; one with several
    roles: what any of them uses)."""
    roles = list(roles_of(user))
    if user.is_superuser and PROCESS_GROUP not in roles:
        roles.append(PROCESS_GROUP)
    return [item for item in items() if item.shown_to(user, roles)]


def new_items_for(user: User | AnonymousUser) -> list[NewItem]:
    return [item for item in new_items() if user.has_perm(item.perm)]


def current_item(nav: list[NavItem], path: str, query: str) -> NavItem | None:
    """The item of the page at ``path``: the one whose page it is (its URL, query
    included), else the one whose pages hold it (the longest path prefix: a record
    page belongs to its list)."""
    best: tuple[int, int] | None = None
    found = None
    for item in nav:
        item_path = item.path
        exact = path == item_path and (not item.query or item.query == query)
        inside = item_path != "/" and path.startswith(item_path)
        if not (exact or inside):
            continue
        score = (1 if exact else 0, len(item_path) + (1 if item.query == query else 0))
        if best is None or score > best:
            best, found = score, item
    return found


def sections_for(user: User | AnonymousUser, path: str, query: str) -> list[dict[str, Any]]:
    """``user``'s sections with their items, the current one marked and open."""
    nav = items_for(user)
    current = current_item(nav, path, query)
    few = len(nav) <= FEW_LINKS
    shown = []
    for section in SECTIONS:
        entries = [
            {"label": item.label, "url": item.url, "current": item is current}
            for item in nav
            if item.section == section.slug
        ]
        if entries:
            active = any(entry["current"] for entry in entries)
            shown.append(
                {
                    "slug": section.slug,
                    "label": section.label,
                    "items": entries,
                    "active": active,
                    "open": active or few or section.slug == "work",
                }
            )
    return shown


@cache
def badges() -> dict[str, Callable[[Any], Any]]:
    """``<app>.navigation.BADGES``: ``{name: records(user) -> QuerySet}``, counts the top
    bar shows (the unread notifications), read in the same query as the waiting count."""
    from opf.core.registry import app_modules

    found: dict[str, Callable[[Any], Any]] = {}
    for module in app_modules("navigation"):
        found.update(getattr(module, "BADGES", {}))
    return found


def counts(user: User) -> dict[str, int]:
    """``waiting`` (the "Waiting for you" count) and every badge, in one query whatever
    the number of rows or kinds; kept until the data next changes (opf.core.freshness),
    since every page shows them and building the query is most of their cost."""
    from opf.core.freshness import cached

    return cached(("nav", user.pk, timezone.localdate().isoformat()), lambda: _counts(user))


def _counts(user: User) -> dict[str, int]:
    from opf.core.accounts import User
    from opf.core.worklist import WAITING, kinds, records_of

    def count(records: Any) -> Coalesce:
        counted = records.order_by().values(_all=Value(1)).annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(counted[:1]), 0, output_field=IntegerField())

    today = timezone.localdate()
    waiting = {}
    for n, kind in enumerate(kinds().values()):
        if kind.section == WAITING and kind.visible_to(user):
            records = records_of(kind, user, today)
            if not records.query.is_empty():
                waiting[f"waiting_{n}"] = count(records)
    named = {f"badge_{name}": count(records(user)) for name, records in badges().items()}
    found_row = User.objects.filter(pk=user.pk).values(**waiting, **named).first()
    row: dict[str, Any] = dict(found_row) if found_row else {}
    found = {name: row.get(f"badge_{name}", 0) for name in badges()}
    found["waiting"] = sum(row.get(key, 0) for key in waiting)
    return found


def context_processor(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    query = request.META.get("QUERY_STRING", "")
    return {
        "nav_sections": SimpleLazyObject(lambda: sections_for(user, request.path, query)),
        "nav_new": SimpleLazyObject(lambda: new_items_for(user)),
        "nav_counts": SimpleLazyObject(lambda: counts(user)),
        "nav_home_current": request.path == "/",
    }
