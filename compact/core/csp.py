"""Where browsers report what the Content-Security-Policy refused (the policy's ``report-uri``).

A report means a page broke (a script or style the tests missed) or someone tried to inject
one: either way operators should see it, so it becomes one WARNING log line. Nothing is
stored. The endpoint is public and takes no CSRF token (browsers send none), so it reads at
most ``CSP_REPORT_MAX_BYTES``, counts reports per client address and logs only short, quoted
fields: the page as its URL name (paths may hold private keys, such as an applicant's link).
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger("compact.csp")

RATE_LIMIT_GROUP = "csp-report"
FIELD_MAX_CHARS = 200


@csrf_exempt  # browsers post reports without a token; the only effect is a log line
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Log one violation report; 204 when logged, 4xx (and nothing logged) otherwise."""
    if is_ratelimited(
        request, group=RATE_LIMIT_GROUP, key="ip", rate=settings.CSP_REPORT_RATE_LIMIT, method="POST", increment=True
    ):
        return _refusal(429, _("Too many reports from this address; try again later."))
    if _declared_length(request) > settings.CSP_REPORT_MAX_BYTES:
        return _refusal(413, _("A report may be at most %(size)d bytes.") % {"size": settings.CSP_REPORT_MAX_BYTES})
    report = _parse(request.read(settings.CSP_REPORT_MAX_BYTES + 1))
    if report is None:
        return _refusal(400, _("The body is not a Content-Security-Policy report."))
    logger.warning(
        "CSP refused %r (%r) on page %r from %r at %r",
        _field(report, "effective-directive") or _field(report, "violated-directive"),
        _without_query(_field(report, "blocked-uri")),
        _page_name(_field(report, "document-uri")),
        _without_query(_field(report, "source-file")),
        _field(report, "line-number"),
    )
    return HttpResponse(status=204)


def _declared_length(request: HttpRequest) -> int:
    # A missing or unreadable length counts as too long: the body is never read unbounded.
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return settings.CSP_REPORT_MAX_BYTES + 1


def _parse(body: bytes) -> dict[str, Any] | None:
    if len(body) > settings.CSP_REPORT_MAX_BYTES:
        return None
    try:
        report = json.loads(body).get("csp-report")
    except (ValueError, AttributeError):
        return None
    return report if isinstance(report, dict) else None


def _field(report: dict[str, Any], name: str) -> str:
    return str(report.get(name) or "")[:FIELD_MAX_CHARS]


def _without_query(uri: str) -> str:
    # Query strings and fragments may carry tokens; "inline" and "eval" pass unchanged.
    return uri.split("?", 1)[0].split("#", 1)[0]


def _page_name(document_uri: str) -> str:
    try:
        return resolve(urlsplit(document_uri).path).view_name
    except (Resolver404, ValueError):
        return "?"


def _refusal(status: int, message: str) -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
