"""One page of the coverage matrix: the rows of ``COVERAGE_PAGE_SIZE`` projects by
the columns of ``COVERAGE_COLUMNS`` assets (both paged, so a page holds at most
2,000 cells however many projects and assets there are), with the per-unit figures
and totals of every row counted in the database (``queries.unit_coverage``) instead
of building the whole matrix; those figures are kept until the data next changes
(``opf.core.freshness``).

A fixed number of queries whatever the number of projects, assets and
deployments (asserted in tests/deployment/test_coverage.py). The cells follow
the rules of ``queries.coverage`` (``queries._cell``).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.core.paginator import Page, Paginator
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from deployment import queries
from deployment.models import AssetVersion, ProjectDeployment
from opf.core.freshness import cached
from opf.core.permissions import perm_name, restrict, scope
from opf.core.roles import ALL
from opf.organization.models import OrgUnit, Project

if TYPE_CHECKING:
    from opf.core.accounts import User

COVERAGE_PAGE_SIZE = 50
COVERAGE_COLUMNS = 40  # assets per page of columns (``?assets=<n>``)
STATE_LABELS = dict(ProjectDeployment.State.choices)


@dataclass
class PageRow(queries.Row):
    cells_html: SafeString  # the row's <td>s


def _cells_html(
    cells: list[queries.Cell], cache: dict[tuple[str, str, bool], SafeString]
) -> SafeString:
    """The cells' <td>s as a heat map: the colour says how far the project is with
    the asset's current release (``heat-<status>`` and ``state-<deployment state>``,
    static/css/forms.css), the word says it too (colour is never the only sign).
    2,000 cells a page render in Python from a few cached snippets instead of a
    template loop."""
    parts = []
    for cell in cells:
        key = (cell.status, cell.state, cell.stale)
        if key not in cache:
            stale = format_html(' <span class="badge stale">{}</span>', _("stale"))
            state = STATE_LABELS.get(cell.state, "") if cell.status != queries.NONE else ""
            cache[key] = format_html(
                '<td class="heat heat-{} state-{}"><span class="badge">{}</span>{}{}</td>',
                cell.status,
                cell.state or "none",
                cell.label,
                format_html('<span class="heat-state">{}</span>', state) if state else "",
                stale if cell.stale else "",
            )
        parts.append(cache[key])
    return format_html_join("", "{}", ((part,) for part in parts))  # already escaped


@dataclass
class CoveragePage:
    versions: list[AssetVersion]  # this page's columns: each asset's current release
    rows: list[PageRow]  # this page's projects
    page: Page
    summary: queries.UnitSummary  # every row's figures, by org unit
    columns: Page  # the page of columns (``versions``) among every asset's
    unit: OrgUnit | None = None  # the unit chosen (its subtree is shown)

    @property
    def shown_units(self) -> list[queries.UnitCoverage]:
        """The per-unit table: the chosen unit (or the top units) and the units right
        under it; a unit's link opens its own level. However deep and wide the tree,
        the table holds two levels of it."""
        units = self.summary.units
        if not units:
            return []
        top = self.unit.depth if self.unit is not None else min(u.unit.depth for u in units)
        return [u for u in units if u.unit.depth <= top + 1]

    @property
    def stale_days(self) -> int:
        return self.summary.stale_days

    @property
    def units(self) -> list[queries.UnitCoverage]:
        return self.summary.units

    @property
    def tiles(self) -> list[tuple[str, int]]:
        """Totals over every project shown (all pages): the top units' figures."""
        paths = [u.unit.path for u in self.summary.units]
        tops = [
            u
            for u in self.summary.units
            if not any(u.unit.path != p and u.unit.path.startswith(p) for p in paths)
        ]
        projects = sum(u.projects for u in tops)
        current = sum(u.current for u in tops)
        applicable = sum(u.applicable for u in tops)
        waived = projects * self.columns.paginator.count - applicable
        return [
            (_("projects"), self.page.paginator.count),
            (_("current"), current),
            (_("not current"), applicable - current),
            (_("waived"), waived),
            (_("stale"), self.summary.stale_total),
        ]


def coverage_page(
    user: User,
    *,
    unit: OrgUnit | None = None,
    only_set: bool = False,
    number: Any = 1,
    per_page: int = COVERAGE_PAGE_SIZE,
    columns: Any = 1,
    per_columns: int = COVERAGE_COLUMNS,
) -> CoveragePage:
    """Page ``number`` of the rows and page ``columns`` of the columns (a bad one
    gives the first or last page) of the matrix."""
    viewer = scope(user, perm_name(Project, "view"))
    summary = cached(
        (
            "coverage",
            viewer if viewer == ALL else user.pk,
            unit.pk if unit is not None else "",
            only_set,
        ),
        lambda: queries.unit_coverage(user, unit=unit, only_set=only_set, stale_shown=0),
    )
    cutoff = queries.stale_cutoff(summary.stale_days)
    versions_qs = AssetVersion.objects.filter(state=AssetVersion.State.RELEASED).select_related(
        "asset"
    )
    if summary.standard_set is not None:
        versions_qs = versions_qs.filter(
            asset__versions__standard_sets=summary.standard_set
        ).distinct()
    column_page = Paginator(versions_qs.order_by("asset__name", "pk"), per_columns).get_page(
        columns
    )
    versions = list(column_page.object_list)
    projects_qs = restrict(
        Project.objects.filter(active=True).select_related("org_unit"), user, "view"
    ).order_by("org_unit__path", "name", "pk")
    if unit is not None:
        projects_qs = projects_qs.filter(org_unit__path__startswith=unit.path)
    page = Paginator(projects_qs, per_page).get_page(number)
    projects = list(page.object_list)
    asset_ids = [v.asset_id for v in versions]
    current_of = {v.asset_id: v.pk for v in versions}
    found: dict[tuple[int, int], list[tuple[int, str, datetime]]] = defaultdict(list)
    if projects and asset_ids:
        deployments = ProjectDeployment.objects.filter(
            project_id__in=[p.pk for p in projects], asset_version__asset_id__in=asset_ids
        ).values_list(
            "project_id", "asset_version__asset_id", "asset_version_id", "state", "updated_at"
        )
        for project_id, asset_id, version_id, state, updated in deployments:
            found[(project_id, asset_id)].append((version_id, state, updated))
    cache: dict[tuple[str, str, bool], SafeString] = {}
    rows = []
    for project in projects:
        cells = [
            queries._cell(found.get((project.pk, a)), current_of[a], cutoff) for a in asset_ids
        ]
        rows.append(PageRow(project, cells, _cells_html(cells, cache)))
    return CoveragePage(versions, rows, page, summary, column_page, unit)
