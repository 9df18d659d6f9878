"""Pages that guard the front door: the lockout page, OCT lifting a lockout, password reset and
change as django-axes and the outbox need them, a person's own account page (language, time
zone, e-mail settings) and their notifications."""

from __future__ import annotations

import logging
import math
from typing import Any

from axes.helpers import get_client_username, get_cool_off
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from compact.accounts.authentication import client_address, ratelimit_usage
from compact.accounts.forms import (
    LanguagePreferenceForm,
    LockoutClearForm,
    NotificationSettingsForm,
    PasswordChangeCountedForm,
    PasswordResetThroughOutboxForm,
    TimeZoneForm,
)
from compact.accounts.oidc import local_passwords_allowed
from compact.accounts.selectors import lockout_ends_at
from compact.accounts.services import (
    lockout_clear,
    user_language_set,
    user_notification_settings_set,
    user_time_zone_set,
)
from compact.core.permissions import is_oct
from compact.lib.forms import form_add_service_errors
from compact.lib.languages import supported_language

logger = logging.getLogger(__name__)


# --- Lockouts ---------------------------------------------------------------------------------


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None = None, credentials: dict[str, Any] | None = None
) -> HttpResponse:
    """What a locked-out person sees (django-axes' ``AXES_LOCKOUT_CALLABLE``): 429, when to try
    again, and that OCT can lift the lockout sooner."""
    username = get_client_username(request, credentials)
    address = getattr(request, "axes_ip_address", None) or client_address(request)
    now = timezone.now()
    until = lockout_ends_at(username=username, ip_address=address) or now + get_cool_off(request)
    wait = max(math.ceil((until - now).total_seconds()), 1)
    context = {
        "username": username,
        "locked_until": until,
        "minutes": math.ceil(wait / 60),
        "oct_email": settings.OCT_SECRETARIAT_EMAIL,
    }
    response = render(request, "registration/lockout.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response


@login_required
@require_POST
def lockout_clear_view(request: HttpRequest) -> HttpResponse:
    """OCT lifts one lockout from the system page."""
    if not is_oct(request.user):
        raise Http404
    form = LockoutClearForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("This lockout could not be identified; reload the page."))
        return redirect("system-status")
    username, address = form.cleaned_data["username"] or None, form.cleaned_data["ip_address"] or None
    if lockout_clear(username=username, ip_address=address, actor=request.user):
        messages.success(
            request,
            _("“%(username)s” can sign in again from %(address)s.")
            % {"username": username or "—", "address": address or "—"},
        )
    else:
        messages.info(request, _("This lockout had already ended."))
    return redirect("system-status")


# --- Passwords --------------------------------------------------------------------------------


def _password_reset_rate_limited(request: HttpRequest, email: str) -> bool:
    """Count one reset for this e-mail address and one for this client address; True once
    either is over its limit. The count is the same whether or not an account has the address."""
    by_email = ratelimit_usage(
        request,
        group="password-reset-email",
        key=lambda _group, _request: email.casefold(),
        rate=settings.PASSWORD_RESET_RATE_LIMIT,
    )
    by_address = ratelimit_usage(
        request, group="password-reset-address", key="ip", rate=settings.PASSWORD_RESET_ADDRESS_RATE_LIMIT
    )
    return any(usage is not None and usage["should_limit"] for usage in (by_email, by_address))


class PasswordResetThroughOutboxView(auth_views.PasswordResetView):
    """Django's "forgot your password" page, telling nothing: whether or not an account has the
    address, the request records it (``password_reset_request``) and answers the same page; the
    worker looks the account up and sends the link through the outbox. Over the rate limit
    nothing is recorded, and the answer is the same page."""

    form_class = PasswordResetThroughOutboxForm

    def form_valid(self, form: PasswordResetThroughOutboxForm) -> HttpResponse:
        if _password_reset_rate_limited(self.request, form.cleaned_data["email"]):
            logger.info("Password reset refused by the rate limit.")
        else:
            form.save()
        return HttpResponseRedirect(self.get_success_url())


class PasswordChangeCountedView(auth_views.PasswordChangeView):
    """Django's password change, with the current password checked like a sign-in (counted and
    locked out by django-axes), so a borrowed session cannot be used to guess it."""

    form_class = PasswordChangeCountedForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}


