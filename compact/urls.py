from django.urls import include, path

from compact import views
from compact.views import matrix, matrix_import, outreach, security, signon

urlpatterns = [
    path("", views.home, name="home"),
    path("entities/", views.entity_list, name="entity-list"),
    path("entities/<str:acronym>/", views.entity_detail, name="entity-detail"),
    path("entities/<str:acronym>/edit/", views.entity_edit, name="entity-edit"),
    path(
        "entities/<str:acronym>/focal-points/invite/",
        views.entity_focal_point_invite,
        name="entity-focal-point-invite",
    ),
    path(
        "entities/<str:acronym>/focal-points/remove/",
        views.entity_focal_point_dismiss,
        name="entity-focal-point-dismiss",
    ),
    path("committee/", views.committee, name="committee"),
    path("audit/", views.audit_log, name="audit-log"),
    path("system/", views.system_status, name="system-status"),
    path("system/lockouts/clear/", security.lockout_clear_view, name="lockout-clear"),
    # The public front door (no login) and the applicant's private pages.
    path("sign-on/", signon.signon_form, name="signon-form"),
    path("sign-on/confirm/<str:token>/", signon.signon_confirm, name="signon-confirm"),
    path("sign-on/requests/<str:access_key>/", signon.signon_status, name="signon-status"),
    path("sign-on/requests/<str:access_key>/edit/", signon.signon_edit, name="signon-edit"),
    path("sign-on/requests/<str:access_key>/withdraw/", signon.signon_withdraw_view, name="signon-withdraw"),
    path("sign-on/requests/<str:access_key>/letter/", signon.signon_letter, name="signon-letter"),
    # OCT's review.
    path("sign-on/review/", signon.signon_review_list, name="signon-review-list"),
    path("sign-on/review/<int64:pk>/", signon.signon_review_detail, name="signon-review-detail"),
    path("sign-on/review/<int64:pk>/act/", signon.signon_review_act, name="signon-review-act"),
    path("sign-on/review/<int64:pk>/assign/", signon.signon_review_assign, name="signon-review-assign"),
    path("sign-on/review/<int64:pk>/resend-invitation/", signon.signon_review_resend, name="signon-review-resend"),
    path("sign-on/review/<int64:pk>/letter/", signon.signon_review_letter, name="signon-review-letter"),
    # The project matrix (Annex III, V.19).
    path("projects/", matrix.project_list, name="project-list"),
    path("projects/export.csv", matrix.project_export, {"fmt": "csv"}, name="project-export-csv"),
    path("projects/export.xlsx", matrix.project_export, {"fmt": "xlsx"}, name="project-export-xlsx"),
    path("projects/new/", matrix.project_create, name="project-create"),
    path("projects/<int64:pk>/", matrix.project_detail, name="project-detail"),
    path("projects/<int64:pk>/edit/", matrix.project_edit, name="project-edit"),
    path("projects/<int64:pk>/delete/", matrix.project_remove, name="project-delete"),
    path("projects/countries/<str:code>/", matrix.project_country, name="project-country"),
    path("projects/pivots/", matrix.project_pivots, name="project-pivots"),
    path("projects/overlaps/", matrix.project_overlap_list, name="project-overlaps"),
    path("projects/overlaps/review/", matrix.project_overlap_review, name="project-overlap-review"),
    path("projects/import/", matrix_import.matrix_import_upload, name="matrix-import"),
    path("projects/import/commit/", matrix_import.matrix_import_confirm, name="matrix-import-commit"),
    path("projects/import/template.csv", matrix_import.matrix_import_template, name="matrix-import-template"),
    # The USG's briefings to Member States (OCT) and the public page (no login).
    path("outreach/briefings/", outreach.briefing_list, name="outreach-briefing-list"),
    path("outreach/briefings/new/", outreach.briefing_new, name="outreach-briefing-new"),
    path("outreach/briefings/<int64:pk>/", outreach.briefing_detail, name="outreach-briefing-detail"),
    path("outreach/briefings/<int64:pk>/edit/", outreach.briefing_edit, name="outreach-briefing-edit"),
    path(
        "outreach/briefings/<int64:pk>/draft-summary/", outreach.briefing_summary_draft, name="outreach-briefing-draft"
    ),
    path("outreach/briefings/<int64:pk>/act/", outreach.briefing_act_view, name="outreach-briefing-act"),
    path("public/", outreach.public_page, name="public-compact"),
    path("review/", include("compact.urls_review")),
]
