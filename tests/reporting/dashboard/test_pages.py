"""The dashboard's page: who opens it, what it shows, the year filter."""

from __future__ import annotations

import datetime
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import WorkingGroupFactory
from tests.helpers import html_tree, open_period

pytestmark = pytest.mark.django_db
URL = "/reporting/dashboard/"
SVG = "{http://www.w3.org/2000/svg}"


def test_the_address():
    assert reverse("reporting-dashboard") == URL


@pytest.mark.parametrize("persona", ["oct_officer", "usg", "committee_member", "chair"])
def test_oct_the_usg_and_the_committee_open_it_with_its_four_charts(persona, rounds, client_for, request):
    response = client_for(request.getfixturevalue(persona)).get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    for slug in ("rates", "outcomes", "acceptance", "action-points"):
        assert f'id="chart-{slug}"' in page and f'data-chart="{slug}"' in page
    assert page.count('class="grid-table chart-table"') == 4


@pytest.mark.parametrize("persona", ["focal_point", "outsider"])
def test_anyone_else_gets_a_404(persona, rounds, client_for, request):
    assert client_for(request.getfixturevalue(persona)).get(URL).status_code == 404


def test_the_anonymous_visitor_is_asked_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_menu_offers_it_to_its_readers_only(rounds, client_for, committee_member, focal_point):
    assert f'href="{URL}"' in client_for(committee_member).get(reverse("committee")).content.decode()
    assert f'href="{URL}"' not in client_for(focal_point).get(reverse("committee")).content.decode()


def test_the_year_filter_shows_that_years_rounds(rounds, client_for, oct_officer):
    client = client_for(oct_officer)
    page = client.get(URL, {"year": "2026"}).content.decode()
    assert "The rounds of 2026." in page
    svg = _svg(page, "outcomes")
    assert {m.get("data-column") for m in svg.iter(f"{SVG}rect")} - {None} == {"Q1 2026", "Q2 2026", "Mid-year 2026"}
    # A year without a round is not offered, and refused with the reason.
    assert (
        "Choose a year from the list: 2025 has no reporting round."
        in client.get(URL, {"year": "2025"}).content.decode()
    )


@pytest.mark.parametrize("year", ["1999", "abc", "2026'--", "9" * 40])
def test_a_bad_year_is_refused_with_a_message_and_the_latest_rounds_shown(year, rounds, client_for, oct_officer):
    response = client_for(oct_officer).get(URL, {"year": year})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose a year from the list" in page
    assert "The latest 3 rounds." in page


def test_it_takes_no_post(rounds, client_for, oct_officer):
    assert client_for(oct_officer).post(URL).status_code == 405


def _svg(page: str, slug: str) -> ElementTree.Element:
    start = page.index(f'data-chart="{slug}"')
    start = page.rindex("<svg", 0, start)
    end = page.index("</svg>", start) + len("</svg>")
    return ElementTree.fromstring(page[start:end])


def test_each_chart_has_its_table_and_text_alternative(rounds, client_for, oct_officer):
    tree = html_tree(client_for(oct_officer).get(URL))
    figures = tree.find_all("figure")
    assert len(figures) == 4
    for figure in figures:
        svg = figure.find("svg", class_="chart-svg")
        assert svg.attrs["role"] in ("img", "group") and svg.attrs["aria-describedby"]
        assert figure.find("p", class_="chart-summary").text.strip()


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


@pytest.mark.parametrize("persona", ["oct_officer", "committee_member"])
def test_the_page_costs_the_same_queries_whatever_the_rounds_and_groups(persona, rounds, client_for, request):
    client = client_for(request.getfixturevalue(persona))
    _queries(client)  # the first page of a session also loads what the next ones find cached
    before = _queries(client)
    for number in (11, 12, 13):
        WorkingGroupFactory(number=number)
    open_period(
        "q3",
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        datetime.date(2026, 7, 1),
        datetime.date(2026, 10, 10),
    )
    assert _queries(client) == before
