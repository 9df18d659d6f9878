"""The main menu, grouped into a few sections so that no role faces more than about seven
top-level entries (OCT, who reaches the most pages, used to see eighteen links in three rows).

The menu is data rather than template logic so that one test can walk it for every role: the
top level stays short, every page a role could reach before is still one section away, and the
section holding the current page is marked. base.html draws it; static/js/menu.js turns each
section's <details> into a disclosure button (without JavaScript the <details> still opens).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from compact.core.permissions import is_oct
from compact.outreach.permissions import can_manage_briefings
from reporting.committee.permissions import can_read_meetings
from reporting.consultation.permissions import can_list_consultations
from reporting.dashboard.permissions import can_read_dashboard
from reporting.resources.permissions import can_read_resources
from reporting.review.permissions import can_read_reviews

# Which URL names belong to a menu entry: the pages one reaches from it, not only its own.
Matcher = Callable[[str], bool]

CALENDAR_PAGES = ("reporting-calendar", "reporting-scheduler-log", "reporting-extensions", "reporting-extension-act")
DASHBOARD_PAGES = ("reporting-dashboard",)


def _named(*names: str) -> Matcher:
    return lambda url_name: url_name in names


def _prefixed(*prefixes: str) -> Matcher:
    return lambda url_name: url_name.startswith(prefixes)


def _is_report_page(url_name: str) -> bool:
    """Reporting pages other than the calendar's and the personal deadlines feed's."""

    return (
        url_name.startswith("reporting-")
        and not url_name.startswith(CALENDAR_PAGES)
        and url_name not in DASHBOARD_PAGES
        and not url_name.startswith("reporting-feed")
    )


@dataclass(frozen=True)
class MenuItem:
    label: str | Promise
    url: str
    current: bool = False


@dataclass(frozen=True)
class MenuSection:
    """A heading that opens a list of links (a disclosure menu)."""

    key: str
    label: str | Promise
    items: tuple[MenuItem, ...]

    @property
    def current(self) -> bool:
        return any(item.current for item in self.items)


MenuEntry = MenuItem | MenuSection


def _item(label: str | Promise, url_name: str, matches: Matcher, current_name: str) -> MenuItem:
    return MenuItem(label=label, url=reverse(url_name), current=matches(current_name))


def _registry(current: str) -> list[MenuItem]:
    return [
        _item(_("Entities"), "entity-list", _prefixed("entity-"), current),
        _item(_("Projects"), "project-list", _prefixed("project-", "matrix-"), current),
        _item(
            _("Working groups"),
            "workinggroup-list",
            _prefixed("workinggroup-", "workplan-", "reorganisation-"),
            current,
        ),
        _item(_("Trust Fund"), "trust-fund", _prefixed("trust-fund"), current),
        _item(_("Country visits"), "visit-list", _prefixed("visit-"), current),
    ]


def _reporting(user: AbstractBaseUser | AnonymousUser, current: str) -> list[MenuItem]:
    items = [_item(_("Reports"), "reporting-home", _is_report_page, current)]
    if can_read_dashboard(user):
        items.append(_item(_("Reporting dashboard"), "reporting-dashboard", _named(*DASHBOARD_PAGES), current))
    if is_oct(user):
        items.append(_item(_("Calendar"), "reporting-calendar", _prefixed(*CALENDAR_PAGES), current))
    return items


def _committee(user: AbstractBaseUser | AnonymousUser, current: str) -> list[MenuItem]:
    items = [_item(_("Coordination Committee"), "committee", _named("committee"), current)]
    if can_read_meetings(user):
        items.append(_item(_("Meetings"), "committee-meetings", _prefixed("committee-"), current))
        items.append(_item(_("Programme of work"), "programme-list", _prefixed("programme-", "monitoring-"), current))
    if can_read_reviews(user):
        items.append(_item(_("Biennial review"), "review-list", _prefixed("review-"), current))
    if can_list_consultations(user):
        items.append(_item(_("Consultations"), "consultation-list", _prefixed("consultation-"), current))
    if can_read_resources(user):
        items.append(_item(_("Resource mobilisation"), "resources", _prefixed("resources"), current))
    if can_manage_briefings(user) and not is_oct(user):  # the USG's (OCT's are under the secretariat)
        items.append(_item(_("Briefings to Member States"), "outreach-briefing-list", _prefixed("outreach-"), current))
    return items


def _secretariat(user: AbstractBaseUser | AnonymousUser, current: str) -> list[MenuItem]:
    if not is_oct(user):
        return []
    return [
        _item(_("Member States"), "outreach-briefing-list", _prefixed("outreach-"), current),
        _item(_("Sign-on requests"), "signon-review-list", _prefixed("signon-review"), current),
        _item(_("Audit log"), "audit-log", _named("audit-log"), current),
        _item(_("System"), "system-status", _named("system-status", "lockout-clear"), current),
    ]


def _tools(user: AbstractBaseUser | AnonymousUser, current: str) -> list[MenuItem]:
    items = []
    if user.is_staff:
        items.append(MenuItem(label=_("Admin"), url=reverse("admin:index")))
    items.append(_item(_("API"), "api-docs", _named("api-docs", "api-redoc"), current))
    return items


def _entry(key: str, label: str | Promise, items: list[MenuItem]) -> MenuEntry | None:
    """A section, or its only link on its own (a heading over one link is a click for nothing)."""

    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return MenuSection(key=key, label=label, items=tuple(items))


def main_menu(user: AbstractBaseUser | AnonymousUser, current_url_name: str) -> list[MenuEntry]:
    """The menu after "Home" for a signed-in user: sections by area of work, each only with
    the pages this user may open. ``current_url_name`` marks the page being shown."""

    current = current_url_name or ""
    entries = [
        _entry("registry", pgettext_lazy("menu section", "Registry"), _registry(current)),
        _entry("reporting", pgettext_lazy("menu section", "Reporting"), _reporting(user, current)),
        _entry("committee", pgettext_lazy("menu section", "Committee"), _committee(user, current)),
        _entry("secretariat", pgettext_lazy("menu section", "Secretariat"), _secretariat(user, current)),
        _entry("tools", pgettext_lazy("menu section", "Tools"), _tools(user, current)),
    ]
    return [entry for entry in entries if entry is not None]
