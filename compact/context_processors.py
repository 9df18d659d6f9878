from typing import Any

from django.http import HttpRequest

from compact.permissions import is_oct
from compact.roles import user_roles


def roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles, for navigation."""
    from compact.permissions_review import can_read_reviews
    from reporting.committee.permissions import can_read_meetings

    user = request.user
    return {
        "user_roles": user_roles(user),
        "user_is_oct": is_oct(user),
        "user_reads_meetings": can_read_meetings(user),
        "user_reads_reviews": can_read_reviews(user),
    }
