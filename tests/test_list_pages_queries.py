"""Pages and API lists that list working groups or reporting periods read the database a fixed
number of times, whatever the number of groups (issue 19: the period page and the group list
grew with the groups). Each page is counted at 4 and at 40 groups, each group with a chair and a
vice-chair who lead it, members, and an input in an open and in a closed period; bench/pages.py
times the same pages at 40 and 400."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reporting.submissions.models import ReportingPeriod, Submission
from tests.list_pages import NOW, groups_add, make_periods
from workinggroups.models import RoleAssignment, WorkingGroup


@pytest.fixture
def periods(roster) -> dict[str, ReportingPeriod]:
    return make_periods()


def queries_of(client, path: str) -> int:
    client.get(path)  # the first request fills caches (the menu, translations) that later ones reuse
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured)


OCT_PAGES = [
    "/working-groups/",
    "/reporting/",
    "/reporting/periods/{open}/",
    "/reporting/periods/{closed}/",
    "/reporting/calendar/",
    "/reporting/extensions/",
    "/reporting/compiled/",
    "/",
    "/api/v1/working-groups/",
    "/api/v1/reporting-periods/",
    "/api/v1/submissions/",
]
CHAIR_PAGES = ["/working-groups/", "/reporting/", "/", "/api/v1/submissions/", "/api/v1/working-groups/"]
COMMITTEE_PAGES = ["/reporting/", "/working-groups/"]


def counts_at_4_and_40(client, periods: dict[str, ReportingPeriod], paths: list[str]) -> dict[str, tuple[int, int]]:
    paths = [path.format(open=periods["open"].pk, closed=periods["closed"].pk) for path in paths]
    groups_add(4 - WorkingGroup.objects.count(), periods)
    few = {path: queries_of(client, path) for path in paths}
    groups_add(40 - WorkingGroup.objects.count(), periods)
    assert WorkingGroup.objects.count() == 40
    return {path: (few[path], queries_of(client, path)) for path in paths}


@pytest.mark.django_db
def test_oct_pages_read_the_same_number_of_times_at_4_and_40_groups(client_for, oct_officer, periods, time_machine):
    time_machine.move_to(NOW)
    counts = counts_at_4_and_40(client_for(oct_officer), periods, OCT_PAGES)
    assert {path: few for path, (few, _many) in counts.items()} == {path: many for path, (_few, many) in counts.items()}


@pytest.mark.django_db
def test_a_chairs_pages_read_the_same_number_of_times_at_4_and_40_groups(client_for, chair, periods, time_machine):
    time_machine.move_to(NOW)
    counts = counts_at_4_and_40(client_for(chair), periods, CHAIR_PAGES)
    assert {path: few for path, (few, _many) in counts.items()} == {path: many for path, (_few, many) in counts.items()}


@pytest.mark.django_db
def test_committee_pages_read_the_same_number_of_times_at_4_and_40_groups(
    client_for, committee_member, periods, time_machine
):
    time_machine.move_to(NOW)
    counts = counts_at_4_and_40(client_for(committee_member), periods, COMMITTEE_PAGES)
    assert {path: few for path, (few, _many) in counts.items()} == {path: many for path, (_few, many) in counts.items()}


@pytest.mark.django_db
def test_the_group_list_shows_every_live_group_with_its_chairs_on_one_page(client_for, outsider, periods):
    groups_add(40 - WorkingGroup.objects.count(), periods)
    page = client_for(outsider).get("/working-groups/")
    assert page.text.count('<li class="card">') == 40
    assert 'class="pagination"' not in page.text
    first = WorkingGroup.objects.filter(number__gte=100).order_by("number").first()
    card = page.text.split(f'<span class="wg-number">{first.number}</span>')[1].split("</li>")[0]
    roles = RoleAssignment.objects.filter(working_group=first).select_related("entity", "person")
    for role in roles:
        if role.role == "member":  # members are on the group's own page
            assert f"/{role.entity.acronym}/" not in card
        else:
            assert f"/{role.entity.acronym}/" in card and role.person.get_full_name() in card


@pytest.mark.django_db
def test_an_unusually_long_group_list_is_split_into_pages_with_links_that_keep_the_query(
    client_for, outsider, periods, monkeypatch
):
    from workinggroups import views

    assert views.GROUPS_PER_PAGE == 60
    monkeypatch.setattr(views, "GROUPS_PER_PAGE", 3)
    groups_add(7 - WorkingGroup.objects.count(), periods)
    first = client_for(outsider).get("/working-groups/?on=x")
    third = client_for(outsider).get("/working-groups/?on=x&page=3")
    assert first.text.count('<li class="card">') == 3 and third.text.count('<li class="card">') == 1
    assert 'href="?on=x&amp;page=2" rel="next"' in first.text
    assert 'href="?on=x&amp;page=2" rel="prev"' in third.text


# --- Long lists, a page at a time ------------------------------------------------------------------


def _links(text: str, pattern: str) -> list[str]:
    return re.findall(pattern, text)


@pytest.mark.django_db
def test_oct_reviews_the_queue_a_page_at_a_time_oldest_first(client_for, oct_officer, periods, monkeypatch):
    from reporting.submissions.periods import views

    monkeypatch.setattr(views, "REVIEW_PAGE_SIZE", 2)
    groups_add(6, periods)
    waiting = list(
        Submission.objects.filter(status__in=Submission.AWAITING_REVIEW)
        .order_by("status_changed_at")
        .values_list("pk", flat=True)
    )
    assert len(waiting) == 5
    client = client_for(oct_officer)
    shown = []
    for number in (1, 2, 3):
        section = client.get("/reporting/", {"review_page": number}).text.split('id="review"')[1].split("</section>")[0]
        shown += [int(pk) for pk in _links(section, r'href="/reporting/submissions/(\d+)/"')]
    assert shown == waiting
    first = client.get("/reporting/").text
    assert 'href="?review_page=2#review" rel="next"' in first


@pytest.mark.django_db
def test_the_extension_queue_counts_every_request_and_shows_a_page(client_for, oct_officer, periods, monkeypatch):
    from reporting.calendar import views

    monkeypatch.setattr(views, "PENDING_PAGE_SIZE", 2)
    groups_add(9, periods)  # a draft in every third group asks for more time: three requests
    client = client_for(oct_officer)
    first, second = client.get("/reporting/extensions/"), client.get("/reporting/extensions/", {"page": 2})
    assert '<span class="count">(3)</span>' in first.text and '<span class="count">(3)</span>' in second.text
    assert first.text.count('class="panel extension"') == 2 and second.text.count('class="panel extension"') == 1
    assert 'href="?page=2#pending" rel="next"' in first.text


@pytest.mark.django_db
def test_the_period_figures_count_every_group_on_every_page_of_the_table(
    client_for, oct_officer, periods, monkeypatch, time_machine
):
    from reporting.submissions.periods import views

    time_machine.move_to(NOW)
    monkeypatch.setattr(views, "DASHBOARD_GROUPS_PER_PAGE", 3)
    groups_add(5, periods)  # with the roster's two groups: seven expected, five submitted (closed period)
    client = client_for(oct_officer)
    path = f"/reporting/periods/{periods['closed'].pk}/"
    numbers = []
    for page in (1, 2, 3):
        response = client.get(path, {"page": page})
        assert "5 of 7 groups submitted" in response.text
        numbers += [int(n) for n in _links(response.text, r'<tr data-group="(\d+)">')]
    assert numbers == sorted(WorkingGroup.objects.values_list("number", flat=True))


@pytest.mark.django_db
def test_the_menu_counts_what_the_home_page_lists_for_oct(client_for, oct_officer, periods):
    from portal.inbox import task_count_for, tasks_for

    groups_add(6, periods)
    today = NOW.date()
    assert task_count_for(oct_officer, today=today) == len(tasks_for(oct_officer, today=today)) > 5
    page = client_for(oct_officer).get("/reporting/calendar/")
    count = len(tasks_for(oct_officer, today=datetime.date.today()))
    assert f'<span class="nav-count" title="{count} things wait for you">{count}</span>' in page.text
