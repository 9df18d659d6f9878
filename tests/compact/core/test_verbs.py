"""Every audit verb the code writes has words for people, and pages show those words."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.utils import translation

from compact.core.verbs import VERB_LABELS, verb_label
from compact.signon.workflow import TRANSITIONS as SIGNON
from reporting.calendar.workflow import EXTENSION_TRANSITIONS
from reporting.committee.workflow import ACTION_TRANSITIONS, MEETING_TRANSITIONS
from reporting.compiled.workflow import ANNUAL_TRANSITIONS
from reporting.review.workflow import REVIEW_TRANSITIONS
from reporting.submissions.workflow import TRANSITIONS as SUBMISSION

# A verb written as a literal on a line that names a verb (verb="entity.created", verb="a" if …
# else "b", *_VERB = "…", ACTION_VERBS = {…}).
LITERAL = re.compile(r'"([a-z_]+\.[a-z_.]+)"')
# Verbs made from a workflow's action: the prefix, and the table whose actions complete it.
BY_ACTION = {
    "reporting.": SUBMISSION,
    "reporting.annual_": ANNUAL_TRANSITIONS,
    "reporting.extension_": EXTENSION_TRANSITIONS,
    "review.": REVIEW_TRANSITIONS,
    "signon.": SIGNON,
    "committee.meeting_": MEETING_TRANSITIONS,
    "committee.action_point_": ACTION_TRANSITIONS,
}


def verbs_in_the_code() -> set[str]:
    verbs = set()
    for app in ("compact", "workinggroups", "reporting", "portal"):
        for path in (settings.BASE_DIR / app).rglob("*.py"):
            if "migrations" not in path.parts and path.name != "verbs.py":
                lines = (line for line in path.read_text().splitlines() if "verb" in line.lower())
                verbs.update(verb for line in lines for verb in LITERAL.findall(line))
    for prefix, table in BY_ACTION.items():
        verbs.update(f"{prefix}{transition.action}" for transition in table)
    return verbs


def test_every_verb_the_code_writes_has_a_label():
    verbs = verbs_in_the_code()
    assert len(verbs) > 100
    missing = sorted(verb for verb in verbs if verb not in VERB_LABELS and not verb.startswith("admin."))
    assert not missing, f"add these to compact/core/verbs.py: {missing}"


@pytest.mark.parametrize(
    ("verb", "english"),
    [
        ("entity.focal_point_appointed", "Focal point appointed"),
        ("admin.entity.changed", "Changed in the administration site"),
    ],
)
def test_a_verb_reads_as_words_in_the_readers_language(verb, english):
    with translation.override("en"):
        assert verb_label(verb) == english
    with translation.override("fr"):
        french = verb_label(verb)
    assert french not in (english, verb)


def test_a_verb_without_words_shows_as_written():
    with translation.override("fr"):
        assert verb_label("something.unknown") == "something.unknown"


def test_pages_show_what_happened_in_words(client_for, oct_officer, roster):
    from compact.registry.models import Entity
    from compact.registry.services import entity_update
    from tests.helpers import html_tree

    entity_update(entity=Entity.objects.get(acronym="UNODC"), actor=oct_officer, note="Checked.")
    page = html_tree(client_for(oct_officer).get("/entities/UNODC/"))
    actions = [span.text for span in page.find_all("span", class_="event-action")]
    assert "Entity profile changed" in actions
    (event,) = [span for span in page.find_all("span", class_="event-action") if span.text == "Entity profile changed"]
    assert event.attrs["title"] == "entity.updated"
