"""The project matrix API: the browse page's filters and pagination, clearance, who creates,
edits and deletes what, a constant number of queries per page, the pivots, OCT's overlap
finder and imports."""

from __future__ import annotations

import csv
import hashlib
import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compact.core.models import Classification
from compact.matrix.imports.files import TEMPLATE_HEADER
from compact.matrix.models import MatrixImport, OverlapReview, Project
from compact.matrix.services import project_save

pytestmark = pytest.mark.django_db

PROJECTS = "/api/v1/projects/"
OVERLAPS = f"{PROJECTS}overlaps/"
IMPORTS = "/api/v1/matrix-imports/"
OTHERS = ["committee_member", "chair", "focal_point", "outsider"]


def make_project(roster, title: str = "Prison staff training", **overrides: Any) -> Project:
    """A project as an import would save it; ``overrides`` go to fields, except the lists."""
    lists = {name: overrides.pop(name) for name in ("countries", "regions", "partners", "themes") if name in overrides}
    fields = {
        "title": title,
        "status": "ongoing",
        "lead_entity": roster.unodc,
        "pillars": ["I"],
        "start_year": 2017,
        "end_year": 2021,
        "classification": Classification.UNCLASSIFIED,
        **overrides,
    }
    return project_save(
        project=None,
        actor=None,
        fields=fields,
        countries=lists.get("countries", ["JO"]),
        regions=lists.get("regions", ["maghreb"]),
        partner_entities=lists.get("partners", []),
        themes=lists.get("themes", []),
    )


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


def url(project: Project, suffix: str = "") -> str:
    return f"{PROJECTS}{project.pk}/{suffix}"


def stored(project: Project) -> dict[str, Any] | None:
    """The project's row as the database holds it (None once deleted), to compare before and after."""
    return Project.objects.filter(pk=project.pk).values().first()


@pytest.fixture
def matrix(roster) -> dict[str, Project]:
    """Four projects that the filters tell apart, and one of each classification above."""
    return {
        "row18": make_project(
            roster,
            "Border security in the Maghreb",
            main_activities="Training of border police.",
            partners=[roster.unoct, roster.cted],
            partner_organizations=["EU"],
            countries=["JO", "KZ", "MA", "TN"],
            themes=[roster.group],
        ),
        "unesco": make_project(
            roster,
            "Youth and preventing violent extremism",
            lead_entity=roster.unesco,
            pillars=["I", "IV"],
            status="completed",
            start_year=2012,
            end_year=2015,
            countries=["TN"],
            regions=[],
        ),
        "ohchr": make_project(
            roster,
            "Human rights in counter-terrorism investigations",
            lead_entity=roster.ohchr,
            pillars=["IV"],
            start_year=2019,
            end_year=None,
            countries=["NE", "ML"],
            regions=["sahel"],
            themes=[roster.group],
        ),
        "global": make_project(
            roster, "Global programme on terrorist financing", pillars=["II"], countries=[], regions=[]
        ),
        "confidential": make_project(
            roster, "Confidential assessment", classification=Classification.CONFIDENTIAL, countries=["JO"]
        ),
        "secret": make_project(
            roster, "Strictly confidential assessment", classification=Classification.STRICTLY_CONFIDENTIAL
        ),
    }


# --- Anonymous callers and the schema ---------------------------------------------------------------

ENDPOINTS = [
    ("get", PROJECTS),
    ("post", PROJECTS),
    ("get", f"{PROJECTS}1/"),
    ("patch", f"{PROJECTS}1/"),
    ("delete", f"{PROJECTS}1/"),
    ("get", f"{PROJECTS}pivots/country-pillar/"),
    ("get", f"{PROJECTS}pivots/theme-entity/"),
    ("get", f"{PROJECTS}pivots/per-country/"),
    ("get", OVERLAPS),
    ("post", f"{OVERLAPS}review/"),
    ("get", IMPORTS),
    ("post", f"{IMPORTS}preview/"),
    ("post", f"{IMPORTS}commit/"),
]


