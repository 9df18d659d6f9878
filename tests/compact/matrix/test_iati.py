"""The matrix as an IATI 2.03 activity file (issue 21, compact/matrix/iati.py, docs/iati.md).

The file of the whole seed matrix is validated here with the official schema loaded by the test
itself, and every code is looked up in the official codelists read here on their own (the copies
in data/iati, unchanged). What goes in and what is left out is checked against the database.
"""

from __future__ import annotations

import csv
import datetime
from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from lxml import etree

from compact.core.models import Classification
from compact.funding.models import Donor
from compact.funding.services import donor_ensure
from compact.matrix.iati import (
    REGIONS_OF_PLACE,
    SECTOR_OF_PILLAR,
    SECTOR_OF_WORKING_GROUP,
    _shares,
)
from compact.matrix.imports.services import matrix_import_commit, matrix_import_preview
from compact.matrix.models import Project
from compact.matrix.services import project_save
from compact.registry.models import Entity, Evidence
from tests.helpers import oct_person

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[3]
IATI = ROOT / "data" / "iati"
SEED = ROOT / "data" / "seed" / "a72-840-ctitf-matrix.txt"
REFERENCE = ROOT / "data" / "reference"
REF = "XM-TEST-ORG"


@pytest.fixture(autouse=True)
def _publisher(settings):
    settings.IATI_REPORTING_ORG_REF = REF


def codes_of(name: str, *, active_only: bool = False) -> set[str]:
    tree = ElementTree.parse(IATI / "codelists" / f"{name}.xml")
    return {
        item.findtext("code")
        for item in tree.iter("codelist-item")
        if not active_only or item.get("status") != "withdrawn"
    }


def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(IATI / "schemas" / "iati-activities-schema.xsd")))


def download(client, query: str = "") -> bytes:
    response = client.get(reverse("project-export-iati") + query)
    assert response.status_code == 200, response
    assert response["Content-Type"].startswith("application/xml")
    assert "attachment" in response["Content-Disposition"]
    return response.content


def activities(document: bytes) -> list[etree._Element]:
    root = etree.fromstring(document, etree.XMLParser(resolve_entities=False, no_network=True))
    assert root.tag == "iati-activities" and root.get("version") == "2.03"
    return root.findall("iati-activity")


def project_id(activity: etree._Element) -> int:
    identifier = activity.findtext("iati-identifier")
    assert identifier.startswith(f"{REF}-")
    return int(identifier.removeprefix(f"{REF}-"))


@pytest.fixture
def seeded(registry):
    importer = oct_person("iati.importer", "strictly-confidential")
    data = SEED.read_bytes()
    preview = matrix_import_preview(data=data, file_name="a72-840.txt")
    matrix_import_commit(data=data, file_name="a72-840.txt", sha256=preview.sha256, actor=importer)
    return importer


def test_the_whole_seed_matrix_validates_and_every_code_is_in_its_codelist(seeded, client_for):
    document = download(client_for(seeded))
    assert schema().validate(etree.fromstring(document).getroottree()), schema().error_log
    found = activities(document)
    # Every row of the seed names its parties and activities; 111 give no date, which IATI needs.
    assert len(found) == Project.objects.filter(start_year__isnull=False).count() > 200

    statuses, date_types = codes_of("ActivityStatus"), codes_of("ActivityDateType")
    roles, types = codes_of("OrganisationRole"), codes_of("OrganisationType")
    countries, regions, sectors = codes_of("Country"), codes_of("Region", active_only=True), codes_of("Sector")
    region_vocabularies, sector_vocabularies = codes_of("RegionVocabulary"), codes_of("SectorVocabulary")
    for activity in found:
        assert activity.find("reporting-org").get("type") in types
        assert activity.find("activity-status").get("code") in statuses
        assert {date.get("type") for date in activity.iter("activity-date")} <= date_types
        assert {"1", "2"} & {date.get("type") for date in activity.iter("activity-date")}, "no start date"
        for organisation in activity.iter("participating-org"):
            assert organisation.get("role") in roles
            assert organisation.get("type") in (types | {None})
            assert organisation.findtext("narrative").strip()
        places = [*activity.iter("recipient-country"), *activity.iter("recipient-region")]
        assert {place.get("code") for place in activity.iter("recipient-country")} <= countries
        for region in activity.iter("recipient-region"):
            assert region.get("code") in regions and region.get("vocabulary") in region_vocabularies
        if places:
            assert sum(Decimal(place.get("percentage")) for place in places) == 100
        assigned = list(activity.iter("sector"))
        assert assigned, "every activity has a sector"
        for sector in assigned:
            assert sector.get("code") in sectors and sector.get("vocabulary") in sector_vocabularies
        assert sum(Decimal(sector.get("percentage")) for sector in assigned) == 100


