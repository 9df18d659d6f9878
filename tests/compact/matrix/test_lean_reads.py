"""The matrix list as plain rows (issue 19): the API list writes what ``ProjectSerializer``
wrote, to the byte, in a number of queries that does not grow with the projects, on
PostgreSQL's aggregated arrays and on the one-query-per-relation fallback."""

from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from compact.core.models import Classification
from compact.matrix.api import ProjectRowWriter, ProjectSerializer
from compact.matrix.models import Project
from compact.matrix.selectors import (
    PROJECT_ROW_COLUMNS,
    project_rows,
    project_rows_complete,
    projects_with_details,
)
from compact.matrix.services import project_save
from tests.compact.matrix.test_api import PROJECTS, make_project

pytestmark = pytest.mark.django_db


def _varied_projects(roster) -> list[Project]:
    """Projects with every kind of value a row holds: empty lists and nulls, a budget, a
    confirmed date, partners and places given out of order, two working groups."""
    with time_machine.travel("2026-03-01 10:15:30.123456+00:00", tick=False):
        full = make_project(
            roster,
            "Zeta: prosecutors & judges",
            partners=[roster.unoct, roster.cted, roster.ohchr],
            themes=[roster.group, roster.other_group],
            countries=["TN", "JO", "EG"],
            regions=["mena", "maghreb"],
            budget_usd=Decimal("1250000.5"),
            partner_organizations=["EU", "LAS"],
            pillars=["II", "I"],
            gender_marker=True,
            hrdd_assessed=False,
            donors="Japan; EU",
            start_month=3,
            end_month=11,
        )
    Project.objects.filter(pk=full.pk).update(themes_confirmed_at="2026-04-02T08:00:00.5+00:00")
    bare = make_project(roster, "Alpha", countries=[], regions=[], pillars=[], lead_entity=None, end_year=None)
    secret = make_project(roster, "Mid", classification=Classification.CONFIDENTIAL, countries=["JO"])
    return [full, bare, secret]


def _request(user, path: str = PROJECTS) -> Request:
    request = APIRequestFactory().get(path)
    request.user = user
    return Request(request)


def _json(data) -> bytes:
    return JSONRenderer().render(data)


def test_the_rows_are_written_as_the_serializer_writes_the_models(roster, oct_officer):
    projects = _varied_projects(roster)
    request = _request(oct_officer)
    ordered = Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("title")
    expected = ProjectSerializer(projects_with_details(ordered), many=True, context={"request": request}).data
    lean = ProjectRowWriter(request=request).rows(list(project_rows(ordered)))
    assert _json(lean) == _json(expected)
    assert [row["title"] for row in lean] == ["Alpha", "Mid", "Zeta: prosecutors & judges"]
    zeta = lean[2]
    assert zeta["partner_entities"] == ["CTED", "OHCHR", "UNOCT"]
    assert [t["number"] for t in zeta["themes"]] == [2, 7]
    assert zeta["countries"] == ["EG", "JO", "TN"] and zeta["budget_usd"] == "1250000.50"
    assert lean[0]["lead_entity"] is None and lean[0]["countries"] == [] and lean[0]["themes"] == []


def test_the_fallback_without_aggregated_arrays_writes_the_same(roster, oct_officer):
    """SQLite (``make run``) reads the lists with one query per relation: the same output."""
    projects = _varied_projects(roster)
    request = _request(oct_officer)
    ordered = Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("title")
    aggregated = ProjectRowWriter(request=request).rows(list(project_rows(ordered)))
    plain = list(ordered.values(*PROJECT_ROW_COLUMNS, lead_acronym=F("lead_entity__acronym")))
    with CaptureQueriesContext(connection) as queries:
        completed = project_rows_complete(plain)
    assert len(queries) == 4
    assert _json(ProjectRowWriter(request=request).rows(completed)) == _json(aggregated)


