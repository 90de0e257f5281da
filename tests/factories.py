"""Factories for every model, in one place."""

from __future__ import annotations

from datetime import date

import factory
from django.apps import apps
from django.contrib.auth.models import Group
from simple_history.utils import bulk_create_with_history

from opf.core.accounts import User
from opf.core.roles import MEMBER, Role
from opf.organization.models import OrgUnit, Project
from opf.reference.models import Goal, Practice, ProcessArea, ReferenceModel


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("pw-for-tests")

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        if not create:
            return
        names = [MEMBER.group, *(r.group for r in (extracted or []))]
        self.groups.add(*Group.objects.filter(name__in=names))


def personas(roles_by_username: dict[str, list[Role]]) -> dict[str, User]:
    """The suite's personas, saved together: one insert for the people, one for
    their history rows and one for their role groups. Saving them one by one
    (``UserFactory``) costs a history row per role added, and nearly every test
    asks for them (``people`` in tests/conftest.py)."""
    built = [UserFactory.build(username=name) for name in roles_by_username]
    users = bulk_create_with_history(built, User)
    groups = {g.name: g for g in Group.objects.all()}
    through = User.groups.through
    memberships = through.objects.bulk_create(
        through(user_id=user.pk, group_id=groups[role.group].pk)
        for user in users
        for role in [MEMBER, *roles_by_username[user.username]]
    )
    # The "created" history row holds the person's groups, as a one-by-one save does.
    rows = {row.id: row for row in User.history.filter(id__in=[user.pk for user in users])}
    recorded = apps.get_model("opf", "HistoricalUser_groups")
    recorded.objects.bulk_create(
        recorded(id=m.pk, history=rows[m.user_id], user_id=m.user_id, group_id=m.group_id)
        for m in memberships
    )
    return {user.username: user for user in users}


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit

    name = factory.Sequence(lambda n: f"Unit {n}")
    code = factory.Sequence(lambda n: f"unit-{n}")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project

    name = factory.Sequence(lambda n: f"Project {n}")
    code = factory.Sequence(lambda n: f"prj-{n}")
    org_unit = factory.SubFactory(OrgUnitFactory)
    start_date = date(2026, 1, 5)


class ReferenceModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferenceModel

    abbreviation = factory.Sequence(lambda n: f"RM{n}")
    name = factory.Sequence(lambda n: f"Reference model {n}")
    version = "1.0"


class ProcessAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcessArea

    reference_model = factory.SubFactory(ReferenceModelFactory)
    abbreviation = factory.Sequence(lambda n: f"PA{n}")
    name = factory.Sequence(lambda n: f"Process area {n}")
    category = ProcessArea.Category.SUPPORT
    maturity_level = 2


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    process_area = factory.SubFactory(ProcessAreaFactory)
    code = factory.Sequence(lambda n: f"SG {n}")
    name = factory.Sequence(lambda n: f"Goal {n}")


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    goal = factory.SubFactory(GoalFactory)
    process_area = factory.SelfAttribute("goal.process_area")
    code = factory.Sequence(lambda n: f"SP {n}.1")
    name = factory.Sequence(lambda n: f"Practice {n}")
    statement = "Establish and maintain something."
