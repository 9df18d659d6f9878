"""Middleware of the compact app."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation

from compact.core.errors import request_too_big
from compact.core.timezones import zone_of
from compact.lib.languages import supported_language


class RequestSizeLimitMiddleware:
    """Answer 413, with the limits, to a body declared larger than ``DATA_UPLOAD_MAX_MEMORY_SIZE``
    before anything reads it.

    Django enforces that limit on form bodies itself (``RequestDataTooBig``, made a 413 by the
    400 handler, ``compact.core.errors.bad_request``), but DRF's parsers read JSON straight
    from the stream, unbounded. Multipart bodies are left to Django, whose limit counts their
    text fields and not their files (a letter is checked by its own limit)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if self._declared_too_big(request):
            return request_too_big(request)
        return self.get_response(request)

    @staticmethod
    def _declared_too_big(request: HttpRequest) -> bool:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        if limit is None or request.content_type == "multipart/form-data":
            return False
        try:
            return int(request.META.get("CONTENT_LENGTH") or 0) > limit
        except ValueError:
            return False


class UserLanguageMiddleware:
    """A signed-in person reads every page in the language they chose, on any browser; until
    they choose one (and for visitors) ``LocaleMiddleware`` has picked the menu's cookie or the
    browser's ``Accept-Language``. Placed after ``AuthenticationMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        language = supported_language(user.language) if user is not None and user.is_authenticated else None
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class UserTimeZoneMiddleware:
    """A signed-in person reads every time on the pages in their own time zone (their account's,
    else the site's ``TIME_ZONE``); visitors read the site's. Placed after
    ``AuthenticationMiddleware``, next to ``UserLanguageMiddleware``."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            timezone.activate(zone_of(user))
        else:
            timezone.deactivate()
        return self.get_response(request)