# --- A person's own settings ------------------------------------------------------------------

ACCOUNT_SECTIONS = ("language", "time_zone", "notifications")


def _account_forms(request: HttpRequest, section: str | None) -> dict[str, forms.Form]:
    """The page's three forms; only the one that was sent (``section``) is bound."""
    user = request.user

    def data(name: str) -> Any:
        return request.POST if section == name else None

    return {
        "language": LanguagePreferenceForm(data("language"), initial={"language": user.language}),
        "time_zone": TimeZoneForm(data("time_zone"), initial={"time_zone": user.time_zone}),
        "notifications": NotificationSettingsForm(data("notifications"), user=user),
    }


@login_required
def account_view(request: HttpRequest) -> HttpResponse:
    """The signed-in person's own page: who they are to the Compact, their language, their time
    zone and how each kind of e-mail reaches them."""
    section = None
    if request.method == "POST":
        section = request.POST.get("section", "language")
        if section not in ACCOUNT_SECTIONS:
            section = "language"
    forms_ = _account_forms(request, section)
    if section is not None and forms_[section].is_valid():
        save = {"language": _language_save, "time_zone": _time_zone_save, "notifications": _notifications_save}
        response = save[section](request, forms_[section])
        if response is not None:
            return response
    return render(
        request,
        "compact/account.html",
        {
            "form": forms_["language"],
            "time_zone_form": forms_["time_zone"],
            "notifications_form": forms_["notifications"],
            "site_time_zone": settings.TIME_ZONE,
        },
    )


def _language_save(request: HttpRequest, form: LanguagePreferenceForm) -> HttpResponse | None:
    try:
        changed = user_language_set(user=request.user, language=form.cleaned_data["language"])
    except ValidationError as error:
        form_add_service_errors(form, error)
        return None
    language = supported_language(request.user.language)
    if language:
        translation.activate(language)  # the confirmation is already in the new language
    if changed:
        messages.success(request, _("Your language is saved."))
    response = redirect("account")
    _language_cookie_set(response, request.user.language)
    return response


def _time_zone_save(request: HttpRequest, form: TimeZoneForm) -> HttpResponse | None:
    try:
        changed = user_time_zone_set(user=request.user, time_zone=form.cleaned_data["time_zone"])
    except ValidationError as error:
        form_add_service_errors(form, error)
        return None
    if changed:
        messages.success(request, _("Your time zone is saved: times are now shown in it."))
    return redirect(reverse("account") + "#time-zone")


def _notifications_save(request: HttpRequest, form: NotificationSettingsForm) -> HttpResponse | None:
    try:
        changed = user_notification_settings_set(user=request.user, choices=form.choices())
    except ValidationError as error:
        form_add_service_errors(form, error)
        return None
    if changed:
        messages.success(request, _("Your e-mail settings are saved."))
    return redirect(reverse("account") + "#notifications")


@require_POST
def language_set_view(request: HttpRequest) -> HttpResponse:
    """The language menu: Django's ``set_language`` (the cookie, a safe ``next``), and for a
    signed-in person their saved language too, so e-mails and other devices follow."""
    language = supported_language(request.POST.get("language"))
    if language and request.user.is_authenticated:
        user_language_set(user=request.user, language=language)
    return set_language(request)


def _language_cookie_set(response: HttpResponse, language: str) -> None:
    # The menu's cookie too, so that the page after signing out stays in the chosen language.
    if language:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )


# --- Passwords on or off (LOCAL_PASSWORDS, compact/accounts/oidc.py) --------------------------------


class SignInView(auth_views.LoginView):
    """Django's sign-in page; where passwords are off it offers the organisation's account only,
    and a password sent anyway is refused without being checked (nor counted as a failure)."""

    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not local_passwords_allowed():
            messages.error(request, _("Passwords are not used here: sign in with your organisation's account."))
            return self.render_to_response(self.get_context_data(), status=400)
        return super().post(request, *args, **kwargs)


def passwords_only(view: Any) -> Any:
    """A password page (change, reset, set) that exists only where passwords are on."""

    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not local_passwords_allowed():
            raise Http404("Passwords are not used here.")
        return view(request, *args, **kwargs)

    return wrapped