def test_the_file_and_the_page_account_for_every_project_of_the_seed(seeded, client_for):
    client = client_for(seeded)
    published = {project_id(activity) for activity in activities(download(client))}
    dated = set(Project.objects.filter(start_year__isnull=False).values_list("pk", flat=True))
    assert published == dated
    page = client.get(reverse("project-iati")).content.decode()
    total, missing_start = Project.objects.count(), Project.objects.filter(start_year__isnull=True).count()
    assert f"{total} projects" in page and f"{len(published)} activities" in page
    assert f"{missing_start} projects: no start year (IATI requires a start date)" in page
    assert total == len(published) + missing_start


@pytest.fixture
def publisher():
    return oct_person("iati.reader", "strictly-confidential")


@pytest.fixture
def lead(registry):
    return Entity.objects.get(acronym="UNODC")


def make_project(title: str, lead: Entity | None, **fields) -> Project:
    values = {
        "title": title,
        "main_activities": f"Activities of {title}",
        "lead_entity": lead,
        "status": Project.Status.ONGOING,
        "start_year": 2018,
        **fields,
    }
    countries = values.pop("countries", ["JO"])
    regions = values.pop("regions", [])
    return project_save(project=None, actor=None, fields=values, countries=countries, regions=regions)


def test_a_project_above_unclassified_never_appears_whoever_exports(lead, publisher, client_for, api_for):
    open_project = make_project("Open project", lead)
    for level in (Classification.CONFIDENTIAL, Classification.STRICTLY_CONFIDENTIAL):
        make_project(f"Secret-{level}-MARKER", lead, classification=level)
    document = download(client_for(publisher))
    assert [project_id(activity) for activity in activities(document)] == [open_project.pk]
    assert b"MARKER" not in document
    api = api_for(publisher).get("/api/v1/projects/iati/")
    assert api.status_code == 200 and b"MARKER" not in api.content
    assert [project_id(activity) for activity in activities(api.content)] == [open_project.pk]
    page = client_for(publisher).get(reverse("project-iati")).content.decode()
    assert "2 projects: above unclassified (never exported)" in page
    assert "MARKER" not in page


def test_projects_iati_cannot_describe_are_left_out_with_their_reason(lead, publisher, client_for):
    kept = make_project("Complete", lead)
    make_project("No start", lead, start_year=None)
    make_project("No activities", lead, main_activities="")
    make_project("Nobody", None)
    client = client_for(publisher)
    assert [project_id(activity) for activity in activities(download(client))] == [kept.pk]
    page = client.get(reverse("project-iati")).content.decode()
    assert "1 project: no start year (IATI requires a start date)" in page
    assert "1 project: no main activities (IATI requires a description)" in page
    assert "1 project: no lead, partner or donor named (IATI requires a participating organisation)" in page
    assert "4 projects" in page and "1 activity" in page


def test_a_project_with_only_a_donor_has_a_funding_organisation(publisher, client_for, registry):
    project = make_project("Funded", None, donors="Japan; European Union")
    (activity,) = activities(download(client_for(publisher)))
    assert project_id(activity) == project.pk
    funders = [org.findtext("narrative") for org in activity.iter("participating-org") if org.get("role") == "1"]
    assert funders == ["Japan", "European Union"]


