from django.urls import include, path

from reporting import views, views_calendar

urlpatterns = [
    path("", views.reporting_home, name="reporting-home"),
    path("periods/new/", views.period_create_view, name="reporting-period-create"),
    path("periods/<int64:pk>/", views.period_detail, name="reporting-period"),
    path("periods/<int64:pk>/act/", views.period_act_view, name="reporting-period-act"),
    path("periods/<int64:pk>/reopen/", views.period_reopen_view, name="reporting-period-reopen"),
    path("submissions/<int64:pk>/", views.submission_detail, name="reporting-submission"),
    path("submissions/<int64:pk>/act/", views.submission_act_view, name="reporting-submission-act"),
    path("submissions/<int64:pk>/edit/", views.submission_edit, name="reporting-submission-edit"),
    path("submissions/<int64:pk>/versions/", views.submission_versions, name="reporting-submission-versions"),
    path("submissions/<int64:pk>/attachments/", views.attachment_add_view, name="reporting-attachment-add"),
    path(
        "submissions/<int64:pk>/attachments/<int64:attachment_pk>/",
        views.attachment_download,
        name="reporting-attachment",
    ),
    path(
        "submissions/<int64:pk>/attachments/<int64:attachment_pk>/remove/",
        views.attachment_remove_view,
        name="reporting-attachment-remove",
    ),
    path(
        "submissions/<int64:pk>/extension/",
        views_calendar.extension_request_view,
        name="reporting-extension-request",
    ),
    # The calendar, OCT's. "log/" comes before "<str:kind>/", which would otherwise take it.
    path("calendar/", views_calendar.calendar_overview, name="reporting-calendar"),
    path("calendar/log/", views_calendar.scheduler_log, name="reporting-scheduler-log"),
    path("calendar/<str:kind>/", views_calendar.calendar_rule_edit, name="reporting-calendar-rule"),
    path("extensions/", views_calendar.extension_queue, name="reporting-extensions"),
    path("extensions/<int64:pk>/act/", views_calendar.extension_act_view, name="reporting-extension-act"),
    path("compiled/", include("reporting.urls_compiled")),
    path("committee/", include("reporting.urls_committee")),
    path("programme/", include("reporting.urls_programme")),
    path("monitoring/", include("reporting.urls_monitoring")),
]
