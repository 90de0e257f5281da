"""Reads of the process architecture (#20): the standard process set shown against the
tree of processes. The rules that keep the tree whole (kind hierarchy, no cycle, an
active owner, no hand-off to itself) are ``Process.clean`` and ``Handoff.clean``, so
every door keeps them.

- A process has a **released definition** when one of its defining assets has a
  released version.
- It is **deployed** in a project when a project deployment of a version of one of its
  defining assets is in use or verified there (a project still on a superseded version
  still runs the process); its reach is those projects and their org units.
- **Enterprise-wide coverage**: of the processes at process level (not value chains, not
  sub-processes), the share that are defined enterprise-wide (owned by no single org
  unit) *and* have a released definition. A process a department defines for itself,
  or one nobody has released a definition of, is not yet level-3 ground.

Each read costs a fixed number of queries whatever the number of processes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from deployment.models import AssetVersion, ProjectDeployment
from lessons.models import Handoff, Process
from opf.core.permissions import restrict

if TYPE_CHECKING:
    from collections.abc import Iterable

    from django.db.models import QuerySet


@dataclass
class Standing:
    """What the standard process set says of one process."""

    released: list[str] = field(default_factory=list)  # "ASSET vN" of its released versions
    projects: set[int] = field(default_factory=set)
    units: set[int] = field(default_factory=set)

    @property
    def defined(self) -> bool:
        return bool(self.released)


@dataclass
class Coverage:
    enterprise_defined: int
    processes: int

    @property
    def share(self) -> int | None:
        return round(100 * self.enterprise_defined / self.processes) if self.processes else None


def processes_for(user: Any) -> QuerySet[Process]:
    return restrict(Process.objects.all(), user).select_related("owner", "owning_unit", "parent")


def standing(
    processes: Iterable[Process], assets_of: dict[int, list[int]] | None = None
) -> dict[int, Standing]:
    """Each process's released definition and deployment reach: two queries, one when
    the caller has the processes' asset ids already (``assets_of``, e.g. prefetched).
    Deployment counts are the organization's (every role reads every deployment)."""
    pks = [p.pk for p in processes]
    found = {pk: Standing() for pk in pks}
    if assets_of is None:
        assets_of = defaultdict(list)
        links = Process.assets.through.objects.filter(process__in=pks).values_list(
            "process_id", "processasset_id"
        )
        for process, asset in links:
            assets_of[process].append(asset)
    by_asset: dict[int, list[int]] = defaultdict(list)
    for process, assets in assets_of.items():
        for asset in assets:
            by_asset[asset].append(process)
    if not by_asset:
        return found
    done = ProjectDeployment.DONE_STATES
    rows = (
        AssetVersion.objects.filter(asset__in=list(by_asset))
        .filter(Q(state=AssetVersion.State.RELEASED) | Q(deployments__state__in=done))
        .order_by("asset__name", "pk")
        .values_list(
            "pk",
            "asset_id",
            "asset__code",
            "number",
            "state",
            "deployments__state",
            "deployments__project_id",
            "deployments__project__org_unit_id",
        )
    )
    named: set[tuple[int, int]] = set()
    for version, asset, code, number, state, used, project, unit in rows:
        for process in by_asset[asset]:
            if state == AssetVersion.State.RELEASED and (process, version) not in named:
                named.add((process, version))
                found[process].released.append(f"{code} v{number}")
            if used in done:
                found[process].projects.add(project)
                found[process].units.add(unit)
    return found


def coverage(processes: Iterable[Process], standings: dict[int, Standing]) -> Coverage:
    """The module docstring's enterprise-wide coverage over ``processes``."""
    level = [p for p in processes if p.kind == Process.Kind.PROCESS]
    ok = [p for p in level if p.is_enterprise_wide and standings[p.pk].defined]
    return Coverage(len(ok), len(level))


def enterprise_coverage(user: Any) -> Coverage:
    """The coverage over every process the user may see (three queries)."""
    rows = list(restrict(Process.objects.all(), user).only("pk", "kind", "owning_unit"))
    return coverage(rows, standing(rows))


def handoffs_by_process(
    processes: Iterable[Process], user: Any
) -> tuple[dict[int, list[Handoff]], dict[int, list[Handoff]]]:
    """(hand-offs out, hand-offs in) of each process, one query."""
    pks = {p.pk for p in processes}
    out: dict[int, list[Handoff]] = defaultdict(list)
    into: dict[int, list[Handoff]] = defaultdict(list)
    rows = (
        restrict(Handoff.objects.all(), user)
        .filter(Q(source__in=pks) | Q(target__in=pks))
        .select_related("source", "target")
        .order_by("pk")
    )
    for handoff in rows:
        if handoff.source_id in pks:
            out[handoff.source_id].append(handoff)
        if handoff.target_id in pks:
            into[handoff.target_id].append(handoff)
    return out, into


@dataclass
class TreeRow:
    process: Process
    standing: Standing
    out: list[Handoff]
    into: list[Handoff]


def tree(user: Any, queryset: QuerySet[Process] | None = None) -> tuple[list[TreeRow], Coverage]:
    """The architecture depth-first (path order) with each process's standing and
    hand-offs, and the coverage figure: four queries."""
    rows = list((queryset if queryset is not None else processes_for(user)).order_by("path"))
    standings = standing(rows)
    out, into = handoffs_by_process(rows, user)
    return (
        [TreeRow(p, standings[p.pk], out.get(p.pk, []), into.get(p.pk, [])) for p in rows],
        coverage(rows, standings),
    )


def by_value_chain(rows: list[TreeRow]) -> list[tuple[TreeRow, list[TreeRow]]]:
    """The path-ordered rows cut into value chains, each with the rows below it."""
    groups: list[tuple[TreeRow, list[TreeRow]]] = []
    for row in rows:
        if row.process.parent_id is None or not groups:
            groups.append((row, []))
        else:
            groups[-1][1].append(row)
    return groups
