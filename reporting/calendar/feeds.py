"""Private calendar feeds: the settings page (address, how to subscribe, replace it) and the
.ics feed itself, which calendar clients fetch without signing in.

The token in the address is the only credential, so a missing token, a replaced one and the
token of a deactivated user all give the same 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from compact.lib.emails import absolute_url
from compact.lib.languages import supported_language
from reporting.calendar.deadlines import deadlines_for, meetings_in_feed
from reporting.calendar.models import CalendarFeed
from reporting.calendar.services import calendar_feed_for, calendar_feed_mark_read, calendar_feed_reset
from reporting.lib.ical import calendar_ics


def _feed_urls(feed: CalendarFeed) -> dict[str, str]:
    https = absolute_url(reverse("reporting-feed", args=[feed.token]))
    # Apple Calendar (and Outlook on the desktop) subscribe when a webcal:// link is opened.
    return {"https_url": https, "webcal_url": "webcal://" + https.split("://", 1)[1]}


@login_required
@require_http_methods(["GET", "POST"])
def feed_settings(request: HttpRequest) -> HttpResponse:
    """The user's private feed address, how to subscribe, and a button to replace it."""
    if request.method == "POST":
        calendar_feed_reset(user=request.user)
        messages.success(
            request,
            _(
                "Your calendar address was replaced: the old one no longer works. "
                "Subscribe again with the new address below."
            ),
        )
        return redirect("reporting-feed-settings")
    feed = calendar_feed_for(user=request.user)
    context = {
        "feed": feed,
        **_feed_urls(feed),
        "deadlines": deadlines_for(request.user, today=timezone.localdate()),
    }
    return render(request, "reporting/feed.html", context)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The .ics file of the token's owner. No session: calendar clients cannot sign in."""
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    if feed is None or not feed.user.is_active:
        raise Http404("No such calendar.")
    now = timezone.now()
    calendar_feed_mark_read(feed=feed, now=now)
    user = feed.user
    # Fetched without a session: in the owner's language, whatever the calendar client asks for.
    language = supported_language(user.language) or settings.LANGUAGE_CODE
    with translation.override(language):
        name = _("Compact Tracker — %(name)s") % {"name": user.get_full_name() or user.get_username()}
        today = timezone.localdate(now)
        body = calendar_ics(
            deadlines_for(user, today=today), name=name, stamp=now, timed=meetings_in_feed(user, today=today)
        )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Language"] = language
    response["Content-Disposition"] = 'inline; filename="compact-tracker.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex"
    return response
