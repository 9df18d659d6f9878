"""Attacks on the matrix's lean reads (issue 19): the API list built from plain rows, the
clearance read with the user in the session's one query, and the filter selects kept in the
cache. A reader never sees a project above their clearance — in the list, its count, the
pivots or the cached selects — and a clearance lowered or an account deactivated counts at the
very next request."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from compact.core.models import Classification
from compact.core.widgets import local_copies_clear
from compact.registry.models import Profile
from tests.compact.matrix.test_api import PROJECTS, make_project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_copy_of_the_selects():
    """Each test draws its selects: none kept in this process by an earlier test."""
    local_copies_clear()


PAGE = "/projects/"
PIVOT = f"{PROJECTS}pivots/country-pillar/"


@pytest.fixture
def levels(roster):
    """One project at each classification, all in Jordan, pillar I, ongoing."""
    return {
        level: make_project(roster, f"Assessment marked {level}", classification=level, countries=["JO"])
        for level in Classification.values
    }


def _titles(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {row["title"] for row in response.json()["results"]}


@pytest.mark.parametrize(
    ("persona", "readable"),
    [
        ("outsider", {Classification.UNCLASSIFIED}),
        ("committee_member", {Classification.UNCLASSIFIED, Classification.CONFIDENTIAL}),
        ("oct_officer", set(Classification.values)),
    ],
)
@pytest.mark.parametrize("query", [{}, {"country": "JO", "pillar": "I", "status": "ongoing"}, {"q": "Assessment"}])
def test_the_list_its_count_and_the_pivot_stop_at_the_clearance(request, levels, client_for, persona, readable, query):
    client = client_for(request.getfixturevalue(persona))  # the session path: the clearance comes with the user
    body = client.get(PROJECTS, query).json()
    assert {row["title"] for row in body["results"]} == {levels[level].title for level in readable}
    assert body["count"] == len(readable)
    pivot = client.get(PIVOT, query).json()
    assert pivot["total"] == len(readable)


def test_a_clearance_lowered_counts_at_the_next_request(levels, committee_member, client_for):
    client = client_for(committee_member)
    assert levels[Classification.CONFIDENTIAL].title in _titles(client.get(PROJECTS))
    Profile.objects.filter(user=committee_member).update(clearance=Classification.UNCLASSIFIED)
    assert _titles(client.get(PROJECTS)) == {levels[Classification.UNCLASSIFIED].title}


def test_a_user_without_a_profile_reads_unclassified_only(levels, outsider, client_for):
    Profile.objects.filter(user=outsider).delete()
    assert _titles(client_for(outsider).get(PROJECTS)) == {levels[Classification.UNCLASSIFIED].title}


def test_a_deactivated_account_reads_nothing_with_its_old_session(levels, committee_member, client_for):
    client = client_for(committee_member)
    assert client.get(PROJECTS).status_code == 200
    get_user_model().objects.filter(pk=committee_member.pk).update(is_active=False)
    assert client.get(PROJECTS).status_code in (401, 403)
    assert client.get(PAGE).status_code == 302  # to the sign-in page


def test_the_cached_selects_hold_no_project_and_are_the_same_for_everyone(levels, oct_officer, outsider, client_for):
    """Drawn first for OCT (every project readable), then served to an outsider."""
    secret = levels[Classification.STRICTLY_CONFIDENTIAL].title
    officer_page = client_for(oct_officer).get(PAGE).content.decode()
    outsider_page = client_for(outsider).get(PAGE).content.decode()
    assert secret in officer_page and secret not in outsider_page
    assert levels[Classification.CONFIDENTIAL].title not in outsider_page

    def selects(page: str) -> str:
        form = page[page.index('<form method="get" class="filters') :]
        return form[: form.index("</form>")]

    assert selects(officer_page) == selects(outsider_page)
    assert "Assessment" not in selects(outsider_page)


@pytest.mark.parametrize(
    "value",
    ['JO" selected data-x="', "JO><script>alert(1)</script>", "JO\x00", "jo", "JO "],
)
def test_a_crafted_filter_value_selects_nothing_and_injects_nothing(levels, outsider, client_for, value):
    page = client_for(outsider).get(PAGE, {"country": value}).content.decode()
    select = page[page.index('<select name="country"') :]
    select = select[: select.index("</select>")]
    assert "<script>alert" not in page and 'data-x="' not in page  # the value is only ever echoed escaped
    assert " selected" not in select  # not even "Any country": the value is not one of them
    assert select.count("<option ") >= 250  # "Any country" and every ISO 3166 country


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_the_list_takes_no_other_method(levels, oct_officer, client_for, method):
    response = getattr(client_for(oct_officer), method)(PROJECTS, content_type="application/json")
    assert response.status_code in (403, 405)  # 403: the CSRF check comes first for a session
    assert Profile.objects.filter(user=oct_officer).exists()
    assert len(_titles(client_for(oct_officer).get(PROJECTS))) == len(levels)
