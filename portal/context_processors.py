from typing import Any

from django.http import HttpRequest

from compact.core.permissions import is_oct
from compact.core.roles import user_roles
from portal.inbox import task_count_of_request
from portal.menu import main_menu
from reporting.committee.permissions import can_read_meetings
from reporting.review.permissions import can_read_reviews


def roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles, for navigation."""

    user = request.user
    resolver_match = getattr(request, "resolver_match", None)
    url_name = resolver_match.url_name if resolver_match else ""
    return {
        # Built only on a page that draws the menu (a signed-in user's), once per render.
        "main_menu": lambda: main_menu(user, url_name or ""),
        # Counted only on a page that shows it (templates call it), at most once per request, and
        # remembered for the next pages for a short while (portal.inbox.task_count_of_request).
        "user_task_count": lambda: task_count_of_request(request),
        "user_roles": user_roles(user),
        "user_is_oct": is_oct(user),
        "user_reads_meetings": can_read_meetings(user),
        "user_reads_reviews": can_read_reviews(user),
    }
