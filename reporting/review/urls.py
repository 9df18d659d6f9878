"""The biennial review of the Compact, under /review/ (included from config.urls)."""

from django.urls import path

from reporting.review import views

urlpatterns = [
    path("", views.review_list, name="review-list"),
    path("new/", views.review_create_view, name="review-create"),
    path("<int64:pk>/", views.review_detail, name="review-detail"),
    path("<int64:pk>/edit/", views.review_edit_view, name="review-edit"),
    path("<int64:pk>/act/", views.review_act_view, name="review-act"),
    path("<int64:pk>/comments/<str:acronym>/", views.comment_edit_view, name="review-comment"),
]
