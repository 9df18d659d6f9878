"""Request hooks of the portal (the home page and the menu)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

from portal.inbox import task_count_forget

logger = logging.getLogger(__name__)
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class TaskCountMiddleware:
    """After a signed-in person's change (any request that is not a read), their menu counts
    their tasks afresh on the next page instead of showing the number remembered before it
    (portal.inbox.task_count_of_request): submitting a draft takes it off the count at once.

    A request refused with a 4xx changed nothing (every refusal leaves the database as it was:
    tests/security/test_access_matrix.py), so it keeps the count: an API client sending invalid
    bodies costs no cache round trip each."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        changed = request.method not in SAFE_METHODS and response.status_code < HTTPStatus.BAD_REQUEST
        if changed and user is not None and user.is_authenticated:
            try:
                task_count_forget(user)
            except Exception:  # a cache that is down: the count is at most TASK_COUNT_SECONDS old
                logger.warning("The menu's task count of user %s could not be forgotten", user.pk, exc_info=True)
        return response
