"""The matrix's XLSX export opens well in Excel (labels in the reader's language, frozen and
filterable header, fitted widths, real dates and numbers, the marking) and imports back, with
its hidden row of field names, with the labels alone (in any language), or with the old
field-name header; the filters travel from the list to the pivots and the exports."""

from __future__ import annotations

import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from compact.core.models import Classification
from compact.matrix.exports import EXPORT_COLUMNS, export_field_for_label
from compact.matrix.models import Project
from compact.matrix.services import project_save
from tests.compact.matrix import test_pages
from tests.helpers import html_tree

pytestmark = pytest.mark.django_db

XLSX = "/projects/export.xlsx"

matrix = test_pages.matrix  # the four projects of the pages' tests, one of each classification


def workbook_of(response):
    return load_workbook(io.BytesIO(response.content))


def sheet_rows(sheet) -> list[dict[str, object]]:
    fields = [cell.value for cell in sheet[1]]
    return [dict(zip(fields, row, strict=True)) for row in sheet.iter_rows(min_row=3, values_only=True)]


@pytest.fixture
def keyed(roster):
    """A project with every kind of value: a key, a month start, a year end, a budget."""
    return project_save(
        project=None,
        actor=None,
        fields={
            "title": "Keyed project",
            "lead_entity": roster.unodc,
            "status": "ongoing",
            "pillars": ["II"],
            "scope": "national",
            "start_year": 2017,
            "start_month": 3,
            "end_year": 2021,
            "budget_usd": Decimal("250000.00"),
            "gender_marker": True,
        },
        countries=["JO"],
        source={"source_key": "unodc-1"},
    )


# --- Opening it in Excel --------------------------------------------------------------------


def test_the_header_is_labels_bold_and_frozen_over_a_hidden_row_of_field_names(client_for, oct_officer, keyed):
    sheet = workbook_of(client_for(oct_officer).get(XLSX)).worksheets[0]
    assert [cell.value for cell in sheet[1]] == EXPORT_COLUMNS
    assert sheet.row_dimensions[1].hidden
    labels = {field: cell.value for field, cell in zip(EXPORT_COLUMNS, sheet[2], strict=True)}
    assert labels["title"] == "Title" and labels["lead_entity_name"] == "Lead entity"
    assert labels["status"] == "Status (code)" and labels["status_label"] == "Status"
    assert labels["budget_usd"] == "Budget (USD)" and labels["updated_at"] == "Last update"
    assert "lead_entity_name" not in labels.values()
    assert all(cell.font.bold for cell in sheet[2])
    assert sheet.freeze_panes == "A3"
    assert sheet.title == "Projects"


def test_the_filter_covers_every_row_and_every_column_is_sized(client_for, oct_officer, matrix):
    sheet = workbook_of(client_for(oct_officer).get(XLSX)).worksheets[0]
    assert sheet.auto_filter.ref == "A2:AL6"  # the header and the four projects the officer reads
    widths = sheet.column_dimensions
    assert all(widths[letter].width for letter in ("A", "C", "AI"))
    assert widths["C"].width >= len("Youth resilience in the Sahel")  # the longest title fits


def test_dates_are_dates_and_numbers_numbers(client_for, oct_officer, keyed):
    sheet = workbook_of(client_for(oct_officer).get(XLSX)).worksheets[0]
    cells = dict(zip(EXPORT_COLUMNS, sheet[3], strict=True))
    assert cells["start"].is_date and cells["start"].value == datetime.datetime(2017, 3, 1)
    assert cells["start"].number_format == "yyyy-mm"
    assert cells["end"].value == 2021 and cells["end"].data_type == "n"
    assert cells["updated_at"].is_date and isinstance(cells["updated_at"].value, datetime.datetime)
    assert cells["updated_at"].number_format == "yyyy-mm-dd hh:mm"
    assert cells["budget_usd"].value == 250000 and cells["budget_usd"].data_type == "n"
    assert cells["id"].value == keyed.pk and cells["id"].data_type == "n"
    assert cells["title"].data_type == "s" and cells["gender_marker"].value == "yes"


def test_the_labels_are_in_the_readers_language(client_for, oct_officer, keyed):
    oct_officer.language = "fr"
    oct_officer.save(update_fields=["language"])
    sheet = workbook_of(client_for(oct_officer).get(XLSX)).worksheets[0]
    labels = {field: cell.value for field, cell in zip(EXPORT_COLUMNS, sheet[2], strict=True)}
    assert labels["title"] == "Titre" and labels["donors"] == "Donateurs non reconnus (note)" and labels["key"] == "Clé"
    assert labels["lead_entity_name"] == "Entité chef de file"
    assert sheet.title == "Projets"
    assert [cell.value for cell in sheet[1]] == EXPORT_COLUMNS  # the field names do not change


