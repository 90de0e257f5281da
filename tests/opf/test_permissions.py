"""The role table decides who may do what, on which rows (opf.core.roles, opf.core.permissions)."""

from __future__ import annotations

import pytest

from opf.core.permissions import can, restrict
from opf.organization.models import Project
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_every_role_sees_projects(people):
    ProjectFactory.create_batch(3)
    for user in (people.epg, people.pm, people.executive, people.appraiser, people.member):
        assert restrict(Project.objects.all(), user, "view").count() == 3


def test_process_group_changes_any_project(people):
    project = ProjectFactory(manager=people.pm)
    assert can(people.epg, "change", project)
    assert can(people.epg, "delete", project)
    assert can(people.epg, "add", Project)


def test_project_manager_changes_only_own_projects(people):
    own = ProjectFactory(manager=people.pm)
    other = ProjectFactory(manager=people.other_pm)
    assert can(people.pm, "change", own)
    assert not can(people.pm, "change", other)
    assert list(restrict(Project.objects.all(), people.pm, "change")) == [own]
    assert not can(people.pm, "delete", own)
    assert not can(people.pm, "add", Project)


def test_object_has_perm_matches_rules(people):
    own = ProjectFactory(manager=people.pm)
    other = ProjectFactory(manager=people.other_pm)
    assert people.pm.has_perm("opf.change_project", own)
    assert not people.pm.has_perm("opf.change_project", other)
    assert not people.executive.has_perm("opf.change_project", own)


@pytest.mark.parametrize("role", ["executive", "appraiser", "member"])
def test_readers_change_nothing(people, role):
    user = people.by_role(role)
    project = ProjectFactory(manager=user)
    assert can(user, "view", project)
    for action in ("add", "change", "delete"):
        assert not can(user, action, project)


def test_anonymous_and_inactive_users_get_nothing(people, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    ProjectFactory()
    people.epg.is_active = False
    people.epg.save()
    assert restrict(Project.objects.all(), AnonymousUser(), "view").count() == 0
    assert not can(AnonymousUser(), "view", Project)
    epg = django_user_model.objects.get(pk=people.epg.pk)
    assert not can(epg, "view", Project)


def test_role_groups_carry_permissions_from_the_role_table(db):
    from django.contrib.auth.models import Group

    from opf.core.roles import ROLES

    for role in ROLES:
        group = Group.objects.get(name=role.group)
        codenames = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert "opf.view_project" in codenames
        assert ("opf.delete_project" in codenames) == (role.slug == "process_group")
