"""The project matrix pages: browse, country, pivots, exports, the project form, overlaps and
imports — who may use each, and what they show for a small known data set."""

from __future__ import annotations

import csv
import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from compact.core.models import Classification
from compact.matrix.models import MatrixImport, OverlapReview, Project
from compact.matrix.services import project_save
from tests.helpers import Node, html_tree

pytestmark = pytest.mark.django_db


def make_project(title: str, *, lead, status="ongoing", years=(None, None), pillars=(), **extra) -> Project:
    fields = {
        "title": title,
        "lead_entity": lead,
        "status": status,
        "start_year": years[0],
        "end_year": years[1],
        "pillars": list(pillars),
        "classification": extra.pop("classification", Classification.UNCLASSIFIED),
        "main_activities": extra.pop("main_activities", ""),
        "partner_organizations": extra.pop("organizations", []),
    }
    return project_save(project=None, actor=None, fields=fields, **extra)


@pytest.fixture
def matrix(roster):
    """Four projects: two unclassified, one confidential, one strictly confidential."""
    jordan = make_project(
        "Border security in Jordan",
        lead=roster.unodc,
        years=(2017, 2021),
        pillars=["I", "II"],
        partner_entities=[roster.cted],
        organizations=["EU"],
        themes=[roster.group],
        countries=["JO", "TN"],
        main_activities="Training of border officers.",
    )
    sahel = make_project(
        "Youth resilience in the Sahel",
        lead=roster.unesco,
        status="completed",
        years=(2015, 2016),
        pillars=["I"],
        partner_entities=[roster.unodc],
        countries=["ML", "NE"],
        regions=["sahel"],
    )
    confidential = make_project(
        "Human rights review of prisons",
        lead=roster.cted,
        years=(2018, 2020),
        pillars=["IV"],
        themes=[roster.group],
        countries=["JO"],
        classification=Classification.CONFIDENTIAL,
    )
    secret = make_project(
        "Financing analysis",
        lead=roster.ohchr,
        status="in-development",
        years=(2020, 2022),
        pillars=["II"],
        themes=[roster.other_group],
        countries=["JO"],
        classification=Classification.STRICTLY_CONFIDENTIAL,
    )
    return {"jordan": jordan, "sahel": sahel, "confidential": confidential, "secret": secret}


def titles(response) -> list[str]:
    return [project.title for project in response.context["page"]]


# --- Permissions ----------------------------------------------------------------------------

LOGGED_IN_PAGES = [
    "/projects/",
    "/projects/export.csv",
    "/projects/export.xlsx",
    "/projects/countries/JO/",
    "/projects/pivots/",
    "/projects/new/",
    "/projects/overlaps/",
    "/projects/import/",
    "/projects/import/template.csv",
]


@pytest.mark.parametrize("url", LOGGED_IN_PAGES)
def test_anonymous_visitors_are_sent_to_sign_in(roster, client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(f"{reverse('login')}?next=")


def test_anonymous_visitors_cannot_open_a_project(matrix, client):
    response = client.get(reverse("project-detail", args=[matrix["jordan"].pk]))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("outsider", {"jordan", "sahel"}),
        ("focal_point", {"jordan", "sahel"}),
        ("committee_member", {"jordan", "sahel", "confidential"}),
        ("oct_officer", {"jordan", "sahel", "confidential", "secret"}),
    ],
)
def test_each_reader_sees_what_their_clearance_allows(request, client_for, matrix, persona, visible):
    client = client_for(request.getfixturevalue(persona))
    response = client.get("/projects/")
    assert set(titles(response)) == {matrix[name].title for name in visible}
    for name, project in matrix.items():
        expected = 200 if name in visible else 404
        assert client.get(reverse("project-detail", args=[project.pk])).status_code == expected, name


