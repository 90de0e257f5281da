"""Traceability along the OPF loop: from any record, back to why it exists and
forward to what it changed.

The loop (../shared/DESIGN.md) is declared once as edges "A led to B", each
with the lookup from B back to A. Walking a hop costs one query per edge for
the records reached (two going backwards), whatever their number, and only
records the user may see are shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import Model, QuerySet

from opf.core.permissions import restrict
from opf.core.urlnames import absolute_url, model_name

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from opf.core.accounts import User


@dataclass(frozen=True)
class Edge:
    source: str  # "app.Model" that led to...
    target: str  # ...this one
    lookup: str  # from target to source, e.g. "needs" on Improvement


EDGES: tuple[Edge, ...] = (
    Edge("appraisals.ProcessNeed", "actions.Improvement", "needs"),
    Edge("appraisals.Finding", "actions.Improvement", "findings"),
    Edge("lessons.Lesson", "lessons.ImprovementProposal", "lesson"),
    Edge("lessons.ImprovementProposal", "actions.Improvement", "proposal"),
    Edge("actions.Improvement", "actions.ProcessActionPlan", "improvements"),
    Edge("actions.ProcessActionPlan", "actions.Pilot", "action_plan"),
    Edge("actions.ProcessActionPlan", "lessons.Lesson", "action_plan"),
    Edge("actions.Pilot", "deployment.AssetVersion", "pilot"),
    Edge("deployment.AssetVersion", "deployment.ProjectDeployment", "asset_version"),
    Edge("deployment.ProjectDeployment", "lessons.ComplianceAudit", "items__deployment"),
    Edge("lessons.ComplianceAudit", "lessons.NonCompliance", "audit"),
    Edge("lessons.NonCompliance", "lessons.ImprovementProposal", "non_compliances"),
    Edge("lessons.NonCompliance", "lessons.Lesson", "non_compliance"),
    Edge("lessons.EffectivenessReview", "lessons.ImprovementProposal", "effectiveness_reviews"),
)

# What each kind's label needs loaded (no query per node).
RELATED: dict[str, tuple[str, ...]] = {
    "deployment.AssetVersion": ("asset",),
    "deployment.ProjectDeployment": ("project", "asset_version__asset"),
    "lessons.ComplianceAudit": ("project",),
}
MAX_HOPS = 12


def kind_of(model: type[Model] | Model) -> str:
    return f"{model._meta.app_label}.{model._meta.object_name}"


def traceable_kinds() -> dict[str, type[Model]]:
    """``model_name`` -> model of every kind the trace knows (e.g. "noncompliance")."""
    kinds = {}
    for edge in EDGES:
        for label in (edge.source, edge.target):
            model = apps.get_model(label)
            kinds[model_name(model)] = model
    return kinds


@dataclass(frozen=True)
class Node:
    kind: str
    pk: int
    label: str
    url: str
    type_label: str
    level: int  # < 0: where it came from; 0: the record; > 0: what it led to

    @property
    def key(self) -> tuple[str, int]:
        return (self.kind, self.pk)


@dataclass
class Trace:
    root: Node
    nodes: list[Node] = field(default_factory=list)
    links: list[tuple[tuple[str, int], tuple[str, int]]] = field(default_factory=list)

    @property
    def backward(self) -> list[Node]:
        return sorted((n for n in self.nodes if n.level < 0), key=lambda n: -n.level)

    @property
    def forward(self) -> list[Node]:
        return sorted((n for n in self.nodes if n.level > 0), key=lambda n: n.level)

    def as_dict(self) -> dict[str, Any]:
        def node(n: Node) -> dict[str, Any]:
            return {
                "kind": n.kind,
                "type": n.type_label,
                "id": n.pk,
                "label": n.label,
                "url": n.url,
                "level": n.level,
            }

        return {
            "root": node(self.root),
            "nodes": [node(n) for n in self.nodes],
            "links": [
                {"from": {"kind": a[0], "id": a[1]}, "to": {"kind": b[0], "id": b[1]}}
                for a, b in self.links
            ],
        }


def _node(obj: Model, level: int) -> Node:
    return Node(
        kind=model_name(obj),
        pk=obj.pk,
        label=str(obj)[:120],
        url=absolute_url(obj),
        type_label=str(obj._meta.verbose_name).capitalize(),
        level=level,
    )


def _visible(label: str, user: User | AnonymousUser) -> QuerySet:
    model = apps.get_model(label)
    queryset = model._default_manager.all()
    if label in RELATED:
        queryset = queryset.select_related(*RELATED[label])
    return restrict(queryset, user, "view")


def trace(obj: Model, user: User | AnonymousUser, *, max_hops: int = MAX_HOPS) -> Trace:
    """Everything ``obj`` came from and led to, as levels of nodes and links."""
    root = _node(obj, 0)
    result = Trace(root)
    seen: set[tuple[str, int]] = {(kind_of(obj), obj.pk)}
    for step in (-1, 1):
        frontier: dict[str, set[int]] = {kind_of(obj): {obj.pk}}
        for hop in range(1, max_hops + 1):
            reached: dict[str, set[int]] = defaultdict(set)
            for edge in EDGES:
                here, there = (edge.target, edge.source) if step < 0 else (edge.source, edge.target)
                pks = frontier.get(here)
                if not pks:
                    continue
                for near_pk, far in _walk(edge, pks, user, backward=step < 0):
                    near_key = (model_name(apps.get_model(here)), near_pk)
                    far_key = (model_name(far), far.pk)
                    link = (far_key, near_key) if step < 0 else (near_key, far_key)
                    if link not in result.links:
                        result.links.append(link)
                    if (there, far.pk) in seen:
                        continue
                    seen.add((there, far.pk))
                    result.nodes.append(_node(far, step * hop))
                    reached[there].add(far.pk)
            if not reached:
                break
            frontier = reached
    return result


def _walk(
    edge: Edge, pks: set[int], user: User | AnonymousUser, *, backward: bool
) -> list[tuple[int, Model]]:
    """(pk of the record we are at, record reached) along one edge."""
    if not backward:
        found = _visible(edge.target, user).filter(**{f"{edge.lookup}__in": pks}).distinct()
        pairs = (
            apps.get_model(edge.target)
            ._default_manager.filter(**{f"{edge.lookup}__in": pks})
            .values_list("pk", f"{edge.lookup}__pk")
        )
        by_target = defaultdict(list)
        for target_pk, source_pk in pairs:
            by_target[target_pk].append(source_pk)
        return [(source_pk, obj) for obj in found for source_pk in by_target[obj.pk]]
    pairs = list(
        apps.get_model(edge.target)
        ._default_manager.filter(pk__in=pks, **{f"{edge.lookup}__isnull": False})
        .values_list("pk", f"{edge.lookup}__pk")
    )
    sources = _visible(edge.source, user).in_bulk({s for _t, s in pairs})
    return [(target_pk, sources[s]) for target_pk, s in pairs if s in sources]


# --- drawing -----------------------------------------------------------------

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 170, 44, 40, 14, 10


@dataclass(frozen=True)
class Box:
    node: Node
    x: float
    y: float
    root: bool

    @property
    def text_x(self) -> float:
        return self.x + 8

    @property
    def kind_y(self) -> float:
        return self.y + 17

    @property
    def label_y(self) -> float:
        return self.y + 34

    @property
    def short(self) -> str:
        text = self.node.label
        return text if len(text) <= 24 else f"{text[:23]}…"


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Graph:
    width: float
    height: float
    boxes: list[Box]
    lines: list[Line]
    box_w: int = BOX_W
    box_h: int = BOX_H


def graph(result: Trace) -> Graph:
    """Lay the trace out left (causes) to right (effects), one column per level."""
    nodes = [result.root, *result.nodes]
    levels = sorted({n.level for n in nodes})
    columns: dict[int, list[Node]] = {lvl: [n for n in nodes if n.level == lvl] for lvl in levels}
    tallest = max(len(c) for c in columns.values())
    boxes: dict[tuple[str, int], Box] = {}
    for col, level in enumerate(levels):
        for row, node in enumerate(columns[level]):
            boxes[node.key] = Box(
                node,
                PAD + col * (BOX_W + GAP_X),
                PAD + row * (BOX_H + GAP_Y),
                node is result.root,
            )
    lines = []
    for a, b in result.links:
        if a in boxes and b in boxes:
            one, two = boxes[a], boxes[b]
            left, right = (one, two) if one.x <= two.x else (two, one)
            lines.append(Line(left.x + BOX_W, left.y + BOX_H / 2, right.x, right.y + BOX_H / 2))
    return Graph(
        width=PAD * 2 + len(levels) * BOX_W + (len(levels) - 1) * GAP_X,
        height=PAD * 2 + tallest * BOX_H + (tallest - 1) * GAP_Y,
        boxes=list(boxes.values()),
        lines=lines,
    )
