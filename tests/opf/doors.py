"""Doors of the core pages and endpoints (see tests/doors.py)."""

from __future__ import annotations

from django.core.files.base import ContentFile

from opf.core.ui.choices import choices_url
from opf.documents.models import Document
from opf.notifications.models import CalendarFeed, Notification
from opf.organization.filters import ProjectFilterSet
from opf.reference.models import ProcessArea
from opf.steering.models import SteeringMeeting
from tests.doors import EVERYONE, STAFF, Door
from tests.factories import ProcessAreaFactory, UserFactory

DASHBOARD = frozenset({"epg", "executive"})


def _area(people) -> ProcessArea:
    return ProcessArea.objects.order_by("pk").first() or ProcessAreaFactory()


def _meeting(people) -> SteeringMeeting:
    from tests.opf.steering_factories import SteeringMeetingFactory

    return SteeringMeetingFactory()


def _user(people) -> str:
    return f"{UserFactory().pk}/"


def _done_document(people) -> Document:
    document = Document.objects.create(
        kind="improvement_plan",
        title="Plan",
        requested_by=people.epg,
        status=Document.Status.DONE,
    )
    document.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return document


def _notification_of_member(people) -> Notification:
    return Notification.objects.create(recipient=people.member, kind="test", title="Hello")


def _feed(people) -> str:
    feed, _ = CalendarFeed.objects.get_or_create(user=people.member)
    return f"/calendar/{feed.token}.ics"


def _program_feed(people) -> str:
    feed, _ = CalendarFeed.objects.get_or_create(user=people.executive)
    return f"/program-calendar/{feed.token}.ics"


DOORS = [
    Door("home", lambda p: "/", EVERYONE),
    Door("waiting_count", lambda p: "/waiting-count/", EVERYONE),
    Door("health", lambda p: "/health/", EVERYONE, public=True),
    Door("logout", lambda p: "/accounts/logout/", EVERYONE, method="POST", public=True),
    Door("opf:profile", lambda p: "/profile/", EVERYONE),
    Door("opf:user_list", lambda p: "/people/", EVERYONE),
    Door("opf:user_detail", lambda p: f"/people/{_user(p)}", EVERYONE),
    Door("GET /api/v1/users/", lambda p: "/api/v1/users/", EVERYONE),
    Door("GET /api/v1/users/{id}/", lambda p: f"/api/v1/users/{_user(p)}", EVERYONE),
    Door(
        "GET /api/v1/users/{id}/history/",
        lambda p: f"/api/v1/users/{_user(p)}history/",
        EVERYONE,
    ),
    Door("opf:referencemodel_import", lambda p: "/reference-models/import/", STAFF),
    Door("opf:inbox", lambda p: "/notifications/", EVERYONE),
    Door("opf:unread_count", lambda p: "/notifications/unread/", EVERYONE),
    Door("opf:read_all", lambda p: "/notifications/read/", EVERYONE, method="POST"),
    Door(
        "opf:read",
        lambda p: f"/notifications/{_notification_of_member(p).pk}/read/",
        frozenset({"member"}),  # only the recipient
        method="POST",
    ),
    Door(
        "opf:open",
        lambda p: f"/notifications/{_notification_of_member(p).pk}/open/",
        frozenset({"member"}),  # only the recipient
    ),
    Door("GET /api/v1/notifications/", lambda p: "/api/v1/notifications/", EVERYONE),
    Door(
        "GET /api/v1/notifications/{id}/",
        lambda p: f"/api/v1/notifications/{_notification_of_member(p).pk}/",
        frozenset({"member"}),
    ),
    Door(
        "POST /api/v1/notifications/{id}/read/",
        lambda p: f"/api/v1/notifications/{_notification_of_member(p).pk}/read/",
        frozenset({"member"}),
        method="POST",
    ),
    Door(
        "POST /api/v1/notifications/read-all/",
        lambda p: "/api/v1/notifications/read-all/",
        EVERYONE,
        method="POST",
    ),
    Door("opf:preferences", lambda p: "/notifications/preferences/", EVERYONE),
    Door("opf:reminder_settings", lambda p: "/settings/reminders/", STAFF),
    Door("opf:calendar", lambda p: "/calendar/", EVERYONE),
    Door("opf:calendar_feed", _feed, EVERYONE, public=True),  # the token is the credential
    Door("opf:document_list", lambda p: "/documents/", EVERYONE),
    Door(
        "opf:document_new",
        lambda p: "/documents/new/",
        EVERYONE,
        method="POST",
        data=lambda: {"kind": "improvement_plan"},
    ),
    Door("opf:document_detail", lambda p: f"/documents/{_done_document(p).pk}/", EVERYONE),
    Door("opf:document_file", lambda p: f"/documents/{_done_document(p).pk}/file/", EVERYONE),
    Door("GET /api/v1/documents/", lambda p: "/api/v1/documents/", EVERYONE),
    Door(
        "GET /api/v1/documents/{id}/",
        lambda p: f"/api/v1/documents/{_done_document(p).pk}/",
        EVERYONE,
    ),
    Door(
        "GET /api/v1/documents/{id}/file/",
        lambda p: f"/api/v1/documents/{_done_document(p).pk}/file/",
        EVERYONE,
    ),
    Door(
        "POST /api/v1/documents/",
        lambda p: "/api/v1/documents/",
        EVERYONE,
        method="POST",
        data=lambda: {"kind": "improvement_plan"},
    ),
    # The executive dashboard (#7): executives and the process group; a project manager
    # with an org unit sees that unit's (the personas' managers have none: refused).
    Door("opf:dashboard", lambda p: "/dashboard/", DASHBOARD),
    Door("GET /api/v1/dashboard/", lambda p: "/api/v1/dashboard/", DASHBOARD),
    # The program calendar (#20): whoever sees the whole program (executives and the
    # process group); its feed answers the token of one of them, whoever asks (a
    # member's token finds nothing: tests/opf/test_program_calendar.py).
    Door("opf:program_calendar", lambda p: "/program-calendar/", DASHBOARD),
    Door("opf:program_calendar_feed", _program_feed, EVERYONE, public=True),
    Door("GET /api/v1/program-calendar/", lambda p: "/api/v1/program-calendar/", DASHBOARD),
    # What waits for the caller (#16): everyone signed in, each their own.
    Door("GET /api/v1/my-work/", lambda p: "/api/v1/my-work/", EVERYONE),
    # The global search (#17): everyone signed in, each finding what they may view.
    Door("search", lambda p: "/search/?q=plan", EVERYONE),
    Door("GET /api/v1/search/", lambda p: "/api/v1/search/?q=plan", EVERYONE),
    # A dependent picker's options (#17): whoever may view practices (everyone).
    Door(
        "options",
        lambda p: f"/ui/options/opf.practice/process_area/?value={_area(p).pk}",
        EVERYONE,
    ),
    # A big choice's options, searched as a picker is typed into (#24): whoever may
    # view the field's records (everyone), only those rows.
    Door("choices", lambda p: choices_url(ProjectFilterSet, "manager") + "?q=a", EVERYONE),
    Door(
        "opf:steeringmeeting_briefing",
        lambda p: f"/steering-meetings/{_meeting(p).pk}/briefing/",
        STAFF,
        method="POST",
    ),
    Door(
        "POST /api/v1/meetings/{id}/briefing/",
        lambda p: f"/api/v1/meetings/{_meeting(p).pk}/briefing/",
        STAFF,
        method="POST",
    ),
    # Everyone signed in changes their own password (anonymous: sent to sign in).
    Door("password_change", lambda p: "/accounts/password/", EVERYONE),
]


