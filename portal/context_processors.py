from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from compact.core.permissions import is_oct
from portal.inbox import task_count_of_request
from portal.menu import main_menu
from reporting.committee.permissions import can_read_meetings


def roles(request: HttpRequest) -> dict[str, Any]:
    """What the page's navigation needs to know of the signed-in user.

    Each value is worked out only if the page's templates read it, and once per render: most
    pages read none of the two rights below, and a page a signed-in reader is refused (a 404
    drawn with the menu) reads neither. Computed eagerly, they cost a query or two on every
    render (issue 19)."""

    user = request.user
    resolver_match = getattr(request, "resolver_match", None)
    url_name = resolver_match.url_name if resolver_match else ""
    return {
        # Built only on a page that draws the menu (a signed-in user's), once per render.
        "main_menu": lambda: main_menu(user, url_name or ""),
        # Counted only on a page that shows it (templates call it), at most once per request, and
        # remembered for the next pages for a short while (portal.inbox.task_count_of_request).
        "user_task_count": lambda: task_count_of_request(request),
        # Lazy objects rather than callables: a template that reads one in a loop asks once.
        "user_is_oct": SimpleLazyObject(lambda: is_oct(user)),
        "user_reads_meetings": SimpleLazyObject(lambda: can_read_meetings(user)),
    }
