"""The adapter registry of consultable documents: every registered kind is named in the API's
enum, fits the round's columns, gives sections with unique keys that fit a comment's column and
known markings; a new kind is one ``subject_register`` call."""

from __future__ import annotations

import pytest

from compact.core.models import Classification
from reporting.consultation.api import SUBJECT_KINDS
from reporting.consultation.models import SECTION_KEY_LENGTH
from reporting.consultation.subjects import SUBJECTS, Section, Subject, subject_register
from tests.reporting.consultation.helpers import NOW, programme_draft


def test_the_api_publishes_every_registered_kind():
    assert [kind for kind, _label in SUBJECT_KINDS] == ["programme", "review", "reorganisation"]


def test_a_kind_is_registered_once():
    with pytest.raises(ValueError):
        subject_register(SUBJECTS["programme"])


@pytest.mark.django_db
def test_the_programmes_sections_have_unique_short_keys_and_markings(oct_officer, time_machine):
    time_machine.move_to(NOW, tick=False)
    programme, _priority = programme_draft(oct_officer)
    subject = SUBJECTS["programme"]
    sections = subject.sections(programme)
    keys = [section.key for section in sections]
    assert len(keys) == len(set(keys)) == 3
    assert all(len(key) <= SECTION_KEY_LENGTH and key.replace("-", "").isalnum() for key in keys)
    assert all(section.classification in Classification.values for section in sections)
    assert subject.url(programme) == f"/reporting/programme/{programme.pk}/"
    assert subject.may_open(oct_officer, programme)


@pytest.mark.django_db
def test_a_reorganisation_is_consulted_on_its_summary_structure_and_each_old_group(
    roster, oct_officer, oct_colleague, chair
):
    import datetime

    from reporting.reorganisation.services import (
        reorganisation_act,
        reorganisation_create,
        reorganisation_mapping_set,
        reorganisation_target_add,
    )

    draft = reorganisation_create(
        title="Fewer groups", effective_on=datetime.date(2026, 7, 1), rationale="Overlap.", actor=oct_officer
    )
    new = reorganisation_target_add(reorganisation=draft, actor=oct_officer, number=1, name="N", short_name="New")
    for group in (roster.group, roster.other_group):
        reorganisation_mapping_set(reorganisation=draft, source=group, targets=[new], actor=oct_officer, note="MK")
    subject = SUBJECTS["reorganisation"]
    sections = subject.sections(draft)
    keys = [section.key for section in sections]
    assert keys == ["summary", "new-structure", f"group-{roster.other_group.pk}", f"group-{roster.group.pk}"]
    assert all(len(key) <= SECTION_KEY_LENGTH for key in keys)
    assert "The new structure starts on 2026-07-01." in sections[0].text and "Overlap." in sections[0].text
    assert sections[1].text == "• WG 1: New"
    assert sections[2].text.startswith("Its work goes to: WG 1: New.") and sections[2].text.endswith("MK")
    assert subject.may_open(oct_officer, draft) and not subject.may_open(chair, draft)
    assert subject.url(draft) == f"/working-groups/reorganisations/{draft.pk}/"
    assert list(subject.candidates()) == [draft]
    reorganisation_act(reorganisation=draft, action="withdraw", actor=oct_colleague, message="Later.")
    draft.refresh_from_db()
    assert not subject.may_open(oct_officer, draft) and list(subject.candidates()) == []


def test_a_new_kind_is_one_adapter(monkeypatch):
    monkeypatch.setattr("reporting.consultation.subjects.SUBJECTS", dict(SUBJECTS))
    from reporting.consultation import subjects

    added = subjects.subject_register(
        Subject(
            kind="note",
            label="A note",
            model=Classification,  # any model-like class: the registry only stores it
            title=lambda obj: "Note",
            sections=lambda obj: [Section("body", "Body", "Text")],
            url=lambda obj: "/",
            may_open=lambda user, obj: True,
            candidates=lambda: [],
        )
    )
    assert subjects.subject_of("note") is added and "note" not in SUBJECTS