def _endpoint(people):
    from tests.opf.webhook_factories import WebhookEndpointFactory

    return WebhookEndpointFactory(active=False)


def _delivery(people):
    from tests.opf.webhook_factories import WebhookDeliveryFactory

    return WebhookDeliveryFactory()


# Webhooks (#22): endpoints hold secrets and addresses; the process group alone.
DOORS += [
    Door(
        "opf:webhookendpoint_ping",
        lambda p: f"/webhooks/{_endpoint(p).pk}/ping/",
        STAFF,
        method="POST",
    ),
    Door(
        "opf:webhookendpoint_rotate_secret",
        lambda p: f"/webhooks/{_endpoint(p).pk}/rotate-secret/",
        STAFF,
        method="POST",
    ),
    Door(
        "opf:webhookdelivery_redeliver",
        lambda p: f"/webhooks/deliveries/{_delivery(p).pk}/redeliver/",
        STAFF,
        method="POST",
    ),
    Door(
        "POST /api/v1/webhook-endpoints/{id}/ping/",
        lambda p: f"/api/v1/webhook-endpoints/{_endpoint(p).pk}/ping/",
        STAFF,
        method="POST",
    ),
    Door(
        "POST /api/v1/webhook-endpoints/{id}/rotate-secret/",
        lambda p: f"/api/v1/webhook-endpoints/{_endpoint(p).pk}/rotate-secret/",
        STAFF,
        method="POST",
    ),
    Door("GET /api/v1/webhook-deliveries/", lambda p: "/api/v1/webhook-deliveries/", STAFF),
    Door(
        "GET /api/v1/webhook-deliveries/{id}/",
        lambda p: f"/api/v1/webhook-deliveries/{_delivery(p).pk}/",
        STAFF,
    ),
    Door(
        "GET /api/v1/webhook-deliveries/{id}/history/",
        lambda p: f"/api/v1/webhook-deliveries/{_delivery(p).pk}/history/",
        STAFF,
    ),
    Door(
        "POST /api/v1/webhook-deliveries/{id}/redeliver/",
        lambda p: f"/api/v1/webhook-deliveries/{_delivery(p).pk}/redeliver/",
        STAFF,
        method="POST",
    ),
]