@pytest.mark.parametrize(("method", "path"), ENDPOINTS)
def test_anonymous_callers_are_refused(matrix, api_for, method, path):
    response = getattr(api_for(None), method)(path.replace("/1/", f"/{matrix['row18'].pk}/"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert Project.objects.count() == 6


def test_the_schema_documents_every_matrix_endpoint(roster, outsider, api_for):
    paths = api_for(outsider).get("/api/v1/schema/?format=json").json()["paths"]
    assert set(paths["/api/v1/projects/"]) == {"get", "post"}
    assert set(paths["/api/v1/projects/{id}/"]) == {"get", "patch", "delete"}
    for path in [
        "/api/v1/projects/pivots/country-pillar/",
        "/api/v1/projects/pivots/theme-entity/",
        "/api/v1/projects/pivots/per-country/",
        "/api/v1/projects/overlaps/",
        "/api/v1/projects/overlaps/review/",
        "/api/v1/matrix-imports/preview/",
        "/api/v1/matrix-imports/commit/",
    ]:
        assert path in paths
    parameters = {p["name"] for p in paths["/api/v1/projects/"]["get"]["parameters"]}
    assert parameters >= {"country", "region", "pillar", "theme", "entity", "status", "year", "q", "search"}
    assert parameters >= {"ordering", "page"}


# --- Reading ----------------------------------------------------------------------------------------


def test_a_project_reads_with_its_codes(matrix, roster, oct_officer, api_for):
    body = api_for(oct_officer).get(url(matrix["row18"])).json()
    assert body["title"] == "Border security in the Maghreb"
    assert body["main_activities"] == "Training of border police."
    assert body["lead_entity"] == "UNODC"
    assert body["partner_entities"] == ["CTED", "UNOCT"]
    assert body["partner_organizations"] == ["EU"]
    assert (body["status"], body["start_year"], body["end_year"]) == ("ongoing", 2017, 2021)
    assert body["pillars"] == ["I"]
    assert [theme["number"] for theme in body["themes"]] == [7]
    assert body["countries"] == ["JO", "KZ", "MA", "TN"]
    assert body["regions"] == ["maghreb"]
    assert body["classification"] == "unclassified"
    assert body["can_edit"] is True
    assert {"scope", "gender_marker", "hrdd_assessed", "budget_usd", "donors", "source_key", "updated_at"} <= set(body)


@pytest.mark.parametrize(
    ("persona", "visible"),
    [
        ("oct_officer", {"row18", "unesco", "ohchr", "global", "confidential", "secret"}),
        ("committee_member", {"row18", "unesco", "ohchr", "global", "confidential"}),
        ("focal_point", {"row18", "unesco", "ohchr", "global"}),
        ("outsider", {"row18", "unesco", "ohchr", "global"}),
    ],
)
def test_readers_see_what_their_clearance_allows(request, matrix, api_for, persona, visible):
    api = api_for(request.getfixturevalue(persona))
    assert set(ids(api.get(PROJECTS))) == {matrix[name].pk for name in visible}
    for name, project in matrix.items():
        assert api.get(url(project)).status_code == (200 if name in visible else 404)


def test_an_inactive_account_reads_nothing(matrix, outsider, api_for):
    outsider.is_active = False
    outsider.save(update_fields=["is_active"])
    assert api_for(outsider).get(PROJECTS).status_code == 403


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"country": "tn"}, {"row18", "unesco"}),
        ({"region": "sahel"}, {"ohchr"}),
        ({"pillar": "IV"}, {"unesco", "ohchr"}),
        ({"entity": "unesco"}, {"unesco"}),
        ({"entity": "CTED"}, {"row18"}),  # a partner counts
        ({"status": "completed"}, {"unesco"}),
        ({"year": 2013}, {"unesco"}),
        ({"year": 2030}, {"ohchr"}),  # open-ended: still running
        ({"q": "maghreb"}, {"row18"}),
        ({"search": "BORDER POLICE"}, {"row18"}),
        ({"country": "JO", "pillar": "I", "status": "ongoing"}, {"row18"}),
    ],
)
def test_the_list_filters_as_the_page_does(matrix, outsider, api_for, query, expected):
    assert set(ids(api_for(outsider).get(PROJECTS, query))) == {matrix[name].pk for name in expected}


def test_the_list_filters_by_working_group(matrix, roster, outsider, api_for):
    found = ids(api_for(outsider).get(PROJECTS, {"theme": roster.group.pk}))
    assert set(found) == {matrix["row18"].pk, matrix["ohchr"].pk}
    assert ids(api_for(outsider).get(PROJECTS, {"theme": roster.other_group.pk})) == []


