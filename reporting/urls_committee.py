"""The Coordination Committee's meetings, under /reporting/committee/ (included from reporting.urls)."""

from django.urls import path

from reporting import views_committee as views

urlpatterns = [
    path("", views.meeting_list, name="committee-meetings"),
    path("new/", views.meeting_create_view, name="committee-meeting-create"),
    path("<int:pk>/", views.meeting_detail, name="committee-meeting"),
    path("<int:pk>/edit/", views.meeting_edit_view, name="committee-meeting-edit"),
    path("<int:pk>/act/", views.meeting_act_view, name="committee-meeting-act"),
    path("<int:pk>/minutes/", views.minutes_edit_view, name="committee-minutes"),
    path("<int:pk>/agenda/build/", views.agenda_build_view, name="committee-agenda-build"),
    path("<int:pk>/agenda/add/", views.item_add_view, name="committee-item-add"),
    path("<int:pk>/attendance/", views.attendance_set_view, name="committee-attendance-set"),
    path(
        "<int:pk>/attendance/<int:attendance_pk>/remove/",
        views.attendance_remove_view,
        name="committee-attendance-remove",
    ),
    path("<int:pk>/decisions/", views.decision_add_view, name="committee-decision-add"),
    path("<int:pk>/actions/", views.action_add_view, name="committee-action-add"),
    path("<int:pk>/briefing-pack/", views.briefing_pack_view, name="committee-briefing-pack"),
    path("items/<int:pk>/", views.item_edit_view, name="committee-item-edit"),
    path("items/<int:pk>/remove/", views.item_remove_view, name="committee-item-remove"),
    path("items/<int:pk>/move/", views.item_move_view, name="committee-item-move"),
    path("items/<int:pk>/cascade/", views.cascade_record_view, name="committee-cascade"),
    path("actions/<int:pk>/act/", views.action_act_view, name="committee-action-act"),
]
