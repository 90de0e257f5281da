"""Who may do what: the roles of the program as Django groups.

This table is the single source of the role grants. A migration creates the
groups; after every migrate, ``sync_groups`` gives each group the permissions
its grants match, so a new model's permissions reach the roles without a
hand-written data migration.

The roles and their broad grants live here; each feature adds the grants for its
own models and permissions in ``<pkg>.roles.GRANTS`` (``opf.core.registry``).
A grant is an fnmatch pattern over ``app_label.codename`` and a scope:
``ALL`` rows, or only the rows the user ``OWN``s (see ``DomainModel.OWNER_PATH``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cache
from typing import TYPE_CHECKING, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User

ALL = "all"
OWN = "own"
DOMAIN_APPS = ("opf", "appraisals", "actions", "deployment", "lessons")
VIEW_EVERYTHING = "*.view_*"


@dataclass(frozen=True)
class Grant:
    pattern: str
    scope: str = ALL


@dataclass(frozen=True)
class Role:
    slug: str
    group: str
    label: Promise
    description: Promise
    grants: tuple[Grant, ...] = field(default_factory=tuple)

    @property
    def all_grants(self) -> tuple[Grant, ...]:
        """The role's broad grants and those each feature adds (``<pkg>.roles.GRANTS``)."""
        return self.grants + _app_grants().get(self.slug, ())

    def scope_for(self, perm: str) -> str | None:
        """The widest scope this role gives for ``perm``, or None. A reserved permission
        (``<pkg>.roles.RESERVED``) is given only by a feature's own grant, never by the
        role's broad ones (``*.view_*``)."""
        reserved = any(fnmatchcase(perm, pattern) for pattern in _reserved())
        grants = _app_grants().get(self.slug, ()) if reserved else self.all_grants
        scopes = {g.scope for g in grants if fnmatchcase(perm, g.pattern)}
        if ALL in scopes:
            return ALL
        return OWN if scopes else None


@cache
def _app_grants() -> dict[str, tuple[Grant, ...]]:
    from opf.core.registry import app_modules

    grants: dict[str, tuple[Grant, ...]] = {}
    for module in app_modules("roles"):
        for slug, extra in module.GRANTS.items():
            grants[slug] = grants.get(slug, ()) + tuple(extra)
    return grants


@cache
def _reserved() -> tuple[str, ...]:
    """Permission patterns the features keep out of the broad grants (secrets)."""
    from opf.core.registry import app_modules

    return tuple(p for module in app_modules("roles") for p in getattr(module, "RESERVED", ()))


PROCESS_GROUP = Role(
    "process_group",
    "Process group",
    _("Process group"),
    _("Runs the program: needs, appraisals, improvements, plans, assets, audits."),
    (
        Grant("*.view_*"),
        Grant("*.add_*"),
        Grant("*.change_*"),
        Grant("*.delete_*"),
    ),
)
PROJECT_MANAGER = Role(
    "project_manager",
    "Project managers",
    _("Project manager"),
    _("Sees the program; updates their own projects' deployments, tailoring and answers."),
    (Grant(VIEW_EVERYTHING),),
)
EXECUTIVE = Role(
    "executive",
    "Executives",
    _("Executive (steering committee)"),
    _("Reads the dashboards, approves plans and releases, sponsors initiatives."),
    (Grant(VIEW_EVERYTHING),),
)
APPRAISER = Role(
    "appraiser",
    "Appraisers",
    _("Appraiser / auditor"),
    _("Records appraisal findings, characterizations and ratings; runs compliance audits."),
    (Grant(VIEW_EVERYTHING),),
)
MEMBER = Role(
    "member",
    "Members",
    _("Member"),
    _("Any signed-in member: submits lessons and proposals, sees what concerns them."),
    (Grant(VIEW_EVERYTHING),),
)

ROLES: tuple[Role, ...] = (PROCESS_GROUP, PROJECT_MANAGER, EXECUTIVE, APPRAISER, MEMBER)


def roles_of(user: User | AnonymousUser) -> list[Role]:
    """The user's roles in ``ROLES`` order (the order pages and exports list them),
    read once per user object (groups are prefetched or cached)."""
    if not user.is_authenticated:
        return []
    cached: list[Role] | None = getattr(user, "_opf_roles", None)
    if cached is None:
        names = {g.name for g in user.groups.all()}
        cached = [role for role in ROLES if role.group in names]
        user._opf_roles = cached
    return cached


def role_labels(user: User | AnonymousUser) -> list[str]:
    """The user's roles as people read them ("Project manager")."""
    return [str(role.label) for role in roles_of(user)]


def has_role(user: User | AnonymousUser, role: Role) -> bool:
    return role in roles_of(user)


def sync_groups(apps: Any = None) -> None:
    """Create the role groups and give each exactly the permissions its grants match."""
    from django.apps import apps as global_apps

    registry = apps or global_apps
    group_model = registry.get_model("auth", "Group")
    permission_model = registry.get_model("auth", "Permission")
    perms = list(
        permission_model.objects.filter(content_type__app_label__in=DOMAIN_APPS).select_related(
            "content_type"
        )
    )
    for role in ROLES:
        group, _created = group_model.objects.get_or_create(name=role.group)
        granted = [p for p in perms if role.scope_for(f"{p.content_type.app_label}.{p.codename}")]
        group.permissions.set(granted)


def sync_after_migrate(sender: Any, **kwargs: Any) -> None:
    """After each of our apps migrates: its new models' permissions now exist."""
    if getattr(sender, "label", None) in DOMAIN_APPS:
        sync_groups()