def test_the_arabic_export_reads_right_to_left(client_for, oct_officer, keyed):
    oct_officer.language = "ar"
    oct_officer.save(update_fields=["language"])
    sheet = workbook_of(client_for(oct_officer).get(XLSX)).worksheets[0]
    assert sheet.sheet_view.rightToLeft


@pytest.mark.parametrize(
    ("persona", "marking"),
    [("outsider", ""), ("committee_member", "Confidential"), ("oct_officer", "Strictly confidential")],
)
def test_the_export_is_marked_with_the_highest_classification_it_holds(request, client_for, matrix, persona, marking):
    workbook = workbook_of(client_for(request.getfixturevalue(persona)).get(XLSX))
    assert (workbook.properties.category or "") == marking
    assert (workbook.worksheets[0].oddHeader.center.text or "") == marking


def test_the_workbook_title_says_what_it_holds(client_for, oct_officer, matrix):
    workbook = workbook_of(client_for(oct_officer).get(XLSX, {"country": "TN", "status": "ongoing"}))
    title = workbook.properties.title
    assert title.startswith("Projects, ") and "Country: Tunisia" in title and "Status: Ongoing" in title
    assert not workbook.properties.category  # only the unclassified Jordan project is in it


# --- Importing it back ----------------------------------------------------------------------


@pytest.fixture
def staging(settings, tmp_path):
    settings.VAR_DIR = tmp_path


