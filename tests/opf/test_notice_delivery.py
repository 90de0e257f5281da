"""A notification is delivered as its recipient asked (e-mail at once after the step
commits, in the daily digest, or in the app only) and grouped per record (#16)."""

from __future__ import annotations

import pytest
from django.core import mail

from actions import notices as action_notices
from actions.models import ActionItem
from opf.celery import app as celery_app
from opf.core.notices import tell
from opf.core.services import save_object
from opf.notifications import services as notifications
from opf.notifications.models import Notification, NotificationPreference
from tests.actions.factories import ProcessActionPlanFactory

KIND = action_notices.ITEM_ASSIGNED


@pytest.fixture
def eager():
    """Celery runs the task in the test's process (as CELERY_TASK_ALWAYS_EAGER does)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = before


def assign(people, **kwargs):
    item = ActionItem(plan=ProcessActionPlanFactory(), title="Write the guide", **kwargs)
    return save_object(item, actor=people.epg)


@pytest.mark.django_db
def test_at_once_is_one_email_after_the_step_commits(
    people, eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        item = assign(people, assignee=people.member)
        assert mail.outbox == []  # nothing leaves before the step commits
    assert len(mail.outbox) == 1  # one e-mail (other callbacks keep derived counts)
    message = mail.outbox[0]
    assert message.to == [people.member.email]
    assert item.title in message.subject
    assert item.get_absolute_url() in message.body
    assert Notification.objects.get(recipient=people.member).emailed_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("delivery", ["digest", "off"])
def test_digest_and_in_app_only_send_nothing_at_once(
    delivery, people, eager, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=people.member, kind=KIND, delivery=delivery)
    with django_capture_on_commit_callbacks(execute=True):
        assign(people, assignee=people.member)
    assert mail.outbox == []
    notification = Notification.objects.get(recipient=people.member)
    assert notification.digest is (delivery == "digest")
    assert notifications.send_digests() == (1 if delivery == "digest" else 0)
    assert len(mail.outbox) == (1 if delivery == "digest" else 0)


@pytest.mark.django_db
def test_news_of_one_record_is_one_unread_entry_brought_up_to_date(people):
    for n in range(5):
        tell(recipient=people.pm, kind=KIND, title=f"Change {n}", url="/plans/1/", key=f"e:{n}")
    grouped = Notification.objects.get(recipient=people.pm)
    assert grouped.title == "Change 4"
    tell(recipient=people.pm, kind=KIND, title="Other record", url="/plans/2/", key="other")
    assert Notification.objects.filter(recipient=people.pm).count() == 2
    notifications.mark_read(people.pm)
    tell(recipient=people.pm, kind=KIND, title="After reading", url="/plans/1/", key="e:5")
    assert Notification.objects.filter(recipient=people.pm, read_at__isnull=True).count() == 1
    assert Notification.objects.filter(recipient=people.pm).count() == 3


@pytest.mark.django_db
def test_one_event_key_tells_once(people):
    for _ in range(3):
        tell(recipient=people.pm, kind=KIND, title="Once", url="/x/", key="the-event")
    Notification.objects.update(read_at=Notification.objects.get().created_at)
    tell(recipient=people.pm, kind=KIND, title="Once", url="/x/", key="the-event")
    assert Notification.objects.filter(recipient=people.pm).count() == 1


@pytest.mark.django_db
def test_every_notice_kind_is_a_choice_on_the_preferences_page(people, client_as):
    page = client_as(people.member).get("/notifications/preferences/").content.decode()
    assert "An action item, a meeting&#x27;s follow-up or a commitment is assigned to you" in page
    assert "A deployment is created on a project you manage" in page


@pytest.mark.django_db
def test_following_a_notification_marks_it_read_and_only_ones_own(people, client_as):
    tell(recipient=people.pm, kind=KIND, title="Yours", url="/projects/1/", key="a")
    tell(recipient=people.pm, kind=KIND, title="Elsewhere", url="https://evil.example/", key="b")
    mine, outside = Notification.objects.filter(recipient=people.pm).order_by("pk")
    assert client_as(people.member).get(f"/notifications/{mine.pk}/open/").status_code == 404
    client = client_as(people.pm)
    response = client.get(f"/notifications/{mine.pk}/open/")
    assert response.status_code == 302 and response["Location"] == "/projects/1/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(f"/notifications/{outside.pk}/open/")["Location"] == "/notifications/"