def test_a_project_whose_only_party_is_a_linked_donor_is_published_with_it(publisher, client_for, registry):
    japan = donor_ensure(
        code="JP", name="Japan", kind=Donor.Kind.MEMBER_STATE, evidence=Evidence.PUBLIC, source="OCT", actor=None
    )[0]
    project = make_project("Linked only", None, donors="")
    noted = make_project("Linked and noted", None, donors="Foundation X; japan")
    for funded in (project, noted):
        project_save(project=funded, actor=None, fields={}, funders=[japan])
    client = client_for(publisher)
    found = {project_id(activity): activity for activity in activities(download(client))}
    assert set(found) == {project.pk, noted.pk}

    def funders(activity):
        return [org.findtext("narrative") for org in activity.iter("participating-org") if org.get("role") == "1"]

    assert funders(found[project.pk]) == ["Japan"]
    assert funders(found[noted.pk]) == ["Japan", "Foundation X"]  # linked first, the note's names after, once
    page = client.get(reverse("project-iati")).content.decode()
    assert "no lead, partner or donor named" not in page


def test_the_filters_of_the_browse_page_select_the_same_projects(lead, publisher, client_for):
    in_jordan = make_project("In Jordan", lead, countries=["JO"])
    make_project("In Mali", lead, countries=["ML"])
    document = download(client_for(publisher), "?country=JO")
    assert [project_id(activity) for activity in activities(document)] == [in_jordan.pk]
    page = client_for(publisher).get(reverse("project-list") + "?country=JO").content.decode()
    assert reverse("project-iati") + "?country=JO" in page


def test_dates_statuses_places_and_organisations(lead, publisher, client_for):
    unesco = Entity.objects.get(acronym="UNESCO")
    project = make_project(
        "Dated",
        lead,
        status=Project.Status.COMPLETED,
        start_year=2023,
        start_month=3,
        end_year=2024,
        end_month=2,
        countries=["JO", "IQ"],
        regions=["sahel"],
        partner_organizations=["EU"],
    )
    project.partner_entities.add(unesco)
    (activity,) = activities(download(client_for(publisher)))
    assert activity.find("activity-status").get("code") == "3"
    dates = {date.get("type"): date.get("iso-date") for date in activity.iter("activity-date")}
    assert dates == {"2": "2023-03-01", "4": "2024-02-29"}
    places = {(place.tag, place.get("code")): place.get("percentage") for place in activity if "recipient" in place.tag}
    assert places == {
        ("recipient-country", "IQ"): "33.33",
        ("recipient-country", "JO"): "33.33",
        ("recipient-region", "289"): "33.34",
    }
    organisations = [(org.get("role"), org.findtext("narrative")) for org in activity.iter("participating-org")]
    assert organisations == [
        ("2", lead.name),
        ("4", lead.name),
        ("4", unesco.name),
        ("4", "European Union"),
    ]
    assert activity.find("reporting-org").get("ref") == REF
    assert activity.findtext("title/narrative") == "Dated"


def test_a_project_in_development_has_planned_dates_and_the_pipeline_status(lead, publisher, client_for):
    make_project("Planned", lead, status=Project.Status.IN_DEVELOPMENT, start_year=2027, end_year=2028)
    (activity,) = activities(download(client_for(publisher)))
    assert activity.find("activity-status").get("code") == "1"
    dates = {date.get("type"): date.get("iso-date") for date in activity.iter("activity-date")}
    assert dates == {"1": "2027-01-01", "3": "2028-12-31"}


def test_sectors_come_from_working_groups_then_pillars(registry, lead, publisher, client_for):
    from workinggroups.models import WorkingGroup

    human_rights = WorkingGroup.objects.get(code="ctitf-2018-07")
    pve = WorkingGroup.objects.get(code="ctitf-2018-06")
    by_groups = make_project("By groups", lead, pillars=["II"])
    by_groups.themes.set([human_rights, pve])
    by_pillar = make_project("By pillar", lead, pillars=["IV"])
    document = download(client_for(publisher))
    sectors = {
        project_id(activity): [(s.get("code"), s.get("percentage")) for s in activity.iter("sector")]
        for activity in activities(document)
    }
    assert sectors[by_groups.pk] == [("15220", "50.00"), ("15160", "50.00")]
    assert sectors[by_pillar.pk] == [("15160", "100.00")]


def test_every_working_group_and_region_of_the_reference_data_has_a_mapped_code(registry):
    with (REFERENCE / "working_groups.csv").open(encoding="utf-8") as file:
        groups = {row["code"] for row in csv.DictReader(file)}
    with (REFERENCE / "regions.csv").open(encoding="utf-8") as file:
        places = {row["code"] for row in csv.DictReader(file)}
    assert groups <= set(SECTOR_OF_WORKING_GROUP)
    assert places <= set(REGIONS_OF_PLACE)
    active_sectors = codes_of("Sector", active_only=True)
    assert set(SECTOR_OF_WORKING_GROUP.values()) | set(SECTOR_OF_PILLAR.values()) <= active_sectors
    assert {code for codes in REGIONS_OF_PLACE.values() for code in codes} <= codes_of("Region", active_only=True)


