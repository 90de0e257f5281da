"""Sponsorship: open initiatives without an active executive sponsor.

Any model of the program's apps with a ``sponsor`` foreign key to a person takes
part (appraisals, action plans, …), never a record's history (its snapshots). A record
is open unless its ``state`` is one of ``CLOSED_STATES`` or it is archived. Reasons:
no sponsor; the sponsor's account is deactivated (they left); the sponsor is no longer
an executive.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db.models import Case, CharField, Exists, Model, OuterRef, Value, When
from django.urls import NoReverseMatch
from django.utils.translation import gettext_lazy as _lazy
from simple_history.models import HistoricalChanges

from opf.core.dashboard import Panel
from opf.core.permissions import restrict
from opf.core.roles import DOMAIN_APPS, EXECUTIVE
from opf.organization.scope import DashboardFilter

CLOSED_STATES = (
    "closed",
    "cancelled",
    "completed",
    "rejected",
    "retired",
    "superseded",
    "done",
    "ended",
)
REASONS = {
    "none": _lazy("no sponsor"),
    "left": _lazy("sponsor left (account deactivated)"),
    "not_executive": _lazy("sponsor is no longer an executive"),
}


def sponsored_models() -> list[type[Model]]:
    from opf.core.accounts import User

    found = []
    for app in DOMAIN_APPS:
        if not apps.is_installed(app):
            continue
        for model in apps.get_app_config(app).get_models():
            if issubclass(model, HistoricalChanges):  # a record's history is not an initiative
                continue
            field = next((f for f in model._meta.fields if f.name == "sponsor"), None)
            if field is not None and field.related_model is User:
                found.append(model)
    return sorted(found, key=lambda m: m._meta.label)


def _href(row: Model) -> str:
    try:
        return row.get_absolute_url()  # type: ignore[attr-defined]
    except (AttributeError, NoReverseMatch):
        return ""


def build(f: DashboardFilter) -> dict[str, Any]:
    """One query per sponsored model; the reason is decided in the database, so only
    the flagged records are read (#24: every open plan with its sponsor was read at
    scale 10, to keep none)."""
    from opf.core.accounts import User

    # Flagged: no active executive as sponsor (one EXISTS: the database keeps the
    # flagged records before it joins their sponsors); the reason is the first of
    # REASONS that holds, read from the sponsor joined for the flagged records only.
    fine = User.objects.filter(pk=OuterRef("sponsor"), is_active=True, groups__name=EXECUTIVE.group)
    reason = Case(
        When(sponsor__isnull=True, then=Value("none")),
        When(sponsor__is_active=False, then=Value("left")),
        default=Value("not_executive"),
        output_field=CharField(),
    )
    items = []
    for model in sponsored_models():
        rows = restrict(model._default_manager.all(), f.user)
        if any(field.name == "state" for field in model._meta.fields):
            rows = rows.exclude(state__in=CLOSED_STATES)
        if any(field.name == "archived_at" for field in model._meta.fields):
            rows = rows.filter(archived_at__isnull=True)
        rows = rows.filter(~Exists(fine)).select_related("sponsor")
        for row in rows.annotate(_reason=reason).order_by("pk"):
            sponsor = row.sponsor
            items.append(
                {
                    "kind": str(model._meta.verbose_name),
                    "title": str(row),
                    "href": _href(row),
                    "sponsor": str(sponsor) if sponsor else None,
                    "reason": row._reason,
                    "reason_label": str(REASONS[row._reason]),
                }
            )
    return {"items": items, "count": len(items)}


PANEL = Panel(
    "sponsorship",
    _lazy("Sponsorship"),
    "opf/dashboard/panels/sponsorship.html",
    build,
    order=60,
)
