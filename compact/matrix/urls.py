"""Pages of the project matrix: lists, pivots, overlaps, exports and the import."""

from django.urls import path

from compact.matrix import iati_views, map_views, quality_views, theme_views, views
from compact.matrix.imports import views as import_views

urlpatterns = [
    # The project matrix (Annex III, V.19).
    path("projects/", views.project_list, name="project-list"),
    path("projects/export.csv", views.project_export, {"fmt": "csv"}, name="project-export-csv"),
    path("projects/export.xlsx", views.project_export, {"fmt": "xlsx"}, name="project-export-xlsx"),
    path("projects/iati/", iati_views.project_iati, name="project-iati"),
    path("projects/export.iati.xml", iati_views.project_iati_download, name="project-export-iati"),
    path("projects/new/", views.project_create, name="project-create"),
    path("projects/<int64:pk>/", views.project_detail, name="project-detail"),
    path("projects/<int64:pk>/edit/", views.project_edit, name="project-edit"),
    path("projects/<int64:pk>/lifecycle/", views.project_stage_move_view, name="project-stage-move"),
    path("projects/<int64:pk>/security-forces/", views.project_security_forces_view, name="project-security-forces"),
    path("projects/<int64:pk>/hrddp/", views.project_hrddp_view, name="project-hrddp-add"),
    path("projects/<int64:pk>/delete/", views.project_remove, name="project-delete"),
    path("projects/countries/<str:code>/", views.project_country, name="project-country"),
    path("projects/pivots/", views.project_pivots, name="project-pivots"),
    path("projects/map/", map_views.project_map, name="project-map"),
    path("projects/themes/", theme_views.project_themes, name="project-themes"),
    path("projects/themes/confirm/", theme_views.project_themes_confirm_view, name="project-themes-confirm"),
    path("projects/<int64:pk>/themes/", theme_views.project_themes_change, name="project-themes-change"),
    path("projects/overlaps/", views.project_overlap_list, name="project-overlaps"),
    path("projects/overlaps/review/", views.project_overlap_review, name="project-overlap-review"),
    path("projects/quality/", quality_views.matrix_quality_page, name="matrix-quality"),
    path("projects/quality/map/", quality_views.matrix_mention_map, name="matrix-mention-map"),
    path("projects/import/", import_views.matrix_import_upload, name="matrix-import"),
    path("projects/import/commit/", import_views.matrix_import_confirm, name="matrix-import-commit"),
    path("projects/import/template.csv", import_views.matrix_import_template, name="matrix-import-template"),
]
