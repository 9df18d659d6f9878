"""Pages of the reporting periods and the groups' submissions (drafts, review, attachments)."""

from django.urls import path

from reporting.submissions import views
from reporting.submissions.periods import views as period_views

urlpatterns = [
    path("", period_views.reporting_home, name="reporting-home"),
    path("periods/new/", period_views.period_create_view, name="reporting-period-create"),
    path("periods/<int64:pk>/", period_views.period_detail, name="reporting-period"),
    path("periods/<int64:pk>/act/", period_views.period_act_view, name="reporting-period-act"),
    path("periods/<int64:pk>/reopen/", period_views.period_reopen_view, name="reporting-period-reopen"),
    path("submissions/<int64:pk>/", views.submission_detail, name="reporting-submission"),
    path("submissions/<int64:pk>/act/", views.submission_act_view, name="reporting-submission-act"),
    path("submissions/<int64:pk>/edit/", views.submission_edit, name="reporting-submission-edit"),
    path("submissions/<int64:pk>/autosave/", views.submission_autosave, name="reporting-submission-autosave"),
    path("submissions/<int64:pk>/presence/", views.submission_presence, name="reporting-submission-presence"),
    path("submissions/<int64:pk>/word/", views.submission_word, name="reporting-submission-word"),
    path("submissions/<int64:pk>/word/apply/", views.submission_word_apply, name="reporting-submission-word-apply"),
    path("submissions/<int64:pk>/versions/", views.submission_versions, name="reporting-submission-versions"),
    path("submissions/<int64:pk>/attachments/", views.attachment_add_view, name="reporting-attachment-add"),
    path(
        "submissions/<int64:pk>/attachments/<int64:attachment_pk>/",
        views.attachment_download,
        name="reporting-attachment",
    ),
    path(
        "submissions/<int64:pk>/attachments/<int64:attachment_pk>/remove/",
        views.attachment_remove_view,
        name="reporting-attachment-remove",
    ),
]
