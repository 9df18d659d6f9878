"""The matrix's exports and pivots with the filters carried (issue 17): attacks on them.

- An export never holds a project above the reader's clearance, whatever the filters name, and
  its marking never names a level above what it holds.
- Filters with junk values (unknown codes, huge numbers, markup, null bytes, repeated keys) are
  reported on the pages and ignored everywhere: never a 500, never fewer or more rows than
  without them.
- A title starting like a formula is a text cell in the XLSX; what a reader typed in the search
  box reaches the workbook's title and printed footer only as text (no header/footer codes).
"""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from tests.compact.matrix import test_pages
from tests.compact.matrix.test_pages import make_project

pytestmark = pytest.mark.django_db

matrix = test_pages.matrix  # four projects: two unclassified, one confidential, one strictly confidential

XLSX = "/projects/export.xlsx"
CSV = "/projects/export.csv"


def xlsx_titles(response) -> set[str]:
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    return {row[2] for row in sheet.iter_rows(min_row=3, values_only=True)}


def csv_titles(response) -> set[str]:
    lines = b"".join(response.streaming_content).decode("utf-8-sig")
    return {row["title"] for row in csv.DictReader(io.StringIO(lines))}


@pytest.mark.parametrize(
    ("persona", "titles", "marking"),
    [
        ("outsider", {"Border security in Jordan"}, None),
        ("committee_member", {"Border security in Jordan", "Human rights review of prisons"}, "Confidential"),
    ],
)
def test_a_filter_naming_projects_above_the_clearance_does_not_reveal_them(
    request, client_for, matrix, persona, titles, marking
):
    """Jordan holds all four projects; the filter on it (and on the years of the hidden ones)
    brings out only what the reader may read."""
    client = client_for(request.getfixturevalue(persona))
    query = {"country": "JO", "q": "a"}
    response = client.get(XLSX, query)
    assert xlsx_titles(response) == titles
    assert load_workbook(io.BytesIO(response.content)).properties.category == marking
    assert csv_titles(client.get(CSV, query)) == titles
    assert client.get("/projects/pivots/", query).context["total"] == len(titles)
    assert client.get(XLSX, {"entity": "OHCHR"}).status_code == 200
    assert xlsx_titles(client.get(XLSX, {"entity": "OHCHR"})) == set()  # the strictly confidential one's lead


JUNK = [
    {"country": "ZZ"},
    {"country": "<script>alert(1)</script>"},
    {"region": "nowhere"},
    {"pillar": "V"},
    {"theme": "abc"},
    {"theme": "-1"},
    {"theme": "99999999999999999999999"},
    {"entity": "NOPE"},
    {"status": "bogus"},
    {"year": "abc"},
    {"year": "99999999999999999999"},
    {"sort": "; DROP TABLE"},
    {"q": "x" * 5000},
    {"q": "nul\x00byte"},
    {"page": "-5"},
]


@pytest.mark.parametrize("junk", JUNK, ids=lambda junk: next(iter(junk)))
def test_junk_filters_are_ignored_by_the_exports(client_for, oct_officer, matrix, junk):
    client = client_for(oct_officer)
    everything = xlsx_titles(client.get(XLSX))
    response = client.get(XLSX, junk)
    assert response.status_code == 200 and xlsx_titles(response) == everything
    assert csv_titles(client.get(CSV, junk)) == everything


@pytest.mark.parametrize("junk", [j for j in JUNK if "page" not in j and "sort" not in j], ids=lambda j: next(iter(j)))
@pytest.mark.parametrize("url", ["/projects/", "/projects/pivots/"])
def test_junk_filters_are_reported_on_the_pages_and_ignored(client_for, oct_officer, matrix, junk, url):
    response = client_for(oct_officer).get(url, junk)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors, "the page says which value it could not use"
    assert response.context["active_filters"] == []
    page = response.content.decode()
    assert "<script>alert(1)</script>" not in page
    assert 'class="field-error"' in page


def test_a_junk_filter_next_to_a_good_one_keeps_the_good_one(client_for, oct_officer, matrix):
    client = client_for(oct_officer)
    query = {"country": "TN", "year": "abc"}
    assert xlsx_titles(client.get(XLSX, query)) == {"Border security in Jordan"}
    response = client.get("/projects/pivots/", query)
    assert response.context["total"] == 1
    assert [f["name"] for f in response.context["active_filters"]] == ["country"]


def test_repeated_keys_use_one_value(client_for, oct_officer, matrix):
    response = client_for(oct_officer).get("/projects/?country=TN&country=ML")
    assert response.status_code == 200
    page = response.content.decode()
    # The tabs carry one value of each key, the one the page applied.
    applied = response.context["form"].cleaned_data["country"]
    assert f"/projects/pivots/?country={applied}" in page


@pytest.mark.parametrize("sign", ["=", "+", "-", "@"])
def test_a_title_starting_like_a_formula_is_a_text_cell(client_for, oct_officer, roster, sign):
    make_project(f"{sign}1+1", lead=roster.unodc)
    content = client_for(oct_officer).get(XLSX).content
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    cell = sheet["C3"]
    assert cell.data_type == "s" and cell.value == f"'{sign}1+1"
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_the_search_text_reaches_the_workbook_title_as_text_only(client_for, oct_officer, roster):
    make_project("Budget &P review =1+1", lead=roster.unodc)
    content = client_for(oct_officer).get(XLSX, {"q": "&P =1+1"}).content
    workbook = load_workbook(io.BytesIO(content))
    assert "Search: &P =1+1" in workbook.properties.title
    footer = workbook.worksheets[0].oddFooter.left.text
    assert "&&P =1+1" in footer and "&P =" not in footer.replace("&&P", "")
