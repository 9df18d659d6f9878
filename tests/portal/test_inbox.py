"""What waits on each person: the home page's list, the count in the menu and the API, each
task one click from where it is done, nothing the reader could not open."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from reporting.calendar.services import extension_act, extension_request_create
from reporting.committee.services import agenda_item_add, meeting_create
from reporting.compiled.models import AnnualReport, ReportEdition
from reporting.review.services import review_act, review_create
from reporting.submissions.models import Submission
from reporting.submissions.services import submission_act
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture(autouse=True)
def _early_july(time_machine):
    """1 July 2026: the mid-year report (due 15 July) is being written."""
    time_machine.move_to("2026-07-01 14:00Z", tick=False)


def tasks_on_home(client) -> list[tuple[str, str]]:
    """(title, link) of each task on the home page."""
    section = html_tree(client.get("/")).find("section", id="tasks")
    return [(item.find("a").text, item.find("a").attrs["href"]) for item in section.find_all("li", class_="task")]


def wg7(period) -> Submission:
    return Submission.objects.get(period=period, working_group__number=7)


def test_a_chair_is_told_to_write_their_groups_report_with_its_due_date(client_for, report_period, chair):
    client = client_for(chair)
    tasks = tasks_on_home(client)
    assert tasks == [
        (
            "Write the Mid-year progress report of WG 7: Human rights",
            reverse("reporting-submission-edit", args=[wg7(report_period).pk]),
        )
    ]
    item = html_tree(client.get("/")).find("li", class_="task-draft")
    assert "by 15 July 2026" in item.text
    assert client.get(tasks[0][1]).status_code == 200  # one click to the editor


def test_a_returned_report_and_an_answered_extension_reach_the_chair(client_for, report_period, chair, oct_officer):
    request = extension_request_create(submission=wg7(report_period), actor=chair, until=D(2026, 7, 31), reason="x")
    extension_act(request=request, action="approve", actor=oct_officer)
    submission_act(submission=wg7(report_period), action="submit", actor=chair)
    submission_act(submission=wg7(report_period), action="return", actor=oct_officer, comment="Add the workshops.")
    titles = [title for title, _url in tasks_on_home(client_for(chair))]
    assert "Revise the Mid-year progress report of WG 7: Human rights" in titles
    assert "More time granted for WG 7: Human rights: due 31 July 2026" in titles


def test_oct_sees_its_queues_and_chairs_do_not(client_for, report_period, chair, oct_officer):
    extension_request_create(submission=wg7(report_period), actor=chair, until=D(2026, 7, 31), reason="Mission")
    assert "1 request for more time to decide" in [title for title, _url in tasks_on_home(client_for(oct_officer))]
    submission_act(submission=wg7(report_period), action="submit", actor=chair)
    oct_titles = [title for title, _url in tasks_on_home(client_for(oct_officer))]
    assert "Review the Mid-year progress report of WG 7: Human rights" in oct_titles
    chair_titles = [title for title, _url in tasks_on_home(client_for(chair))]
    assert not any(title.startswith("Review the") or "to decide" in title for title in chair_titles)


def test_the_usg_is_asked_to_approve_the_annual_report_and_nobody_else_is(client_for, usg, oct_officer, chair):
    report = AnnualReport.objects.create(year=2025, state=AnnualReport.State.AWAITING_APPROVAL)
    tasks = tasks_on_home(client_for(usg))
    assert ("Approve the annual report 2025", reverse("reporting-annual", args=[report.pk])) in tasks
    assert client_for(usg).get(reverse("reporting-annual", args=[report.pk])).status_code == 200
    for other in (oct_officer, chair):
        assert not any("annual report" in title for title, _url in tasks_on_home(client_for(other)))


def test_the_committee_sees_its_next_meeting_and_whether_the_pack_is_out(client_for, committee_member, oct_officer):
    meeting = meeting_create(
        start_time=datetime.time(10),
        end_time=datetime.time(12),
        actor=oct_officer,
        date=D(2026, 7, 20),
        place="New York",
    )
    agenda_item_add(meeting=meeting, actor=oct_officer, kind="other", title="Any other business")
    client = client_for(committee_member)
    item = html_tree(client.get("/")).find("li", class_="task-meeting")
    assert "Coordination Committee meeting: 20 July 2026, 10:00–12:00 (New York time, UTC\u22124)" in item.text
    assert "1 item on the agenda." in item.text
    assert "briefing pack is ready" not in item.text
    ReportEdition.objects.create(
        meeting=meeting,
        number=1,
        status=ReportEdition.Status.DONE,
        requested_by=oct_officer,
        classification="unclassified",
    )
    assert "The briefing pack is ready." in html_tree(client.get("/")).find("li", class_="task-meeting").text


def test_a_focal_point_is_asked_for_their_entitys_comment_on_the_review(client_for, oct_officer, focal_point):
    review = review_create(
        actor=oct_officer,
        biennium=2027,
        title="Review of the Compact 2027–2028",
        resolution_symbol="A/RES/77/298",
        resolution_url="https://docs.un.org/en/A/RES/77/298",
        opens_on=D(2026, 6, 20),
        comments_due_on=D(2026, 7, 10),
    )
    review_act(review=review, action="open", actor=oct_officer)
    tasks = tasks_on_home(client_for(focal_point))
    comment = reverse("review-comment", args=[review.pk, "UNESCO"])
    assert ("Comment on Review of the Compact 2027–2028 for UNESCO", comment) in tasks
    assert client_for(focal_point).get(comment).status_code == 200


def test_the_menu_counts_what_waits_and_the_api_lists_it(client_for, api_for, report_period, chair, outsider):
    page = html_tree(client_for(chair).get("/reporting/"))
    assert page.find("span", class_="nav-count").text == "1"
    body = api_for(chair).get("/api/v1/tasks/").json()
    assert [(task["kind"], task["due_on"], task["overdue"]) for task in body] == [("draft", "2026-07-15", False)]
    assert body[0]["url"].endswith(reverse("reporting-submission-edit", args=[wg7(report_period).pk]))
    assert api_for(outsider).get("/api/v1/tasks/").json() == []
    assert html_tree(client_for(outsider).get("/")).find_all("span", class_="nav-count") == []


def test_a_visitor_has_no_tasks(client):
    assert client.get("/api/v1/tasks/").status_code in (401, 403)


def test_oct_is_told_of_an_edition_that_failed_until_a_later_one_is_asked_for(client_for, report_period, oct_officer):
    from reporting.compiled.services import consolidated_report_start

    report = consolidated_report_start(period=report_period, actor=oct_officer)
    failed = ReportEdition.Status.FAILED
    ReportEdition.objects.create(consolidated_report=report, number=1, status=failed, requested_by=oct_officer)
    url = reverse("reporting-consolidated", args=[report.pk]) + "#editions"
    assert (f"Edition 1 failed — {report}", url) in tasks_on_home(client_for(oct_officer))
    ReportEdition.objects.create(consolidated_report=report, number=2, requested_by=oct_officer)
    assert not any("failed" in title for title, _url in tasks_on_home(client_for(oct_officer)))
