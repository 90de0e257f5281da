"""One visual language: one date and one date-time format, states as the same badge
in lists and on pages, step messages and counts as sentences."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.urls import reverse

from appraisals.models import Appraisal
from opf.core.display import format_date
from opf.core.ui.writing import step_done_message
from tests.appraisals.factories import AppraisalFactory

pytestmark = pytest.mark.django_db


def test_one_format_for_dates_and_one_for_date_times(settings):
    settings.TIME_ZONE = "Europe/Berlin"
    assert format_date(date(2026, 12, 15)) == "15 Dec 2026"
    moment = datetime(2026, 12, 4, 22, 16, 13, 422086, tzinfo=ZoneInfo("UTC"))
    assert format_date(moment) == "4 Dec 2026, 23:16"  # the site's time zone, no seconds
    assert format_date(None) == "—"
    rendered = Template('{{ d }}|{{ d|date }}|{{ t|date:"DATETIME_FORMAT" }}').render(
        Context({"d": date(2026, 12, 15), "t": moment})
    )
    assert rendered == "15 Dec 2026|15 Dec 2026|4 Dec 2026, 23:16"


def test_a_state_is_the_same_badge_in_the_list_and_on_the_page(people, client_as):
    appraisal = AppraisalFactory(title="Baseline SCAMPI")
    Appraisal.objects.filter(pk=appraisal.pk).update(state=Appraisal.State.IN_PROGRESS)
    client = client_as(people.epg)
    badge = '<span class="badge state tone-active" data-state="in_progress">In progress</span>'
    assert badge in client.get(reverse("appraisals:appraisal_list")).content.decode()
    detail = client.get(appraisal.get_absolute_url()).content.decode()
    assert badge in detail


def test_list_dates_read_like_page_dates_and_exports_stay_iso(people, client_as):
    AppraisalFactory(
        title="Dated", planned_start=date(2026, 12, 15), planned_end=date(2026, 12, 18)
    )
    client = client_as(people.epg)
    html = client.get(reverse("appraisals:appraisal_list")).content.decode()
    assert "15 Dec 2026" in html and "2026-12-15" not in html
    export = client.get(reverse("appraisals:appraisal_list"), {"_export": "csv"})
    csv = b"".join(export.streaming_content)
    assert b"2026-12-15" in csv


def test_a_step_says_what_happened_in_a_sentence():
    appraisal = Appraisal(title="X", state=Appraisal.State.SCHEDULED)
    assert step_done_message(appraisal, "schedule") == "The appraisal is scheduled."
    appraisal.state = Appraisal.State.IN_PROGRESS
    assert step_done_message(appraisal, "start") == "The appraisal is in progress."
