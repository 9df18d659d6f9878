"""The Committee's programme of work, under /reporting/programme/ (included from reporting.urls)."""

from django.urls import path

from reporting import views_programme as views

urlpatterns = [
    path("", views.programme_list, name="programme-list"),
    path("new/", views.programme_create_view, name="programme-create"),
    path("<int:pk>/", views.programme_detail, name="programme-detail"),
    path("<int:pk>/edit/", views.programme_edit_view, name="programme-edit"),
    path("<int:pk>/adopt/", views.programme_adopt_view, name="programme-adopt"),
    path("<int:pk>/compare/", views.programme_compare, name="programme-compare"),
    path("<int:pk>/versions/<int:number>/", views.version_detail, name="programme-version"),
    path("<int:pk>/priorities/new/", views.priority_add_view, name="programme-priority-add"),
    path("priorities/<int:pk>/edit/", views.priority_edit_view, name="programme-priority-edit"),
    path("priorities/<int:pk>/remove/", views.priority_remove_view, name="programme-priority-remove"),
    path("priorities/<int:pk>/move/", views.priority_move_view, name="programme-priority-move"),
    path("priorities/<int:pk>/results/new/", views.result_add_view, name="programme-result-add"),
    path("results/<int:pk>/edit/", views.result_edit_view, name="programme-result-edit"),
    path("results/<int:pk>/remove/", views.result_remove_view, name="programme-result-remove"),
    path("results/<int:pk>/move/", views.result_move_view, name="programme-result-move"),
]