@pytest.mark.parametrize("persona", ["outsider", "committee_member", "focal_point", "chair"])
@pytest.mark.parametrize("url", ["/projects/overlaps/", "/projects/import/", "/projects/import/template.csv"])
def test_only_oct_uses_overlaps_and_imports(request, client_for, roster, persona, url):
    assert client_for(request.getfixturevalue(persona)).get(url).status_code == 404


def test_oct_reaches_overlaps_and_imports(client_for, oct_officer):
    client = client_for(oct_officer)
    for url in ["/projects/overlaps/", "/projects/import/", "/projects/import/template.csv"]:
        assert client.get(url).status_code == 200, url


def test_readers_without_an_entity_cannot_create(client_for, outsider, committee_member):
    for user in (outsider, committee_member):
        client = client_for(user)
        assert client.get("/projects/new/").status_code == 404
        assert "New project" not in client.get("/projects/").content.decode()


def test_the_browse_page_offers_new_project_to_oct_and_focal_points(client_for, oct_officer, focal_point):
    for user in (oct_officer, focal_point):
        assert "New project" in client_for(user).get("/projects/").content.decode()


# --- Browsing -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "TN"}, {"jordan"}),
        ({"country": "JO"}, {"jordan", "confidential", "secret"}),
        ({"region": "sahel"}, {"sahel"}),
        ({"pillar": "I"}, {"jordan", "sahel"}),
        ({"pillar": "IV"}, {"confidential"}),
        ({"entity": "UNODC"}, {"jordan", "sahel"}),  # lead of one, partner of the other
        ({"entity": "CTED"}, {"jordan", "confidential"}),
        ({"status": "completed"}, {"sahel"}),
        ({"year": "2016"}, {"sahel"}),
        ({"year": "2019"}, {"jordan", "confidential"}),
        ({"q": "border officers"}, {"jordan"}),
        ({"q": "sahel"}, {"sahel"}),
        ({"country": "JO", "pillar": "II"}, {"jordan", "secret"}),
    ],
)
def test_filters_select_the_expected_projects(client_for, oct_officer, matrix, query, expected):
    response = client_for(oct_officer).get("/projects/", query)
    assert set(titles(response)) == {matrix[name].title for name in expected}
    assert response.context["page"].paginator.count == len(expected)


def test_the_working_group_filter_uses_the_group(client_for, oct_officer, roster, matrix):
    response = client_for(oct_officer).get("/projects/", {"theme": roster.other_group.pk})
    assert titles(response) == ["Financing analysis"]


def test_an_invalid_filter_is_reported_and_the_others_still_apply(client_for, oct_officer, matrix):
    response = client_for(oct_officer).get("/projects/", {"year": "nineteen", "country": "TN"})
    assert response.status_code == 200
    assert titles(response) == ["Border security in Jordan"]
    assert response.context["form"].errors["year"]


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title", ["Border security in Jordan", "Financing analysis", "Human rights review of prisons"]),
        ("-title", ["Youth resilience in the Sahel", "Human rights review of prisons", "Financing analysis"]),
        ("start", ["Youth resilience in the Sahel", "Border security in Jordan", "Human rights review of prisons"]),
        ("-start", ["Financing analysis", "Human rights review of prisons", "Border security in Jordan"]),
    ],
)
def test_sorting(client_for, oct_officer, matrix, sort, expected):
    assert titles(client_for(oct_officer).get("/projects/", {"sort": sort}))[:3] == expected


def test_the_list_pages_by_fifty_and_counts_all(client_for, oct_officer, roster):
    for number in range(55):
        make_project(f"Project {number:02d}", lead=roster.unodc, countries=["JO"])
    client = client_for(oct_officer)
    first = client.get("/projects/")
    assert len(titles(first)) == 50 and first.context["page"].paginator.count == 55
    assert "55 projects" in first.content.decode()
    assert len(titles(client.get("/projects/", {"page": 2}))) == 5


