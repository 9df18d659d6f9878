"""The menu's count of what waits on a person is cheap on every page: worked out on the home page
(or when none is remembered) and remembered for the next pages for a short while; a change the
person makes counts afresh at once."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.inbox import TASK_COUNT_SECONDS
from tests.helpers import html_tree
from workinggroups.services import role_end

pytestmark = pytest.mark.django_db

# Tables only the task inbox reads on the notifications page.
INBOX_TABLES = ("reporting_extensionrequest", "reporting_actionpoint", "reporting_meeting")


@pytest.fixture(autouse=True)
def _early_july(time_machine):
    """1 July 2026: the mid-year report (due 15 July) is being written."""
    time_machine.move_to("2026-07-01 14:00Z", tick=False)


def menu_count(response) -> str | None:
    counts = [
        span.text
        for link in html_tree(response).find_all("a", href="/")
        for span in link.find_all("span", class_="nav-count")
    ]
    assert len(counts) <= 1, counts
    return counts[0] if counts else None


def inbox_reads(client, path: str) -> tuple[str | None, list[str]]:
    """The menu's count on ``path`` and the task inbox's queries it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    return menu_count(response), [q["sql"] for q in queries if any(t in q["sql"] for t in INBOX_TABLES)]


def test_the_next_pages_show_the_count_without_working_the_tasks_out_again(client_for, report_period, chair):
    client = client_for(chair)
    count, reads = inbox_reads(client, "/notifications/")  # nothing remembered yet: worked out
    assert count == "1" and reads
    count, reads = inbox_reads(client, "/notifications/")
    assert count == "1" and reads == []
    count, reads = inbox_reads(client, "/reporting/")
    assert count == "1" and reads == []


def test_the_home_page_always_works_the_tasks_out_and_the_menu_follows(
    client_for, report_period, chair, roster, time_machine
):
    client = client_for(chair)
    assert inbox_reads(client, "/notifications/")[0] == "1"
    role_end(assignment=roster.chair_role, ends_on=datetime.date(2026, 6, 30), actor=None)  # someone else's change
    assert inbox_reads(client, "/notifications/")[0] == "1"  # remembered, for a short while
    count, reads = inbox_reads(client, "/")
    assert count is None and reads
    assert inbox_reads(client, "/notifications/") == (None, [])


def test_a_remembered_count_lasts_a_minute_at_most(client_for, report_period, chair, roster, time_machine, settings):
    # A cache on the travelling clock (Redis expires keys on its own clock).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    client = client_for(chair)
    assert inbox_reads(client, "/notifications/")[0] == "1"
    role_end(assignment=roster.chair_role, ends_on=datetime.date(2026, 6, 30), actor=None)
    time_machine.shift(datetime.timedelta(seconds=TASK_COUNT_SECONDS + 1))
    count, reads = inbox_reads(client, "/notifications/")
    assert count is None and reads


def test_a_change_of_ones_own_is_counted_on_the_next_page(client_for, report_period, chair, roster):
    client = client_for(chair)
    assert inbox_reads(client, "/notifications/")[0] == "1"
    role_end(assignment=roster.chair_role, ends_on=datetime.date(2026, 6, 30), actor=None)
    assert client.post("/notifications/read-all/").status_code == 302  # any change of theirs
    count, reads = inbox_reads(client, "/notifications/")
    assert count is None and reads


def test_a_refused_change_keeps_the_remembered_count(client_for, report_period, chair, roster):
    """A refusal changed nothing: the menu keeps what it remembered (the cache is not asked to
    forget it), unlike after a change that went through (the test above)."""
    client = client_for(chair)
    assert inbox_reads(client, "/notifications/")[0] == "1"
    role_end(assignment=roster.chair_role, ends_on=datetime.date(2026, 6, 30), actor=None)  # someone else's change
    refused = client.post("/api/v1/working-groups/", {}, content_type="application/json")
    assert refused.status_code in (403, 405)
    assert client.post(f"/reporting/submissions/{10**6}/act/", {"action": "submit"}).status_code == 404
    assert inbox_reads(client, "/notifications/") == ("1", [])


def test_counts_are_kept_per_person(client_for, report_period, chair, oct_officer):
    assert inbox_reads(client_for(chair), "/notifications/")[0] == "1"
    count, reads = inbox_reads(client_for(oct_officer), "/notifications/")
    assert count is None and reads  # OCT's own tasks (none here), not the chair's count


def test_a_visitors_request_leaves_the_counts_alone(client, client_for, report_period, chair):
    chair_client = client_for(chair)
    assert inbox_reads(chair_client, "/notifications/")[0] == "1"
    client.post("/accounts/login/", {"username": chair.username, "password": "wrong"})
    assert inbox_reads(chair_client, "/notifications/") == ("1", [])


def test_a_page_not_found_does_not_count_the_tasks(client_for, report_period, chair):
    """A made-up address is the cheapest request anyone can make: its page keeps the menu but
    reads none of the inbox's tables (the count would cost more than the rest of the page)."""
    client = client_for(chair)
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/reporting/no-such-page/")
    assert response.status_code == 404
    assert html_tree(response).find("nav", id="site-menu") is not None
    assert menu_count(response) is None
    assert [q["sql"] for q in queries if any(t in q["sql"] for t in INBOX_TABLES)] == []
    assert inbox_reads(client, "/notifications/")[0] == "1"  # the next page counts as before