def test_the_list_is_sorted_as_asked(matrix, outsider, api_for):
    by_title = ids(api_for(outsider).get(PROJECTS))
    assert by_title[0] == matrix["row18"].pk and by_title[-1] == matrix["unesco"].pk
    latest = ids(api_for(outsider).get(PROJECTS, {"ordering": "-start"}))
    assert latest[0] == matrix["ohchr"].pk and latest[-1] == matrix["unesco"].pk


@pytest.mark.parametrize(
    "query",
    [{"country": "XX"}, {"pillar": "V"}, {"status": "done"}, {"entity": "NOPE"}, {"year": "soon"}, {"ordering": "x"}],
)
def test_a_bad_filter_is_a_400_not_everything(matrix, outsider, api_for, query):
    response = api_for(outsider).get(PROJECTS, query)
    assert response.status_code == 400
    assert set(response.json()) == set(query)


def test_the_list_has_50_projects_a_page(roster, outsider, api_for):
    for number in range(60):
        make_project(roster, f"Project {number:02d}")
    first = api_for(outsider).get(PROJECTS).json()
    assert first["count"] == 60 and len(first["results"]) == 50 and first["next"].endswith("?page=2")
    second = api_for(outsider).get(PROJECTS, {"page": 2}).json()
    assert [p["title"] for p in second["results"]] == [f"Project {n}" for n in range(50, 60)]


def _add_detailed_projects(roster, count: int, start: int = 0) -> None:
    for number in range(start, start + count):
        make_project(
            roster,
            f"Project {number:03d}",
            partners=[roster.unoct, roster.cted],
            themes=[roster.group, roster.other_group],
            countries=["JO", "TN"],
            regions=["maghreb", "mena"],
        )


def test_the_number_of_queries_does_not_grow_with_the_projects(
    roster, committee_member, api_for, django_assert_max_num_queries
):
    api = api_for(committee_member)
    _add_detailed_projects(roster, 5)
    with CaptureQueriesContext(connection) as five:
        assert len(ids(api.get(PROJECTS))) == 5
    assert len(five) <= 8
    _add_detailed_projects(roster, 55, start=5)
    with django_assert_max_num_queries(len(five)):
        assert len(ids(api.get(PROJECTS))) == 50
    with django_assert_max_num_queries(len(five)):
        assert len(ids(api.get(PROJECTS, {"country": "JO", "pillar": "I", "status": "ongoing"}))) == 50


# --- Writing ----------------------------------------------------------------------------------------


def new_project(**overrides: Any) -> dict[str, Any]:
    return {
        "title": "Media literacy for youth",
        "status": "in-development",
        "lead_entity": "unesco",
        "partner_entities": ["UNOCT"],
        "partner_organizations": ["EU"],
        "pillars": ["I"],
        "themes": [],
        "start_year": 2026,
        "start_month": 3,
        "end_year": 2027,
        "countries": ["jo", "LB"],
        "regions": ["mena"],
        **overrides,
    }


