from django.urls import path

from reporting import views

urlpatterns = [
    path("submissions/<int:pk>/", views.submission_detail, name="reporting-submission"),
]
