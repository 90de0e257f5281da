"""Org units form a tree kept as a materialized path."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from opf.organization.models import OrgUnit
from tests.factories import OrgUnitFactory, ProjectFactory

pytestmark = pytest.mark.django_db


def test_subtree_and_ancestors():
    root = OrgUnitFactory()
    child = OrgUnitFactory(parent=root)
    grandchild = OrgUnitFactory(parent=child)
    OrgUnitFactory()  # unrelated
    assert set(root.subtree()) == {root, child, grandchild}
    assert list(grandchild.ancestors()) == [root, child]
    assert grandchild.depth == 2


def test_moving_a_unit_moves_its_subtree():
    a, b = OrgUnitFactory(), OrgUnitFactory()
    child = OrgUnitFactory(parent=a)
    grandchild = OrgUnitFactory(parent=child)
    child.parent = b
    child.save()
    grandchild.refresh_from_db()
    assert grandchild.path.startswith(b.path)
    assert set(b.subtree()) == {b, child, grandchild}
    assert set(a.subtree()) == {a}


def test_a_unit_cannot_move_under_itself():
    root = OrgUnitFactory()
    child = OrgUnitFactory(parent=root)
    root.parent = child
    with pytest.raises(ValidationError) as error:
        root.full_clean()
    assert "parent" in error.value.message_dict
    root.parent = root
    with pytest.raises(ValidationError):
        root.full_clean()


def test_project_filter_by_unit_includes_units_below(client_as, people):
    root = OrgUnitFactory(name="Root")
    child = OrgUnitFactory(parent=root)
    inside = ProjectFactory(org_unit=child, name="Inside")
    ProjectFactory(name="Outside")
    response = client_as(people.member).get("/projects/", {"org_unit": root.pk})
    assert response.status_code == 200
    names = [row.record.name for row in response.context["table"].rows]
    assert names == [inside.name]
    assert OrgUnit.objects.count() >= 2
