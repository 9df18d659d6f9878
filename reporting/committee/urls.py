"""The Coordination Committee's meetings, under /reporting/committee/ (included from
reporting.urls)."""

from django.urls import path

from reporting.committee import views

urlpatterns = [
    path("", views.meeting_list, name="committee-meetings"),
    path("new/", views.meeting_create_view, name="committee-meeting-create"),
    path("<int64:pk>/", views.meeting_detail, name="committee-meeting"),
    path("<int64:pk>/calendar.ics", views.meeting_ics_view, name="committee-meeting-ics"),
    path("<int64:pk>/edit/", views.meeting_edit_view, name="committee-meeting-edit"),
    path("<int64:pk>/act/", views.meeting_act_view, name="committee-meeting-act"),
    path("<int64:pk>/minutes/", views.minutes_edit_view, name="committee-minutes"),
    path("<int64:pk>/agenda/build/", views.agenda_build_view, name="committee-agenda-build"),
    path("<int64:pk>/agenda/add/", views.item_add_view, name="committee-item-add"),
    path("<int64:pk>/attendance/", views.attendance_set_view, name="committee-attendance-set"),
    path(
        "<int64:pk>/attendance/<int64:attendance_pk>/remove/",
        views.attendance_remove_view,
        name="committee-attendance-remove",
    ),
    path("<int64:pk>/decisions/", views.decision_add_view, name="committee-decision-add"),
    path("<int64:pk>/actions/", views.action_add_view, name="committee-action-add"),
    path("<int64:pk>/briefing-pack/", views.briefing_pack_view, name="committee-briefing-pack"),
    path("items/<int64:pk>/", views.item_edit_view, name="committee-item-edit"),
    path("items/<int64:pk>/remove/", views.item_remove_view, name="committee-item-remove"),
    path("items/<int64:pk>/move/", views.item_move_view, name="committee-item-move"),
    path("items/<int64:pk>/cascade/", views.cascade_record_view, name="committee-cascade"),
    path("actions/<int64:pk>/act/", views.action_act_view, name="committee-action-act"),
]
