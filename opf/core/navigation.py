"""The navigation: lifecycle areas that each app fills with its pages.

Apps call ``register`` from ``AppConfig.ready``; a user sees an item only if
they may view its model, and an area only if it has an item for them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from opf.core.accounts import User


@dataclass
class NavItem:
    label: Promise | str
    url_name: str
    perm: str | None = None

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass
class NavArea:
    slug: str
    label: Promise | str
    items: list[NavItem] = field(default_factory=list)


AREAS: dict[str, NavArea] = {
    area.slug: area
    for area in (
        NavArea("organization", _("Organization")),
        NavArea("appraisals", _("Needs & appraisals")),
        NavArea("actions", _("Improvements & actions")),
        NavArea("deployment", _("Assets & deployments")),
        NavArea("lessons", _("Audits & lessons")),
    )
}


def register(area: str, item: NavItem) -> None:
    if all(existing.url_name != item.url_name for existing in AREAS[area].items):
        AREAS[area].items.append(item)


def visible_areas(user: User) -> list[dict[str, Any]]:
    shown = []
    for area in AREAS.values():
        items = [i for i in area.items if i.perm is None or user.has_perm(i.perm)]
        if items:
            shown.append({"slug": area.slug, "label": area.label, "items": items})
    return shown


def context_processor(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    current = request.path
    areas = visible_areas(user)
    for area in areas:
        area["active"] = any(current.startswith(item.url) for item in area["items"])
    return {"nav_areas": areas}