def test_the_list_does_not_query_per_row(client_for, oct_officer, roster):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(oct_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/projects/", {"entity": "UNODC"}).status_code == 200
        return len(captured)

    for number in range(3):
        make_project(f"Project {number:02d}", lead=roster.unodc, partner_entities=[roster.cted], countries=["JO"])
    queries()  # the menu's task count is worked out on the first page, then remembered a minute
    few = queries()
    for number in range(3, 40):
        make_project(f"Project {number:02d}", lead=roster.unodc, partner_entities=[roster.cted], countries=["JO"])
    assert queries() == few


def project_rows(response) -> dict[str, Node]:
    """The rows of the page's projects table, by project title (the filters above it, which
    name the same entities and places, are left out)."""
    body = html_tree(response).find("table", class_="projects").find("tbody")
    return {row.find("th", scope="row").text: row for row in body.find_all("tr")}


def test_a_row_shows_entities_places_years_and_marking(client_for, oct_officer, matrix):
    rows = project_rows(client_for(oct_officer).get("/projects/"))
    assert set(rows) == {project.title for project in matrix.values()}
    jordan = rows["Border security in Jordan"]
    entities = jordan.find("td", class_="project-entities")
    assert entities.find("strong", title="Lead entity").text == "UNODC"
    assert entities.text == "UNODC with CTED and EU"
    assert jordan.find("td", class_="date").text == "2017–2021"
    places = jordan.find("td", class_="places")
    assert [(link.attrs["href"], link.text) for link in places.find_all("a")] == [
        (reverse("project-country", args=["JO"]), "Jordan"),
        (reverse("project-country", args=["TN"]), "Tunisia"),
    ]
    sahel = rows["Youth resilience in the Sahel"]
    assert sahel.find("td", class_="places").find("span", class_="muted").text == "Sahel"
    assert sahel.find("td", class_="date").text == "2015–2016"

    def marking(row: Node) -> list[str]:
        badges = row.find_all("span", class_="badge")
        return [badge.text for badge in badges if "classification-" in badge.attrs["class"]]

    assert {title: marking(row) for title, row in rows.items()} == {
        "Border security in Jordan": [],
        "Youth resilience in the Sahel": [],
        "Human rights review of prisons": ["Classification: Confidential"],
        "Financing analysis": ["Classification: Strictly confidential"],
    }


def test_the_detail_page_shows_every_field(client_for, oct_officer, matrix):
    page = client_for(oct_officer).get(reverse("project-detail", args=[matrix["jordan"].pk])).content.decode()
    for text in ["Border security in Jordan", "UNODC", "CTED", "EU", "Ongoing", "2017–2021", "Jordan", "Tunisia"]:
        assert text in page, text
    assert "Training of border officers." in page
    assert "Human rights and the rule of law" in page


# --- Country page and pivots ----------------------------------------------------------------


def test_the_country_page_lists_its_projects_and_counts_by_pillar(client_for, committee_member, matrix):
    response = client_for(committee_member).get("/projects/countries/jo/")
    assert response.status_code == 200
    assert set(titles(response)) == {"Border security in Jordan", "Human rights review of prisons"}
    assert response.context["name"] == "Jordan"
    counts = [(value, n) for value, _label, n in response.context["pillars"]]
    assert counts == [("I", 1), ("II", 1), ("III", 0), ("IV", 1)]


def test_an_unknown_country_is_not_found(client_for, outsider):
    assert client_for(outsider).get("/projects/countries/XX/").status_code == 404


def test_pivots_count_countries_by_pillar_and_themes_by_entity(client_for, oct_officer, matrix):
    response = client_for(oct_officer).get("/projects/pivots/")
    rows = {row["code"]: row for row in response.context["country_rows"]}
    assert rows["JO"]["total"] == 3
    assert {pillar: cell.value for pillar, cell in rows["JO"]["cells"]} == {"I": 1, "II": 2, "III": 0, "IV": 1}
    assert {pillar: cell.value for pillar, cell in rows["ML"]["cells"]} == {"I": 1, "II": 0, "III": 0, "IV": 0}
    assert response.context["entities"] == ["CTED", "OHCHR", "UNODC"]
    themes = {row["number"]: row for row in response.context["theme_rows"]}
    assert [cell.value for cell in themes[7]["cells"]] == [1, 0, 1] and themes[7]["total"] == 2
    assert [cell.value for cell in themes[2]["cells"]] == [0, 1, 0]
    assert response.context["chart"].table.rows[0] == ("Jordan", "3")


def test_pivots_follow_the_filters_and_the_clearance(client_for, outsider, matrix):
    response = client_for(outsider).get("/projects/pivots/", {"pillar": "I"})
    rows = {row["code"]: row["total"] for row in response.context["country_rows"]}
    assert rows == {"JO": 1, "TN": 1, "ML": 1, "NE": 1}
    assert response.context["total"] == 2


# --- Exports --------------------------------------------------------------------------------


def read_csv(response) -> list[dict[str, str]]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_xlsx(response) -> list[dict[str, object]]:
    """The data rows by field name: the first row (hidden) has the field names, the second the labels."""
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[2:]]


