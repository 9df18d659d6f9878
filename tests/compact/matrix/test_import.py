"""Importing the project matrix: the real 2018 matrix, the template, and every bad file."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from compact.core.models import AuditEvent
from compact.lib.matrix import duration_parse, matrix_parse, title_cell_parse
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview, matrix_template_csv
from compact.matrix.models import MatrixImport, Project
from compact.matrix.services import project_save
from compact.registry.models import Organization
from tests.helpers import oct_person

SEED = Path(__file__).resolve().parents[3] / "data" / "seed" / "a72-840-ctitf-matrix.txt"


@pytest.fixture(scope="module")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


# --- Parsing (no database) -----------------------------------------------------------------------


def test_the_seed_has_the_rows_it_really_contains_per_pillar(seed_text):
    parsed = matrix_parse(seed_text)
    # The report says 120 / 55 / 128 / 17 and the headings 120 / 55 / 125 / 17; the rows say:
    assert parsed.found() == {"I": 120, "II": 56, "III": 124, "IV": 17}
    assert parsed.declared == {"I": 120, "II": 55, "III": 125, "IV": 17}
    assert "Pillar II: the heading declares 55 projects; 56 rows were found." in parsed.warnings
    assert "Pillar III: the heading declares 125 projects; 124 rows were found." in parsed.warnings


def test_pillar_one_row_18_is_read_whole(seed_text):
    row = next(r for r in matrix_parse(seed_text).rows if r.pillar == "I" and r.serial == 18)
    assert row.title.startswith("Technical Assistance on the Management of Violent Extremist Offenders")
    assert row.entities == ["UNODC", "UNCCT", "CTED", "EU"]
    assert (row.duration.start.year, row.duration.end.year) == (2017, 2021)
    assert row.status == "ongoing"
    assert row.scope_text == "Jordan, Kazakhstan, Morocco, Tunisia"
    assert row.key == "a72-840:I:18"


def test_text_continued_after_a_page_break_joins_its_row(seed_text):
    parsed = matrix_parse(seed_text)
    row = next(r for r in parsed.rows if r.pillar == "II" and r.serial == 4)
    assert row.activities.endswith("sharing experiences and implementation practices.")
    row = next(r for r in parsed.rows if r.pillar == "II" and r.serial == 11)
    assert row.activities.endswith("information and of a voluntary national implementation action plan.")


def test_a_repeated_serial_gets_its_own_key(seed_text):
    keys = [r.key for r in matrix_parse(seed_text).rows if r.pillar == "II" and r.serial == 26]
    assert keys == ["a72-840:II:26", "a72-840:II:26:2"]


def test_entities_outside_bold_and_links_are_read():
    title, duration, entities, warnings = title_cell_parse(
        'Seminar on Resolution <a href="#">1540 (2004)</a> in Rakitje, Croatia (Sep. 2017) UNODA, <b>1540 Committee</b>'
    )
    assert title == "Seminar on Resolution 1540 (2004) in Rakitje, Croatia"
    assert entities == ["UNODA", "1540 Committee"] and duration.start.month == 9
    title, _, entities, warnings = title_cell_parse("Youth Video Festival PLURAL+ UNAOC, IOM")
    assert (title, entities) == ("Youth Video Festival PLURAL+", ["UNAOC", "IOM"])
    assert "not marked bold" in warnings[0]


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [
        ("Jul. 2015–Jun. 2019", (2015, 7), (2019, 6)),
        ("2018", (2018, None), (2018, None)),
        ("since 2017", (2017, None), None),
        ("2016-ongoing", (2016, None), None),
        ("25-27 Sep. 2017", (2017, 9), (2017, 9)),
        ("28 Apr.–5 May 2016", (2016, 4), (2016, 5)),
        ("Annual event. 2016, 2017 and 2018", (2016, None), (2018, None)),
    ],
)
def test_durations_in_every_form_the_matrix_uses(text, start, end):
    duration = duration_parse(text)
    assert (duration.start.year, duration.start.month) == start
    actual_end = (duration.end.year, duration.end.month) if duration.end else None
    assert actual_end == end


def test_a_month_alone_is_read_as_the_start_and_flagged():
    duration = duration_parse("April 2016")
    assert duration.ambiguous and duration.end is None
    assert duration_parse("FTFs") is None


# --- Importing --------------------------------------------------------------------------------------


@pytest.fixture
def importer(registry):
    return oct_person("importer", "strictly-confidential")


def test_importing_the_seed_creates_every_row_and_reimporting_changes_nothing(importer, seed_text):
    data = seed_text.encode()
    preview = matrix_import_preview(data=data, file_name="a72-840.txt")
    assert preview.ok and preview.counts == {"create": 317, "update": 0, "unchanged": 0, "error": 0}
    batch = matrix_import_commit(data=data, file_name="a72-840.txt", sha256=preview.sha256, actor=importer)
    assert batch.created == 317 and Project.objects.count() == 317
    project = Project.objects.get(source_key="a72-840:I:18")
    assert project.lead_entity.acronym == "UNODC"
    assert sorted(project.partner_entities.values_list("acronym", flat=True)) == ["CTED", "UNOCT"]  # UNCCT → UNOCT
    assert project.partner_organizations == ["EU"]  # not a party: kept, not dropped
    assert sorted(project.country_rows.values_list("country", flat=True)) == ["JO", "KZ", "MA", "TN"]
    assert (project.start_year, project.end_year, project.status, project.pillars) == (2017, 2021, "ongoing", ["I"])
    audit_count = AuditEvent.objects.count()
    again = matrix_import_preview(data=data, file_name="a72-840.txt")
    assert again.counts["unchanged"] == 317
    matrix_import_commit(data=data, file_name="a72-840.txt", sha256=again.sha256, actor=importer)
    assert Project.objects.count() == 317
    assert AuditEvent.objects.count() == audit_count + 1  # only the import's own row


def test_unknown_names_are_reported_not_silently_mapped(registry, seed_text):
    Organization.objects.filter(acronym="G5 Sahel").delete()
    preview = matrix_import_preview(data=seed_text.encode(), file_name="a72-840.txt")
    warnings = [w for row in preview.rows for w in row.warnings]
    assert "“G5 Sahel Permanent Secretariat” is not a registered entity: kept as a partner organization." in warnings
    assert "“UNCCT” read as UNOCT." in warnings
    assert "“MINUSMA” read as DPO." in warnings


def test_a_corrected_file_updates_the_matching_row(importer, seed_text):
    data = seed_text.encode()
    matrix_import_commit(
        data=data,
        file_name="m.txt",
        sha256=matrix_import_preview(data=data, file_name="m.txt").sha256,
        actor=importer,
    )
    corrected = seed_text.replace(
        "Jordan, Kazakhstan, Morocco, Tunisia", "Jordan, Kazakhstan, Morocco, Tunisia, Mali"
    ).encode()
    preview = matrix_import_preview(data=corrected, file_name="m.txt")
    assert preview.counts["update"] == 1 and preview.counts["unchanged"] == 316
    matrix_import_commit(data=corrected, file_name="m.txt", sha256=preview.sha256, actor=importer)
    project = Project.objects.get(source_key="a72-840:I:18")
    assert "ML" in project.country_rows.values_list("country", flat=True)


def test_a_reimport_keeps_what_oct_added(importer, seed_text):
    data = seed_text.encode()
    matrix_import_commit(
        data=data,
        file_name="m.txt",
        sha256=matrix_import_preview(data=data, file_name="m.txt").sha256,
        actor=importer,
    )
    project = Project.objects.get(source_key="a72-840:I:18")
    project_save(project=project, actor=importer, fields={"donors": "European Union"})
    assert matrix_import_preview(data=data, file_name="m.txt").counts["unchanged"] == 317


def test_the_template_imports_the_same_way(importer):
    data = matrix_template_csv().encode()
    preview = matrix_import_preview(data=data, file_name="template.csv")
    assert preview.file_format == "csv" and preview.ok, [r.errors for r in preview.rows]
    matrix_import_commit(data=data, file_name="template.csv", sha256=preview.sha256, actor=importer)
    project = Project.objects.get(source_key="unodc-2026-001")
    assert project.lead_entity.acronym == "UNODC" and project.stage == "implementation"
    assert (project.start_year, project.start_month, project.end_year, project.end_month) == (2026, 1, 2027, 12)
    assert sorted(project.country_rows.values_list("country", flat=True)) == ["JO", "TN"]
    assert project.gender_marker is True and project.partner_organizations == ["EU"]


def test_an_xlsx_file_imports_too(importer):
    from openpyxl import Workbook

    rows = list(csv.reader(io.StringIO(matrix_template_csv())))
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = matrix_import_preview(data=buffer.getvalue(), file_name="m.xlsx")
    assert preview.file_format == "xlsx" and preview.ok and preview.counts["create"] == 1


def test_template_rows_with_errors_import_nothing(importer):
    text = matrix_template_csv() + "bad-1,A title,,NOPE,,,finished,,2026-13,,V,,,XX,,,maybe,,abc,\n"
    preview = matrix_import_preview(data=text.encode(), file_name="t.csv")
    bad = next(row for row in preview.rows if row.key == "bad-1")
    assert bad.action == "error" and not preview.ok
    joined = " ".join(bad.errors)
    for fragment in ("status", "start", "pillar", "countries", "gender_marker", "budget_usd"):
        assert fragment in joined
    with pytest.raises(ValidationError):
        matrix_import_commit(data=text.encode(), file_name="t.csv", sha256=preview.sha256, actor=importer)
    assert not Project.objects.exists() and not MatrixImport.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"%PDF-1.7 binary", "not a text, CSV or Excel"),
        (b"\x00\x01\x02\x03", "not a text, CSV or Excel"),
        ("key,title,status\n".encode("utf-16"), "UTF-16"),
        ("Pillar, Titre\ncafé".encode("latin-1"), "not UTF-8"),
        (b"x" * (5 * 1024 * 1024 + 1), "the limit is"),
        (b"PK\x03\x04 not a real workbook", "could not be read"),
        (b"Just some notes, nothing like a matrix.\n", "No matrix rows"),
        (b"key,title\nk1,Missing the status column\n", "Missing columns: status"),
    ],
)
def test_bad_files_get_a_clear_message_and_import_nothing(importer, data, message):
    preview = matrix_import_preview(data=data, file_name="bad")
    assert not preview.ok and message in " ".join(preview.errors)
    with pytest.raises(ValidationError):
        matrix_import_commit(data=data, file_name="bad", sha256=preview.sha256, actor=importer)
    assert not Project.objects.exists()


def test_a_file_changed_since_the_preview_is_refused(importer):
    preview = matrix_import_preview(data=matrix_template_csv().encode(), file_name="t.csv")
    with pytest.raises(ValidationError):
        matrix_import_commit(
            data=(matrix_template_csv() + "\n").encode() + b"x",
            file_name="t.csv",
            sha256=preview.sha256,
            actor=importer,
        )


def test_the_command_imports_and_dry_runs(registry, capsys):
    call_command("import_matrix", str(SEED), "--dry-run", "--quiet-warnings")
    assert not Project.objects.exists()
    call_command("import_matrix", str(SEED), "--quiet-warnings")
    output = capsys.readouterr().out
    assert "Pillar II: 56 rows (the heading declares 55)." in output and "317 created" in output
    assert "Serial 26 is used by 2 different rows" in output  # each difference explained
    assert Project.objects.count() == 317


@pytest.fixture
def low_officer(registry):
    return oct_person("low", "unclassified")


def test_an_importer_neither_sees_nor_overwrites_projects_above_their_clearance(low_officer):
    hidden = project_save(
        project=None,
        actor=None,
        fields={"title": "Hidden", "status": "ongoing", "classification": "strictly-confidential"},
        source={"source_key": "k1"},
    )
    data = b"key,title,status,classification\nk1,Overwritten,ongoing,unclassified\n"
    preview = matrix_import_preview(data=data, file_name="t.csv", actor=low_officer)
    assert preview.rows[0].action == "error" and "already used by another project" in preview.rows[0].errors[0]
    with pytest.raises(ValidationError):
        matrix_import_commit(data=data, file_name="t.csv", sha256=preview.sha256, actor=low_officer)
    hidden.refresh_from_db()
    assert (hidden.title, hidden.classification) == ("Hidden", "strictly-confidential")
    above = b"key,title,status,classification\nk2,New,ongoing,confidential\n"
    assert (
        "above your clearance"
        in matrix_import_preview(data=above, file_name="t.csv", actor=low_officer).rows[0].errors[0]
    )


def test_the_audit_log_hides_changes_to_projects_above_the_readers_clearance(low_officer):
    from compact.core.selectors import audit_events_visible_to

    secret = project_save(
        project=None, actor=None, fields={"title": "Secret", "status": "ongoing", "classification": "confidential"}
    )
    project_save(project=None, actor=None, fields={"title": "Open", "status": "ongoing"})
    seen = [e.object_repr for e in audit_events_visible_to(low_officer).filter(verb__startswith="project.")]
    assert seen == ["Open"]
    from compact.matrix.services import project_delete

    top = oct_person("top", "strictly-confidential")
    project_delete(project=secret, actor=top)
    assert not audit_events_visible_to(low_officer).filter(verb="project.deleted").exists()
    assert audit_events_visible_to(top).filter(verb="project.deleted").exists()
