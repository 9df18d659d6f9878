from django.urls import path

from compact import views

urlpatterns = [
    path("", views.home, name="home"),
    path("entities/", views.entity_list, name="entity-list"),
    path("entities/<str:acronym>/", views.entity_detail, name="entity-detail"),
    path("entities/<str:acronym>/edit/", views.entity_edit, name="entity-edit"),
    path("committee/", views.committee, name="committee"),
    path("audit/", views.audit_log, name="audit-log"),
    path("system/", views.system_status, name="system-status"),
]
