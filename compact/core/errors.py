"""Error pages that say what went wrong: a request too large to read is a 413 with the limits."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

TOO_BIG = (RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent)


def request_too_big(request: HttpRequest) -> HttpResponse:
    """413 with what the limits are, as a page or, for the API, as JSON."""
    message = _(
        "What you sent is too large to read: at most %(megabytes)s MB of text (attached files apart) "
        "in at most %(fields)s fields. Shorten the longest text and send it again."
    ) % {
        "megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
        "fields": settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
    }
    if request.path.startswith("/api/") or request.content_type == "application/json":
        return JsonResponse({"detail": message}, status=413)
    return render(request, "413.html", {"message": message}, status=413)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    """The 400 handler: a body over Django's limits (``RequestDataTooBig`` and its kin) is a
    413 with an explanation rather than a bare "Bad Request"."""
    if isinstance(exception, TOO_BIG):
        return request_too_big(request)
    return defaults.bad_request(request, exception)
