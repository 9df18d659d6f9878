"""The adapter registry of consultable documents: every registered kind is named in the API's
enum, fits the round's columns, gives sections with unique keys that fit a comment's column and
known markings; a new kind is one ``subject_register`` call."""

from __future__ import annotations

import pytest

from compact.core.models import Classification
from reporting.consultation.api import SUBJECT_KINDS
from reporting.consultation.models import SECTION_KEY_LENGTH
from reporting.consultation.subjects import SUBJECTS, Section, Subject, section_title, subject_register
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
    reorganisation_mapping_set(reorganisation=draft, source=roster.group, targets=[new], actor=oct_officer, note="MK")
    reorganisation_mapping_set(
        reorganisation=draft, source=roster.other_group, targets=[new], actor=oct_officer, note="MK2"
    )
    subject = SUBJECTS["reorganisation"]
    sections = subject.sections(draft)
    keys = [section.key for section in sections]
    assert keys == ["summary", "new-structure", f"group-{roster.other_group.pk}", f"group-{roster.group.pk}"]
    assert all(len(key) <= SECTION_KEY_LENGTH for key in keys)
    assert sections[1].text == "• 1. N"
    # The tracker's own words are in the headings, translated when read; the text is what OCT wrote.
    assert [section.text for section in sections[::2]] == ["Overlap.", "MK2"]
    titles = [section_title(section.as_json()) for section in sections]
    assert titles[0] == "The new structure starts on 2026-07-01"
    assert titles[2] == (
        "WG 2: Financing, its work going to WG 1: New with its chairs, vice-chairs and members, "
        "work-plan outputs, matrix themes, programme priorities and indicators"
    )

    assert subject.may_open(oct_officer, draft) and not subject.may_open(chair, draft)
    assert subject.url(draft) == f"/working-groups/reorganisations/{draft.pk}/"
    assert list(subject.candidates()) == [draft]
    reorganisation_act(reorganisation=draft, action="withdraw", actor=oct_colleague, message="Later.")
    draft.refresh_from_db()
    assert not subject.may_open(oct_officer, draft) and list(subject.candidates()) == []


@pytest.mark.django_db
def test_a_frozen_reorganisation_is_read_in_each_readers_language(roster, oct_officer):
    import datetime

    from django.utils import translation

    from reporting.reorganisation.services import (
        reorganisation_create,
        reorganisation_mapping_set,
        reorganisation_target_add,
    )

    draft = reorganisation_create(
        title="Fewer groups", effective_on=datetime.date(2026, 7, 1), rationale="Overlap.", actor=oct_officer
    )
    new = reorganisation_target_add(reorganisation=draft, actor=oct_officer, number=1, name="N", short_name="New")
    reorganisation_mapping_set(
        reorganisation=draft,
        source=roster.group,
        targets=[new],
        actor=oct_officer,
        note="MK",
        carry_roles=False,
        carry_themes=False,
        carry_indicators=False,
    )
    nothing = dict.fromkeys(("carry_roles", "carry_outputs", "carry_themes", "carry_indicators"), False)
    reorganisation_mapping_set(
        reorganisation=draft, source=roster.other_group, targets=[], actor=oct_officer, **nothing
    )
    with translation.override("fr"):  # a French-speaking officer opens the round
        frozen = [section.as_json() for section in SUBJECTS["reorganisation"].sections(draft)]
    assert not any("structure" in section["text"] or "GT" in section["text"] for section in frozen)
    with translation.override("en"):
        english = [section_title(section) for section in frozen]
    with translation.override("fr"):
        french = [section_title(section) for section in frozen]
    assert english[0] == "The new structure starts on 2026-07-01" and french[0] != english[0]
    assert english[2] == "WG 2: Financing, its work ending with it"
    assert english[3] == "WG 7: Human rights, its work going to WG 1: New with its work-plan outputs"
    assert "GT 1\xa0: New" in french[3] and "produits du plan de travail" in french[3]


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
