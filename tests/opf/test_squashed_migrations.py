"""The squashed migrations (issue #24) reach exactly the state of the old ones they
replace, and ``CreateModels`` only creates."""

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from opf.core.migration_ops import CreateModels

SQUASHED = {
    "opf": "0001_squashed_0018_project_type_and_size_class",
    "appraisals": "0001_squashed_0011_goal_judgments",
    "actions": "0001_squashed_0007_history_of_many_to_many",
    "deployment": "0001_squashed_0007_watch_block_indexes",
    "lessons": "0001_squashed_0008_lesson_search_trigram_indexes",
}


def _models(state, app_label):
    return {key: model for key, model in state.models.items() if key[0] == app_label}


@pytest.mark.parametrize("app_label", sorted(SQUASHED))
def test_a_squashed_migration_reaches_the_state_of_the_ones_it_replaces(app_label):
    new = MigrationLoader(None)
    old = MigrationLoader(None, replace_migrations=False)
    squashed = new.get_migration(app_label, SQUASHED[app_label])
    assert (app_label, SQUASHED[app_label]) in new.graph.nodes
    assert not any(node in new.graph.nodes for node in squashed.replaces)

    after_old = _models(old.project_state(squashed.replaces[-1]), app_label)
    after_new = _models(new.project_state((app_label, SQUASHED[app_label])), app_label)
    assert sorted(after_new) == sorted(after_old)
    for key, model in after_old.items():
        assert after_new[key] == model, key


@pytest.mark.parametrize(
    "node", [("actions", "0010_commitment_kept_by"), ("lessons", "0009_watch_block_indexes")]
)
def test_the_migrations_after_a_squashed_one_reach_the_same_state(node):
    """actions 0008-0010 and lessons 0009 stay: after them, the app's models are as
    before (the other apps may be further on: a squashed migration is all or nothing)."""
    new = _models(MigrationLoader(None).project_state(node), node[0])
    old = _models(MigrationLoader(None, replace_migrations=False).project_state(node), node[0])
    assert sorted(new) == sorted(old)
    for key, model in old.items():
        assert new[key] == model, key


def test_create_models_only_adds_to_the_models_it_creates():
    create = migrations.CreateModel("Box", [("id", models.AutoField(primary_key=True))])
    index = models.Index(fields=["id"], name="box_id_idx")
    CreateModels([create, migrations.AddIndex("box", index)])
    with pytest.raises(ValueError, match="its own models"):
        CreateModels([create, migrations.AddIndex("crate", index)])
    with pytest.raises(ValueError, match="its own models"):
        CreateModels([create, migrations.RemoveField("box", "id")])
