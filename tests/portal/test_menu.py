"""The main menu (portal/menu.py, drawn by templates/base.html): a short top level for every
role, every page still reachable inside a section, the current page and its section marked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from portal.menu import MenuItem, MenuSection, main_menu

pytestmark = pytest.mark.django_db

ROLES = ["oct_officer", "usg", "committee_member", "chair", "focal_point", "outsider"]
# What each role could open from the menu before it was grouped (the old flat list).
PAGES_OF_EVERYONE = ["entity-list", "project-list", "workinggroup-list", "reporting-home", "committee", "api-docs"]
PAGES_OF_OCT = [
    "reporting-calendar",
    "committee-meetings",
    "programme-list",
    "review-list",
    "outreach-briefing-list",
    "signon-review-list",
    "audit-log",
    "system-status",
]


def links(entries) -> list[str]:
    found = []
    for entry in entries:
        found.extend(item.url for item in entry.items) if isinstance(entry, MenuSection) else found.append(entry.url)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_role_sees_more_than_seven_top_level_entries(role, request):
    user = request.getfixturevalue(role)
    entries = main_menu(user, "home")
    # "Home" is drawn before these by base.html.
    assert 1 + len(entries) <= 7


def test_oct_reaches_every_page_it_reached_before_inside_sections(oct_officer):
    entries = main_menu(oct_officer, "home")
    assert set(links(entries)) >= {reverse(name) for name in PAGES_OF_EVERYONE + PAGES_OF_OCT}
    assert [entry.key for entry in entries if isinstance(entry, MenuSection)] == [
        "registry",
        "reporting",
        "committee",
        "secretariat",
    ]


def test_a_chair_gets_no_secretariat_and_the_reporting_dashboard(chair):
    entries = main_menu(chair, "home")
    assert set(links(entries)) >= {reverse(name) for name in PAGES_OF_EVERYONE}
    assert not {reverse(name) for name in ("audit-log", "signon-review-list", "system-status")} & set(links(entries))
    reporting = next(entry for entry in entries if getattr(entry, "key", "") == "reporting")
    assert [item.url for item in reporting.items] == [reverse("reporting-home"), reverse("reporting-dashboard")]


def test_a_section_of_one_becomes_a_link(focal_point):
    entries = main_menu(focal_point, "home")
    assert reverse("reporting-dashboard") not in links(entries)
    reports = next(entry for entry in entries if getattr(entry, "url", "") == reverse("reporting-home"))
    assert isinstance(reports, MenuItem)


def test_the_dashboard_is_marked_current_alone(committee_member):
    reporting = next(
        e for e in main_menu(committee_member, "reporting-dashboard") if getattr(e, "key", "") == "reporting"
    )
    assert [item.current for item in reporting.items] == [False, True]


def test_the_staff_admin_link_sits_under_tools(oct_officer):
    oct_officer.is_staff = True
    tools = next(entry for entry in main_menu(oct_officer, "home") if getattr(entry, "key", "") == "tools")
    assert [item.url for item in tools.items] == [reverse("admin:index"), reverse("api-docs")]


@pytest.mark.parametrize(
    ("url_name", "section", "link"),
    [
        ("reporting-submission", "reporting", "reporting-home"),
        ("reporting-extensions", "reporting", "reporting-calendar"),
        ("workplan-detail", "registry", "workinggroup-list"),
        ("monitoring-home", "committee", "programme-list"),
        ("committee-minutes", "committee", "committee-meetings"),
        ("signon-review-detail", "secretariat", "signon-review-list"),
    ],
)
def test_the_current_page_marks_its_link_and_its_section(oct_officer, url_name, section, link):
    entries = main_menu(oct_officer, url_name)
    current_sections = [entry.key for entry in entries if isinstance(entry, MenuSection) and entry.current]
    assert current_sections == [section]
    current_links = [url for entry in entries for url in links([entry]) if _is_current(entry, url)]
    assert current_links == [reverse(link)]


def test_the_deadlines_feed_is_not_taken_for_a_report_page(oct_officer):
    assert not any(getattr(entry, "current", False) for entry in main_menu(oct_officer, "reporting-feed-settings"))


def _is_current(entry, url) -> bool:
    items = entry.items if isinstance(entry, MenuSection) else (entry,)
    return any(item.url == url and item.current for item in items)


def test_the_page_draws_sections_as_details_with_the_current_one_marked(client_for, oct_officer):
    html = client_for(oct_officer).get(reverse("audit-log")).content.decode()
    nav = html[html.index('id="site-menu"') : html.index('class="account"')]
    assert len(re.findall(r"<details class=\"nav-disclosure\">", nav)) == 4
    top_level = re.findall(r"^        <li[ >]", nav, flags=re.MULTILINE)
    assert len(top_level) <= 7
    secretariat = nav[nav.index('id="nav-section-secretariat"') - 120 :]
    assert '<summary aria-current="true">' in secretariat[:200]
    assert f'<a href="{reverse("audit-log")}" aria-current="page">' in nav
    assert nav.count('aria-current="page"') == 1
    # The task count next to Home stays where it was.
    assert re.search(r'<a href="/"[^>]*>[^<]*(<span class="nav-count")?', nav)


def test_every_link_of_the_menu_opens_for_its_role(client_for, request):
    for role in ROLES:
        user = request.getfixturevalue(role)
        client = client_for(user)
        for url in links(main_menu(user, "home")):
            if url.startswith("/admin"):
                continue
            assert client.get(url).status_code == 200, (role, url)
