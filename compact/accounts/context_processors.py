"""What every page's navigation needs from the accounts app: the unread notifications count."""

from __future__ import annotations

import functools
from typing import Any

from django.http import HttpRequest

from compact.core.notifications import unread_count


def notifications(request: HttpRequest) -> dict[str, Any]:
    """The signed-in person's unread count, worked out only on a page that shows it (the
    template calls it) and at most once per request."""
    user = request.user

    @functools.cache
    def count() -> int:
        return unread_count(user) if user.is_authenticated else 0

    return {"user_unread_notifications": count}
