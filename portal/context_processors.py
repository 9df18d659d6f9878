from typing import Any

from django.http import HttpRequest

from compact.core.permissions import is_oct
from compact.core.roles import user_roles
from reporting.committee.permissions import can_read_meetings
from reporting.review.permissions import can_read_reviews


def roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles, for navigation."""

    user = request.user
    return {
        "user_roles": user_roles(user),
        "user_is_oct": is_oct(user),
        "user_reads_meetings": can_read_meetings(user),
        "user_reads_reviews": can_read_reviews(user),
    }
