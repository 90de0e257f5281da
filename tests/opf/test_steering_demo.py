"""The demo makes every dashboard panel meaningful."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from opf.core.accounts import User
from opf.management.commands import demo_data
from opf.steering import demo as steering_demo
from opf.steering.models import FollowUp, ProgramDocument, SteeringMeeting

pytestmark = pytest.mark.django_db


def test_demo_steering_committee_meetings_and_dashboard(client):
    assert demo_data.steps()[-1] is steering_demo.build_steering
    call_command("demo_data", stdout=StringIO())
    held = SteeringMeeting.objects.filter(state="held")
    assert held.count() == 2
    assert all(m.decisions.exists() and m.follow_ups.exists() for m in held)
    coming = SteeringMeeting.objects.get(state="planned")
    assert coming.briefing_figures is not None
    assert FollowUp.objects.filter(status="done").exists()
    assert ProgramDocument.objects.filter(kind="policy", state="approved").count() == 1
    assert ProgramDocument.objects.filter(kind="policy", state="superseded").count() == 1

    figures = coming.briefing_figures
    assert [s["unit"] for s in figures["maturity"]["stuck"]] == ["Ground Systems"]
    assert figures["momentum"]["warning"] is True
    reasons = {i["reason"] for i in figures["sponsorship"]["items"]}
    assert "left" in reasons
    opf_row = next(r for r in figures["institutionalization"]["rows"] if r["area"] == "OPF")
    assert opf_row["covered"] >= 5
    gp29 = next(c for c in opf_row["cells"] if c and c["gp"] == "2.9")
    assert "organization's own process" in gp29["text"]  # the audit of OPF itself
    scope = {c["category"]: c["count"] for c in figures["scope"]["categories"]}
    assert scope["enterprise_wide"] >= 1 and scope["departmental"] >= 1

    client.force_login(User.objects.get(username="exec"))
    page = client.get("/dashboard/")
    assert page.status_code == 200
    assert "Ground Systems" in page.content.decode()
