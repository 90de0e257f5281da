"""Import a reference model (CMMI, ISO 9001, a company's own) from JSON or CSV.

Everything is checked before anything is written: a bad file yields a list of
row-by-row errors and saves nothing. The same code loads the shipped CMMI-DEV
model in a data migration (with the migration's historical models).

JSON: ``{"abbreviation", "name", "version", "description", "process_areas":
[{"abbreviation", "name", "category", "maturity_level", "purpose", "goals":
[{"code", "name", "kind", "statement", "description", "practices": [{"code",
"name", "statement", "description", "work_products": [], "subpractices": []}]}]}]}``

CSV (one row per practice, or per process area without practices), columns:
``process_area, process_area_name, category, maturity_level, goal, goal_name,
practice, practice_name, statement``; the model's abbreviation, name and
version are given beside the file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from opf.core.csvimport import ImportFailed, RowError, decode, read_csv, row_where

if TYPE_CHECKING:
    from opf.core.accounts import User

CATEGORIES = {"process_management", "project_management", "engineering", "support", "other"}
GOAL_KINDS = {"specific", "generic"}
CSV_COLUMNS = (
    "process_area",
    "process_area_name",
    "category",
    "maturity_level",
    "goal",
    "goal_name",
    "practice",
    "practice_name",
    "statement",
)
CSV_REQUIRED = ("process_area", "process_area_name")


@dataclass
class PracticeSpec:
    code: str
    name: str
    statement: str = ""
    description: str = ""
    work_products: list[str] = field(default_factory=list)
    subpractices: list[str] = field(default_factory=list)


@dataclass
class GoalSpec:
    code: str
    name: str
    kind: str = "specific"
    statement: str = ""
    description: str = ""
    practices: list[PracticeSpec] = field(default_factory=list)


@dataclass
class AreaSpec:
    abbreviation: str
    name: str
    category: str = "other"
    maturity_level: int | None = None
    purpose: str = ""
    goals: list[GoalSpec] = field(default_factory=list)
    practices: list[PracticeSpec] = field(default_factory=list)  # practices without a goal


@dataclass
class ModelSpec:
    abbreviation: str
    name: str
    version: str
    description: str = ""
    process_areas: list[AreaSpec] = field(default_factory=list)


class _Checker:
    """Collects errors while reading values."""

    def __init__(self) -> None:
        self.errors: list[RowError] = []

    def text(
        self,
        data: dict,
        key: str,
        where: str,
        *,
        required: bool = False,
        max_length: int | None = None,
    ) -> str:
        value = data.get(key, "")
        if value is None:
            value = ""
        if not isinstance(value, str):
            self.errors.append(RowError(where, _("%(field)s must be text.") % {"field": key}))
            return ""
        value = value.strip()
        if required and not value:
            self.errors.append(RowError(where, _("%(field)s is required.") % {"field": key}))
        if max_length and len(value) > max_length:
            self.errors.append(
                RowError(
                    where,
                    _("%(field)s is longer than %(max)d characters.")
                    % {"field": key, "max": max_length},
                )
            )
        return value

    def texts(self, data: dict, key: str, where: str) -> list[str]:
        value = data.get(key) or []
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.errors.append(
                RowError(where, _("%(field)s must be a list of texts.") % {"field": key})
            )
            return []
        return [v.strip() for v in value if v.strip()]

    def level(self, value: Any, where: str) -> int | None:
        if value in (None, ""):
            return None
        try:
            level = int(value)
        except (TypeError, ValueError):
            level = 0
        if not 1 <= level <= 5:
            self.errors.append(
                RowError(where, _("maturity_level must be a whole number from 1 to 5."))
            )
            return None
        return level

    def choice(self, value: str, allowed: set[str], default: str, key: str, where: str) -> str:
        value = (value or default).strip().lower().replace(" ", "_")
        if value not in allowed:
            self.errors.append(
                RowError(
                    where,
                    _("%(field)s must be one of: %(allowed)s.")
                    % {"field": key, "allowed": ", ".join(sorted(allowed))},
                )
            )
        return value

    def unique(self, seen: set[str], code: str, where: str, what: str) -> None:
        if code and code in seen:
            self.errors.append(
                RowError(
                    where, _("%(what)s %(code)s appears twice.") % {"what": what, "code": code}
                )
            )
        seen.add(code)


def parse_json(raw: bytes | str) -> ModelSpec:
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ImportFailed(
            [RowError(_("file"), _("not valid JSON (%(error)s)") % {"error": error})]
        ) from error
    if not isinstance(data, dict):
        raise ImportFailed([RowError(_("file"), _("the top level must be an object."))])
    check = _Checker()
    spec = ModelSpec(
        abbreviation=check.text(data, "abbreviation", "model", required=True, max_length=30),
        name=check.text(data, "name", "model", required=True, max_length=200),
        version=check.text(data, "version", "model", required=True, max_length=30),
        description=check.text(data, "description", "model"),
    )
    areas = data.get("process_areas")
    if not isinstance(areas, list) or not areas:
        check.errors.append(RowError("model", _("process_areas must be a non-empty list.")))
        areas = []
    seen_areas: set[str] = set()
    for i, area in enumerate(areas):
        where = f"process_areas[{i}]"
        if not isinstance(area, dict):
            check.errors.append(RowError(where, _("must be an object.")))
            continue
        area_spec = AreaSpec(
            abbreviation=check.text(area, "abbreviation", where, required=True, max_length=30),
            name=check.text(area, "name", where, required=True, max_length=200),
            category=check.choice(area.get("category", ""), CATEGORIES, "other", "category", where),
            maturity_level=check.level(area.get("maturity_level"), where),
            purpose=check.text(area, "purpose", where),
        )
        check.unique(seen_areas, area_spec.abbreviation, where, _("Process area"))
        seen_codes: set[str] = set()
        for j, goal in enumerate(area.get("goals") or []):
            gwhere = f"{where}.goals[{j}]"
            if not isinstance(goal, dict):
                check.errors.append(RowError(gwhere, _("must be an object.")))
                continue
            goal_spec = GoalSpec(
                code=check.text(goal, "code", gwhere, required=True, max_length=20),
                name=check.text(goal, "name", gwhere, required=True, max_length=255),
                kind=check.choice(goal.get("kind", ""), GOAL_KINDS, "specific", "kind", gwhere),
                statement=check.text(goal, "statement", gwhere),
                description=check.text(goal, "description", gwhere),
            )
            check.unique(seen_codes, goal_spec.code, gwhere, _("Goal"))
            goal_spec.practices = _json_practices(
                check, goal.get("practices") or [], gwhere, seen_codes
            )
            area_spec.goals.append(goal_spec)
        area_spec.practices = _json_practices(check, area.get("practices") or [], where, seen_codes)
        spec.process_areas.append(area_spec)
    if check.errors:
        raise ImportFailed(check.errors)
    return spec


def _json_practices(check: _Checker, items: Any, where: str, seen: set[str]) -> list[PracticeSpec]:
    practices: list[PracticeSpec] = []
    if not isinstance(items, list):
        check.errors.append(RowError(where, _("practices must be a list.")))
        return practices
    for k, practice in enumerate(items):
        pwhere = f"{where}.practices[{k}]"
        if not isinstance(practice, dict):
            check.errors.append(RowError(pwhere, _("must be an object.")))
            continue
        spec = PracticeSpec(
            code=check.text(practice, "code", pwhere, required=True, max_length=20),
            name=check.text(practice, "name", pwhere, required=True, max_length=255),
            statement=check.text(practice, "statement", pwhere),
            description=check.text(practice, "description", pwhere),
            work_products=check.texts(practice, "work_products", pwhere),
            subpractices=check.texts(practice, "subpractices", pwhere),
        )
        check.unique(seen, spec.code, pwhere, _("Practice"))
        practices.append(spec)
    return practices


def parse_csv(
    raw: bytes | str, *, abbreviation: str, name: str, version: str, description: str = ""
) -> ModelSpec:
    text = decode(raw)
    check = _Checker()
    head = {"abbreviation": abbreviation, "name": name, "version": version}
    spec = ModelSpec(
        abbreviation=check.text(head, "abbreviation", "model", required=True, max_length=30),
        name=check.text(head, "name", "model", required=True, max_length=200),
        version=check.text(head, "version", "model", required=True, max_length=30),
        description=description,
    )
    missing, lines = read_csv(text, CSV_REQUIRED)
    if missing:
        raise ImportFailed(
            [
                RowError(
                    _("header"),
                    _("missing columns: %(columns)s (expected %(expected)s)")
                    % {"columns": ", ".join(missing), "expected": ", ".join(CSV_COLUMNS)},
                )
            ]
        )
    rows = _CsvRows(check)
    for line, row in lines:
        rows.add(row, row_where(line))
    if not rows.areas and not check.errors:
        check.errors.append(RowError(_("file"), _("no rows.")))
    spec.process_areas = list(rows.areas.values())
    if check.errors:
        raise ImportFailed(check.errors)
    return spec


class _CsvRows:
    """Process areas, goals and practices gathered row by row from a CSV file."""

    def __init__(self, check: _Checker) -> None:
        self.check = check
        self.areas: dict[str, AreaSpec] = {}
        self.goals: dict[tuple[str, str], GoalSpec] = {}
        self.seen_codes: dict[str, set[str]] = {}

    def add(self, row: dict[str, str], where: str) -> None:
        check = self.check
        pa = check.text(row, "process_area", where, required=True, max_length=30)
        if pa not in self.areas:
            self.areas[pa] = AreaSpec(
                abbreviation=pa,
                name=check.text(row, "process_area_name", where, required=True, max_length=200),
                category=check.choice(
                    row.get("category", ""), CATEGORIES, "other", "category", where
                ),
                maturity_level=check.level(row.get("maturity_level"), where),
            )
            self.seen_codes[pa] = set()
        area = self.areas[pa]
        goal_code = check.text(row, "goal", where, max_length=20)
        goal = None
        if goal_code:
            goal = self.goals.get((pa, goal_code))
            if goal is None:
                goal = GoalSpec(
                    code=goal_code,
                    name=check.text(row, "goal_name", where, required=True, max_length=255),
                )
                self.goals[(pa, goal_code)] = goal
                area.goals.append(goal)
        practice_code = check.text(row, "practice", where, max_length=20)
        if practice_code:
            practice = PracticeSpec(
                code=practice_code,
                name=check.text(row, "practice_name", where, required=True, max_length=255),
                statement=check.text(row, "statement", where),
            )
            check.unique(self.seen_codes[pa], practice_code, where, _("Practice"))
            (goal.practices if goal else area.practices).append(practice)


def parse_file(raw: bytes, filename: str, **csv_meta: str) -> ModelSpec:
    if filename.lower().endswith(".json"):
        return parse_json(raw)
    if filename.lower().endswith(".csv"):
        return parse_csv(raw, **csv_meta)
    raise ImportFailed([RowError(_("file"), _("the file must be .json or .csv."))])


def create_from_spec(spec: ModelSpec, *, models: Any = None, builtin: bool = False) -> Any:
    """Write ``spec``; ``models`` lets a migration pass its historical models."""
    registry = models or _current_models()
    reference_model = registry.get_model("opf", "ReferenceModel")
    if reference_model.objects.filter(
        abbreviation=spec.abbreviation, version=spec.version
    ).exists():
        raise ImportFailed(
            [
                RowError(
                    "model",
                    _("%(model)s %(version)s already exists.")
                    % {"model": spec.abbreviation, "version": spec.version},
                )
            ]
        )
    with transaction.atomic():
        model = reference_model.objects.create(
            abbreviation=spec.abbreviation,
            name=spec.name,
            version=spec.version,
            description=spec.description,
            builtin=builtin,
        )
        for order, area in enumerate(spec.process_areas):
            _create_area(registry, model, area, order)
    return model


def _create_area(registry: Any, model: Any, area: AreaSpec, order: int) -> None:
    """One process area with its goals and practices (goal practices first, in order)."""
    goal_model = registry.get_model("opf", "Goal")
    practice_model = registry.get_model("opf", "Practice")
    pa = registry.get_model("opf", "ProcessArea").objects.create(
        reference_model=model,
        abbreviation=area.abbreviation,
        name=area.name,
        category=area.category,
        maturity_level=area.maturity_level,
        purpose=area.purpose,
        order=order,
    )
    practices = []
    for goal_order, goal in enumerate(area.goals):
        g = goal_model.objects.create(
            process_area=pa,
            code=goal.code,
            name=goal.name,
            kind=goal.kind,
            statement=goal.statement,
            description=goal.description,
            order=goal_order,
        )
        practices += [(g, p) for p in goal.practices]
    practices += [(None, p) for p in area.practices]
    practice_model.objects.bulk_create(
        practice_model(
            process_area=pa,
            goal=g,
            code=p.code,
            name=p.name,
            statement=p.statement,
            description=p.description,
            work_products=p.work_products,
            subpractices=p.subpractices,
            order=n,
        )
        for n, (g, p) in enumerate(practices)
    )


def _current_models() -> Any:
    from django.apps import apps

    return apps


def import_reference_model(raw: bytes, filename: str, *, actor: User, **csv_meta: str) -> Any:
    """Parse and create; the service pages, the API and the command call."""
    from opf.core.services import check
    from opf.reference.models import ReferenceModel

    check(actor, "add", ReferenceModel)
    spec = parse_file(raw, filename, **csv_meta)
    return create_from_spec(spec)
