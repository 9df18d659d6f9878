"""The public sign-on form, the applicant's private pages and OCT's review of requests."""

from django.urls import path

from compact.signon import views

urlpatterns = [
    # The public front door (no login) and the applicant's private pages.
    path("sign-on/", views.signon_form, name="signon-form"),
    path("sign-on/confirm/<str:token>/", views.signon_confirm, name="signon-confirm"),
    path("sign-on/requests/<str:access_key>/", views.signon_status, name="signon-status"),
    path("sign-on/requests/<str:access_key>/edit/", views.signon_edit, name="signon-edit"),
    path("sign-on/requests/<str:access_key>/withdraw/", views.signon_withdraw_view, name="signon-withdraw"),
    path("sign-on/requests/<str:access_key>/letter/", views.signon_letter, name="signon-letter"),
    # OCT's review.
    path("sign-on/review/", views.signon_review_list, name="signon-review-list"),
    path("sign-on/review/<int64:pk>/", views.signon_review_detail, name="signon-review-detail"),
    path("sign-on/review/<int64:pk>/act/", views.signon_review_act, name="signon-review-act"),
    path("sign-on/review/<int64:pk>/assign/", views.signon_review_assign, name="signon-review-assign"),
    path("sign-on/review/<int64:pk>/resend-invitation/", views.signon_review_resend, name="signon-review-resend"),
    path("sign-on/review/<int64:pk>/letter/", views.signon_review_letter, name="signon-review-letter"),
]
