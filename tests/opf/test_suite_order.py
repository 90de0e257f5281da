"""The suite's own scheduling (tests/conftest.py): heavy tests start first within
their database group, so neither worker ends the run alone on one of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from tests.conftest import heavy_first


@dataclass
class FakeItem:
    name: str
    markers: dict[str, dict[str, Any]] = field(default_factory=dict)
    fixturenames: tuple[str, ...] = ()

    def get_closest_marker(self, name: str) -> SimpleNamespace | None:
        if name not in self.markers:
            return None
        return SimpleNamespace(name=name, kwargs=self.markers[name])


def test_heavy_tests_start_first_within_their_database_group():
    db = {"django_db": {}}
    transactional = {"django_db": {"transaction": True, "serialized_rollback": True}}
    heavy: dict[str, dict[str, Any]] = {"heavy": {}}
    items = [  # as pytest-django leaves them: database, transactional, no database
        FakeItem("db-1", db),
        FakeItem("db-heavy", db | heavy),
        FakeItem("db-2", fixturenames=("db",)),
        FakeItem("walk-1", transactional),
        FakeItem("walk-heavy", transactional | heavy),
        FakeItem("live-heavy", heavy, fixturenames=("live_server",)),
        FakeItem("plain-1"),
        FakeItem("gate-heavy", heavy),
        FakeItem("plain-2"),
    ]
    ordered = [item.name for item in heavy_first(items)]  # type: ignore[arg-type]
    assert ordered == [
        "gate-heavy",  # needs no test database: starts the run
        "db-heavy",
        "db-1",
        "db-2",
        "walk-heavy",  # transactional ones stay after the others (they flush)
        "live-heavy",
        "walk-1",
        "plain-1",
        "plain-2",
    ]
