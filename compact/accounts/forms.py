"""Forms of signing in: password reset through the outbox, password change, lifting a lockout,
and the language a person reads the site in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from compact.accounts.services import password_reset_request
from compact.lib.languages import language_name


class PasswordResetThroughOutboxForm(PasswordResetForm):
    """Django's password-reset form, but saving only records the address: the worker finds the
    account, if any, and sends the link through the outbox (``password_reset_request``), so the
    answer takes the same time whether or not an account has the address."""

    def save(self, **_ignored: Any) -> None:
        password_reset_request(email=self.cleaned_data["email"])


class PasswordChangeCountedForm(PasswordChangeForm):
    """Django's password change, with the current password checked through ``authenticate``:
    django-axes counts a wrong one as a failed sign-in and locks out as it would there."""

    def __init__(self, user: Any, *args: Any, request: HttpRequest, **kwargs: Any) -> None:
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self) -> str:
        old_password = self.cleaned_data["old_password"]
        if authenticate(self.request, username=self.user.get_username(), password=old_password) is None:
            raise forms.ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


class LockoutClearForm(forms.Form):
    """Which lockout OCT lifts: the account name as counted and the address (either may be empty)."""

    username = forms.CharField(required=False, max_length=150)
    ip_address = forms.GenericIPAddressField(required=False)


class LanguagePreferenceForm(forms.Form):
    """A person's language: each named in itself, so that whoever cannot read the page they are
    on still finds their own."""

    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        help_text=_(
            "Pages after you sign in, the e-mails and digests sent to you and the text of your "
            "deadlines calendar use this language."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            ("", _("The language of my browser")),
            *((code, language_name(code)) for code, _name in settings.LANGUAGES),
        ]
