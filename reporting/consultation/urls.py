"""Consultation rounds, under /reporting/consultations/ (included from reporting.urls)."""

from django.urls import path

from reporting.consultation import views

urlpatterns = [
    path("", views.consultation_list, name="consultation-list"),
    path("new/", views.consultation_create_view, name="consultation-create"),
    path("<int64:pk>/", views.consultation_detail, name="consultation-detail"),
    path("<int64:pk>/act/", views.consultation_act_view, name="consultation-act"),
    path(
        "<int64:pk>/comments/<str:acronym>/<slug:section>/",
        views.consultation_comment_view,
        name="consultation-comment",
    ),
    path("comments/<int64:pk>/withdraw/", views.consultation_comment_withdraw_view, name="consultation-withdraw"),
    path("comments/<int64:pk>/respond/", views.consultation_respond_view, name="consultation-respond"),
]