def test_a_focal_point_creates_a_project_of_their_entity(roster, focal_point, api_for):
    response = api_for(focal_point).post(PROJECTS, new_project(themes=[roster.group.pk]), format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["lead_entity"] == "UNESCO" and body["partner_entities"] == ["UNOCT"]
    assert body["countries"] == ["JO", "LB"] and body["regions"] == ["mena"]
    assert body["can_edit"] is True and body["themes"][0]["id"] == roster.group.pk
    project = Project.objects.get(pk=body["id"])
    assert project.updated_by == focal_point and project.start_month == 3


@pytest.mark.parametrize("persona", ["focal_point", "outsider", "committee_member", "chair"])
def test_only_oct_creates_a_project_another_entity_leads(request, roster, api_for, persona):
    response = api_for(request.getfixturevalue(persona)).post(PROJECTS, new_project(lead_entity="UNODC"), format="json")
    assert response.status_code == 403
    assert not Project.objects.exists()


def test_oct_creates_any_project(roster, oct_officer, api_for):
    response = api_for(oct_officer).post(PROJECTS, new_project(lead_entity="UNODC"), format="json")
    assert response.status_code == 201 and response.json()["lead_entity"] == "UNODC"


def test_a_focal_point_cannot_create_above_their_clearance(roster, focal_point, api_for):
    response = api_for(focal_point).post(PROJECTS, new_project(classification="confidential"), format="json")
    assert response.status_code == 403
    assert not Project.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"countries": ["JO", "ZZ"]}, "countries"),
        ({"regions": ["atlantis"]}, "regions"),
        ({"end_year": 2020}, "end_year"),
        ({"lead_entity": "NOBODY"}, "lead_entity"),
        ({"status": "paused"}, "status"),
        ({"title": ""}, "title"),
        ({"pillars": ["V"]}, "pillars"),
    ],
)
def test_a_bad_project_is_refused_on_its_fields(roster, oct_officer, api_for, overrides, field):
    response = api_for(oct_officer).post(PROJECTS, new_project(**overrides), format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Project.objects.exists()


def test_a_patch_changes_only_what_is_sent(matrix, roster, oct_officer, api_for):
    project = matrix["row18"]
    response = api_for(oct_officer).patch(url(project), {"status": "completed", "donors": "EU"}, format="json")
    assert response.status_code == 200
    assert response.json()["countries"] == ["JO", "KZ", "MA", "TN"]
    project.refresh_from_db()
    assert (project.status, project.donors, project.title) == ("completed", "EU", "Border security in the Maghreb")
    replaced = api_for(oct_officer).patch(url(project), {"countries": ["EG"], "partner_entities": []}, format="json")
    assert replaced.json()["countries"] == ["EG"] and replaced.json()["partner_entities"] == []


def test_a_focal_point_edits_projects_their_entity_leads_or_joins(matrix, roster, focal_point, api_for):
    api = api_for(focal_point)
    assert api.patch(url(matrix["unesco"]), {"donors": "Japan"}, format="json").status_code == 200
    project_save(project=matrix["ohchr"], actor=None, fields={}, partner_entities=[roster.unesco])
    assert api.patch(url(matrix["ohchr"]), {"donors": "Japan"}, format="json").status_code == 200
    assert api.get(url(matrix["ohchr"])).json()["can_edit"] is True


def test_a_readable_project_that_is_not_editable_is_a_403(matrix, focal_point, api_for):
    api = api_for(focal_point)
    assert api.get(url(matrix["row18"])).json()["can_edit"] is False
    assert api.patch(url(matrix["row18"]), {"donors": "Japan"}, format="json").status_code == 403
    assert api.delete(url(matrix["row18"])).status_code == 403
    matrix["row18"].refresh_from_db()
    assert matrix["row18"].donors == ""


def test_an_unreadable_project_is_a_404_to_edit(matrix, committee_member, oct_officer, api_for):
    before = stored(matrix["secret"])
    assert api_for(committee_member).patch(url(matrix["secret"]), {"donors": "x"}, format="json").status_code == 404
    assert api_for(committee_member).delete(url(matrix["secret"])).status_code == 404
    assert stored(matrix["secret"]) == before  # neither changed nor deleted
    assert api_for(oct_officer).get(f"{PROJECTS}999999/").status_code == 404


def test_a_focal_point_cannot_raise_a_project_above_their_clearance(matrix, focal_point, api_for):
    before = stored(matrix["unesco"])
    response = api_for(focal_point).patch(url(matrix["unesco"]), {"classification": "confidential"}, format="json")
    assert response.status_code == 403
    assert stored(matrix["unesco"]) == before
    assert before["classification"] == Classification.UNCLASSIFIED


def test_oct_and_the_lead_delete_a_project(matrix, focal_point, oct_officer, api_for):
    assert api_for(focal_point).delete(url(matrix["unesco"])).status_code == 204
    assert api_for(oct_officer).delete(url(matrix["row18"])).status_code == 204
    assert not Project.objects.filter(pk__in=[matrix["unesco"].pk, matrix["row18"].pk]).exists()


# --- Pivots -----------------------------------------------------------------------------------------


def test_the_country_pillar_pivot_counts_each_project_once(matrix, outsider, api_for):
    body = api_for(outsider).get(f"{PROJECTS}pivots/country-pillar/").json()
    rows = {row["country"]: row for row in body["rows"]}
    assert body["total"] == 4
    assert rows["TN"]["pillars"] == {"I": 2, "II": 0, "III": 0, "IV": 1}
    assert rows["TN"]["total"] == 2 and rows["TN"]["name"] == "Tunisia"
    assert rows["JO"]["total"] == 1  # the confidential project in Jordan is not counted
    assert body["rows"][0]["country"] == "TN"


def test_the_pivots_take_the_lists_filters(matrix, committee_member, api_for):
    api = api_for(committee_member)
    jordan = api.get(f"{PROJECTS}pivots/per-country/").json()
    assert {row["country"]: row["projects"] for row in jordan["countries"]}["JO"] == 2
    ongoing = api.get(f"{PROJECTS}pivots/per-country/", {"status": "completed"}).json()
    assert ongoing == {"total": 1, "countries": [{"country": "TN", "name": "Tunisia", "projects": 1}]}
    pillar = api.get(f"{PROJECTS}pivots/country-pillar/", {"pillar": "IV"}).json()
    assert {row["country"] for row in pillar["rows"]} == {"TN", "NE", "ML"}
    assert api.get(f"{PROJECTS}pivots/theme-entity/", {"country": "XX"}).status_code == 400


def test_the_theme_entity_pivot_counts_by_lead(matrix, outsider, api_for):
    body = api_for(outsider).get(f"{PROJECTS}pivots/theme-entity/").json()
    assert body["entities"] == ["OHCHR", "UNODC"]
    assert body["rows"] == [
        {"number": 7, "short_name": "Human rights", "entities": {"OHCHR": 1, "UNODC": 1}, "total": 2}
    ]


# --- Overlaps ---------------------------------------------------------------------------------------


@pytest.fixture
def overlap(roster) -> tuple[Project, Project]:
    """UNODC and OHCHR both serve WG 7 in Niger in 2020."""
    first = make_project(roster, "Prosecutors in the Sahel", countries=["NE"], regions=[], themes=[roster.group])
    second = make_project(
        roster,
        "Detention monitoring",
        lead_entity=roster.ohchr,
        start_year=2020,
        end_year=2022,
        countries=["NE", "TD"],
        regions=[],
        themes=[roster.group],
    )
    make_project(
        roster,
        "Too late",
        lead_entity=roster.unesco,
        start_year=2023,
        end_year=2025,
        countries=["NE"],
        themes=[roster.group],
    )
    return first, second


def test_oct_finds_overlapping_projects(overlap, oct_officer, api_for):
    body = api_for(oct_officer).get(OVERLAPS).json()
    assert body["count"] == 1
    pair = body["results"][0]
    assert (pair["first"]["id"], pair["second"]["id"]) == (overlap[0].pk, overlap[1].pk)
    assert pair["countries"] == ["NE"] and pair["shared"] == "theme" and pair["review"] is None
    assert pair["second"]["lead_entity"] == "OHCHR"
    assert api_for(oct_officer).get(OVERLAPS, {"country": "TD"}).json()["count"] == 0


@pytest.mark.parametrize("persona", OTHERS)
def test_only_oct_sees_and_reviews_overlaps(request, overlap, api_for, persona):
    api = api_for(request.getfixturevalue(persona))
    assert api.get(OVERLAPS).status_code == 404
    body = {"first": overlap[0].pk, "second": overlap[1].pk, "note": "x"}
    assert api.post(f"{OVERLAPS}review/", body, format="json").status_code == 404
    assert not OverlapReview.objects.exists()


def test_oct_marks_a_pair_as_reviewed(overlap, oct_officer, api_for):
    api = api_for(oct_officer)
    body = {"first": overlap[1].pk, "second": overlap[0].pk, "note": "Joint programme agreed."}
    response = api.post(f"{OVERLAPS}review/", body, format="json")
    assert response.status_code == 200
    assert response.json()["first"] == overlap[0].pk and response.json()["reviewed_by"] == "officer"
    review = api.get(OVERLAPS).json()["results"][0]["review"]
    assert review["note"] == "Joint programme agreed."
    assert api.get(OVERLAPS, {"reviewed": "false"}).json()["count"] == 0
    assert api.get(OVERLAPS, {"reviewed": "true"}).json()["count"] == 1
    again = api.post(f"{OVERLAPS}review/", {**body, "note": "Revisited."}, format="json")
    assert again.status_code == 200 and OverlapReview.objects.get().note == "Revisited."


def test_a_project_does_not_overlap_with_itself(overlap, oct_officer, api_for):
    body = {"first": overlap[0].pk, "second": overlap[0].pk}
    assert api_for(oct_officer).post(f"{OVERLAPS}review/", body, format="json").status_code == 400
    missing = {"first": overlap[0].pk, "second": 999999}
    assert api_for(oct_officer).post(f"{OVERLAPS}review/", missing, format="json").status_code == 404
    assert not OverlapReview.objects.exists()


# --- Imports ----------------------------------------------------------------------------------------


def template_file(*rows: dict[str, str], name: str = "matrix.csv") -> SimpleUploadedFile:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_HEADER)
    writer.writeheader()
    for row in rows:
        writer.writerow(row)
    return SimpleUploadedFile(name, buffer.getvalue().encode(), content_type="text/csv")


