"""OCT's compiled reports, under /reporting/compiled/ (included from reporting.urls)."""

from django.urls import path, re_path

from reporting.compiled import views
from reporting.compiled.annual import views as annual_views

urlpatterns = [
    path("", views.compiled_list, name="reporting-compiled-list"),
    path("consolidated/start/", views.consolidated_start_view, name="reporting-consolidated-start"),
    path("consolidated/<int64:pk>/", views.consolidated_detail, name="reporting-consolidated"),
    path("annual/start/", annual_views.annual_start_view, name="reporting-annual-start"),
    path("annual/<int64:pk>/", annual_views.annual_detail, name="reporting-annual"),
    path("annual/<int64:pk>/act/", annual_views.annual_act_view, name="reporting-annual-act"),
    path(
        "annual/<int64:pk>/early-reason/",
        annual_views.annual_early_reason_view,
        name="reporting-annual-early-reason",
    ),
    # One view for both kinds: …/consolidated/<pk>/generate/ and …/annual/<pk>/generate/.
    re_path(
        r"^(?P<kind>consolidated|annual)/(?P<pk>[0-9]+)/generate/$",
        views.edition_request_view,
        name="reporting-edition-request",
    ),
    path("editions/<int64:pk>/status/", views.edition_status, name="reporting-edition-status"),
    path("editions/<int64:pk>/download/", views.edition_download, name="reporting-edition-download"),
    path("editions/<int64:pk>/download.docx", views.edition_download_word, name="reporting-edition-download-word"),
    path("editions/<int64:pk>/final/", views.edition_final_view, name="reporting-edition-final"),
]
