from django.urls import path

from reporting.reorganisation import views

urlpatterns = [
    path("", views.reorganisation_list, name="reorganisation-list"),
    path("new/", views.reorganisation_create_page, name="reorganisation-create"),
    path("<int64:pk>/", views.reorganisation_detail, name="reorganisation-detail"),
    path("<int64:pk>/edit/", views.reorganisation_edit, name="reorganisation-edit"),
    path("<int64:pk>/targets/", views.reorganisation_target_add_view, name="reorganisation-target-add"),
    path(
        "<int64:pk>/targets/<int64:target_pk>/remove/",
        views.reorganisation_target_remove_view,
        name="reorganisation-target-remove",
    ),
    path("<int64:pk>/mapping/<int64:source>/", views.reorganisation_mapping_view, name="reorganisation-mapping"),
    path("<int64:pk>/act/", views.reorganisation_act_view, name="reorganisation-act"),
]
