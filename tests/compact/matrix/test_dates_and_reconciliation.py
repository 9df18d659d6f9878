"""Dates understood (one-off events end when they start, annual events are recurring, no
completed project runs after its end) and the report's own counts reconciled with the rows."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from compact.lib.matrix import matrix_parse, matrix_reconcile, recurring_marker_strip, title_cell_parse
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.models import MatrixImport, Project
from compact.matrix.reconciliation import reconciliation_rows
from compact.matrix.selectors import projects_filtered
from compact.matrix.services import project_save
from tests.helpers import oct_person

SEED = Path(__file__).resolve().parents[3] / "data" / "seed" / "a72-840-ctitf-matrix.txt"


@pytest.fixture(scope="module")
def parsed():
    return matrix_parse(SEED.read_text(encoding="utf-8"))


def row(parsed, key):
    return next(r for r in parsed.rows if r.key == f"a72-840:{key}")


# --- Dates ---------------------------------------------------------------------------------------


def test_a_completed_one_month_event_ends_in_its_month(parsed):
    # I:33, "National consultation on the situation in prisons in Senegal … (May 2017)", completed.
    duration = row(parsed, "I:33").duration
    assert (duration.start.year, duration.start.month, duration.end.year, duration.end.month) == (2017, 5, 2017, 5)
    assert not duration.ambiguous
    assert not any("Ambiguous" in w for w in row(parsed, "I:33").warnings)


def test_no_completed_seed_row_has_a_single_month_without_an_end(parsed):
    assert not [r.key for r in parsed.rows if r.status == "completed" and r.duration and r.duration.ambiguous]


def test_a_day_range_after_a_year_in_the_title_is_read(parsed):
    # I:102 "Media and Information Literacy Week 2016 (2–5 Nov. 2016)": the year before the
    # parentheses is not a resolution's number, the parentheses are the dates.
    found = row(parsed, "I:102")
    assert found.title == "Media and Information Literacy Week 2016"
    assert (found.duration.start.month, found.duration.end.month, found.duration.end.year) == (11, 11, 2016)


def test_a_resolution_year_is_still_not_a_duration():
    title, duration, _entities, _warnings = title_cell_parse("Conference on Resolution 1540 (2004) <b>UNODA</b>")
    assert title == "Conference on Resolution 1540 (2004)" and duration is None


def test_annual_event_leaves_the_title_and_marks_the_row_recurring(parsed):
    forum = row(parsed, "I:51")
    assert forum.title == "World Heritage Youth Forum" and forum.recurring
    assert row(parsed, "III:7").recurring  # "Annual event. 2017" in the duration
    assert not row(parsed, "I:7").recurring
    assert not [r.key for r in parsed.rows if "annual event" in r.title.lower()]


def test_the_recurring_marker_in_french_too():
    assert recurring_marker_strip("Forum des jeunes (Événement annuel)") == ("Forum des jeunes", True)
    assert recurring_marker_strip("Forum (2018)") == ("Forum (2018)", False)


@pytest.fixture
def imported(registry):
    importer = oct_person("importer", "strictly-confidential")
    data = SEED.read_bytes()
    preview = matrix_import_preview(data=data, file_name="a72-840.txt")
    matrix_import_commit(data=data, file_name="a72-840.txt", sha256=preview.sha256, actor=importer)
    return importer


def _completed_running_after_end(user, year: int) -> list[str]:
    running = projects_filtered(user, status="completed", year=year)
    late = []
    for project in running:
        last = project.end_year or project.start_year
        if last is None or last < year:
            late.append(project.source_key)
    return late


def test_no_completed_seed_project_runs_after_its_end(imported):
    assert [y for y in range(2010, 2031) if _completed_running_after_end(imported, y)] == []
    forum = Project.objects.get(source_key="a72-840:I:51")
    assert forum.recurring and forum.title == "World Heritage Youth Forum"
    senegal = Project.objects.get(source_key="a72-840:I:33")
    assert (senegal.end_year, senegal.end_month) == (2017, 5)
    assert senegal in projects_filtered(imported, year=2017)
    assert senegal not in projects_filtered(imported, year=2018)


def test_an_undated_completed_project_is_in_no_year_and_an_ongoing_open_end_is_in_every_later_year(imported):
    undated = Project.objects.get(source_key="a72-840:I:15")
    assert undated.status == "completed" and undated.start_year is None and undated.end_year is None
    assert undated not in projects_filtered(imported, year=2016)
    ongoing = project_save(
        project=None, actor=imported, fields={"title": "Open", "status": "ongoing", "start_year": 2016}
    )
    assert ongoing in projects_filtered(imported, year=2030)
    done = project_save(
        project=None, actor=imported, fields={"title": "Done", "status": "completed", "start_year": 2016}
    )
    assert done in projects_filtered(imported, year=2016) and done not in projects_filtered(imported, year=2017)


def test_the_project_page_shows_the_recurring_flag(imported, client_for):
    forum = Project.objects.get(source_key="a72-840:I:51")
    page = client_for(imported).get(f"/projects/{forum.pk}/").content.decode()
    assert "Recurring event" in page
    other = Project.objects.get(source_key="a72-840:I:7")
    assert "Recurring event" not in client_for(imported).get(f"/projects/{other.pk}/").content.decode()


# --- Reconciliation ------------------------------------------------------------------------------


def test_the_seed_reconciles_with_the_reports_own_numbers(parsed):
    assert parsed.intro_total == 320
    assert parsed.intro_declared == {"I": 120, "II": 55, "III": 128, "IV": 17}
    lines = {line.pillar: line.as_dict() for line in matrix_reconcile(parsed)}
    assert lines["I"] == {"pillar": "I", "intro": 120, "heading": 120, "found": 120, "notes": [{"code": "matches"}]}
    assert lines["II"]["found"] == 56
    assert lines["II"]["notes"] == [{"code": "repeated-serial", "serial": 26, "times": 2}]
    assert (lines["III"]["intro"], lines["III"]["heading"], lines["III"]["found"]) == (128, 125, 124)
    assert {"code": "missing-serial", "serial": 9, "highest": 125} in lines["III"]["notes"]
    assert {"code": "intro-differs", "intro": 128, "heading": 125} in lines["III"]["notes"]
    assert (lines["total"]["intro"], lines["total"]["heading"], lines["total"]["found"]) == (320, 317, 317)


def test_a_file_without_declarations_shows_only_what_is_found():
    text = (
        "#### Pillar I of the UN Global Counter-Terrorism Strategy\n"
        "1\tSome project (2018) <b>UNODC</b>\tOngoing\tTraining.\tMali\n"
    )
    lines = [line.as_dict() for line in matrix_reconcile(matrix_parse(text))]
    assert lines[0] == {"pillar": "I", "intro": None, "heading": None, "found": 1, "notes": []}
    assert lines[1]["notes"] == []
    [pillar, _total] = reconciliation_rows(lines)
    assert not pillar.differs and pillar.explanations == []


def test_an_unexplained_difference_is_said_so():
    text = (
        "#### Pillar I of the UN Global Counter-Terrorism Strategy\n"
        "3 projects\n"
        "1\tOne (2018) <b>UNODC</b>\tOngoing\tTraining.\tMali\n"
        "2\tTwo (2018) <b>UNODC</b>\tOngoing\tTraining.\tMali\n"
    )
    [pillar, _total] = reconciliation_rows(line.as_dict() for line in matrix_reconcile(matrix_parse(text)))
    assert pillar.differs and "does not explain the difference" in pillar.explanations[0]


def test_the_preview_and_the_matrix_page_show_declared_and_found(registry, client_for, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    officer = oct_person("officer2", "strictly-confidential")
    client = client_for(officer)
    preview = client.post(
        "/projects/import/", {"file": SimpleUploadedFile("a72-840.txt", SEED.read_bytes(), content_type="text/plain")}
    )
    page = preview.content.decode()
    assert "Serial 26 is used by 2 different rows" in page
    assert "Serial 9 is missing" in page
    assert "The report&#x27;s introduction says 320, its heading 317" in page
    sha256 = preview.context["preview"].sha256
    client.post("/projects/import/commit/", {"sha256": sha256, "file_name": "a72-840.txt"})
    assert MatrixImport.objects.get().reconciliation[1]["notes"][0]["serial"] == 26
    listing = client.get("/projects/").content.decode()
    assert "Serial 9 is missing" in listing and "The headings add up to the 317 rows found" in listing
