"""The executive dashboard's plug-in: panels and momentum series that features add.

How an app adds a panel
-----------------------
Create ``<app>/dashboard.py`` with, optionally::

    PANELS = [Panel("plan-health", _("Action plan health"), "actions/dashboard/health.html",
                    build=plan_health, charts=plan_health_charts, order=30,
                    perm="actions.view_actionplan")]
    MOMENTUM = [MonthlySeries(_("Action items closed"), items_closed_per_month)]

``build(f: DashboardFilter) -> dict`` (``opf.organization.scope``) returns the panel's
**figures**: JSON-ready
values only (numbers, strings, lists, dicts, None; dates as ISO strings via
:func:`iso`), including the links to the records behind them (``"href"``
strings). The same figures feed the page, the ``/api/v1/dashboard/`` endpoint
and the steering-committee briefing, which stores them frozen at the meeting —
so the panel's template must need nothing but its figures (and charts).
Restrict every read to what ``f.user`` may see (``f.projects()``,
``f.units``, ``Model.objects.restrict(f.user, "view")``) and to ``f.org_unit``'s
subtree and the period ``f.start``..``f.end``. Use a fixed number of queries.

``charts(figures) -> dict[str, opf.core.charts.Chart]`` (optional) draws the charts
from the figures alone. The template (a plain fragment: no ``extends``, no
scripts) gets ``panel``, ``figures`` and ``charts``; write ``{{ charts.name }}``
to show a chart with its accessible table.

``perm`` (e.g. ``"actions.view_actionplan"``) hides the panel from users
without that model permission; ``order`` sorts panels (steering: sponsorship 60,
momentum 70, scope 80, institutionalization 90; apps: maturity 10 (appraisals),
funnel 20 (deployment), plan health 30 (actions), deployment 40 (deployment),
compliance 50 (lessons)). Steering's panels read no lifecycle app's code: a panel
that needs an app's models or queries belongs to that app (the latest one it reads);
what an app tells steering's own panels (initiatives for the scope panel, evidence for
the institutionalization grid, sponsors) it declares in ``<app>/steering.py``
(``opf.core.registry``).

``HEADLINES = [Headline("coverage", _("Coverage"), coverage_figure, order=20, perm=...)]``
adds a **headline figure** to the top of the dashboard, the executive's home page and
the briefing: ``figure(f) -> dict`` returns ``value`` (a number or None), ``previous``
(the same figure for the period just before, :func:`previous_period`, or None when it
cannot be known), ``better`` (``"higher"`` or ``"lower"``), ``href`` (the filtered list
of the records behind it) and optionally ``unit`` (``"%"``), ``of`` (the whole the value
is part of) and ``note`` (what it counts). A fixed number of queries, as for panels.

``MonthlySeries(label, counts, href, order)``: ``counts(f) -> {first day of month: n}``
for the months of the period; the momentum panel sums every app's series per month
and lists them by ``order`` (default 100; assets released 10, then action items
closed and proposals accepted in lifecycle order).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Protocol

from django.conf import settings
from django.db.models import QuerySet
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User
    from opf.core.charts import Chart


# The size panels draw their line and bar charts at: two fit side by side on a laptop
# screen, and they are shown at that size (never scaled down: text stays >= 11 px).
PANEL_CHART_WIDTH = 480
PANEL_CHART_HEIGHT = 140  # short enough that the dashboard fits three laptop screens


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def default_period(today: date) -> tuple[date, date]:
    """The last ``OPF_DASHBOARD_MONTHS`` whole months up to today."""
    months = getattr(settings, "OPF_DASHBOARD_MONTHS", 12)
    return add_months(month_start(today), -(months - 1)), today


class Scope(Protocol):
    """What a panel is asked about: who looks, at which part of the organization, over
    which period (inclusive). The organization's ``DashboardFilter``
    (``opf.organization.scope``) is the one the pages, the API and the briefings pass."""

    @property
    def user(self) -> Any: ...
    @property
    def start(self) -> date: ...
    @property
    def end(self) -> date: ...
    def months(self) -> list[date]: ...


@dataclass(frozen=True)
class Panel:
    slug: str
    title: Promise | str
    template: str
    build: Callable[[Any], dict[str, Any]]  # (DashboardFilter) -> figures
    order: int = 100
    perm: str | None = None
    charts: Callable[[dict[str, Any]], dict[str, Chart]] | None = None

    def visible_to(self, user: User | AnonymousUser) -> bool:
        return self.perm is None or user.has_perm(self.perm)

    def draw(self, figures: dict[str, Any]) -> dict[str, Chart]:
        return self.charts(figures) if self.charts else {}


@dataclass(frozen=True)
class MonthlySeries:
    label: Promise | str
    counts: Callable[[Any], dict[date, int]]  # (DashboardFilter) -> counts
    href: Promise | str = ""  # the list behind the series (reverse_lazy), if any
    order: int = 100  # sorts the series (stable: equal orders keep the lifecycle order)


@dataclass(frozen=True)
class Headline:
    slug: str
    label: Promise | str
    figure: Callable[[Any], dict[str, Any]]  # (DashboardFilter) -> value, previous, …
    order: int = 100
    perm: str | None = None

    def visible_to(self, user: User | AnonymousUser) -> bool:
        return self.perm is None or user.has_perm(self.perm)


def previous_period(f: Any) -> Any:
    """The filter for the period of the same length that ends the day before ``f.start``."""
    from dataclasses import replace
    from datetime import timedelta

    days = (f.end - f.start).days + 1
    end = f.start - timedelta(days=1)
    return replace(f, start=end - timedelta(days=days - 1), end=end)


def once(f: Any, key: str, compute: Callable[[], Any]) -> Any:
    """A read several panels share, made once per filter: the page, an API call and a
    briefing build every panel with the same filter object, so the second panel to ask
    for ``key`` gets the first one's result (no extra query). ``compute`` must depend on
    the filter alone."""
    from opf.core.freshness import note_read, reading

    memo = f.__dict__.setdefault("_shared_reads", {})
    if key not in memo:
        memo[key] = reading(compute)
    value, tables = memo[key]
    note_read(tables)  # each panel that uses it is kept until those tables change
    return value


def headlines_for(user: User | AnonymousUser) -> list[Headline]:
    """Every app's ``<app>.dashboard.HEADLINES`` the user may see, by ``order``."""
    from opf.core.registry import app_modules

    found: list[Headline] = []
    for module in app_modules("dashboard"):
        found.extend(h for h in getattr(module, "HEADLINES", ()) if h.visible_to(user))
    return sorted(found, key=lambda h: (h.order, h.slug))


