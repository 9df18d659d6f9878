"""Attacks on the pages split into pages (issue 19): bad page numbers, other people's pages,
classification across pages, and query text echoed into the page links."""

from __future__ import annotations

import pytest
from django.urls import reverse

from compact.core.models import Classification
from reporting.submissions.models import ReportingPeriod, Submission
from tests.list_pages import groups_add, make_periods


@pytest.fixture
def periods(roster) -> dict[str, ReportingPeriod]:
    return make_periods()


BAD_PAGES = ["abc", "-1", "0", "99999", "1e3", "2" * 400, "%00", "1;DROP TABLE x"]


def paged_urls(periods) -> list[tuple[str, str]]:
    return [
        ("/working-groups/", "page"),
        ("/reporting/", "review_page"),
        ("/reporting/", "accepted_page"),
        ("/reporting/extensions/", "page"),
        (reverse("reporting-period", args=[periods["closed"].pk]), "page"),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("value", BAD_PAGES)
def test_a_bad_page_number_shows_a_page_not_an_error(client_for, oct_officer, periods, value):
    groups_add(3, periods)
    client = client_for(oct_officer)
    for path, name in paged_urls(periods):
        response = client.get(path, {name: value})
        assert response.status_code == 200, (path, name, value)


@pytest.mark.django_db
def test_paging_does_not_open_oct_pages_to_others(client_for, chair, committee_member, periods):
    groups_add(3, periods)
    for person in (chair, committee_member):
        client = client_for(person)
        assert client.get(reverse("reporting-period", args=[periods["closed"].pk]), {"page": 2}).status_code == 404
        assert client.get("/reporting/extensions/", {"page": 2}).status_code == 404
        home = client.get("/reporting/", {"review_page": 2})
        assert home.status_code == 200 and 'id="review"' not in home.text


@pytest.mark.django_db
def test_no_page_of_accepted_reports_shows_what_is_above_the_readers_clearance(
    client_for,
    committee_member,
    periods,
    monkeypatch,
):
    from reporting.submissions.periods import views

    monkeypatch.setattr(views, "ACCEPTED_PAGE_SIZE", 2)
    groups_add(9, periods)
    accepted = Submission.objects.filter(status=Submission.Status.ACCEPTED)
    secret = list(accepted.order_by("working_group__number").values_list("pk", flat=True)[:2])
    accepted.filter(pk__in=secret).update(classification=Classification.STRICTLY_CONFIDENTIAL)
    hidden = {
        reverse("reporting-submission", args=[pk])
        for pk in accepted.filter(classification=Classification.STRICTLY_CONFIDENTIAL).values_list("pk", flat=True)
    }
    readable = {
        reverse("reporting-submission", args=[pk])
        for pk in accepted.exclude(classification=Classification.STRICTLY_CONFIDENTIAL).values_list("pk", flat=True)
    }
    assert hidden and len(readable) > 2
    client = client_for(committee_member)
    seen: set[str] = set()
    for number in range(1, 10):
        page = client.get("/reporting/", {"accepted_page": number})
        section = page.text.split('id="accepted"')[1]
        seen |= {link for link in readable | hidden if f'href="{link}"' in section}
        if 'rel="next"' not in section:
            break
    assert seen == readable


@pytest.mark.django_db
def test_query_text_in_the_page_links_is_escaped(client_for, outsider, periods, monkeypatch):
    from workinggroups import views

    monkeypatch.setattr(views, "GROUPS_PER_PAGE", 2)
    groups_add(3, periods)
    page = client_for(outsider).get("/working-groups/", {'"><script>alert(1)</script>': '"><b>x'})
    assert page.status_code == 200 and 'rel="next"' in page.text
    assert "<script>alert(1)" not in page.text and "<b>x" not in page.text


@pytest.mark.django_db
def test_the_period_page_only_accepts_get(client_for, oct_officer, periods):
    path = reverse("reporting-period", args=[periods["closed"].pk])
    assert client_for(oct_officer).post(path, {"page": 2}).status_code == 405
