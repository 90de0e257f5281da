"""The squashed migrations (issue #24) reach exactly the state of the old ones they
replace; ``CreateModels`` and ``AddToModels`` take only what they can do at once."""

import pytest
from django.db import migrations, models
from django.db.migrations.loader import MigrationLoader

from opf.core.migration_ops import AddToModels, CreateModels

SQUASHED = [
    ("opf", "0001_squashed_0018_project_type_and_size_class"),
    ("appraisals", "0001_squashed_0011_goal_judgments"),
    ("actions", "0001_squashed_0007_history_of_many_to_many"),
    ("actions", "0008_squashed_0010_commitment_kept_by"),
    ("deployment", "0001_squashed_0007_watch_block_indexes"),
    ("lessons", "0001_squashed_0008_lesson_search_trigram_indexes"),
]


def _models(state, app_label):
    return {key: model for key, model in state.models.items() if key[0] == app_label}


@pytest.mark.parametrize("node", SQUASHED, ids="{0[0]}.{0[1]}".format)
def test_a_squashed_migration_reaches_the_state_of_the_ones_it_replaces(node):
    app_label = node[0]
    new = MigrationLoader(None)
    old = MigrationLoader(None, replace_migrations=False)
    squashed = new.get_migration(*node)
    assert node in new.graph.nodes
    assert not any(replaced in new.graph.nodes for replaced in squashed.replaces)

    after_old = _models(old.project_state(squashed.replaces[-1]), app_label)
    after_new = _models(new.project_state(node), app_label)
    assert sorted(after_new) == sorted(after_old)
    for key, model in after_old.items():
        assert after_new[key] == model, key


def test_the_migration_after_the_squashed_ones_reaches_the_same_state():
    """lessons 0009 stays: after it, lessons' models are as before (the other apps
    may be further on: a squashed migration is all or nothing)."""
    node = ("lessons", "0009_watch_block_indexes")
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


def test_add_to_models_only_adds():
    AddToModels([migrations.AddField("box", "size", models.IntegerField(default=0))])
    with pytest.raises(ValueError, match="only adds"):
        AddToModels([migrations.RemoveField("box", "size")])
    with pytest.raises(ValueError, match="only adds"):
        AddToModels([migrations.RenameField("box", "size", "width")])
