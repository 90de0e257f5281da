"""Headline figures: a worked example of each figure and its trend against the period
before, a fixed number of queries (1 row and 10 rows alike), and where they show:
the dashboard, its API, the executive's home and the briefing. And the sponsorship
panel: no history snapshots, no cancelled or archived records, no raw timestamps."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import ProcessActionPlan
from deployment.models import AssetVersion
from opf.core.dashboard import default_period, previous_period
from opf.organization.scope import DashboardFilter
from opf.steering import services
from opf.steering.dashboard.panels import headline, sponsorship
from opf.steering.dashboard.panels.headline import trend
from opf.steering.documents import briefing_context
from opf.steering.models import SteeringMeeting
from tests.actions.factories import ActionItemFactory, ProcessActionPlanFactory
from tests.appraisals.factories import AppraisalFactory
from tests.deployment.factories import ProjectDeploymentFactory, ReleasedVersionFactory
from tests.factories import OrgUnitFactory, ProjectFactory
from tests.lessons.factories import (
    AuditItemFactory,
    ComplianceAuditFactory,
    NonComplianceFactory,
)
from tests.opf.steering_factories import SteeringMeetingFactory

pytestmark = pytest.mark.django_db

START, END = date(2026, 1, 1), date(2026, 6, 15)  # 166 days; before: 2025-07-19..12-31


def aware(*args: int) -> datetime:
    return timezone.make_aware(datetime(*args))


def by_slug(f: DashboardFilter) -> dict[str, dict]:
    """The headline as a new request reads it (reads shared per filter start afresh)."""
    return {item["slug"]: item for item in headline.build(replace(f))["items"]}


def audit(performed: date, compliant: int, non_compliant: int) -> None:
    done = ComplianceAuditFactory(state="completed", performed_date=performed)
    for _i in range(compliant):
        AuditItemFactory(audit=done, result="compliant")
    for _i in range(non_compliant):
        AuditItemFactory(audit=done, result="non_compliant")


def test_the_period_before_has_the_same_length_and_ends_the_day_before(people):
    before = previous_period(DashboardFilter(people.executive, None, START, END))
    assert (before.start, before.end) == (date(2025, 7, 19), date(2025, 12, 31))
    assert (before.end - before.start).days == (END - START).days


def test_trend_says_whether_the_change_is_good_news():
    assert trend(75.0, 50.0, "higher") == {"delta": 25.0, "direction": "up", "good": True}
    assert trend(1, 2, "lower") == {"delta": -1, "direction": "down", "good": True}
    assert trend(3, 3, "higher") == {"delta": 0, "direction": "flat", "good": None}
    assert trend(27, None, "higher") == {"delta": None, "direction": None, "good": None}


def test_headline_figures_worked_example(people):
    f = DashboardFilter(people.executive, None, START, END)
    # Compliance: 3 of 4 judged items compliant now (75 %), 1 of 2 before (50 %);
    # an audit outside both periods does not count.
    audit(date(2026, 3, 10), compliant=3, non_compliant=1)
    audit(date(2025, 10, 10), compliant=1, non_compliant=1)
    audit(date(2025, 1, 10), compliant=0, non_compliant=5)
    # Non-compliances: open at the end of 2025, two (one since closed); now one.
    NonComplianceFactory(opened_on=date(2025, 11, 1))
    NonComplianceFactory(opened_on=date(2025, 10, 1), state="closed", closed_on=date(2026, 2, 1))
    NonComplianceFactory(opened_on=date(2026, 5, 1), archived_at=timezone.now())  # left out
    # Plans on track: two plans in progress; one has an item due on 1 May, not done:
    # late now, not yet late at the end of 2025.
    late, fine = ProcessActionPlanFactory.create_batch(2, state="in_progress")
    ActionItemFactory(plan=late, due=date(2026, 5, 1))
    ActionItemFactory(plan=fine, due=date(2026, 7, 1))
    ProcessActionPlanFactory(state=ProcessActionPlan.State.DRAFT)  # not under way
    # Momentum: two releases in the period, one in the period before.
    for when in (aware(2026, 2, 10), aware(2026, 5, 10), aware(2025, 9, 10)):
        version = ReleasedVersionFactory()
        AssetVersion.objects.filter(pk=version.pk).update(released_at=when)

    items = by_slug(f)
    assert list(items) == [
        "maturity",
        "coverage",
        "compliance",
        "plans-on-track",
        "open-non-compliances",
        "momentum",
    ]
    compliance = items["compliance"]
    assert (compliance["value"], compliance["previous"], compliance["unit"]) == (75.0, 50.0, "%")
    assert (compliance["direction"], compliance["good"]) == ("up", True)
    ncs = items["open-non-compliances"]
    assert (ncs["value"], ncs["previous"], ncs["direction"], ncs["good"]) == (1, 2, "down", True)
    assert ncs["href"] == "/non-compliances/?open=true"
    plans = items["plans-on-track"]
    assert (plans["value"], plans["of"], plans["previous"]) == (1, 2, 2)
    assert (plans["direction"], plans["good"]) == ("down", False)
    momentum = items["momentum"]
    assert (momentum["value"], momentum["previous"], momentum["direction"]) == (2, 1, "up")
    # Coverage has no dated past: no trend, said as such.
    assert items["coverage"]["previous"] is None
    assert items["coverage"]["direction"] is None
    for item in items.values():
        assert item["href"].startswith("/"), item


def test_the_open_non_compliances_link_lists_exactly_those_counted(people, client_as):
    # The link lists what is open now, so the figure is read for a period ending today.
    today = timezone.localdate()
    NonComplianceFactory(title="Still open")
    NonComplianceFactory(title="Being corrected", state="in_correction")
    NonComplianceFactory(title="Closed one", state="closed", closed_on=today - timedelta(days=14))
    f = DashboardFilter(people.executive, None, *default_period(today))
    item = by_slug(f)["open-non-compliances"]
    page = client_as(people.executive).get(item["href"]).content.decode()
    assert item["value"] == 2
    assert "Still open" in page and "Being corrected" in page
    assert "Closed one" not in page


def populate(size: int) -> None:
    """``size`` rows of everything the headline figures read."""
    for i in range(size):
        audit(date(2026, 3, 1 + i), compliant=1, non_compliant=1)
        audit(date(2025, 10, 1 + i), compliant=1, non_compliant=0)
        NonComplianceFactory(opened_on=date(2025, 11, 1 + i))
        plan = ProcessActionPlanFactory(state="in_progress")
        ActionItemFactory(plan=plan, due=date(2026, 5, 1 + i))
        version = ReleasedVersionFactory()
        AssetVersion.objects.filter(pk=version.pk).update(released_at=aware(2026, 2, 1 + i))


def count_queries(f: DashboardFilter) -> int:
    with CaptureQueriesContext(connection) as ctx:
        headline.build(f)
    return len(ctx.captured_queries)


def test_the_headline_figures_take_as_many_queries_for_10_rows_as_for_1(people):
    f = DashboardFilter(people.executive, None, START, END)
    populate(1)
    headline.build(f)  # permissions cached on the user, as on any page after the first
    one = count_queries(f)
    populate(9)
    assert by_slug(f)["open-non-compliances"]["value"] == 10  # the rows are counted
    assert count_queries(f) == one


def test_executives_and_the_process_group_see_the_figures_on_their_home(people, client_as, api_as):
    NonComplianceFactory(title="Open one")
    for user in (people.executive, people.epg):
        page = client_as(user).get("/").content.decode()
        assert 'id="home-headline"' in page
        assert "Open non-compliances" in page
        worklist = re.search(r'id="(waiting|nothing-waiting)"', page)
        assert worklist is not None
        assert page.index('id="home-headline"') < worklist.start()  # above the worklist
    for user in (people.pm, people.member, people.appraiser):
        assert 'id="home-headline"' not in client_as(user).get("/").content.decode()
    data = api_as(people.executive).get("/api/v1/dashboard/").json()
    slugs = [i["slug"] for i in data["panels"]["headline"]["items"]]
    assert slugs[:2] == ["maturity", "coverage"]


def test_the_dashboard_shows_the_figures_above_the_panels(people, client_as):
    page = client_as(people.executive).get("/dashboard/").content.decode()
    assert 'id="panel-headline"' in page
    assert page.index('id="panel-headline"') < page.index('id="panel-maturity"')
    assert 'id="headline-compliance"' in page


def test_the_briefing_carries_the_same_headline_figures(people):
    # The briefing is frozen for the dashboard's period ending today.
    audit(timezone.localdate() - timedelta(days=97), compliant=3, non_compliant=1)
    meeting = SteeringMeetingFactory(scheduled_at=timezone.now())
    meeting = services.freeze_briefing(meeting, actor=people.epg)
    frozen = {i["slug"]: i for i in meeting.briefing_figures["headline"]["items"]}
    assert frozen["compliance"]["value"] == 75.0
    html = render_to_string(
        "documents/briefing.html",
        {
            **briefing_context(meeting),
            "document": SimpleNamespace(
                title="Briefing", data_as_of=timezone.now(), created_at=None, requested_by=None
            ),
        },
    )
    assert 'class="headline-table"' in html
    row = re.search(r'<tr id="headline-compliance">(.*?)</tr>', html, re.S)
    assert row is not None and "75%" in row.group(1)


def test_sponsorship_lists_no_history_snapshot_cancelled_or_archived_record(people, client_as):
    AppraisalFactory(title="Open, no sponsor", sponsor=None)
    cancelled = AppraisalFactory(title="Cancelled, no sponsor", sponsor=None)
    cancelled.state = "cancelled"
    cancelled.save()  # a second history snapshot, now cancelled
    AppraisalFactory(title="Archived, no sponsor", sponsor=None, archived_at=timezone.now())
    f = DashboardFilter(people.executive, None, START, END)
    titles = [i["title"] for i in sponsorship.build(f)["items"]]
    assert titles.count("Open, no sponsor") == 1
    assert "Cancelled, no sponsor" not in titles
    assert "Archived, no sponsor" not in titles
    assert not any(" as of " in t for t in titles)
    panel = client_as(people.executive).get("/dashboard/").content.decode()
    section = panel[panel.index('id="panel-sponsorship"') :]
    section = section[: section.index("</section>")]
    assert "Open, no sponsor" in section
    assert "Cancelled, no sponsor" not in section
    assert not re.search(r"\d{2}:\d{2}:\d{2}(\.\d+)?\+00:00", section)  # no raw timestamp


def test_a_figure_with_nothing_to_count_is_no_figure_not_zero(people):
    f = DashboardFilter(people.executive, None, START, END)
    items = by_slug(f)  # no rating, no plan under way
    for slug in ("maturity", "plans-on-track"):
        assert (items[slug]["value"], items[slug]["of"], items[slug]["direction"]) == (
            None,
            None,
            None,
        )


RAW_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}")


def test_sponsorship_in_the_api_and_the_briefing_lists_current_records_only(people, api_as):
    """The API's figures and the briefing PDF show what the page shows: the current
    record once, no cancelled one, no snapshot and no raw timestamp."""
    open_one = AppraisalFactory(title="Open, no sponsor", sponsor=None)
    open_one.title = "Open, no sponsor"
    open_one.save()  # a second snapshot of the same record
    cancelled = AppraisalFactory(title="Cancelled, no sponsor", sponsor=None)
    cancelled.state = "cancelled"
    cancelled.save()

    data = api_as(people.executive).get("/api/v1/dashboard/").json()
    panel = data["panels"]["sponsorship"]
    titles = [i["title"] for i in panel["items"]]
    assert titles.count("Open, no sponsor") == 1
    assert "Cancelled, no sponsor" not in titles
    assert not RAW_TIMESTAMP.search(str(panel))

    meeting = SteeringMeetingFactory(scheduled_at=timezone.now())
    meeting = services.freeze_briefing(meeting, actor=people.epg)
    html = render_to_string(
        "documents/briefing.html",
        {
            **briefing_context(meeting),
            "document": SimpleNamespace(
                title="Briefing", data_as_of=timezone.now(), created_at=None, requested_by=None
            ),
        },
    )
    section = html[html.index("<h2>Sponsorship</h2>") :]
    section = section[: section.index("</section>")]
    assert section.count("Open, no sponsor") == 1
    assert "Cancelled, no sponsor" not in section
    assert not RAW_TIMESTAMP.search(section)


def test_coverage_is_compared_with_the_last_frozen_briefing(people):
    """Coverage has no dated past; the latest briefing frozen before the period's last
    day (same org unit) keeps one, and the trend says it compares with that briefing."""
    version = ReleasedVersionFactory()
    first, second = ProjectFactory.create_batch(2)
    ProjectDeploymentFactory(project=first, asset_version=version, state="in_use")
    meeting = services.freeze_briefing(SteeringMeetingFactory(), actor=people.epg)
    SteeringMeeting.objects.filter(pk=meeting.pk).update(briefing_as_of=aware(2026, 6, 5, 9))
    f = DashboardFilter(people.executive, None, START, END)
    assert by_slug(f)["coverage"]["value"] == 50  # one of two projects: as frozen

    ProjectDeploymentFactory(project=second, asset_version=version, state="in_use")
    coverage = by_slug(f)["coverage"]
    assert (coverage["value"], coverage["previous"]) == (100, 50)
    assert (coverage["direction"], coverage["good"]) == ("up", True)
    assert coverage["compared_with"] == "2026-06-05"
    html = render_to_string("opf/dashboard/panels/headline.html", {"figures": headline.build(f)})
    assert "+50% vs. the briefing of 5 Jun 2026" in html
    # A briefing of another org unit, or frozen on the period's last day, is not used.
    SteeringMeeting.objects.filter(pk=meeting.pk).update(briefing_unit=OrgUnitFactory())
    assert by_slug(f)["coverage"]["compared_with"] is None
    SteeringMeeting.objects.filter(pk=meeting.pk).update(
        briefing_unit=None, briefing_as_of=aware(2026, 6, 15, 8)
    )
    assert by_slug(f)["coverage"]["previous"] is None
