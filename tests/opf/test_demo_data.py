"""The start command's demo organization."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from opf.core.accounts import User
from opf.core.roles import ROLES
from opf.organization.models import OrgUnit, Project

pytestmark = pytest.mark.django_db


def test_demo_data_builds_a_believable_organization_once():
    out = StringIO()
    call_command("demo_data", "--if-empty", stdout=out)
    assert OrgUnit.objects.count() >= 6
    assert Project.objects.count() >= 30
    assert Project.objects.filter(manager__isnull=True).count() == 0
    for role in ROLES:
        assert User.objects.filter(groups__name=role.group).exists(), role.slug
    text = out.getvalue()
    assert "epg" in text and "opf-demo" in text
    # A second run changes nothing and still prints the sign-ins.
    again = StringIO()
    call_command("demo_data", "--if-empty", stdout=again)
    assert "already loaded" in again.getvalue() and "pm" in again.getvalue()
    assert Project.objects.count() == len({p.code for p in Project.objects.all()})