ROW = {
    "key": "unodc-001",
    "title": "Prison staff training",
    "lead_entity": "UNODC",
    "partner_entities": "UNOCT;Interpol of the future",
    "status": "ongoing",
    "start": "2024-02",
    "pillars": "I;III",
    "themes": "7",
    "countries": "Jordan;TN",
}


def test_oct_previews_then_commits_a_file(roster, oct_officer, api_for):
    api = api_for(oct_officer)
    preview = api.post(f"{IMPORTS}preview/", {"file": template_file(ROW)}, format="multipart")
    assert preview.status_code == 200
    body = preview.json()
    assert body["ok"] is True and body["file_format"] == "csv" and body["counts"]["create"] == 1
    row = body["rows"][0]
    assert row["countries"] == ["JO", "TN"] and row["action"] == "create"
    assert any("Interpol of the future" in warning for warning in row["warnings"])
    assert not Project.objects.exists()
    commit = api.post(f"{IMPORTS}commit/", {"file": template_file(ROW), "sha256": body["sha256"]}, format="multipart")
    assert commit.status_code == 201
    assert commit.json()["created"] == 1 and commit.json()["imported_by"] == "officer"
    project = Project.objects.get(source_key="unodc-001")
    assert project.partner_organizations == ["Interpol of the future"]
    again = api.post(f"{IMPORTS}preview/", {"file": template_file(ROW)}, format="multipart").json()
    assert again["counts"]["unchanged"] == 1
    assert api.get(IMPORTS).json()["results"][0]["id"] == commit.json()["id"]


