"""The project's people: who works on a project and who still needs training."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from deployment.models import AssetVersion, ProjectDeployment, TrainingRecord
from opf.core.accounts import User
from opf.organization.models import Project


def people_of(projects: Iterable[Project]) -> dict[int, set[int]]:
    """Project id → ids of its people: the manager and the active members of its
    org unit (one query for any number of projects)."""
    projects = list(projects)
    unit_ids = {p.org_unit_id for p in projects}
    members: dict[int, set[int]] = {}
    for user_id, unit_id in User.objects.filter(
        org_unit_id__in=unit_ids, is_active=True
    ).values_list("pk", "org_unit_id"):
        members.setdefault(unit_id, set()).add(user_id)
    return {
        p.pk: members.get(p.org_unit_id, set()) | ({p.manager_id} if p.manager_id else set())
        for p in projects
    }


def open_training(version: AssetVersion, projects: Iterable[Project]) -> int:
    """Training records "to do" on ``version`` for the people of ``projects``
    (idempotent); returns how many people need it."""
    wanted = set().union(*people_of(projects).values()) if projects else set()
    TrainingRecord.objects.bulk_create(
        [TrainingRecord(person_id=pk, asset_version=version) for pk in sorted(wanted)],
        ignore_conflicts=True,
    )
    return len(wanted)


def untrained(deployment: ProjectDeployment) -> QuerySet[User]:
    """The project's people without a "done" training on the deployed version."""
    people = people_of([deployment.project])[deployment.project_id]
    done = TrainingRecord.objects.filter(
        asset_version_id=deployment.asset_version_id,
        status=TrainingRecord.Status.DONE,
        person_id__in=people,
    ).values_list("person_id", flat=True)
    return User.objects.filter(pk__in=people).exclude(pk__in=list(done))