def test_the_csv_export_has_codes_and_labels(client_for, oct_officer, matrix):
    response = client_for(oct_officer).get("/projects/export.csv", {"country": "TN"})
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    (row,) = read_csv(response)
    assert row["title"] == "Border security in Jordan"
    assert (row["status"], row["status_label"]) == ("ongoing", "Ongoing")
    assert (row["countries"], row["country_names"]) == ("JO; TN", "Jordan; Tunisia")
    assert (row["lead_entity"], row["partner_entities"], row["partner_organizations"]) == ("UNODC", "CTED", "EU")
    assert row["pillars"] == "I; II" and row["pillar_labels"].startswith("I. Addressing")
    assert (row["themes"], row["theme_labels"]) == ("7", "Human rights and the rule of law")
    assert (row["start"], row["end"]) == ("2017", "2021")
    assert row["classification"] == "unclassified"


def test_the_csv_export_respects_the_clearance(client_for, committee_member, matrix):
    rows = read_csv(client_for(committee_member).get("/projects/export.csv"))
    assert {row["title"] for row in rows} == {
        "Border security in Jordan",
        "Youth resilience in the Sahel",
        "Human rights review of prisons",
    }


def test_the_xlsx_export_has_codes_labels_and_the_filters(client_for, oct_officer, matrix):
    response = client_for(oct_officer).get("/projects/export.xlsx", {"region": "sahel"})
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    (row,) = read_xlsx(response)
    assert row["title"] == "Youth resilience in the Sahel"
    assert (row["regions"], row["region_labels"]) == ("sahel", "Sahel")
    assert (row["countries"], row["country_names"]) == ("ML; NE", "Mali; Niger")
    assert (row["status"], row["status_label"]) == ("completed", "Completed")


def test_the_xlsx_export_respects_the_clearance(client_for, outsider, matrix):
    rows = read_xlsx(client_for(outsider).get("/projects/export.xlsx"))
    assert {row["title"] for row in rows} == {"Border security in Jordan", "Youth resilience in the Sahel"}


def test_exports_do_not_let_a_spreadsheet_run_a_title(client_for, oct_officer, roster):
    make_project('=HYPERLINK("http://evil")', lead=roster.unodc)
    (row,) = read_csv(client_for(oct_officer).get("/projects/export.csv"))
    assert row["title"] == '\'=HYPERLINK("http://evil")'
    (cell,) = read_xlsx(client_for(oct_officer).get("/projects/export.xlsx"))
    assert cell["title"] == '\'=HYPERLINK("http://evil")'  # as in the CSV, and stored as text


# --- Creating and editing -------------------------------------------------------------------