@dataclass
class RenderedPanel:
    panel: Panel
    figures: dict[str, Any]
    charts: dict[str, Chart] = field(default_factory=dict)
    html: str = ""  # the panel as drawn, where the page keeps it drawn


def all_panels() -> list[Panel]:
    """Every contributor's ``<pkg>.dashboard.PANELS``, by ``order`` (then registry order)."""
    from opf.core.registry import app_modules

    found: list[Panel] = []
    for module in app_modules("dashboard"):
        found.extend(getattr(module, "PANELS", ()))
    return sorted(found, key=lambda p: (p.order, p.slug))


def momentum_series() -> list[MonthlySeries]:
    """Every app's ``<app>.dashboard.MOMENTUM``, by ``order`` (then in lifecycle order)."""
    from opf.core.registry import app_modules

    found: list[MonthlySeries] = []
    for module in app_modules("dashboard"):
        found.extend(getattr(module, "MOMENTUM", ()))
    return sorted(found, key=lambda s: s.order)


def panels_for(user: User | AnonymousUser) -> list[Panel]:
    return [p for p in all_panels() if p.visible_to(user)]


def figures(f: Scope) -> dict[str, dict[str, Any]]:
    """Every visible panel's figures, by slug (what the API returns and briefings freeze).
    Kept until the data they were read from changes (``opf.core.freshness``): per person
    (what they may see), org unit, period, day (overdue is today's word) and language.
    Each panel is kept on its own too, so a write computes again only the panels that
    read what it wrote."""
    from opf.core.freshness import cached

    def every_panel() -> dict[str, dict[str, Any]]:
        return {p.slug: panel_figures(f, p) for p in panels_for(f.user)}

    return cached(figures_key(f), every_panel)


def panel_figures(f: Scope, panel: Panel) -> dict[str, Any]:
    """One panel's figures, kept on their own until the data they read changes."""
    from opf.core.freshness import cached

    return cached((*figures_key(f), panel.slug), lambda: panel.build(f))


def figures_key(f: Scope) -> tuple[str, ...]:
    """What the figures depend on besides the data: the person (what they may see), the
    org unit, the period, the day (overdue is today's word) and the language."""
    from django.utils import timezone
    from django.utils.translation import get_language

    unit = getattr(f, "org_unit", None)
    return (
        "dashboard",
        str(f.user.pk),
        str(unit.pk) if unit is not None else "-",
        f.start.isoformat(),
        f.end.isoformat(),
        timezone.localdate().isoformat(),
        get_language() or "-",
    )


def render_panels(figures_by_slug: dict[str, dict[str, Any]]) -> list[RenderedPanel]:
    """Panels ready for a template, from (possibly frozen) figures."""
    by_slug = {p.slug: p for p in all_panels()}
    rendered = []
    for slug, data in figures_by_slug.items():
        panel = by_slug.get(slug)
        if panel is not None:
            rendered.append(RenderedPanel(panel, data, panel.draw(data)))
    return sorted(rendered, key=lambda r: (r.panel.order, r.panel.slug))


def count_by_month(queryset: QuerySet, field_name: str, f: Scope) -> dict[date, int]:
    """Rows of ``queryset`` per month of ``field_name`` (a date or datetime) in the period:
    one query. A ready-made ``MonthlySeries.counts`` body for most apps."""
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    lookup = f"{field_name}__date" if _is_datetime(queryset, field_name) else field_name
    rows = (
        queryset.filter(**{f"{lookup}__gte": f.start, f"{lookup}__lte": f.end})
        .annotate(_month=TruncMonth(field_name))
        .order_by()
        .values("_month")
        .annotate(_n=Count("pk"))
        .values_list("_month", "_n")
    )
    counts: dict[date, int] = {}
    for month, n in rows:
        key = month_start(month.date() if isinstance(month, datetime) else month)
        counts[key] = counts.get(key, 0) + n
    return counts


def _is_datetime(queryset: QuerySet, field_name: str) -> bool:
    from django.db import models

    model = queryset.model
    *relations, last = field_name.split("__")
    for name in relations:
        model = model._meta.get_field(name).related_model
    return isinstance(model._meta.get_field(last), models.DateTimeField)