def test_the_api_list_keeps_its_shape(roster, oct_officer, api_for):
    _varied_projects(roster)
    body = api_for(oct_officer).get(PROJECTS, {"ordering": "title"}).json()
    assert list(body) == ["count", "next", "previous", "results"]
    assert body["count"] == 3
    first = body["results"][0]
    assert list(first) == ProjectSerializer.Meta.fields
    assert first["url"] == f"http://testserver{PROJECTS}{first['id']}/"


def _add_projects(roster, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        project_save(
            project=None,
            actor=None,
            fields={
                "title": f"Project {number:03d}",
                "status": "ongoing",
                "lead_entity": roster.unodc,
                "pillars": ["I"],
                "start_year": 2020,
                "classification": Classification.UNCLASSIFIED,
            },
            countries=["JO", "TN"],
            regions=["maghreb"],
            partner_entities=[roster.unoct, roster.cted],
            themes=[roster.group, roster.other_group],
        )


FILTERED = {"country": "JO", "pillar": "I", "status": "ongoing"}


@pytest.mark.parametrize("query", [{}, FILTERED], ids=["all", "filtered"])
def test_the_list_takes_as_many_queries_at_5_as_at_50_projects(roster, committee_member, client_for, query):
    """Signed in through the session, as a browser or a script with a cookie is: the session,
    the user with their profile (their clearance), the count and the page."""
    client = client_for(committee_member)
    _add_projects(roster, 5)
    client.get(PROJECTS, query)  # the first request of a session may refresh it
    with CaptureQueriesContext(connection) as five:
        assert len(client.get(PROJECTS, query).json()["results"]) == 5
    _add_projects(roster, 45, start=5)
    with CaptureQueriesContext(connection) as fifty:
        assert len(client.get(PROJECTS, query).json()["results"]) == 50
    assert len(five) == len(fifty) <= 8, [q["sql"][:120] for q in fifty.captured_queries]
    (count,) = [q["sql"] for q in fifty.captured_queries if "COUNT(" in q["sql"]]
    assert "ARRAY(" not in count  # the arrays are aggregated for the page's rows only
    assert not any("compact_profile" in q["sql"] and "compact_user" not in q["sql"] for q in fifty.captured_queries)


def test_the_schema_describes_the_rows_as_written(roster, oct_officer, api_for):
    """The list's schema is still ``ProjectSerializer``'s: its properties, in order, are the
    keys of every row; each value has the schema's type, and null only where it is nullable."""
    _varied_projects(roster)
    api = api_for(oct_officer)
    schema = api.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    listing = schema["paths"][PROJECTS]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    page = schema["components"]["schemas"][listing["$ref"].rsplit("/", 1)[-1]]
    item = page["properties"]["results"]["items"]["$ref"].rsplit("/", 1)[-1]
    properties = schema["components"]["schemas"][item]["properties"]
    python_types = {"integer": int, "string": str, "boolean": bool, "array": list, "object": dict}
    for row in api.get(PROJECTS).json()["results"]:
        assert list(row) == list(properties)
        for name, value in row.items():
            described = properties[name]
            if value is None:
                assert described.get("nullable"), name
            elif "type" in described:
                assert isinstance(value, python_types[described["type"]]), (name, value)


@pytest.mark.parametrize("path", ["/projects/", "/projects/countries/JO/"])
def test_the_pages_take_as_many_queries_at_5_as_at_50_projects(roster, committee_member, client_for, path):
    client = client_for(committee_member)
    _add_projects(roster, 5)
    client.get(path)
    with CaptureQueriesContext(connection) as five:
        page = client.get(path).content.decode()
    assert page.count('class="project-title"') == 5
    _add_projects(roster, 45, start=5)
    with CaptureQueriesContext(connection) as fifty:
        page = client.get(path).content.decode()
    assert page.count('class="project-title"') == 50
    assert len(five) == len(fifty)
    # Each row links to its project and its countries, without a reverse() of its own.
    assert f'href="/projects/{Project.objects.get(title="Project 000").pk}/"' in page
    assert 'href="/projects/countries/TN/"' in page
