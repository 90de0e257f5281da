"""Project managers hear about deployments that went quiet, once per quiet spell."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from deployment.models import ProjectDeployment
from opf.notifications.services import send_due_reminders
from tests.deployment.factories import ProjectDeploymentFactory
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def test_a_quiet_deployment_reminds_its_manager_once(people):
    quiet = ProjectDeploymentFactory(project=ProjectFactory(manager=people.pm))
    ProjectDeploymentFactory(project=ProjectFactory(manager=people.other_pm))  # fresh
    long_ago = timezone.now() - timedelta(days=45)
    ProjectDeployment.objects.filter(pk=quiet.pk).update(updated_at=long_ago)
    assert send_due_reminders("deployment-stale", lead_days=30) == 1
    assert mail.outbox[0].to == [people.pm.email]
    assert send_due_reminders("deployment-stale", lead_days=30) == 0
