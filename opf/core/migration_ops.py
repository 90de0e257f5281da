"""A migration operation that creates many models at once (issue #24).

Django re-renders a model and every model related to it, recursively, after each
operation. Nearly every OPF model relates to the user (``created_by``, the history
tables' ``history_user``), so each ``CreateModel`` re-rendered the whole project:
a new database took most of a minute of CPU on SQLite for a few hundred operations.

``CreateModels`` wraps the ``CreateModel`` operations of one migration and the
``AddField``/``AddIndex``/``AddConstraint`` operations on those same models. Its
state change is theirs, applied without rendering in between (the models render
once, when next needed); its database change creates each table from the final
model, which already has every field, index and constraint of the wrapped operations,
the way ``migrate --run-syncdb`` creates the tables of an app without migrations.

``AddToModels`` does the same for fields, indexes and models added to a migration's
existing models (see its docstring).
"""

from __future__ import annotations

from typing import Any

from django.db.migrations.operations.base import Operation
from django.db.migrations.operations.fields import AddField
from django.db.migrations.operations.models import (
    AddConstraint,
    AddIndex,
    AlterModelOptions,
    CreateModel,
)

ON_CREATED = (AddField, AddIndex, AddConstraint)


class CreateModels(Operation):
    """Create the models of ``operations`` in one step (see the module's docstring)."""

    reduces_to_sql = True
    reversible = True

    def __init__(self, operations: list[Operation]) -> None:
        created = {op.name_lower for op in operations if isinstance(op, CreateModel)}
        for op in operations:
            if isinstance(op, CreateModel):
                continue
            if not isinstance(op, ON_CREATED) or op.model_name_lower not in created:
                raise ValueError(f"CreateModels only adds to its own models: {op.describe()}")
        self.operations = operations
        super().__init__()

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [], {"operations": self.operations}

    def _created(self) -> list[str]:
        return [op.name for op in self.operations if isinstance(op, CreateModel)]

    def state_forwards(self, app_label: str, state: Any) -> None:
        # Without rendered apps, adding a model or field only records its state:
        # the next use of ``state.apps`` renders every model once.
        state.__dict__.pop("apps", None)
        for op in self.operations:
            op.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for name in self._created():
            model = to_state.apps.get_model(app_label, name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.create_model(model)

    def database_backwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        for name in reversed(self._created()):
            model = from_state.apps.get_model(app_label, name)
            if self.allow_migrate_model(schema_editor.connection.alias, model):
                schema_editor.delete_model(model)

    def describe(self) -> str:
        return f"Create {len(self._created())} models with their indexes and constraints"

    @property
    def migration_name_fragment(self) -> str:
        return "create_models"


# What ``AddToModels`` takes: operations that change one model's own table.
ONE_MODEL = (CreateModel, AddField, AddIndex, AddConstraint, AlterModelOptions)


def _model_of(op: Operation) -> str:
    if isinstance(op, CreateModel | AlterModelOptions):
        return op.name_lower
    if isinstance(op, ON_CREATED):
        return op.model_name_lower
    raise ValueError(f"not an operation on one model: {op.describe()}")


class AddToModels(Operation):
    """Fields, indexes, constraints and new models added to existing models of this
    app, as the wrapped operations do, with one render of the project instead of one
    (or more) for each of them.

    The state change is theirs, applied without rendering in between. Each one's
    database change is its own, made between two states that differ by it; of such
    a state only the model it changes is rendered again (adding to a model's own
    table needs that model and the ones it points to, not the models pointing to it).
    """

    reduces_to_sql = True
    reversible = False

    def __init__(self, operations: list[Operation]) -> None:
        for op in operations:
            if not isinstance(op, ONE_MODEL):
                raise ValueError(f"AddToModels only adds: {op.describe()}")
        self.operations = operations
        super().__init__()

    def deconstruct(self) -> tuple[str, list[Any], dict[str, Any]]:
        return self.__class__.__name__, [], {"operations": self.operations}

    def state_forwards(self, app_label: str, state: Any) -> None:
        state.__dict__.pop("apps", None)  # rendered once, when next needed
        for op in self.operations:
            op.state_forwards(app_label, state)

    def database_forwards(
        self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any
    ) -> None:
        before = from_state.clone()
        before.apps  # noqa: B018 - rendered here, once
        for op in self.operations:
            after = before.clone()
            apps = after.__dict__.pop("apps")
            op.state_forwards(app_label, after)
            name = _model_of(op)
            if name in apps.all_models[app_label]:
                apps.unregister_model(app_label, name)
            after.models[app_label, name].render(apps)
            after.__dict__["apps"] = apps
            op.database_forwards(app_label, schema_editor, before, after)
            before = after

    def describe(self) -> str:
        return f"Add {len(self.operations)} fields, indexes and models"

    @property
    def migration_name_fragment(self) -> str:
        return "add_to_models"
