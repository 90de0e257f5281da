"""Reminders arrive once per due event, as people asked; the inbox, the
schedules page and the calendar feed."""

from __future__ import annotations

import json
import threading
from datetime import date, timedelta

import pytest
from django.core import mail
from django.db import connection
from django_celery_beat.models import PeriodicTask
from icalendar import Calendar

from opf.core.reminders import DueEvent, ReminderKind, kinds, periodic_task_name, sync_schedules
from opf.notifications import services as notifications
from opf.notifications.models import Notification, NotificationPreference, ReminderSent
from opf.tasks import send_reminders
from tests.factories import ProjectFactory, UserFactory

KIND = "project_ending"


def due_projects(today: date, lead_days: int):
    from opf.organization.models import Project

    for project in Project.objects.filter(end_date__lte=today + timedelta(days=lead_days)):
        yield DueEvent(
            key=f"project:{project.pk}:{project.end_date}",
            recipients=[project.manager],
            title=f"{project.name} ends on {project.end_date}",
            url=project.get_absolute_url(),
        )


@pytest.fixture
def reminder_kind(monkeypatch):
    kind = ReminderKind(KIND, "Project ending", "Projects ending soon.", due_projects, 14)
    monkeypatch.setitem(kinds(), KIND, kind)
    return kind


@pytest.fixture
def ending_project(people):
    return ProjectFactory(manager=people.pm, end_date=date.today() + timedelta(days=3))


@pytest.mark.django_db
def test_a_reminder_is_sent_once_however_often_the_task_runs(reminder_kind, ending_project, people):
    assert send_reminders.apply(kwargs={"kind": KIND}).get() == 1
    assert send_reminders.apply(kwargs={"kind": KIND}).get() == 0
    assert Notification.objects.filter(recipient=people.pm).count() == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [people.pm.email]
    assert ending_project.name in message.subject
    html = message.alternatives[0]
    assert html[1] == "text/html" and ending_project.get_absolute_url() in html[0]
    # A new due date is a new event.
    ending_project.end_date += timedelta(days=1)
    ending_project.save()
    assert send_reminders.apply(kwargs={"kind": KIND}).get() == 1


@pytest.mark.django_db
def test_lead_days_decide_what_is_due(reminder_kind, ending_project):
    assert notifications.send_due_reminders(KIND, lead_days=1) == 0
    assert notifications.send_due_reminders(KIND, lead_days=5) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_workers_at_once_send_nothing_twice(reminder_kind):
    managers = [UserFactory() for _ in range(5)]
    for manager in managers:
        ProjectFactory(manager=manager, end_date=date.today())
    barrier = threading.Barrier(2)
    results: list[int] = []
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            barrier.wait()
            results.append(notifications.send_due_reminders(KIND))
        except BaseException as error:  # surfaced below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(results) == 5
    assert ReminderSent.objects.filter(kind=KIND).count() == 5
    assert len(mail.outbox) == 5
    assert sorted(m.to[0] for m in mail.outbox) == sorted(m.email for m in managers)


@pytest.mark.django_db
def test_preferences_digest_and_off(reminder_kind, people):
    digest_pm, quiet_pm = UserFactory(), UserFactory()
    NotificationPreference.objects.create(user=digest_pm, kind=KIND, delivery="digest")
    NotificationPreference.objects.create(user=quiet_pm, kind=KIND, delivery="off")
    for manager in (digest_pm, digest_pm, quiet_pm):
        ProjectFactory(manager=manager, end_date=date.today())
    notifications.send_due_reminders(KIND)
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=quiet_pm).count() == 1  # still in the app
    assert notifications.send_digests() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [digest_pm.email]
    assert "2 reminders" in mail.outbox[0].subject
    assert notifications.send_digests() == 0


