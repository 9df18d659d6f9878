"""The search never returns what the reader cannot open (issue 21, portal/search.py).

On the access matrix's world (tests/security/access_world.py: every kind of object, in every
state and classification that matters, with ``MK-…`` markers in classified text), each persona
searches words that reach every kind; then every result the page links is opened as that persona
and must answer 200, and no marker above the persona's clearance may appear on the page. The
searches together must reach all seven kinds, so that no kind goes untested.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
import time_machine
from django.test import override_settings

from portal.search import KINDS
from tests.helpers import shared_until_rolled_back
from tests.security.access_cells import client_for
from tests.security.access_world import PERSONAS, WORLD_DAY, World, world_build

pytestmark = pytest.mark.django_db

# Words that reach each kind in the world: markers (reports, projects, action points), entities'
# and groups' names, meeting places and decisions' words.
QUERIES = ("MK", "UNESCO", "human rights", "programme", "New York")
LEVEL_OF_MARKER = {"-U": "unclassified", "-C": "confidential", "-SC": "strictly-confidential"}
RANK = {"unclassified": 0, "confidential": 1, "strictly-confidential": 2}
SIGNED_IN = [persona for persona in PERSONAS if persona != "anon"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("search-media")
    with (
        time_machine.travel(WORLD_DAY, tick=False),
        override_settings(MEDIA_ROOT=media),
        shared_until_rolled_back(django_db_blocker, world_build) as world,
    ):
        yield world


def hits_of(page: str) -> list[str]:
    results = page.split('class="search-hits"', 1)
    if len(results) < 2:
        return []
    return [unescape(link) for link in re.findall(r'<li><a href="([^"]+)"', "".join(results[1:]))]


def kinds_of(page: str) -> set[str]:
    return set(re.findall(r'<section class="panel search-kind" aria-labelledby="kind-([a-z]+)"', page))


def test_every_result_opens_for_the_reader_and_shows_nothing_above_their_clearance(world: World):
    # One test for every persona: the world is built once, on one worker.
    problems = []
    for persona in SIGNED_IN:
        client = client_for(world, persona, api=False)
        clearance = PERSONAS[persona][0]
        opened: set[str] = set()  # a result found again by another query: the same page, already opened
        for query in QUERIES:
            response = client.get("/search/", {"q": query})
            assert response.status_code == 200
            page = response.content.decode()
            for marker in re.findall(r"MK-[A-Z0-9-]+", page):
                level = next(
                    (lvl for suffix, lvl in LEVEL_OF_MARKER.items() if marker.endswith(suffix)), "unclassified"
                )
                if RANK[level] > RANK[clearance]:
                    problems.append(f"{persona} saw {marker} searching {query!r}")
            unopened = [url for url in hits_of(page) if url not in opened]
            opened.update(unopened)
            problems += [
                f"{persona} cannot open {url} found with {query!r}"
                for url in unopened
                if client.get(url).status_code != 200
            ]
    assert not problems, "\n".join(problems)


def test_the_searches_reach_every_kind(world: World):
    client = client_for(world, "oct_sc", api=False)
    reached = set()
    for query in QUERIES:
        reached |= kinds_of(client.get("/search/", {"q": query}).content.decode())
    assert reached == {kind.key for kind in KINDS}


def test_a_persona_finds_what_it_may_read_and_no_more(world: World):
    """The strictly-confidential project's marker: OCT cleared for it finds it, the focal point
    (a partner entity's, but unclassified) and the confidential officer do not."""
    found = {
        persona: "MK-PJ-OHCHR-SC"
        in client_for(world, persona, api=False).get("/search/", {"q": "witness"}).content.decode()
        for persona in ("oct_sc", "oct_c", "focal")
    }
    assert found == {"oct_sc": True, "oct_c": False, "focal": False}


def test_a_visitor_is_sent_to_sign_in(world: World):
    response = client_for(world, "anon", api=False).get("/search/", {"q": "MK"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


ODD_QUERIES = (
    "MK:* | a",
    "'); DROP TABLE compact_user; --",
    "&&||!!",
    "a" * 5000,
    "\x00MK",
    "مكافحة",
    "%_%",
    "MK & !UNESCO",
)


def test_query_syntax_and_odd_input_are_only_words(world: World):
    client = client_for(world, "focal", api=False)
    answers = {query[:40]: client.get("/search/", {"q": query}).status_code for query in ODD_QUERIES}
    assert set(answers.values()) == {200}, answers
