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


def test_demo_users_can_sign_in(client):
    call_command("demo_data", stdout=StringIO())
    signed_in = client.post("/accounts/login/", {"username": "pm", "password": "opf-demo"})
    assert signed_in.status_code == 302, "the demo password was refused"
    assert client.get("/").status_code == 200


def test_something_waits_for_every_demo_user():
    """A newcomer who signs in as any demo role finds a worklist, not an empty page (#16)."""
    from django.utils import timezone

    from opf.core.worklist import WAITING, worklist

    call_command("demo_data", stdout=StringIO())
    for username in ("epg", "exec", "pm", "appraiser", "member"):
        blocks = worklist(User.objects.get(username=username), timezone.localdate())
        waiting = [block for block in blocks if block.kind.section == WAITING]
        assert waiting, f"nothing waits for the demo user {username}"
