"""A person's own notifications: the list (newest first, unread marked in words), opening one
(marks it read, then goes to its page on this site), and marking all read."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from compact.core.categories import EmailCategory
from compact.core.models import Notification
from compact.core.notifications import (
    notification_get_for_user_or_404,
    notification_mark_read,
    notification_readable,
    notifications_mark_all_read,
    notifications_of,
)
from compact.core.outbox import is_site_path

NOTIFICATIONS_PER_PAGE = 25
SHOW_CHOICES = ("all", "unread")


def _show(request: HttpRequest) -> str:
    show = request.GET.get("show", "all")
    return show if show in SHOW_CHOICES else "all"


def notification_row(notification: Notification, user: Any) -> dict[str, Any]:
    """What the list shows of one notification: the title only within the reader's clearance."""
    readable = notification_readable(notification, user)
    return {
        "notification": notification,
        "readable": readable,
        "title": notification.title if readable else "",
        "category": dict(EmailCategory.choices).get(notification.category, ""),
        "has_link": readable and bool(notification.link),
    }


@login_required
@require_GET
def notification_list_view(request: HttpRequest) -> HttpResponse:
    """The person's notifications, newest first; ``?show=unread`` for the unread ones only."""
    show = _show(request)
    notifications = notifications_of(request.user)
    if show == "unread":
        notifications = notifications.filter(read_at__isnull=True)
    page = Paginator(notifications, NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [notification_row(n, request.user) for n in page.object_list]
    return render(request, "compact/notifications.html", {"page": page, "rows": rows, "show": show})


@login_required
@require_POST
def notification_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of the person's own notifications read and go to the page it is about (only
    ever a path on this site); without one, or above their clearance, back to the list."""
    notification = notification_get_for_user_or_404(request.user, pk)
    notification_mark_read(notification=notification, user=request.user)
    link = notification.link
    if notification_readable(notification, request.user) and link and is_site_path(link):
        return redirect(link)
    return redirect(_list_url(request))


@login_required
@require_POST
def notifications_read_all_view(request: HttpRequest) -> HttpResponse:
    """Mark every one of the person's notifications read."""
    count = notifications_mark_all_read(user=request.user)
    if count:
        messages.success(
            request,
            ngettext("%(count)d notification marked as read.", "%(count)d notifications marked as read.", count)
            % {"count": count},
        )
    else:
        messages.info(request, _("Nothing was unread."))
    return redirect(_list_url(request))


def _list_url(request: HttpRequest) -> str:
    # Back to the same filter; the value is one of ours, never the request's own text.
    show = request.POST.get("show")
    return reverse("notifications") + ("?show=unread" if show == "unread" else "")
