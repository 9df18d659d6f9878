"""Themes: the rule-based suggestions (pinned on seed rows read by hand), OCT's confirmation
in bulk and one by one, and confirmations surviving a re-import."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from compact.core.models import AuditEvent
from compact.lib.matrix import matrix_parse
from compact.lib.themes import rules_read, themes_suggest
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.models import Project, ThemeSuggestion
from compact.matrix.selectors import pivot_theme_entity, project_overlaps, projects_filtered
from compact.matrix.services import project_save
from compact.matrix.themes import (
    project_themes_confirm,
    projects_with_confirmed_theme,
    projects_with_dates,
    projects_with_stage,
    projects_with_suggested_theme,
)
from tests.helpers import admin_person, oct_person
from workinggroups.models import WorkingGroup

SEED = Path(__file__).resolve().parents[3] / "data" / "seed" / "a72-840-ctitf-matrix.txt"


@pytest.fixture(scope="module")
def seed_rows() -> dict[str, object]:
    parsed = matrix_parse(SEED.read_text(encoding="utf-8"))
    return {row.key.removeprefix("a72-840:"): row for row in parsed.rows}


def suggest(row) -> list:
    return themes_suggest(
        rules_read(),
        title=row.title,
        activities=row.activities,
        lead=row.entities[0] if row.entities else "",
        partners=row.entities[1:],
        pillars=[row.pillar],
    )


# Each pinned answer was checked by reading the row in data/seed/a72-840-ctitf-matrix.txt.
PINNED = [
    # "Enhancing Understanding of the 'Foreign Terrorist Fighters' (FTFs) Phenomenon in Syria": WG 3's subject.
    ("I:7", "ctitf-2018-03"),
    # "Educating about the history of genocide" (UNESCO): genocide education to prevent extremism, WG 6.
    ("I:90", "ctitf-2018-06"),
    # "Implementation of resolution 2178 (2014) …": 2178 is the resolution on foreign terrorist fighters.
    ("II:1", "ctitf-2018-03"),
    # "Conference on Resolution 1540 (2004) Review and Assistance in Africa": 1540 is on WMD, WG 5.
    ("II:5", "ctitf-2018-05"),
    # "Terrorist Designations and Freezing of Assets": asset freezes against the financing of terrorism, WG 2.
    ("II:19", "ctitf-2018-02"),
    # IMO's support against piracy "in the maritime domain": law enforcement at sea, WG 1 (INTERPOL a partner).
    ("II:30", "ctitf-2018-01"),
    # "Counter-terrorism criminal justice support to Sahel Senior Judicial officials": WG 10.
    ("II:42", "ctitf-2018-10"),
    # WCO's "Global Traveler Assessment System" (customs, borders in its activities): WG 1, which WCO chairs.
    ("II:48", "ctitf-2018-01"),
    # "Identification of Good Practices on Terrorism Financing Risk Assessments": WG 2.
    ("III:36", "ctitf-2018-02"),
    # "Strengthening Anti-Money Laundering and Counter-Terrorism Financing Capacity in Egypt": WG 2.
    ("III:90", "ctitf-2018-02"),
    # ICAO's "International Coordination on Air Cargo and Facilitation": aviation as critical infrastructure, WG 8.
    ("III:124", "ctitf-2018-08"),
    # OHCHR's "Basic Human Rights Reference Guides": WG 7, which OHCHR chairs.
    ("IV:1", "ctitf-2018-07"),
    # "Victims of Terrorism Documentary": WG 9.
    ("IV:7", "ctitf-2018-09"),
]


@pytest.mark.parametrize(("key", "group"), PINNED)
def test_the_classifier_puts_the_right_group_first_for_pinned_seed_rows(seed_rows, key, group):
    suggestions = suggest(seed_rows[key])
    assert suggestions[0].working_group == group
    assert not suggestions[0].fallback and suggestions[0].reasons


def test_a_media_project_against_narratives_gets_communications_and_prevention(seed_rows):
    # I:13 "Promoting Dialogue, Tolerance and Openness through Media to Counter Narratives …":
    # both the dialogue (WG 6) and the media work (WG 12) are its themes.
    groups = {s.working_group for s in suggest(seed_rows["I:13"])}
    assert groups == {"ctitf-2018-06", "ctitf-2018-12"}


def test_a_row_no_rule_fires_on_gets_its_pillars_group_and_says_so(seed_rows):
    # III:24 "Support to the G5 Sahel Joint Force." (DPKO): no keyword; pillar III's fallback.
    [suggestion] = suggest(seed_rows["III:24"])
    assert suggestion.fallback and suggestion.working_group == "ctitf-2018-04"
    assert [(r.kind, r.value) for r in suggestion.reasons] == [("pillar", "III")]


def test_every_seed_row_gets_a_suggestion(seed_rows):
    assert all(suggest(row) for row in seed_rows.values())


def test_each_reason_names_the_keyword_and_where_it_was_found(seed_rows):
    [suggestion] = [s for s in suggest(seed_rows["I:7"]) if s.working_group == "ctitf-2018-03"]
    assert ("keyword-title", "foreign terrorist fighter") in [(r.kind, r.value) for r in suggestion.reasons]


def test_keywords_match_whole_words_and_french_rows():
    rules = rules_read()
    mediation = themes_suggest(rules, title="Mediation support to peace processes", pillars=["I"])
    assert "ctitf-2018-12" not in {s.working_group for s in mediation}  # "media" is not in "mediation"
    french = themes_suggest(rules, title="Lutte contre le financement du terrorisme au Sahel", pillars=["III"])
    assert french[0].working_group == "ctitf-2018-02"


# --- With the database ----------------------------------------------------------------------------


@pytest.fixture
def imported(registry):
    importer = oct_person("importer", "strictly-confidential")
    data = SEED.read_bytes()
    preview = matrix_import_preview(data=data, file_name="a72-840.txt")
    matrix_import_commit(data=data, file_name="a72-840.txt", sha256=preview.sha256, actor=importer)
    return importer


def reimport(importer) -> None:
    data = SEED.read_bytes()
    preview = matrix_import_preview(data=data, file_name="a72-840.txt")
    matrix_import_commit(data=data, file_name="a72-840.txt", sha256=preview.sha256, actor=importer)


def test_every_imported_project_has_a_suggested_theme(imported):
    projects = Project.objects.all()
    count, rows = projects_with_suggested_theme(projects)
    assert count == projects.count() == 317 and rows.count() == 317
    assert projects_with_confirmed_theme(projects)[0] == 0
    project = Project.objects.get(source_key="a72-840:IV:7")
    assert [s.working_group.code for s in project.theme_suggestions.all()] == ["ctitf-2018-09"]


def test_confirmed_themes_survive_a_reimport_and_unconfirmed_suggestions_are_refreshed(imported):
    confirmed = Project.objects.get(source_key="a72-840:IV:7")
    changed = Project.objects.get(source_key="a72-840:IV:1")
    unconfirmed = Project.objects.get(source_key="a72-840:I:7")
    project_themes_confirm(projects=[confirmed], actor=imported)
    gender = WorkingGroup.objects.get(code="ctitf-2018-11")
    project_themes_confirm(projects=[changed], actor=imported, working_groups=[gender])
    ThemeSuggestion.objects.filter(project=unconfirmed).update(score=99, reasons=[])  # stale
    ThemeSuggestion.objects.filter(project=confirmed).delete()

    reimport(imported)

    confirmed.refresh_from_db()
    changed.refresh_from_db()
    assert confirmed.themes_confirmed_at is not None
    assert [g.code for g in confirmed.themes.all()] == ["ctitf-2018-09"]
    assert [g.code for g in changed.themes.all()] == ["ctitf-2018-11"]  # OCT's change kept
    fresh = unconfirmed.theme_suggestions.get(working_group__code="ctitf-2018-03")
    assert fresh.score != 99 and fresh.reasons
    assert confirmed.theme_suggestions.exists()  # suggestions refreshed for every row


def test_confirming_in_bulk_sets_the_suggested_groups_with_an_audit_row(imported):
    projects = list(Project.objects.filter(source_key__in=["a72-840:I:7", "a72-840:II:5"]))
    assert project_themes_confirm(projects=projects, actor=imported) == 2
    themes = {p.source_key: [g.code for g in p.themes.all()] for p in projects}
    assert themes == {"a72-840:I:7": ["ctitf-2018-03"], "a72-840:II:5": ["ctitf-2018-05"]}
    events = AuditEvent.objects.filter(verb="project.themes_confirmed")
    assert events.count() == 2 and {e.after["themes"][0] for e in events} == {3, 5}


def test_confirming_the_suggestions_does_not_undo_a_change(imported):
    project = Project.objects.get(source_key="a72-840:I:7")
    gender = WorkingGroup.objects.get(code="ctitf-2018-11")
    project_themes_confirm(projects=[project], actor=imported, working_groups=[gender])
    assert project_themes_confirm(projects=[project], actor=imported) == 0
    assert [g.code for g in project.themes.all()] == ["ctitf-2018-11"]


def test_only_oct_confirms_and_a_change_needs_a_group(imported):
    project = Project.objects.get(source_key="a72-840:I:7")
    site_admin = admin_person("site-admin", superuser=True)  # rights come from roles, not is_superuser
    with pytest.raises(PermissionDenied):
        project_themes_confirm(projects=[project], actor=site_admin)
    with pytest.raises(ValidationError):
        project_themes_confirm(projects=[project], actor=imported, working_groups=[])
    assert not project.themes.exists()


def test_confirmed_themes_light_up_the_filter_the_pivot_and_the_overlap_finder(imported):
    fighters = WorkingGroup.objects.get(code="ctitf-2018-03")
    assert not projects_filtered(imported, theme=fighters.pk).exists()
    assert pivot_theme_entity(Project.objects.all()) == {}
    # Before any confirmation, the overlap finder already compares the suggested themes.
    assert any(pair.shared == "theme" for pair in project_overlaps(imported))
    project_themes_confirm(projects=Project.objects.all(), actor=imported)
    assert projects_filtered(imported, theme=fighters.pk).count() >= 10
    pivot = pivot_theme_entity(Project.objects.all())
    assert pivot[(3, fighters.short_name)]["UNOCT"] >= 1


def test_a_project_saved_on_the_form_gets_suggestions(imported):
    unesco = Project.objects.get(source_key="a72-840:I:90").lead_entity
    project = project_save(
        project=None,
        actor=imported,
        fields={"title": "Youth radicalization and hate speech online", "status": "ongoing", "lead_entity": unesco},
    )
    assert project.theme_suggestions.first().working_group.code == "ctitf-2018-06"


def test_the_data_quality_figures_return_the_rows_behind_them(imported):
    projects = Project.objects.all()
    with_dates, rows = projects_with_dates(projects)
    assert with_dates == rows.count() and 150 < with_dates < 317
    assert all(p.start_year or p.end_year for p in rows)
    with_stage, rows = projects_with_stage(projects)
    assert with_stage == 0 and not rows.exists()  # the 2018 matrix gives no lifecycle stage
