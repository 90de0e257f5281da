"""The program calendar (#20): every feature's program events in one window, filtered by
an org unit (subtree included) and kinds; its page, iCalendar feed and API, for the
process group and the executives."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone
from icalendar import Calendar

from actions.models import ProcessActionPlan
from appraisals.models import Appraisal
from deployment.models import DeploymentPlan
from lessons.models import ComplianceAudit
from opf.core.calendar import ProgramWindow, program_events, program_kinds
from opf.notifications.models import CalendarFeed
from opf.steering.models import ProgramDocument, SteeringMeeting
from opf.steering.program_calendar import weeks
from tests.actions.factories import MilestoneFactory, PilotFactory, ProcessActionPlanFactory
from tests.appraisals.factories import AppraisalFactory
from tests.deployment.factories import DeploymentPlanFactory
from tests.factories import OrgUnitFactory, ProjectFactory
from tests.lessons.factories import ComplianceAuditFactory
from tests.opf.steering_factories import ProgramDocumentFactory, SteeringMeetingFactory

pytestmark = pytest.mark.django_db

KINDS = {"appraisal", "audit", "pilot", "milestone", "deployment", "approval", "meeting"}


def today() -> date:
    return timezone.localdate()


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


class Org:
    """root → dept → team, and another unit beside dept."""

    def __init__(self) -> None:
        self.root = OrgUnitFactory(name="Company")
        self.dept = OrgUnitFactory(name="Engineering", parent=self.root)
        self.team = OrgUnitFactory(name="Payments team", parent=self.dept)
        self.other = OrgUnitFactory(name="Sales", parent=self.root)
        self.team_project = ProjectFactory(name="Atlas", org_unit=self.team)
        self.dept_project = ProjectFactory(name="Borealis", org_unit=self.dept)
        self.other_project = ProjectFactory(name="Cygnus", org_unit=self.other)


def appraisal(title: str, unit, start: date, days: int = 3, **kwargs) -> Appraisal:
    made = AppraisalFactory(
        title=title, planned_start=start, planned_end=start + timedelta(days=days), scope=False
    )
    made.org_units.add(unit)
    if kwargs.get("state"):
        Appraisal.objects.filter(pk=made.pk).update(state=kwargs["state"])
    return made


def every_kind(org: Org) -> dict[str, object]:
    """One program event of each kind around today, and some that must not show."""
    t = today()
    made: dict[str, object] = {
        "appraisal": appraisal("Team appraisal", org.team, t + timedelta(days=2)),
        "other appraisal": appraisal("Sales appraisal", org.other, t + timedelta(days=3)),
        "cancelled appraisal": appraisal(
            "Dropped appraisal", org.team, t + timedelta(days=4), state="cancelled"
        ),
        "far appraisal": appraisal("Next year's appraisal", org.team, t + timedelta(days=200)),
        "audit": ComplianceAuditFactory(project=org.team_project, planned_date=t + timedelta(5)),
        "cancelled audit": ComplianceAuditFactory(
            project=org.team_project,
            planned_date=t + timedelta(days=6),
            state=ComplianceAudit.State.CANCELLED,
        ),
        "organization audit": ComplianceAuditFactory(project=None, planned_date=t + timedelta(9)),
    }
    pilot = PilotFactory(
        title="Estimation pilot", start=t - timedelta(days=20), end=t + timedelta(days=10)
    )
    pilot.projects.add(org.dept_project)
    made["pilot"] = pilot
    plan = DeploymentPlanFactory(
        name="Estimation rollout",
        start_date=t + timedelta(days=7),
        end_date=t + timedelta(days=30),
        state=DeploymentPlan.State.SUBMITTED,
    )
    plan.target_units.add(org.dept)
    made["deployment"] = plan
    cancelled = DeploymentPlanFactory(
        name="Abandoned rollout",
        start_date=t + timedelta(days=7),
        state=DeploymentPlan.State.CANCELLED,
    )
    cancelled.target_units.add(org.dept)
    made["meeting"] = SteeringMeetingFactory(
        title="Quarterly review", scheduled_at=at(t + timedelta(3))
    )
    made["cancelled meeting"] = SteeringMeetingFactory(
        title="Dropped meeting",
        scheduled_at=at(t + timedelta(days=4)),
        state=SteeringMeeting.State.CANCELLED,
    )
    made["policy"] = ProgramDocumentFactory(
        title="Program policy 2027",
        effective_from=t + timedelta(days=12),
        state=ProgramDocument.State.SUBMITTED,
    )
    made["milestone"] = MilestoneFactory(title="Model calibrated", due=t + timedelta(days=8))
    made["cancelled milestone"] = MilestoneFactory(
        title="Never",
        due=t + timedelta(days=8),
        plan=ProcessActionPlanFactory(state=ProcessActionPlan.State.CANCELLED),
    )
    return made


def around_today(**kwargs) -> ProgramWindow:
    return ProgramWindow(
        start=today() - timedelta(days=7), end=today() + timedelta(days=40), **kwargs
    )


def titles(events) -> set[str]:
    return {e.title for e in events}


def test_every_kind_of_program_event_is_on_the_calendar():
    org = Org()
    made = every_kind(org)
    events = program_events(around_today())
    assert {e.kind for e in events} == KINDS == set(program_kinds())
    assert titles(events) == {
        "Appraisal: Team appraisal",
        "Appraisal: Sales appraisal",
        "Compliance audit: Atlas",
        "Compliance audit: Organization process",
        "Pilot: Estimation pilot",
        "Deployment: Estimation rollout",
        "Approval due: deployment plan Estimation rollout",
        "Steering committee: Quarterly review",
        f"Approval due: {made['policy']}",
        f"Milestone: Model calibrated ({made['milestone'].plan})",
    }
    by_title = {e.title: e for e in events}
    team = by_title["Appraisal: Team appraisal"]
    assert (team.start, team.end) == (today() + timedelta(days=2), today() + timedelta(days=5))
    assert [u.name for u in team.units] == ["Payments team"]
    assert team.url == made["appraisal"].get_absolute_url()
    pilot = by_title["Pilot: Estimation pilot"]
    assert pilot.start == today() - timedelta(days=20)  # begun before the window: shown
    assert [u.name for u in pilot.units] == ["Engineering"]
    meeting = by_title["Steering committee: Quarterly review"]
    assert meeting.at == at(today() + timedelta(days=3)) and meeting.units == ()
    approval = by_title["Approval due: deployment plan Estimation rollout"]
    assert approval.start == approval.end == today() + timedelta(days=7)
    assert [e.start for e in events] == sorted(e.start for e in events)


def test_an_org_unit_shows_its_subtree_and_leaves_the_rest_out():
    org = Org()
    every_kind(org)
    dept = titles(program_events(around_today(unit_path=org.dept.path)))
    assert dept == {
        "Appraisal: Team appraisal",  # a unit below
        "Compliance audit: Atlas",  # a project of a unit below
        "Pilot: Estimation pilot",  # a project of the unit itself
        "Deployment: Estimation rollout",
        "Approval due: deployment plan Estimation rollout",
    }
    team = titles(program_events(around_today(unit_path=org.team.path)))
    assert team == {"Appraisal: Team appraisal", "Compliance audit: Atlas"}
    assert titles(program_events(around_today(unit_path=org.other.path))) == {
        "Appraisal: Sales appraisal"
    }
    root = titles(program_events(around_today(unit_path=org.root.path)))
    assert "Appraisal: Sales appraisal" in root and "Appraisal: Team appraisal" in root
    assert not any(t.startswith("Steering") or t.startswith("Milestone") for t in root)


def test_kinds_narrow_the_calendar():
    org = Org()
    every_kind(org)
    events = program_events(around_today(kinds=frozenset({"approval", "meeting"})))
    assert {e.kind for e in events} == {"approval", "meeting"}
    assert len(events) == 3


def test_an_event_met_by_the_window_shows_and_one_outside_does_not():
    org = Org()
    t = today()
    appraisal("Before", org.team, t - timedelta(days=10), days=2)
    appraisal("Across the start", org.team, t - timedelta(days=2), days=5)
    appraisal("Inside", org.team, t + timedelta(days=1), days=0)
    appraisal("After", org.team, t + timedelta(days=20))
    window = ProgramWindow(start=t, end=t + timedelta(days=10))
    assert titles(program_events(window)) == {
        "Appraisal: Across the start",
        "Appraisal: Inside",
    }


def test_weeks_list_each_event_once_in_the_week_it_starts_in_the_month():
    org = Org()
    first = date(2026, 6, 1)  # a Monday
    appraisal("Early", org.team, date(2026, 5, 28), days=10)
    appraisal("Mid", org.team, date(2026, 6, 17))
    events = program_events(ProgramWindow(start=first, end=date(2026, 6, 30)))
    found = weeks(first, events)
    assert [(w.first, w.last) for w in found] == [
        (date(2026, 6, 1), date(2026, 6, 7)),
        (date(2026, 6, 8), date(2026, 6, 14)),
        (date(2026, 6, 15), date(2026, 6, 21)),
        (date(2026, 6, 22), date(2026, 6, 28)),
        (date(2026, 6, 29), date(2026, 6, 30)),
    ]
    assert [[e.event.title for e in w.events] for w in found] == [
        ["Appraisal: Early"],
        [],
        ["Appraisal: Mid"],
        [],
        [],
    ]
    assert found[0].events[0].kind_label == "Appraisals"


def _more(org: Org, n: int) -> None:
    t = today()
    for i in range(n):
        a = appraisal(f"A{i}", org.team, t + timedelta(days=i))
        a.projects.add(org.team_project)
        ComplianceAuditFactory(project=org.team_project, planned_date=t + timedelta(days=i))
        pilot = PilotFactory(start=t, end=t + timedelta(days=i))
        pilot.projects.add(org.dept_project, org.team_project)
        plan = DeploymentPlanFactory(
            start_date=t + timedelta(days=i), state=DeploymentPlan.State.SUBMITTED
        )
        plan.target_units.add(org.dept)
        plan.target_projects.add(org.team_project)
        SteeringMeetingFactory(scheduled_at=at(t + timedelta(days=i)))
        ProgramDocumentFactory(effective_from=t + timedelta(days=i), state="submitted")
        MilestoneFactory(due=t + timedelta(days=i))


def test_the_query_count_does_not_grow_with_the_events(
    people, client_as, django_assert_max_num_queries
):
    org = Org()
    _more(org, 2)
    window = around_today()
    with django_assert_max_num_queries(20) as few:
        assert len(program_events(window)) == 16  # eight a round
    _more(org, 6)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(program_events(window)) == 64
    client = client_as(people.executive)
    client.get("/program-calendar/")  # warm the caches
    with django_assert_max_num_queries(40) as page:
        assert client.get("/program-calendar/").status_code == 200
    _more(org, 4)
    with django_assert_max_num_queries(len(page.captured_queries)):
        response = client.get("/program-calendar/")
    assert response.status_code == 200


# --- the page --------------------------------------------------------------------------


def test_the_page_shows_the_month_and_filters_by_unit(people, client_as):
    org = Org()
    every_kind(org)
    client = client_as(people.executive)
    page = client.get("/program-calendar/").content.decode()
    assert "<h1>Program calendar</h1>" in page
    assert today().strftime("%B %Y") in page
    assert "Team appraisal" in page and "Sales appraisal" in page
    month = f"{today():%Y-%m}"
    narrowed = client.get(f"/program-calendar/?month={month}&org_unit={org.dept.pk}")
    text = narrowed.content.decode()
    assert narrowed.status_code == 200
    assert "Team appraisal" in text and "Sales appraisal" not in text
    assert "Engineering and the units below it" in text
    # the month navigation keeps the filters
    assert f"org_unit={org.dept.pk}" in narrowed.context["next_url"]


def test_the_page_answers_htmx_with_the_agenda_only(people, client_as):
    org = Org()
    every_kind(org)
    response = client_as(people.epg).get(
        "/program-calendar/?kind=meeting&org_unit=", headers={"HX-Request": "true"}
    )
    text = response.content.decode()
    assert response.status_code == 200
    assert text.lstrip().startswith('<section id="agenda"')
    assert "Quarterly review" in text and "Team appraisal" not in text


def test_previous_and_next_months(people, client_as):
    org = Org()
    appraisal("Far", org.team, date(2026, 9, 8))
    client = client_as(people.executive)
    page = client.get("/program-calendar/?month=2026-09")
    assert "Far" in page.content.decode()
    assert "month=2026-08" in page.context["previous_url"]
    assert "month=2026-10" in page.context["next_url"]


def test_a_bad_filter_says_so_and_shows_the_default(people, client_as):
    response = client_as(people.epg).get("/program-calendar/?month=2026-13&kind=party")
    text = response.content.decode()
    assert response.status_code == 400
    assert "Enter a month as year and month" in text
    assert "Select a valid choice. party is not one of the available choices." in text
    assert today().strftime("%B %Y") in text


def test_the_page_offers_the_feed_with_the_filters(people, client_as):
    org = Org()
    client = client_as(people.executive)
    assert "Create your private calendar link" in client.get("/program-calendar/").content.decode()
    feed = CalendarFeed.objects.create(user=people.executive)
    text = client.get(f"/program-calendar/?org_unit={org.dept.pk}&kind=appraisal").content.decode()
    assert f"/program-calendar/{feed.token}.ics?org_unit={org.dept.pk}&amp;kind=appraisal" in text


@pytest.mark.parametrize("role", ["pm", "appraiser", "member"])
def test_others_may_not_open_the_page(people, client_as, role):
    assert client_as(getattr(people, role)).get("/program-calendar/").status_code == 403


# --- the feed --------------------------------------------------------------------------


def _summaries(body: bytes) -> set[str]:
    return {str(c["SUMMARY"]) for c in Calendar.from_ical(body).walk("VEVENT")}


def test_the_feed_serves_the_filtered_events_as_icalendar(people, client):
    org = Org()
    made = every_kind(org)
    feed = CalendarFeed.objects.create(user=people.epg)
    response = client.get(f"/program-calendar/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    events = {str(c["SUMMARY"]): c for c in calendar.walk("VEVENT")}
    assert len(events) == 11  # three months back to a year ahead: next year's one too
    assert "Appraisal: Next year's appraisal" in events
    assert "Appraisal: Dropped appraisal" not in events
    team = events["Appraisal: Team appraisal"]
    assert team["DTSTART"].dt == today() + timedelta(days=2)
    assert team["DTEND"].dt == today() + timedelta(days=6)  # the day after the last
    meeting = events["Steering committee: Quarterly review"]
    assert meeting["DTSTART"].dt == at(today() + timedelta(days=3))
    assert meeting["DTEND"].dt == at(today() + timedelta(days=3), 12)
    assert str(team["URL"]).endswith(made["appraisal"].get_absolute_url())
    narrowed = client.get(f"/program-calendar/{feed.token}.ics?org_unit={org.team.pk}&kind=audit")
    assert _summaries(narrowed.content) == {"Compliance audit: Atlas"}


def test_the_feed_is_refused_for_a_bad_filter_or_a_token_without_the_right(people, client):
    feed = CalendarFeed.objects.create(user=people.executive)
    bad = client.get(f"/program-calendar/{feed.token}.ics?kind=party")
    assert bad.status_code == 400 and b"kind" in bad.content
    member = CalendarFeed.objects.create(user=people.member)
    assert client.get(f"/program-calendar/{member.token}.ics").status_code == 404
    assert client.get("/program-calendar/not-a-token.ics").status_code == 404
    people.executive.is_active = False
    people.executive.save()
    assert client.get(f"/program-calendar/{feed.token}.ics").status_code == 404


# --- the API ---------------------------------------------------------------------------


def test_the_api_lists_the_events_of_a_window(people, api_as):
    org = Org()
    made = every_kind(org)
    start, end = today(), today() + timedelta(days=10)
    response = api_as(people.executive).get(
        "/api/v1/program-calendar/",
        {"start": start.isoformat(), "end": end.isoformat(), "org_unit": org.dept.pk},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["start"] == start.isoformat() and body["org_unit"] == org.dept.pk
    found = {e["title"]: e for e in body["events"]}
    assert set(found) == {
        "Appraisal: Team appraisal",
        "Compliance audit: Atlas",
        "Pilot: Estimation pilot",
        "Deployment: Estimation rollout",
        "Approval due: deployment plan Estimation rollout",
    }
    team = found["Appraisal: Team appraisal"]
    assert team["kind"] == "appraisal" and team["kind_label"] == "Appraisals"
    assert team["org_units"] == [{"id": org.team.pk, "name": "Payments team"}]
    assert team["web_url"] == made["appraisal"].get_absolute_url()
    kinds = api_as(people.epg).get("/api/v1/program-calendar/?kind=meeting&kind=milestone").json()
    assert {e["kind"] for e in kinds["events"]} == {"meeting", "milestone"}
    assert kinds["kinds"] == ["meeting", "milestone"]


def test_the_api_defaults_to_this_month(people, api_as):
    body = api_as(people.epg).get("/api/v1/program-calendar/").json()
    assert body["start"] == today().replace(day=1).isoformat()
    assert body["events"] == []


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"start": "2026-02-30"}, "start"),
        ({"end": "soon"}, "end"),
        ({"kind": "party"}, "kind"),
        ({"org_unit": "999999"}, "org_unit"),
        ({"start": "2026-06-10", "end": "2026-06-01"}, "end"),
        ({"start": "2026-01-01", "end": "2027-01-02"}, "end"),  # 367 days
    ],
)
def test_the_api_refuses_bad_parameters_with_their_errors(people, api_as, query, parameter):
    response = api_as(people.executive).get("/api/v1/program-calendar/", query)
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert parameter in {e.get("parameter") or e.get("field") for e in errors}, errors


def test_the_api_serves_a_year_at_most(people, api_as):
    year = {"start": "2026-01-01", "end": "2027-01-01"}  # 366 days
    assert api_as(people.epg).get("/api/v1/program-calendar/", year).status_code == 200
    too_long = api_as(people.epg).get(
        "/api/v1/program-calendar/", {"start": "2026-01-01", "end": "2027-01-02"}
    )
    assert "at most 366 days" in too_long.content.decode()


@pytest.mark.parametrize("role", ["pm", "appraiser", "member"])
def test_the_api_refuses_whoever_may_not_see_the_program(people, api_as, role):
    response = api_as(getattr(people, role)).get("/api/v1/program-calendar/")
    assert response.status_code == 403
