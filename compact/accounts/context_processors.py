"""What every page's navigation needs from the accounts app: the unread notifications count,
and how people sign in here (passwords, the organisation's account)."""

from __future__ import annotations

import functools
from typing import Any

from django.conf import settings
from django.http import HttpRequest

from compact.accounts.oidc import local_passwords_allowed, sso_enabled
from compact.core.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's unread count, worked out only on a page that shows it (the
    template calls it) and at most once per request."""
    user = request.user

    @functools.cache
    def count() -> int:
        return unread_count(user) if user.is_authenticated else 0

    return {"user_unread_notifications": count}


def sign_in(request: HttpRequest) -> dict[str, Any]:
    """Whether this deployment takes passwords and offers its organisation's account."""
    return {
        "local_passwords": local_passwords_allowed(),
        "single_sign_on": sso_enabled(),
        "sso_name": settings.OIDC_PROVIDER_NAME,
    }