@pytest.mark.django_db
def test_a_failed_email_is_released_for_a_retry(reminder_kind, ending_project, monkeypatch):
    from django.core.mail import EmailMultiAlternatives

    def broken(self, fail_silently=False):
        raise ConnectionError("SMTP down")

    monkeypatch.setattr(EmailMultiAlternatives, "send", broken)
    with pytest.raises(ConnectionError):
        notifications.send_due_reminders(KIND)
    notification = Notification.objects.get()
    assert notification.emailed_at is None
    monkeypatch.undo()
    assert notifications.email_notification(notification.pk) is True
    assert notifications.email_notification(notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_inbox_unread_count_and_mark_read(people, client_as):
    first = notifications.notify(recipient=people.member, kind=KIND, title="First", url="/")
    notifications.notify(recipient=people.member, kind=KIND, title="Second")
    notifications.notify(recipient=people.pm, kind=KIND, title="Not yours")
    client = client_as(people.member)
    page = client.get("/notifications/").content.decode()
    assert "First" in page and "Second" in page and "Not yours" not in page
    count = client.get("/notifications/unread/", HTTP_HX_REQUEST="true").content.decode()
    assert ">2<" in count
    item = client.post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    assert item.status_code == 200 and "Mark as read" not in item.content.decode()
    assert ">1<" in client.get("/notifications/unread/").content.decode()
    other = Notification.objects.get(title="Not yours")
    assert client.post(f"/notifications/{other.pk}/read/").status_code == 404
    client.post("/notifications/read/")
    assert "badge" not in client.get("/notifications/unread/").content.decode()


@pytest.mark.django_db
def test_preferences_page(reminder_kind, people, client_as):
    client = client_as(people.member)
    assert "Project ending" in client.get("/notifications/preferences/").content.decode()
    every_kind = {slug: "immediate" for slug in kinds()}
    client.post("/notifications/preferences/", {**every_kind, KIND: "digest"})
    assert NotificationPreference.objects.get(user=people.member, kind=KIND).delivery == "digest"
    bad = client.post("/notifications/preferences/", {**every_kind, KIND: "carrier-pigeon"})
    assert bad.status_code == 200 and "Select a valid choice" in bad.content.decode()


@pytest.mark.django_db
def test_schedules_are_created_and_edited_by_the_process_group(reminder_kind, people, client_as):
    assert PeriodicTask.objects.filter(name="Daily digest").exists()  # post_migrate
    sync_schedules()
    task = PeriodicTask.objects.get(name=periodic_task_name(reminder_kind))
    assert json.loads(task.kwargs) == {"kind": KIND, "lead_days": 14}
    assert client_as(people.member).get("/settings/reminders/").status_code == 403
    client = client_as(people.epg)
    assert "Project ending" in client.get("/settings/reminders/").content.decode()
    response = client.post(
        "/settings/reminders/",
        {"kind": KIND, f"{KIND}-hour": "9", f"{KIND}-lead_days": "30"},
    )
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.crontab.hour == "9" and not task.enabled
    assert json.loads(task.kwargs)["lead_days"] == 30
    bad = client.post(
        "/settings/reminders/", {"kind": KIND, f"{KIND}-hour": "25", f"{KIND}-lead_days": "x"}
    )
    assert bad.status_code == 400
    assert "less than or equal to 23" in bad.content.decode()
    sync_schedules()  # an edited schedule is kept
    task.refresh_from_db()
    assert task.crontab.hour == "9"


@pytest.mark.django_db
def test_calendar_feed_parses_and_a_revoked_token_is_gone(people, client_as, client):
    project = ProjectFactory(manager=people.pm, end_date=date(2027, 3, 31))
    web = client_as(people.pm)
    web.post("/calendar/", {"action": "create"})
    token = people.pm.calendar_feed.token
    client.logout()
    feed = client.get(f"/calendar/{token}.ics")
    assert feed.status_code == 200 and feed["Content-Type"].startswith("text/calendar")
    events = [c for c in Calendar.from_ical(feed.content).walk("VEVENT")]
    assert [str(e["summary"]) for e in events] == [f"{project.name}: planned end"]
    assert events[0].decoded("dtstart") == date(2027, 3, 31)
    web.force_login(people.pm)
    web.post("/calendar/", {"action": "revoke"})
    client.logout()
    assert client.get(f"/calendar/{token}.ics").status_code == 404


@pytest.mark.django_db
def test_documents_and_schedules_are_in_the_navigation(people, client_as):
    epg_page = client_as(people.epg).get("/").content.decode()
    assert 'href="/documents/"' in epg_page and 'href="/settings/reminders/"' in epg_page
    member_page = client_as(people.member).get("/").content.decode()
    assert 'href="/documents/"' in member_page and 'href="/settings/reminders/"' not in member_page
