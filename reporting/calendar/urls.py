"""Pages of the reporting calendar: OCT's rules, the scheduler's log, extension requests."""

from django.urls import path

from reporting.calendar import views

urlpatterns = [
    path(
        "submissions/<int64:pk>/extension/",
        views.extension_request_view,
        name="reporting-extension-request",
    ),
    # The calendar, OCT's. "log/" comes before "<str:kind>/", which would otherwise take it.
    path("calendar/", views.calendar_overview, name="reporting-calendar"),
    path("calendar/log/", views.scheduler_log, name="reporting-scheduler-log"),
    path("calendar/<str:kind>/", views.calendar_rule_edit, name="reporting-calendar-rule"),
    path("extensions/", views.extension_queue, name="reporting-extensions"),
    path("extensions/<int64:pk>/act/", views.extension_act_view, name="reporting-extension-act"),
]