def project_form(**overrides) -> dict[str, object]:
    data = {
        "title": "Media literacy for youth",
        "main_activities": "Workshops.",
        "status": "ongoing",
        "stage": "",
        "start_year": "2024",
        "start_month": "3",
        "end_year": "2026",
        "end_month": "",
        "pillars": ["I"],
        "scope": "national",
        "countries": ["KE"],
        "regions": [],
        "classification": "unclassified",
        "gender_marker": "true",
        "hrdd_assessed": "unknown",
        "budget_usd": "250000",
        "donors": "Norway",
        "partner_organizations": "EU\nAU\n",
    }
    data.update(overrides)
    return data


def test_a_focal_point_creates_a_project_led_by_their_entity(client_for, focal_point, roster):
    client = client_for(focal_point)
    form = client.get("/projects/new/").context["form"]
    assert list(form.fields["lead_entity"].queryset) == [roster.unesco]
    response = client.post("/projects/new/", project_form(lead_entity=roster.unesco.pk))
    project = Project.objects.get(title="Media literacy for youth")
    assert response.status_code == 302 and response["Location"] == reverse("project-detail", args=[project.pk])
    assert project.lead_entity == roster.unesco
    assert project.partner_organizations == ["EU", "AU"]
    assert (project.start_year, project.start_month, project.end_year) == (2024, 3, 2026)
    assert project.gender_marker is True and project.hrdd_assessed is None
    assert list(project.country_rows.values_list("country", flat=True)) == ["KE"]
    assert project.updated_by == focal_point


def test_a_focal_point_cannot_create_for_another_entity(client_for, focal_point, roster):
    response = client_for(focal_point).post("/projects/new/", project_form(lead_entity=roster.unodc.pk))
    assert response.status_code == 400
    assert "lead_entity" in response.context["form"].errors
    assert not Project.objects.exists()


def test_a_focal_point_edits_their_entitys_project_not_anothers(client_for, focal_point, matrix):
    client = client_for(focal_point)
    sahel = matrix["sahel"]  # led by UNESCO
    assert client.get(reverse("project-edit", args=[sahel.pk])).status_code == 200
    response = client.post(
        reverse("project-edit", args=[sahel.pk]),
        project_form(title="Youth resilience in the Sahel, phase 2", lead_entity=sahel.lead_entity_id),
    )
    assert response.status_code == 302
    sahel.refresh_from_db()
    assert sahel.title == "Youth resilience in the Sahel, phase 2"
    jordan = matrix["jordan"]  # UNODC and CTED
    assert client.get(reverse("project-edit", args=[jordan.pk])).status_code == 404
    assert client.post(reverse("project-edit", args=[jordan.pk]), project_form()).status_code == 404
    assert client.post(reverse("project-delete", args=[jordan.pk])).status_code == 404
    assert Project.objects.filter(pk=jordan.pk).exists()


def test_the_detail_page_offers_edit_only_to_editors(client_for, focal_point, outsider, matrix):
    url = reverse("project-detail", args=[matrix["sahel"].pk])
    assert reverse("project-edit", args=[matrix["sahel"].pk]) in client_for(focal_point).get(url).content.decode()
    assert reverse("project-edit", args=[matrix["sahel"].pk]) not in client_for(outsider).get(url).content.decode()


def test_errors_keep_what_was_typed_and_save_nothing(client_for, oct_officer, roster):
    data = project_form(title="Kept title", start_year="2026", end_year="2020", lead_entity=roster.unodc.pk)
    response = client_for(oct_officer).post("/projects/new/", data)
    assert response.status_code == 400
    assert "end_year" in response.context["form"].errors  # from the service
    page = response.content.decode()
    assert 'value="Kept title"' in page and "Norway" in page
    assert not Project.objects.exists()


def test_the_form_offers_only_classifications_within_clearance(client_for, committee_member, focal_point):
    choices = client_for(focal_point).get("/projects/new/").context["form"].fields["classification"].choices
    assert [value for value, _label in choices] == ["unclassified"]