def upload(client, content: bytes, name: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post("/projects/import/", {"file": SimpleUploadedFile(name, content)}).context["preview"]


def saved(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def assert_unchanged(preview):
    assert preview.file_format == "xlsx"
    assert preview.ok, preview.errors + [error for row in preview.rows for error in row.errors]
    assert [(row.key, row.action) for row in preview.rows] == [("unodc-1", "unchanged")]


def test_the_export_imports_back_unchanged(client_for, oct_officer, keyed, staging):
    client = client_for(oct_officer)
    assert_unchanged(upload(client, client.get(XLSX).content, "export.xlsx"))


def test_an_export_edited_in_excel_imports_the_change(client_for, oct_officer, keyed, staging):
    """Excel users edit under the labels; a new column inserted before the title moves the
    hidden field name with it."""
    client = client_for(oct_officer)
    workbook = workbook_of(client.get(XLSX))
    sheet = workbook.worksheets[0]
    sheet.insert_cols(3)
    sheet["C2"] = "My notes"
    sheet["D3"] = "Keyed project, renamed"
    preview = upload(client, saved(workbook), "edited.xlsx")
    assert preview.ok and [(row.key, row.action) for row in preview.rows] == [("unodc-1", "update")]
    assert preview.rows[0].title == "Keyed project, renamed"


def test_a_sheet_that_lost_its_hidden_row_imports_by_its_labels(client_for, oct_officer, keyed, staging):
    client = client_for(oct_officer)
    workbook = workbook_of(client.get(XLSX))
    workbook.worksheets[0].delete_rows(1)
    assert_unchanged(upload(client, saved(workbook), "labels.xlsx"))


def test_a_sheet_with_french_labels_imports_in_english(client_for, oct_officer, keyed, staging):
    oct_officer.language = "fr"
    oct_officer.save(update_fields=["language"])
    french = workbook_of(client_for(oct_officer).get(XLSX))
    french.worksheets[0].delete_rows(1)
    assert french.worksheets[0]["C1"].value == "Titre"
    oct_officer.language = "en"
    oct_officer.save(update_fields=["language"])
    assert_unchanged(upload(client_for(oct_officer), saved(french), "fr.xlsx"))


def test_the_old_header_of_field_names_still_imports(client_for, oct_officer, keyed, staging):
    client = client_for(oct_officer)
    workbook = workbook_of(client.get(XLSX))
    workbook.worksheets[0].delete_rows(2)  # the labels: what exports wrote before
    assert_unchanged(upload(client, saved(workbook), "old.xlsx"))
    old = Workbook()
    old.active.append(["key", "title", "status", "start"])
    old.active.append(["unodc-2", "Typed by hand", "ongoing", "2019-04"])
    preview = upload(client, saved(old), "hand.xlsx")
    assert preview.ok and preview.rows[0].fields["start_month"] == 4


@pytest.mark.parametrize(
    ("label", "field"),
    [("Title", "title"), ("titre", "title"), ("  Clé ", "key"), ("Statut (code)", "status"), ("Nothing", None)],
)
def test_labels_of_any_language_map_to_their_field(label, field):
    assert export_field_for_label(label) == field


def test_a_csv_with_labels_is_read_as_the_template(client_for, oct_officer, keyed, staging):
    client = client_for(oct_officer)
    exported = b"".join(client.get("/projects/export.csv").streaming_content).decode("utf-8-sig")
    assert exported.startswith("key,")  # the CSV keeps the field names: it is for re-import
    lines = exported.splitlines()
    lines[0] = lines[0].replace("key,", "Key,", 1).replace(",title,", ",Title,", 1)
    preview = upload(client, "\n".join(lines).encode(), "labels.csv")
    assert preview.file_format == "csv" and preview.ok
    assert [(row.key, row.action) for row in preview.rows] == [("unodc-1", "unchanged")]


# --- Filters carried ------------------------------------------------------------------------

FILTERS = {"country": "JO", "status": "ongoing", "year": "2019"}


def test_the_list_carries_its_filters_to_the_pivots_and_the_exports(client_for, oct_officer, matrix):
    page = html_tree(client_for(oct_officer).get("/projects/", {**FILTERS, "page": "1", "junk": "x"}))
    tabs = {link.text: link.attrs["href"] for link in page.find("nav", class_="tabs").find_all("a")}
    assert tabs["Pivots and chart"] == "/projects/pivots/?country=JO&status=ongoing&year=2019"
    exports = [link.attrs["href"] for link in page.find("p", class_="exports").find_all("a")]
    assert exports == [
        "/projects/export.csv?country=JO&status=ongoing&year=2019",
        "/projects/export.xlsx?country=JO&status=ongoing&year=2019",
        "/projects/iati/?country=JO&status=ongoing&year=2019",
    ]


def test_the_pivots_apply_the_filters_and_carry_them_back(client_for, oct_officer, matrix):
    response = client_for(oct_officer).get("/projects/pivots/", FILTERS)
    # Ongoing in Jordan in 2019: the border project and the confidential review (2018–2020).
    assert response.context["total"] == 2
    assert [(row["code"], row["total"]) for row in response.context["country_rows"]] == [("JO", 2), ("TN", 1)]
    page = html_tree(response)
    tabs = {link.text: link.attrs["href"] for link in page.find("nav", class_="tabs").find_all("a")}
    assert tabs["Browse"] == "/projects/?country=JO&status=ongoing&year=2019"
    exports = [link.attrs["href"] for link in page.find("p", class_="exports").find_all("a")]
    assert exports[1] == "/projects/export.xlsx?country=JO&status=ongoing&year=2019"


def test_the_export_applies_the_filters(client_for, oct_officer, matrix):
    rows = sheet_rows(workbook_of(client_for(oct_officer).get(XLSX, FILTERS)).worksheets[0])
    assert sorted(row["title"] for row in rows) == ["Border security in Jordan", "Human rights review of prisons"]


def test_the_pages_say_which_filters_apply_and_remove_each(client_for, oct_officer, matrix):
    for url in ("/projects/", "/projects/pivots/"):
        page = html_tree(client_for(oct_officer).get(url, FILTERS))
        box = page.find("div", class_="active-filters")
        items = [item.find("span").text.replace("\u2068", "").replace("\u2069", "") for item in box.find_all("li")]
        assert items == ["Country: Jordan", "Status: Ongoing", "Running in year: 2019"]
        removes = [link.attrs["href"] for link in box.find_all("a", class_="remove-filter")]
        assert removes[0] == f"{url}?status=ongoing&year=2019"
        assert box.find("a", class_="clear-filters").attrs["href"] == url


def test_no_filter_no_summary(client_for, oct_officer, matrix):
    page = html_tree(client_for(oct_officer).get("/projects/pivots/"))
    assert page.find_all("div", class_="active-filters") == []
    assert page.find("p", class_="exports").find_all("a")[0].attrs["href"] == "/projects/export.csv"


# --- Countries ------------------------------------------------------------------------------


def test_the_country_filter_lists_member_states_first_in_groups(client_for, oct_officer):
    page = html_tree(client_for(oct_officer).get("/projects/"))
    select = page.find("select", name="country")
    assert "data-typeahead" in select.attrs
    groups = select.find_all("optgroup")
    assert [group.attrs["label"] for group in groups] == ["UN Member States", "Observer States", "Other territories"]
    assert [len(group.find_all("option")) for group in groups] == [193, 2, 54]
    first = [option.attrs["value"] for option in select.find_all("option") if option.attrs["value"]][:195]
    assert "AQ" not in first and "BV" not in first and "JO" in first and "PS" in first
    jordan = select.find("option", value="JO")
    assert jordan.text == "Jordan" and jordan.attrs["data-terms"].startswith("JO Jordan")


def test_the_project_form_offers_the_same_list_for_several_countries(client_for, oct_officer):
    page = html_tree(client_for(oct_officer).get("/projects/new/"))
    select = page.find("select", name="countries")
    assert "multiple" in select.attrs and "data-typeahead" in select.attrs
    assert select.find_all("optgroup")[0].attrs["label"] == "UN Member States"


def test_a_project_in_several_countries_keeps_them(client_for, oct_officer, roster):
    response = client_for(oct_officer).post("/projects/new/", test_pages.project_form(countries=["JO", "TN", "AQ"]))
    assert response.status_code == 302
    project = Project.objects.get()
    assert sorted(row.country for row in project.country_rows.all()) == ["AQ", "JO", "TN"]
    assert project.classification == Classification.UNCLASSIFIED
