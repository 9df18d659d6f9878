"""Attacks on the IATI export (issue 21): markup and entities in what users wrote, characters XML
cannot carry, and what the page and the API could tell about projects a reader may not read."""

from __future__ import annotations

import pytest
from django.urls import reverse
from lxml import etree

from compact.core.models import Classification
from compact.matrix.iati import iati_schema_errors
from compact.matrix.models import Project
from compact.matrix.services import project_save
from compact.registry.models import Entity

pytestmark = pytest.mark.django_db

ENTITY_ATTACK = '<!DOCTYPE t [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><t>&xxe;</t>'
MARKUP = "</narrative></title><iati-activity><iati-identifier>FORGED</iati-identifier>]]>&amp;<script>x</script>"


@pytest.fixture(autouse=True)
def _publisher(settings):
    settings.IATI_REPORTING_ORG_REF = "XM-TEST-ORG"


@pytest.fixture
def lead(roster) -> Entity:
    return roster.unodc


def make_project(lead: Entity, title: str, **fields) -> Project:
    values = {
        "title": title,
        "main_activities": fields.pop("main_activities", "Training"),
        "lead_entity": lead,
        "status": Project.Status.ONGOING,
        "start_year": 2019,
        **fields,
    }
    return project_save(project=None, actor=None, fields=values, countries=["JO"])


def safe_parse(content: bytes) -> etree._Element:
    return etree.fromstring(content, etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False))


@pytest.mark.parametrize("text", [ENTITY_ATTACK, MARKUP])
def test_markup_and_entities_in_a_title_stay_text(lead, oct_officer, client_for, text):
    make_project(lead, text, main_activities=text)
    content = client_for(oct_officer).get(reverse("project-export-iati")).content
    assert b"<!DOCTYPE" not in content and b"<!ENTITY" not in content
    root = safe_parse(content)
    (activity,) = root.findall("iati-activity")  # no activity forged by the title
    assert activity.findtext("title/narrative") == text
    assert activity.findtext("description/narrative") == text
    assert [element.text for element in root.iter("iati-identifier")] != ["FORGED"]
    assert iati_schema_errors(content) == []


def test_characters_xml_cannot_carry_are_dropped_and_the_file_still_validates(lead, oct_officer, client_for):
    make_project(lead, "Border\x01 security\x0b training\ufffe", main_activities="Ma\x1fnual")
    response = client_for(oct_officer).get(reverse("project-export-iati"))
    assert response.status_code == 200
    activity = safe_parse(response.content).find("iati-activity")
    assert activity.findtext("title/narrative") == "Border security training"
    assert activity.findtext("description/narrative") == "Manual"


def test_text_in_any_script_is_kept_as_written(lead, oct_officer, client_for):
    title = "مكافحة الإرهاب — 反恐 — Противодействие 🛡️"
    make_project(lead, title)
    content = client_for(oct_officer).get(reverse("project-export-iati")).content
    assert safe_parse(content).findtext("iati-activity/title/narrative") == title


def test_a_reader_is_told_nothing_of_projects_beyond_their_clearance(lead, focal_point, client_for, api_for):
    make_project(lead, "Visible")
    make_project(lead, "Hidden-MARKER", classification=Classification.CONFIDENTIAL)
    page = client_for(focal_point).get(reverse("project-iati")).content.decode()
    assert "above unclassified" not in page and "MARKER" not in page
    assert "1 project" in page
    # A filter that only a confidential project matches: the refusal counts nothing it hides.
    api = api_for(focal_point).get("/api/v1/projects/iati/?q=Hidden-MARKER")
    assert api.status_code == 409 and api.json()["left_out"] == {}
    assert b"MARKER" not in api.content


def test_even_a_superuser_cleared_for_everything_gets_only_unclassified_projects(
    lead, client_for, api_for, django_user_model
):
    from tests.helpers import oct_person

    top = oct_person("iati.top", "strictly-confidential", superuser=True)
    make_project(lead, "Open")
    make_project(lead, "Strict-MARKER", classification=Classification.STRICTLY_CONFIDENTIAL)
    for content in (
        client_for(top).get(reverse("project-export-iati")).content,
        api_for(top).get("/api/v1/projects/iati/").content,
    ):
        assert b"MARKER" not in content
        assert [a.findtext("title/narrative") for a in safe_parse(content).findall("iati-activity")] == ["Open"]


def test_a_publisher_identifier_with_markup_cannot_break_the_file(settings, lead, oct_officer, client_for):
    settings.IATI_REPORTING_ORG_REF = 'XM-"/><evil a="'
    make_project(lead, "Open")
    content = client_for(oct_officer).get(reverse("project-export-iati")).content
    activity = safe_parse(content).find("iati-activity")
    assert activity.find("reporting-org").get("ref") == 'XM-"/><evil a="'
    assert activity.find("evil") is None