def test_oct_edits_any_project_and_may_leave_the_lead_empty(client_for, oct_officer, matrix):
    secret = matrix["secret"]
    data = project_form(title="Financing analysis, revised", classification="strictly-confidential")
    data["lead_entity"] = ""
    response = client_for(oct_officer).post(reverse("project-edit", args=[secret.pk]), data)
    assert response.status_code == 302
    secret.refresh_from_db()
    assert secret.title == "Financing analysis, revised" and secret.lead_entity is None


def test_the_edit_form_starts_from_the_project(client_for, oct_officer, roster, matrix):
    form = client_for(oct_officer).get(reverse("project-edit", args=[matrix["jordan"].pk])).context["form"]
    assert form.initial["partner_organizations"] == "EU"
    assert sorted(form.initial["countries"]) == ["JO", "TN"]
    assert form.initial["partner_entities"] == [roster.cted.pk]


def test_an_editor_deletes_a_project(client_for, focal_point, matrix):
    response = client_for(focal_point).post(reverse("project-delete", args=[matrix["sahel"].pk]))
    assert response.status_code == 302
    assert not Project.objects.filter(pk=matrix["sahel"].pk).exists()


# --- Overlaps -------------------------------------------------------------------------------


def test_overlaps_list_pairs_and_oct_marks_them_reviewed(client_for, oct_officer, matrix):
    client = client_for(oct_officer)
    response = client.get("/projects/overlaps/")
    (item,) = list(response.context["page"])
    pair = item["candidate"]
    assert {pair.first.title, pair.second.title} == {"Border security in Jordan", "Human rights review of prisons"}
    assert item["countries"] == [("JO", "Jordan")]
    assert item["shared"] == ["7. Human rights"]
    page = response.content.decode()
    assert "Mark as reviewed" in page and "2017–2021" in page
    posted = client.post(
        reverse("project-overlap-review"),
        {"first": pair.first.pk, "second": pair.second.pk, "note": "Joint programming agreed.", "back": "country=JO"},
    )
    assert posted.status_code == 302
    assert posted["Location"] == f"/projects/overlaps/?country=JO#pair-{pair.first.pk}-{pair.second.pk}"
    review = OverlapReview.objects.get()
    assert review.note == "Joint programming agreed." and review.reviewed_by == oct_officer
    page = client.get("/projects/overlaps/").content.decode()
    assert "Joint programming agreed." in page and "Officer Tester" in page
    hidden = client.get("/projects/overlaps/", {"hide_reviewed": "on"})
    assert list(hidden.context["page"]) == []
    assert "Every candidate pair has been reviewed." in hidden.content.decode()


def test_overlaps_filter_by_country(client_for, oct_officer, matrix):
    response = client_for(oct_officer).get("/projects/overlaps/", {"country": "TN"})
    assert list(response.context["page"]) == []


def test_only_oct_marks_overlaps(client_for, committee_member, matrix):
    data = {"first": matrix["jordan"].pk, "second": matrix["confidential"].pk, "note": "x"}
    assert client_for(committee_member).post(reverse("project-overlap-review"), data).status_code == 404
    assert not OverlapReview.objects.exists()


# --- Imports --------------------------------------------------------------------------------

MATRIX_TEXT = (
    "#### Pillar I of the UN Global Counter-Terrorism Strategy\n"
    "\n"
    "2 projects\n"
    "\n"
    "Serial\tProject Title/Duration/CTITF Entities\tStatus of Implementation\tMain Activities\tGeographical Scope\n"
    "1\tSome project (2017–2019) <b>UNODC, EU</b>\tOngoing\tTraining.\tJordan, Tunisia\n"
    "2\tAnother project (2018–2020) <b>CTED</b>\tCompleted\tWorkshops.\tSahel\n"
)


