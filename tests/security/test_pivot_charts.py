"""The pivots' chart, heat-shaded tables and a country's chart with the filters carried (issue
20): attacks on them.

- Nothing above the reader's clearance is counted in a bar, a shaded cell or a legend, nor
  named (a country only a confidential project names is not on the page at all).
- Filters carried in links are encoded: a search for markup reaches the SVG's links and the
  country pages as text, never as markup; junk filter values on a country's page are ignored
  (the same projects as without them), never a 500.
- Names people typed (a working group's short name) are escaped in the shaded table.
- Only GET, only signed in.
"""

from __future__ import annotations

import re

import pytest

from compact.core.models import Classification
from tests.compact.matrix.test_pages import make_project
from tests.compact.matrix.test_pivot_charts import bars_of, spread, svg_of  # noqa: F401 — fixture

pytestmark = pytest.mark.django_db


@pytest.fixture
def hidden_country(roster, spread):  # noqa: F811
    """Zimbabwe, named only by a strictly confidential project."""
    return make_project(
        "Only in Zimbabwe",
        lead=roster.ohchr,
        pillars=["II"],
        themes=[roster.other_group],
        countries=["ZW", "KE"],
        classification=Classification.STRICTLY_CONFIDENTIAL,
    )


@pytest.mark.parametrize("persona", ["outsider", "committee_member"])
def test_a_country_only_a_project_above_the_clearance_names_is_nowhere(request, client_for, hidden_country, persona):
    client = client_for(request.getfixturevalue(persona))
    response = client.get("/projects/pivots/")
    html = response.content.decode()
    drawn = html[html.index('<section class="panel" aria-labelledby="chart-heading">') :]  # past the filters' options
    assert "Zimbabwe" not in drawn and "/countries/ZW/" not in drawn
    kenya = {label: value for label, value, _link in bars_of(svg_of(response, "projects-per-country"))}["Kenya"]
    assert kenya == ("5" if persona == "outsider" else "6")  # the confidential one counts for the member only
    country = client.get("/projects/countries/ZW/")
    assert country.status_code == 200 and country.context["page"].paginator.count == 0
    assert "data-chart" not in country.content.decode()  # no chart of nothing


def test_the_officer_sees_the_hidden_country(client_for, oct_officer, hidden_country):
    response = client_for(oct_officer).get("/projects/pivots/")
    rows = {row["code"]: row["total"] for row in response.context["country_rows"]}
    assert rows["ZW"] == 1 and rows["KE"] == 7
    assert '<a href="/projects/countries/ZW/">' in response.content.decode()


def test_a_search_for_markup_is_carried_as_text(client_for, oct_officer, spread):  # noqa: F811
    attack = '"><script>alert(1)</script><a href="javascript:x">'
    client = client_for(oct_officer)
    for url in ("/projects/pivots/", "/projects/countries/KE/", "/projects/"):
        html = client.get(url, {"q": attack}).content.decode()
        assert "<script>alert" not in html and 'href="javascript:' not in html
    query = {"q": "Kenya 0", "sort": "-start"}
    response = client.get("/projects/pivots/", {**query, "junk": '"><svg onload=alert(1)>'})
    links = [link for _l, _v, link in bars_of(svg_of(response, "projects-per-country"))]
    assert links and all(re.fullmatch(r"/projects/countries/[A-Z]{2}/\?q=Kenya\+0&sort=-start", link) for link in links)


@pytest.mark.parametrize(
    "junk",
    [
        {"pillar": "<b>V</b>"},
        {"year": "99999999999999999999"},
        {"theme": "abc"},
        {"entity": "NOPE\x00"},
        {"status": "deleted"},
        {"pillar": ["I", "<x>"]},
        {"country": "XX", "region": "nowhere"},
    ],
)
def test_junk_filters_on_a_country_page_are_ignored(client_for, oct_officer, spread, junk):  # noqa: F811
    client = client_for(oct_officer)
    plain = client.get("/projects/countries/KE/")
    response = client.get("/projects/countries/KE/", junk)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == plain.context["page"].paginator.count
    assert "<b>V</b>" not in response.content.decode() and "<x>" not in response.content.decode()


def test_a_typed_group_name_is_text_in_the_shaded_table(client_for, oct_officer, spread, roster):  # noqa: F811
    roster.group.short_name = '<img src=x onerror="alert(1)">'
    roster.group.save(update_fields=["short_name"])
    html = client_for(oct_officer).get("/projects/pivots/").content.decode()
    assert "<img src=x" not in html and "&lt;img src=x" in html


@pytest.mark.parametrize("url", ["/projects/pivots/", "/projects/countries/KE/"])
def test_only_get_and_only_signed_in(client, client_for, oct_officer, url):
    assert client_for(oct_officer).post(url).status_code == 405
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
