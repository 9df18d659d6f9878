from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace, csp_update
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularRedocView, SpectacularSwaggerSplitView

from compact.accounts.oidc import SignInCallbackView, SignInRequestView
from compact.accounts.views import (
    PasswordChangeCountedView,
    PasswordResetThroughOutboxView,
    SignInView,
    passwords_only,
)
from compact.core.api.schema_view import SchemaView
from compact.core.csp import csp_report
from compact.core.views import healthz
from config import converters  # noqa: F401 (registers <int64:…> before the apps' routes use it)
from portal.api import TasksView

api_v1 = [
    path("", include("compact.api_urls")),
    path("", include("compact.accounts.api_urls")),
    path("", include("workinggroups.api.urls")),
    path("", include("reporting.api_urls")),
    path("", include("compact.outreach.api_urls")),
    path("", include("compact.visits.api_urls")),
    path("", include("reporting.review.api_urls")),
    path("tasks/", TasksView.as_view(), name="api-tasks"),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # Swagger UI's start-up script is served as a file (the split view); its icons are data: SVGs.
    path(
        "docs/",
        csp_update({"img-src": ["data:"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api-schema", template_name="api/swagger_ui.html")
        ),
        name="api-docs",
    ),
    # ReDoc writes its styles as <style> elements at run time and parses the schema in a blob: worker.
    # Its footer's logo from cdn.redoc.ly is refused (ReDoc then leaves it out) on every visit, so
    # this page alone sends no violation reports.
    path(
        "redoc/",
        csp_replace({"report-uri": None})(
            csp_update({"style-src": [UNSAFE_INLINE], "worker-src": [SELF, "blob:"], "img-src": ["data:"]})(
                SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html")
            )
        ),
        name="api-redoc",
    ),
]

urlpatterns = [
    path("", include("portal.urls")),
    path("", include("compact.urls")),
    path("review/", include("reporting.review.urls")),
    # A reorganisation changes the working groups, and reads and moves what reporting holds.
    path("working-groups/reorganisations/", include("reporting.reorganisation.urls")),
    path("working-groups/", include("workinggroups.urls")),
    path("reporting/", include("reporting.urls")),
    path("calendar/", include("reporting.calendar.feed_urls")),
    path("accounts/login/", SignInView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Signing in with the organisation's account (OpenID Connect), where it is configured.
    path("accounts/sso/", SignInRequestView.as_view(), name="oidc_authentication_init"),
    path("accounts/sso/callback/", SignInCallbackView.as_view(), name="oidc_authentication_callback"),
    # The current password is checked like a sign-in: wrong guesses count towards a lockout.
    path("accounts/password/", passwords_only(PasswordChangeCountedView.as_view()), name="password_change"),
    path(
        "accounts/password/done/",
        passwords_only(auth_views.PasswordChangeDoneView.as_view()),
        name="password_change_done",
    ),
    # Forgotten passwords: the request records the address, the worker sends through the outbox.
    path("accounts/password/reset/", passwords_only(PasswordResetThroughOutboxView.as_view()), name="password_reset"),
    path(
        "accounts/password/reset/sent/",
        passwords_only(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "accounts/password/set/<uidb64>/<token>/",
        passwords_only(auth_views.PasswordResetConfirmView.as_view()),
        name="password_reset_confirm",
    ),
    path(
        "accounts/password/set/done/",
        passwords_only(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
    path("healthz", healthz, name="healthz"),
    path("csp-report/", csp_report, name="csp-report"),
    # The admin's own password change would check the current password uncounted: ours counts.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
]

admin.site.site_header = "Compact Tracker"
admin.site.site_title = "Compact Tracker admin"

# A body over Django's size limits is a 413 with the limits, not a bare 400.
handler400 = "compact.core.errors.bad_request"
