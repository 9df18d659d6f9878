from django.urls import path

from workinggroups import views

work_plan = "<int64:pk>/work-plans/<int64:year>/"

urlpatterns = [
    path("", views.workinggroup_list, name="workinggroup-list"),
    path("<int64:pk>/", views.workinggroup_detail, name="workinggroup-detail"),
    path("<int64:pk>/work-plans/new/", views.work_plan_create_page, name="workplan-create"),
    path(work_plan, views.work_plan_detail, name="workplan-detail"),
    path(f"{work_plan}edit/", views.work_plan_edit, name="workplan-edit"),
    path(f"{work_plan}outputs/new/", views.work_plan_output_add_page, name="workplan-output-add"),
    path(f"{work_plan}outputs/<int64:output_pk>/", views.work_plan_output_edit, name="workplan-output-edit"),
    path(
        f"{work_plan}outputs/<int64:output_pk>/remove/",
        views.work_plan_output_remove_page,
        name="workplan-output-remove",
    ),
    path(
        f"{work_plan}outputs/<int64:output_pk>/activities/new/",
        views.work_plan_activity_add_page,
        name="workplan-activity-add",
    ),
    path(f"{work_plan}activities/<int64:activity_pk>/", views.work_plan_activity_edit, name="workplan-activity-edit"),
    path(
        f"{work_plan}activities/<int64:activity_pk>/remove/",
        views.work_plan_activity_remove_page,
        name="workplan-activity-remove",
    ),
]
