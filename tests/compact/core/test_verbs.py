"""Every audit verb the code writes has words for people — a label and a sentence — and pages
show those words."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import translation

from compact.core.verbs import ADMIN_SENTENCES, VERB_LABELS, VERB_SENTENCES, verb_label, verb_sentence
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
    # Who acted, by the name people know them by and their entity, not their username.
    actors = [strong.text for strong in page.find("ul", class_="events").find_all("strong")]
    assert f"{oct_officer.get_full_name()} (UNOCT)" in actors and oct_officer.get_username() not in actors


def test_every_verb_with_a_label_has_a_sentence_naming_actor_and_object():
    assert set(VERB_SENTENCES) == set(VERB_LABELS)
    for verb, sentence in [*VERB_SENTENCES.items(), *ADMIN_SENTENCES.items()]:
        text = str(sentence)
        assert text.count("%(actor)s") == 1 and text.count("%(object)s") == 1, verb
        assert not re.search(r"%\((?!actor\)|object\))", text), verb


def test_a_sentence_isolates_the_names_and_escapes_them():
    with translation.override("en"):
        html = verb_sentence("signon.approve", actor="Amal Haddad (UNOCT)", obj="<b>مكتب</b> (X)")
    assert str(html) == (
        "<bdi>Amal Haddad (UNOCT)</bdi> approved the sign-on request of <bdi>&lt;b&gt;مكتب&lt;/b&gt; (X)</bdi>"
    )


def test_a_row_without_object_or_sentence_reads_actor_and_action():
    with translation.override("en"):
        assert str(verb_sentence("person.created", actor="system", obj="")) == "<bdi>system</bdi>: Account created"
        assert str(verb_sentence("x.unknown", actor="amal", obj="Thing")) == "<bdi>amal</bdi>: x.unknown"
        assert str(verb_sentence("admin.entity.changed", actor="amal", obj="UNODC")) == (
            "<bdi>amal</bdi> changed <bdi>UNODC</bdi> in the administration site"
        )


def test_an_event_names_its_actor_with_their_entity(oct_officer, roster):
    from compact.core.audit import audit_record
    from compact.core.models import AuditEvent
    from compact.registry.models import Entity

    oct_officer.first_name, oct_officer.last_name = "Amal", "Haddad"
    oct_officer.save()
    oct_officer.profile.entity = Entity.objects.get(acronym="UNOCT")
    oct_officer.profile.save()
    unesco = Entity.objects.get(acronym="UNESCO")
    with transaction.atomic():
        event = audit_record(actor=oct_officer, verb="entity.updated", obj=unesco)
        scheduled = audit_record(actor=None, verb="entity.updated", obj=unesco)
    with translation.override("en"):
        event = AuditEvent.objects.get(pk=event.pk)
        assert event.actor_name == "Amal Haddad (UNOCT)"
        assert str(event.sentence) == "<bdi>Amal Haddad (UNOCT)</bdi> changed the profile of <bdi>UNESCO</bdi>"
        assert AuditEvent.objects.get(pk=scheduled.pk).actor_name == "The system"


def test_recent_changes_and_the_audit_log_read_as_sentences_with_the_zone(client_for, oct_officer, roster, settings):
    from compact.registry.models import Entity
    from compact.registry.services import entity_update
    from tests.helpers import html_tree

    settings.TIME_ZONE = "Asia/Dubai"
    entity_update(entity=Entity.objects.get(acronym="UNODC"), actor=oct_officer, note="Checked.")
    client = client_for(oct_officer)
    for url in ("/", "/audit/"):
        page = html_tree(client.get(url))
        sentences = [span.text for span in page.find_all("span", class_="event-sentence")]
        assert any(text.endswith("changed the profile of UNODC") for text in sentences), (url, sentences)
        times = [time.text for time in page.find_all("time")]
        assert times and all(text.endswith(" +04") for text in times), (url, times)
