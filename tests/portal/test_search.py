"""The search page (portal/search.py): words, prefixes, grouping and counts, on PostgreSQL's
full-text search and on the fallback every other database uses (run here on the same data)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.urls import reverse

from compact.matrix.services import project_save
from portal import search as search_module
from portal.search import PER_KIND, query_words, search_everything

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["database", "fallback"])
def engine(request, monkeypatch):
    """Each test twice: with the database's own search and with the fallback."""
    if request.param == "fallback":
        monkeypatch.setattr(search_module, "connection", SimpleNamespace(vendor="sqlite"))
    elif connection.vendor != "postgresql":
        pytest.skip("full-text search runs on PostgreSQL")
    return request.param


def project(title: str, lead, **fields):
    values = {"title": title, "status": "ongoing", "lead_entity": lead, **fields}
    return project_save(project=None, actor=None, fields=values, countries=["JO"])


def kinds(results) -> dict[str, list[str]]:
    return {result.key: [hit.title for hit in result.hits] for result in results}


def test_every_word_must_appear_and_a_word_finds_longer_ones(engine, roster, focal_point):
    project("Countering terrorism financing in Jordan", roster.unodc)
    project("Border management training", roster.unodc, main_activities="Workshops on terrorism prevention")
    project("Youth and sport", roster.unesco)
    found = kinds(search_everything(focal_point, "terror"))
    assert sorted(found["projects"]) == ["Border management training", "Countering terrorism financing in Jordan"]
    assert kinds(search_everything(focal_point, "terror jordan"))["projects"] == [
        "Countering terrorism financing in Jordan"
    ]
    assert "projects" not in kinds(search_everything(focal_point, "terror basketball"))


def test_results_are_grouped_by_kind_with_their_count(engine, roster, focal_point):
    for number in range(PER_KIND + 3):
        project(f"Media literacy {number}", roster.unesco)
    (projects,) = [result for result in search_everything(focal_point, "media literacy") if result.key == "projects"]
    assert (len(projects.hits), projects.total, projects.more) == (PER_KIND, PER_KIND + 3, 3)
    entities = kinds(search_everything(focal_point, "UNESCO"))["entities"]
    assert entities and entities[0].startswith("UNESCO")


def test_a_person_without_a_role_finds_the_registry_and_the_matrix_only(engine, roster, outsider, focal_point):
    # Every signed-in person reads the registry and the matrix; reports and meetings are not theirs.
    project("Media literacy at UNESCO", roster.unesco)
    assert [result.key for result in search_everything(outsider, "UNESCO")] == ["entities", "projects"]
    assert {result.key for result in search_everything(outsider, "Human")} <= {"entities", "groups", "projects"}


def test_the_snippet_shows_where_the_word_is(engine, roster, focal_point):
    text = "The programme trains journalists. " * 3 + "It also covers violent extremism online."
    project("Media programme", roster.unesco, main_activities=text)
    (hit,) = next(result for result in search_everything(focal_point, "extremism") if result.key == "projects").hits
    assert "violent extremism online" in hit.snippet and hit.snippet.startswith("…")


def test_only_words_reach_the_database():
    assert query_words("MK:* | a & !b <-> c'); DROP") == ["MK", "a", "b", "c", "DROP"]
    assert query_words("  ") == [] and len(query_words("w " * 50)) == 8


def test_the_page_has_a_box_in_every_signed_in_page_and_says_when_nothing_is_found(client_for, focal_point, roster):
    client = client_for(focal_point)
    home = client.get(reverse("home")).content.decode()
    assert 'role="search"' in home and 'action="/search/"' in home
    page = client.get(reverse("search"), {"q": "zzzqqq"}).content.decode()
    assert "Nothing found for “zzzqqq” among what you may open." in page
    assert "Type at least two letters" in client.get(reverse("search"), {"q": "a"}).content.decode()
    project("Youth and sport", roster.unesco)
    page = client.get(reverse("search"), {"q": "sport"}).content.decode()
    assert 'href="#kind-projects"' in page and "Youth and sport" in page
