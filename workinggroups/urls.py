from django.urls import path

from workinggroups import views

urlpatterns = [
    path("", views.workinggroup_list, name="workinggroup-list"),
    path("<int:pk>/", views.workinggroup_detail, name="workinggroup-detail"),
]
