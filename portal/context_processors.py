import functools
from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from compact.core.permissions import is_oct
from compact.core.roles import user_roles
from portal.inbox import tasks_for
from reporting.committee.permissions import can_read_meetings
from reporting.review.permissions import can_read_reviews


def roles(request: HttpRequest) -> dict[str, Any]:
    """The signed-in user's roles, for navigation."""

    user = request.user
    return {
        # Counted only on a page that shows it (templates call it), once per request.
        "user_task_count": functools.cache(lambda: len(tasks_for(user, today=timezone.localdate()))),
        "user_roles": user_roles(user),
        "user_is_oct": is_oct(user),
        "user_reads_meetings": can_read_meetings(user),
        "user_reads_reviews": can_read_reviews(user),
    }
