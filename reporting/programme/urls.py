"""The Committee's programme of work, under /reporting/programme/ (included from reporting.urls)."""

from django.urls import path

from reporting.programme import views

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("new/", views.programme_create_view, name="programme-create"),
    path("<int64:pk>/", views.programme_detail, name="programme-detail"),
    path("<int64:pk>/edit/", views.programme_edit_view, name="programme-edit"),
    path("<int64:pk>/adopt/", views.programme_adopt_view, name="programme-adopt"),
    path("<int64:pk>/compare/", views.programme_compare, name="programme-compare"),
    path("<int64:pk>/versions/<int64:number>/", views.version_detail, name="programme-version"),
    path("<int64:pk>/priorities/new/", views.priority_add_view, name="programme-priority-add"),
    path("priorities/<int64:pk>/edit/", views.priority_edit_view, name="programme-priority-edit"),
    path("priorities/<int64:pk>/remove/", views.priority_remove_view, name="programme-priority-remove"),
    path("priorities/<int64:pk>/move/", views.priority_move_view, name="programme-priority-move"),
    path("priorities/<int64:pk>/results/new/", views.result_add_view, name="programme-result-add"),
    path("results/<int64:pk>/edit/", views.result_edit_view, name="programme-result-edit"),
    path("results/<int64:pk>/remove/", views.result_remove_view, name="programme-result-remove"),
    path("results/<int64:pk>/move/", views.result_move_view, name="programme-result-move"),
]
