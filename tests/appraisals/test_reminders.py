"""Appraisal reminders and calendar entries (opf.core.reminders, opf.core.calendar)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from icalendar import Calendar

from opf.notifications.services import send_due_reminders
from tests.appraisals.factories import AppraisalFactory

pytestmark = pytest.mark.django_db


def test_team_lead_and_sponsor_are_reminded_once(people):
    soon = date.today() + timedelta(days=5)
    appraisal = AppraisalFactory(
        planned_start=soon,
        planned_end=soon + timedelta(days=3),
        lead_appraiser=people.appraiser,
        sponsor=people.executive,
    )
    appraisal.team.add(people.appraiser, people.epg)
    later = date.today() + timedelta(days=40)
    AppraisalFactory(planned_start=later, planned_end=later)  # not yet due
    assert send_due_reminders("appraisal_starting", lead_days=7) == 3
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        u.email for u in (people.appraiser, people.epg, people.executive)
    )
    assert appraisal.title in mail.outbox[0].subject
    assert send_due_reminders("appraisal_starting", lead_days=7) == 0


def test_appraisal_dates_are_in_the_team_members_calendar(people, client_as, client):
    appraisal = AppraisalFactory(planned_start=date(2027, 2, 1), planned_end=date(2027, 2, 3))
    appraisal.team.add(people.appraiser)
    client_as(people.appraiser).post("/calendar/", {"action": "create"})
    token = people.appraiser.calendar_feed.token
    client.logout()
    events = Calendar.from_ical(client.get(f"/calendar/{token}.ics").content).walk("VEVENT")
    mine = [e for e in events if str(e["summary"]) == f"Appraisal: {appraisal.title}"]
    assert len(mine) == 1
    assert mine[0].decoded("dtstart") == date(2027, 2, 1)
    assert mine[0].decoded("dtend") == date(2027, 2, 4)
