from __future__ import annotations

from datetime import date

import pytest

from deployment.models import ProjectDeployment
from lessons.models import ComplianceAudit
from tests.deployment.factories import ProjectDeploymentFactory
from tests.factories import ProjectFactory
from tests.lessons.factories import ComplianceAuditFactory


@pytest.fixture
def project(people):
    return ProjectFactory(manager=people.pm)


@pytest.fixture
def deployments(project) -> list[ProjectDeployment]:
    return ProjectDeploymentFactory.create_batch(3, project=project)


@pytest.fixture
def audit(people, project, deployments) -> ComplianceAudit:
    return ComplianceAuditFactory(
        project=project, auditor=people.appraiser, planned_date=date(2026, 6, 1)
    )
