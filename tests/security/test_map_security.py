"""The matrix on a map (issue 20): attacks on it.

- A project above the reader's clearance is never counted, in the fills, the titles, the text
  alternative or the table, whatever the filters name.
- Junk filter values are reported on the page and ignored: never a 500, the map of everything.
- Signed-out visitors are sent to sign in; the page only answers GET.
"""

from __future__ import annotations

import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.compact.matrix import test_pages
from tests.security.test_export_filters import JUNK

pytestmark = pytest.mark.django_db

matrix = test_pages.matrix  # Jordan holds all four: unclassified, confidential, strictly confidential
MAP = "/projects/map/"


def map_values(response) -> dict[str, str]:
    svg = re.search(r'<svg[^>]*data-chart="project-map".*?</svg>', response.content.decode(), re.DOTALL)
    root = ElementTree.fromstring(svg.group(0))
    return {mark.get("data-country"): mark.get("data-value") for mark in root.iter() if mark.get("data-country")}


@pytest.mark.parametrize(
    ("persona", "jordan"),
    [("outsider", "1"), ("committee_member", "2"), ("oct_officer", "3")],
)
def test_projects_above_the_clearance_are_never_counted(request, client_for, matrix, persona, jordan):
    response = client_for(request.getfixturevalue(persona)).get(MAP)
    values = map_values(response)
    assert values["JO"] == jordan and values["TN"] == "1"
    page = response.content.decode()
    assert f"Jordan: {jordan}" in page  # the country's title says the same number
    assert f"Jordan ({jordan})" in response.context["chart"].summary
    assert ("Jordan", int(jordan)) in response.context["chart"].table.rows
    assert response.context["placed"].total == {"1": 2, "2": 3, "3": 4}[jordan]


@pytest.mark.parametrize(
    "query", [{"country": "JO"}, {"year": "2022"}, {"status": "in-development"}, {"q": "Financing"}]
)
def test_a_filter_aimed_at_a_hidden_project_reveals_nothing(client_for, outsider, matrix, query):
    """The strictly confidential project is the only one in 2022, in development, or titled so."""
    response = client_for(outsider).get(MAP, query)
    page = response.content.decode()
    if "country" in query:
        assert map_values(response)["JO"] == "1"
    else:  # nothing to draw: no map, and the page says so
        assert response.context["placed"].total == 0 and response.context["chart"].is_empty
        assert 'data-chart="project-map"' not in page
        assert "No project in this selection names a country or a region." in page
    assert "Financing analysis" not in page


@pytest.mark.parametrize("junk", [j for j in JUNK if "page" not in j and "sort" not in j], ids=lambda j: next(iter(j)))
def test_junk_filters_are_reported_and_the_whole_map_is_drawn(client_for, oct_officer, matrix, junk):
    client = client_for(oct_officer)
    everything = map_values(client.get(MAP))
    response = client.get(MAP, junk)
    assert response.status_code == 200
    assert response.context["form"].errors, "the page says which value it could not use"
    assert 'class="field-error"' in response.content.decode()
    assert "<script>alert(1)</script>" not in response.content.decode()
    assert map_values(response) == everything


def test_signed_out_visitors_are_sent_to_sign_in(roster, client):
    response = client.get(MAP)
    assert response.status_code == 302 and response["Location"].startswith(f"{reverse('login')}?next=")


def test_the_map_only_answers_get(client_for, oct_officer, matrix):
    client = client_for(oct_officer)
    assert client.post(MAP, {"pillar": "I"}).status_code == 405
    assert client.delete(MAP).status_code == 405
