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

from opf.core.notices import kinds as notice_kinds
from opf.core.reminders import DueEvent, ReminderKind, kinds, periodic_task_name, sync_schedules
from opf.notifications import services as notifications
from opf.notifications.models import Notification, NotificationPreference, ReminderSent
from opf.tasks import send_reminders
from tests.factories import ProjectFactory, UserFactory
from tests.opf.mail_backends import REFUSED, REFUSING

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


def refused_user(**kwargs):
    return UserFactory(email=f"gone{REFUSED}", **kwargs)


@pytest.mark.django_db
def test_one_refused_email_neither_blocks_nor_loses_the_others(
    reminder_kind, people, settings, client_as
):
    """#21: the claim was recorded before sending and one failure stopped the batch;
    a rerun then sent nothing. Now each e-mail stands alone and counts once accepted."""
    settings.EMAIL_BACKEND = REFUSING
    first, gone, last = UserFactory(), refused_user(), UserFactory()
    for number, manager in enumerate((first, gone, last)):
        ProjectFactory(manager=manager, name=f"Project {number}", end_date=date.today())
    with pytest.raises(Exception, match="could not be sent"):
        notifications.send_due_reminders(KIND)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first.email, last.email])
    failed = Notification.objects.get(recipient=gone)
    assert failed.emailed_at is None and failed.email_failures == 1
    assert "SMTPRecipientsRefused" in failed.email_error
    # The process group sees what was not delivered, and why.
    page = client_as(people.epg).get("/settings/reminders/").content.decode()
    assert (
        "E-mails not delivered (1)" in page
        and failed.title in page
        and "Mailbox unavailable" in page
    )
    # The next run (or the task's retry) sends what failed, and only that.
    gone.email = "back@example.org"
    gone.save()
    assert notifications.send_due_reminders(KIND) == 0
    assert [m.to for m in mail.outbox[2:]] == [["back@example.org"]]
    failed.refresh_from_db()
    assert failed.emailed_at is not None and failed.email_error == ""
    assert notifications.send_due_reminders(KIND) == 0 and len(mail.outbox) == 3
    assert "undelivered" not in client_as(people.epg).get("/settings/reminders/").content.decode()


@pytest.mark.django_db
def test_a_title_with_line_breaks_makes_a_one_line_subject(reminder_kind, people):
    """Django refuses a header with CR/LF (BadHeaderError): the subject is made one line."""
    ProjectFactory(manager=people.pm, name="Apollo\r\nBcc: all@example.org", end_date=date.today())
    assert notifications.send_due_reminders(KIND) == 1
    (message,) = mail.outbox
    assert "\n" not in message.subject and "\r" not in message.subject
    assert message.subject.startswith("Apollo Bcc: all@example.org ends on")
    assert message.message()["Bcc"] is None
    line_break = notifications.notify(recipient=people.pm, kind="news", title="Two\nlines")
    assert notifications.email_notification(line_break.pk) is True
    assert mail.outbox[1].subject == "Two lines"


@pytest.mark.django_db
def test_a_failed_email_counts_as_sent_only_once_accepted(people, settings):
    settings.EMAIL_BACKEND = REFUSING
    gone = refused_user()
    notification = notifications.notify(recipient=gone, kind=KIND, title="Review due")
    with pytest.raises(notifications.UndeliveredEmail):
        notifications.email_notification(notification.pk)
    notification.refresh_from_db()
    assert notification.emailed_at is None and notification.email_claimed_at is None
    assert notification.email_failures == 1 and notification.email_failed_at is not None
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notifications.email_notification(notification.pk) is True
    assert notifications.email_notification(notification.pk) is False
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_refused_digest_keeps_its_items_for_the_next_run(reminder_kind, settings):
    settings.EMAIL_BACKEND = REFUSING
    gone, fine = refused_user(), UserFactory()
    for user in (gone, fine):
        NotificationPreference.objects.create(user=user, kind=KIND, delivery="digest")
        ProjectFactory(manager=user, end_date=date.today())
        ProjectFactory(manager=user, end_date=date.today())
    notifications.send_due_reminders(KIND)
    with pytest.raises(notifications.UndeliveredEmail):
        notifications.send_digests()
    assert [m.to for m in mail.outbox] == [[fine.email]]
    waiting = Notification.objects.filter(recipient=gone)
    assert [(n.emailed_at, n.email_failures) for n in waiting] == [(None, 1), (None, 1)]
    gone.email = "back@example.org"
    gone.save()
    assert notifications.send_digests() == 1
    assert mail.outbox[1].to == ["back@example.org"] and "2 reminders" in mail.outbox[1].subject
    assert notifications.send_digests() == 0


def test_the_tasks_retry_undelivered_email():
    from opf import tasks

    for task in (tasks.send_reminders, tasks.send_digests, tasks.email_notification):
        assert notifications.UndeliveredEmail in task.autoretry_for


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
    every_kind = {slug: "immediate" for slug in [*kinds(), *notice_kinds()]}
    client.post("/notifications/preferences/", {**every_kind, KIND: "digest"})
    assert NotificationPreference.objects.get(user=people.member, kind=KIND).delivery == "digest"
    bad = client.post("/notifications/preferences/", {**every_kind, KIND: "carrier-pigeon"})
    assert bad.status_code == 400 and "Select a valid choice" in bad.content.decode()


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
    # A member's navigation holds what members use (opf.core.navigation): neither; the
    # documents page stays open to them, the reminder schedules do not.
    member = client_as(people.member)
    member_page = member.get("/").content.decode()
    assert 'href="/documents/"' not in member_page
    assert 'href="/settings/reminders/"' not in member_page
    assert member.get("/documents/").status_code == 200
    assert member.get("/settings/reminders/").status_code == 403
