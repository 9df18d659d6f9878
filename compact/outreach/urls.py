"""The USG's briefings to Member States (OCT) and the public page."""

from django.urls import path

from compact.outreach import views

urlpatterns = [
    # The USG's briefings to Member States (OCT) and the public page (no login).
    path("outreach/briefings/", views.briefing_list, name="outreach-briefing-list"),
    path("outreach/briefings/new/", views.briefing_new, name="outreach-briefing-new"),
    path("outreach/briefings/cadence/", views.briefing_cadence_edit, name="outreach-briefing-cadence"),
    path("outreach/briefings/<int64:pk>/", views.briefing_detail, name="outreach-briefing-detail"),
    path("outreach/briefings/<int64:pk>/edit/", views.briefing_edit, name="outreach-briefing-edit"),
    path("outreach/briefings/<int64:pk>/draft-summary/", views.briefing_summary_draft, name="outreach-briefing-draft"),
    path("outreach/briefings/<int64:pk>/act/", views.briefing_act_view, name="outreach-briefing-act"),
    path("public/", views.public_page, name="public-compact"),
]