def test_a_file_other_than_the_one_previewed_is_not_committed(roster, oct_officer, api_for):
    upload = {"file": template_file(ROW), "sha256": hashlib.sha256(b"something else").hexdigest()}
    response = api_for(oct_officer).post(f"{IMPORTS}commit/", upload, format="multipart")
    assert response.status_code == 400
    assert not Project.objects.exists() and not MatrixImport.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\x00\x01", "not a text"),
        ("key,title\n".encode("utf-16"), "UTF-16"),
        ("key,title\nk,Caf\u00e9\n".encode("latin-1"), "not UTF-8"),
    ],
)
def test_a_bad_file_is_explained_and_imports_nothing(roster, oct_officer, api_for, content, message):
    upload = SimpleUploadedFile("matrix.csv", content)
    body = api_for(oct_officer).post(f"{IMPORTS}preview/", {"file": upload}, format="multipart").json()
    assert body["ok"] is False and message in " ".join(body["errors"])
    commit = {"file": SimpleUploadedFile("matrix.csv", content), "sha256": hashlib.sha256(content).hexdigest()}
    assert api_for(oct_officer).post(f"{IMPORTS}commit/", commit, format="multipart").status_code == 400
    assert not Project.objects.exists()


@pytest.mark.parametrize("persona", OTHERS)
def test_only_oct_imports(request, roster, api_for, persona):
    api = api_for(request.getfixturevalue(persona))
    assert api.post(f"{IMPORTS}preview/", {"file": template_file(ROW)}, format="multipart").status_code == 403
    digest = hashlib.sha256(template_file(ROW).read()).hexdigest()
    commit = {"file": template_file(ROW), "sha256": digest}
    assert api.post(f"{IMPORTS}commit/", commit, format="multipart").status_code == 403
    assert api.get(IMPORTS).status_code == 403
    assert not Project.objects.exists()


def test_a_huge_theme_id_is_a_400_not_a_crash(api_for, oct_officer):
    for url in ("/api/v1/projects/", "/api/v1/projects/pivots/country-pillar/"):
        assert api_for(oct_officer).get(url, {"theme": "99999999999999999999"}).status_code == 400
