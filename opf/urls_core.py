from django.urls import path

from opf.documents import views as documents
from opf.initiatives import views as initiatives
from opf.notifications import views as inbox
from opf.organization import views
from opf.reference import views as reference
from opf.steering import calendar_views
from opf.steering import views as steering
from opf.steering.dashboard import views as dashboard
from opf.webhooks import views as webhooks

app_name = "opf"

urlpatterns = [
    path("reference-models/import/", reference.reference_import, name="referencemodel_import"),
    path("profile/", views.profile, name="profile"),
    path("notifications/", inbox.inbox, name="inbox"),
    path("notifications/unread/", inbox.unread_count, name="unread_count"),
    path("notifications/read/", inbox.read, name="read_all"),
    path("notifications/<int:pk>/read/", inbox.read, name="read"),
    path("notifications/<int:pk>/open/", inbox.open_notification, name="open"),
    path("notifications/preferences/", inbox.preferences, name="preferences"),
    path("settings/reminders/", inbox.reminder_settings, name="reminder_settings"),
    path("documents/", documents.document_list, name="document_list"),
    path("documents/new/", documents.document_new, name="document_new"),
    path("documents/<int:pk>/", documents.document_detail, name="document_detail"),
    path("documents/<int:pk>/file/", documents.document_file, name="document_file"),
    path("calendar/", inbox.calendar_settings, name="calendar"),
    path("calendar/<str:token>.ics", inbox.calendar_feed, name="calendar_feed"),
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("program-calendar/", calendar_views.program_calendar, name="program_calendar"),
    path(
        "program-calendar/<str:token>.ics",
        calendar_views.program_calendar_feed,
        name="program_calendar_feed",
    ),
    path(
        "steering-meetings/<int:pk>/briefing/",
        steering.meeting_briefing,
        name="steeringmeeting_briefing",
    ),
    *steering.CommitteeMembershipViews.urls(),
    *steering.SteeringMeetingViews.urls(),
    *steering.DecisionViews.urls(),
    *steering.FollowUpViews.urls(),
    *steering.ProgramDocumentViews.urls(),
    *initiatives.InitiativeViews.urls(),
    path("webhooks/<int:pk>/ping/", webhooks.endpoint_ping, name="webhookendpoint_ping"),
    path(
        "webhooks/<int:pk>/rotate-secret/",
        webhooks.endpoint_rotate_secret,
        name="webhookendpoint_rotate_secret",
    ),
    path(
        "webhooks/deliveries/<int:pk>/redeliver/",
        webhooks.delivery_redeliver,
        name="webhookdelivery_redeliver",
    ),
    *webhooks.WebhookEndpointViews.urls(),
    *views.OrgUnitViews.urls(),
    *views.ProjectViews.urls(),
    *reference.ReferenceModelViews.urls(),
    *reference.ProcessAreaViews.urls(),
    *reference.PracticeViews.urls(),
    *views.UserViews.urls(),
]