@pytest.mark.parametrize("count", [1, 2, 3, 6, 7, 9, 11, 13, 97])
def test_percentages_add_up_to_exactly_one_hundred(registry, count):
    shares = _shares([str(n) for n in range(count)])
    assert sum(share for _code, share in shares) == 100
    assert all(share > 0 and share.as_tuple().exponent >= -2 for _code, share in shares)


def test_without_a_publisher_identifier_the_page_says_so_and_no_file_is_written(
    settings, lead, publisher, client_for, api_for
):
    settings.IATI_REPORTING_ORG_REF = ""
    make_project("Ready", lead)
    client = client_for(publisher)
    page = client.get(reverse("project-iati")).content.decode()
    assert "IATI publishing is not set up on this site" in page
    assert reverse("project-export-iati") not in page
    response = client.get(reverse("project-export-iati"), follow=True)
    assert response.redirect_chain and response.redirect_chain[-1][0].startswith(reverse("project-iati"))
    assert "IATI publishing is not set up on this site" in response.content.decode()
    api = api_for(publisher).get("/api/v1/projects/iati/")
    assert api.status_code == 409 and "IATI_REPORTING_ORG_REF" in api.json()["detail"]


def test_a_selection_with_nothing_to_publish_gets_a_reason_not_an_invalid_file(lead, publisher, client_for, api_for):
    make_project("Secret", lead, classification=Classification.CONFIDENTIAL)
    response = client_for(publisher).get(reverse("project-export-iati"), follow=True)
    assert "No project of this selection can be published to IATI" in response.content.decode()
    api = api_for(publisher).get("/api/v1/projects/iati/")
    assert api.status_code == 409 and api.json()["left_out"] == {"classified": 1}
    as_xml = api_for(publisher).get("/api/v1/projects/iati/", HTTP_ACCEPT="application/xml")
    assert as_xml.status_code == 409 and as_xml["Content-Type"] == "application/json"
    assert as_xml.json()["left_out"] == {"classified": 1}


def test_the_api_serves_the_file_to_a_client_that_accepts_only_xml(lead, api_for):
    from tests.helpers import admin_person

    reader = admin_person("iati.focal", superuser=False)  # signed in, no role: reads the matrix
    make_project("Open", lead)
    response = api_for(reader).get("/api/v1/projects/iati/", HTTP_ACCEPT="application/xml")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/xml")
    assert len(activities(response.content)) == 1
    assert api_for(reader).get("/api/v1/projects/iati/?entity=NOSUCH").status_code == 400


def test_visitors_are_sent_to_sign_in_and_the_api_refuses_them(registry, client, api_for):
    for name in ("project-iati", "project-export-iati"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert api_for(None).get("/api/v1/projects/iati/").status_code == 401


def test_the_generated_time_is_the_clock_and_each_activity_carries_its_last_update(
    lead, publisher, client_for, time_machine
):
    time_machine.move_to(datetime.datetime(2026, 3, 4, 5, 6, 7, tzinfo=datetime.UTC), tick=False)
    make_project("Timed", lead)
    document = download(client_for(publisher))
    root = etree.fromstring(document)
    assert root.get("generated-datetime") == "2026-03-04T05:06:07Z"
    assert root.find("iati-activity").get("last-updated-datetime") == "2026-03-04T05:06:07Z"


def test_the_page_counts_in_the_database_whatever_the_number_of_projects(lead, publisher, client_for):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(publisher)

    def queries_of_page() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("project-iati")).status_code == 200
        return len(queries)

    make_project("First", lead)
    make_project("No start", lead, start_year=None)
    queries_of_page()  # the first page of a session also counts the menu's tasks, then remembered
    few = queries_of_page()
    for n in range(20):
        make_project(f"More {n}", lead, start_year=None if n % 3 else 2020, main_activities="" if n % 5 == 0 else "x")
    assert queries_of_page() == few