@pytest.fixture
def staging(settings, tmp_path):
    """Uploads wait for their commit in the file storage (local disk here: MEDIA_ROOT)."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path / "staging" / "matrix-imports"


def upload(client, content: bytes, name: str = "matrix.txt"):
    return client.post("/projects/import/", {"file": SimpleUploadedFile(name, content, content_type="text/plain")})


def test_the_import_page_documents_the_template(client_for, oct_officer):
    page = client_for(oct_officer).get("/projects/import/").content.decode()
    assert "<code>partner_organizations</code>" in page
    assert reverse("matrix-import-template") in page
    template = client_for(oct_officer).get("/projects/import/template.csv")
    assert template.content.decode("utf-8-sig").startswith("key,title,")


def test_a_matrix_is_previewed_then_committed(client_for, oct_officer, roster, staging):
    client = client_for(oct_officer)
    preview = upload(client, MATRIX_TEXT.encode())
    assert preview.status_code == 200
    context = preview.context
    assert [row.action for row in context["preview"].rows] == ["create", "create"]
    [pillar, total] = context["reconciliation"]
    assert (pillar.heading, pillar.found, pillar.differs, total.is_total) == (2, 2, False, True)
    page = preview.content.decode()
    assert "Some project" in page and "Another project" in page and "Commit import" in page
    assert "“EU” is not a registered entity" in page
    assert not Project.objects.exists()  # a dry run
    sha256 = context["preview"].sha256
    assert (staging / f"{sha256}.upload").is_file()

    committed = client.post("/projects/import/commit/", {"sha256": sha256, "file_name": "matrix.txt"})
    assert committed.status_code == 302
    assert Project.objects.count() == 2
    some = Project.objects.get(title="Some project")
    assert some.lead_entity == roster.unodc and some.partner_organizations == ["EU"]
    assert sorted(some.country_rows.values_list("country", flat=True)) == ["JO", "TN"]
    batch = MatrixImport.objects.get()
    assert (batch.created, batch.updated, batch.imported_by) == (2, 0, oct_officer)
    assert not (staging / f"{sha256}.upload").exists()
    assert "2 created" in client.get("/projects/import/").content.decode()

    again = upload(client, MATRIX_TEXT.encode())
    assert [row.action for row in again.context["preview"].rows] == ["unchanged", "unchanged"]


def test_a_commit_without_its_preview_imports_nothing(client_for, oct_officer, roster, staging):
    response = client_for(oct_officer).post(
        "/projects/import/commit/", {"sha256": "0" * 64, "file_name": "matrix.txt"}, follow=True
    )
    assert "upload it again" in response.content.decode()
    assert not Project.objects.exists() and not MatrixImport.objects.exists()


def test_a_changed_file_is_not_committed(client_for, oct_officer, roster, staging):
    client = client_for(oct_officer)
    sha256 = upload(client, MATRIX_TEXT.encode()).context["preview"].sha256
    (staging / f"{sha256}.upload").write_bytes(MATRIX_TEXT.replace("Some", "Other").encode())
    response = client.post("/projects/import/commit/", {"sha256": sha256, "file_name": "m.txt"}, follow=True)
    assert "not the one previewed" in response.content.decode()
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02binary\x00", "This is not a text, CSV or Excel (.xlsx) file."),
        ("Pillar I — café".encode("utf-16"), "Save it as CSV UTF-8"),
        ("Serial\tTitle\n".encode("latin-1") + b"caf\xe9\n", "not UTF-8"),
        (b"Just some text, no matrix here.\n", "No matrix rows were found"),
    ],
)
def test_bad_files_get_a_clear_message_and_import_nothing(client_for, oct_officer, roster, staging, content, message):
    response = upload(client_for(oct_officer), content)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert "Commit import" not in page
    assert not Project.objects.exists()
    assert not staging.exists() or not list(staging.iterdir())


def test_a_huge_file_is_refused_unread(client_for, oct_officer, roster, staging, monkeypatch):
    from compact.matrix.imports import views

    monkeypatch.setattr(views, "MAX_BYTES", 1000)
    response = upload(client_for(oct_officer), b"x" * 2000)
    assert response.status_code == 400
    assert "the limit is 1000" in response.content.decode()
    assert not Project.objects.exists()


def test_stale_uploads_are_dropped(client_for, oct_officer, roster, staging):
    import os
    import time

    staging.mkdir(parents=True)
    stale = staging / ("a" * 64 + ".upload")
    stale.write_bytes(b"old")
    old = time.time() - 2 * 86400
    os.utime(stale, (old, old))
    upload(client_for(oct_officer), MATRIX_TEXT.encode())
    assert not stale.exists()


def test_only_oct_previews_and_commits(client_for, focal_point, roster, staging):
    client = client_for(focal_point)
    assert upload(client, MATRIX_TEXT.encode()).status_code == 404
    assert not staging.exists() or not list(staging.iterdir())  # the upload was not kept
    sha256 = hashlib.sha256(MATRIX_TEXT.encode()).hexdigest()
    staging.mkdir(parents=True, exist_ok=True)
    (staging / f"{sha256}.upload").write_bytes(MATRIX_TEXT.encode())  # as if OCT had previewed it
    assert client.post("/projects/import/commit/", {"sha256": sha256, "file_name": "x"}).status_code == 404
    assert not Project.objects.exists() and not MatrixImport.objects.exists()


def test_the_import_page_lists_imports_even_by_nobody(client_for, oct_officer):
    MatrixImport.objects.create(file_name="seed.txt", sha256="0" * 64, file_format="report", created=3)
    page = client_for(oct_officer).get("/projects/import/").content.decode()
    assert "seed.txt" in page


def test_a_review_by_an_account_since_closed_still_shows(client_for, oct_officer, oct_colleague, matrix):
    """The reviewer's account cannot be deleted (the audit trail keeps who reviewed), so it is
    closed the way the product allows, by deactivating it: the review stays, under their name."""
    from django.db.models import ProtectedError
    from django.utils import timezone
    from django.utils.formats import date_format

    first, second = sorted([matrix["jordan"], matrix["confidential"]], key=lambda p: p.pk)
    data = {"first": first.pk, "second": second.pk, "note": "Seen."}
    assert client_for(oct_colleague).post(reverse("project-overlap-review"), data).status_code == 302
    with pytest.raises(ProtectedError):
        oct_colleague.delete()
    oct_colleague.is_active = False
    oct_colleague.save(update_fields=["is_active"])
    review = OverlapReview.objects.get()
    assert review.reviewed_by == oct_colleague
    page = html_tree(client_for(oct_officer).get("/projects/overlaps/"))
    done = page.find("li", id=f"pair-{first.pk}-{second.pk}").find("p", class_="review-done")
    day = date_format(timezone.localtime(review.reviewed_at), "j M Y")
    assert done.text == f"Reviewed by Colleague Tester on {day}: Seen."


def test_an_export_imports_back_unchanged(client_for, oct_officer, roster, staging):
    project_save(
        project=None,
        actor=None,
        fields={
            "title": "Keyed project",
            "lead_entity": roster.unodc,
            "status": "ongoing",
            "pillars": ["II"],
            "scope": "national",
        },
        countries=["JO"],
        source={"source_key": "unodc-1"},
    )
    client = client_for(oct_officer)
    exported = b"".join(client.get("/projects/export.csv").streaming_content)
    assert exported.decode("utf-8-sig").startswith("key,")
    preview = upload(client, exported, "export.csv").context["preview"]
    assert preview.file_format == "csv" and preview.ok
    assert [(row.key, row.action) for row in preview.rows] == [("unodc-1", "unchanged")]


def test_the_preview_lists_every_name_and_place_left_unresolved(client_for, oct_officer, roster, staging):
    page = upload(client_for(oct_officer), MATRIX_TEXT.encode()).content.decode()
    section = page.split('id="unlinked-heading"')[1].split("</section>")[0]
    assert ">EU<" in section.replace("\u2068", "").replace("\u2069", "")  # no organization registry in the roster
    assert reverse("matrix-quality") in section
