"""Forms of signing in: password reset through the outbox, password change, lifting a lockout,
and a person's own settings: language, time zone, how each kind of e-mail reaches them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth.forms import PasswordChangeForm, PasswordResetForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from compact.accounts.services import password_reset_request
from compact.core.categories import Delivery, EmailCategory, choosable_categories, delivery_of, is_required
from compact.core.categories import required_reason as category_required_reason
from compact.core.timezones import time_zone_names
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


class TimeZoneForm(forms.Form):
    """A person's time zone, by its IANA name ("Europe/Vienna"); empty for the site's."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        required=False,
        help_text=_("Every date and time on the pages is shown in this time zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [
            ("", _("The site's time zone (%(zone)s)") % {"zone": settings.TIME_ZONE}),
            *((name, name) for name in sorted(time_zone_names())),
        ]


class NotificationSettingsForm(forms.Form):
    """How each kind of e-mail reaches a person: one choice of ``Delivery`` per category they
    may choose for (``category-<value>``). The required categories have no field: the page
    shows them fixed, with the reason."""

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = user.notification_settings or {}
        for category in choosable_categories():
            if is_required(category):
                continue
            self.fields[self.field_name(category)] = forms.ChoiceField(
                label=category.label,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                initial=delivery_of(saved, category),
            )

    @staticmethod
    def delivery_choices() -> list[tuple[str, str]]:
        """The table's columns, in the radios' order."""
        return list(Delivery.choices)

    @staticmethod
    def field_name(category: str) -> str:
        return f"category-{category}"

    def rows(self) -> list[dict[str, Any]]:
        """One row per category for the settings table: its label and either its field or,
        for a required one, the reason it is fixed."""
        return [
            {
                "category": category,
                "label": category.label,
                "field": None if is_required(category) else self[self.field_name(category)],
                "reason": category_required_reason(category),
            }
            for category in choosable_categories()
        ]

    def choices(self) -> dict[str, str]:
        """The chosen delivery of each category, for ``user_notification_settings_set``."""
        return {
            category.value: self.cleaned_data[self.field_name(category)]
            for category in EmailCategory
            if self.field_name(category) in self.fields
        }
