"""What schemathesis found over the API (test_api_schemathesis.py), pinned: each failed before its fix.

Kept apart from the generated requests, whose module shares one populated world for all its
tests: these build the little they need on an empty database."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient

from compact.matrix.models import Project
from compact.matrix.services import project_save


@pytest.fixture
def api_schema(db) -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _query_parameters(schema: dict[str, Any], name: str) -> list[str]:
    return [
        path
        for path, item in schema["paths"].items()
        if any(parameter["name"] == name for parameter in item.get("get", {}).get("parameters", []))
    ]


def test_a_nul_character_in_the_query_or_path_is_a_400_naming_it(oct_officer, api_schema):
    """PostgreSQL text cannot hold NUL: ``?search=%00`` and ``/entities/%00/`` were 500s."""
    client = APIClient()
    client.force_authenticate(oct_officer)
    searched = _query_parameters(api_schema, "search")
    assert "/api/v1/entities/" in searched
    for path in searched:
        response = client.get(path, {"search": "UN\x00"})
        assert (response.status_code, response.json()) == (400, {"search": ["Null characters are not allowed."]})
    response = client.get("/api/v1/entities/%00/")
    assert (response.status_code, response.json()) == (400, {"acronym": ["Null characters are not allowed."]})


def test_a_nul_character_in_an_acronym_field_is_a_400_naming_it(oct_officer, roster):
    client = APIClient()
    client.force_authenticate(oct_officer)
    response = client.post(
        "/api/v1/projects/", {"title": "T", "status": "ongoing", "lead_entity": "UN\x00"}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["lead_entity"] == ["Null characters are not allowed."]
    assert not Project.objects.filter(title="T").exists()


def test_a_moment_with_an_offset_past_postgresqls_is_compared_in_utc(oct_officer):
    """An offset past ±15:59 was a 500 (``time zone displacement out of range``)."""
    client = APIClient()
    client.force_authenticate(oct_officer)
    response = client.get("/api/v1/scheduler-events/", {"created_after": "2026-01-01T00:00:00+16:30"})
    assert response.status_code == 200


def test_a_moment_that_has_no_utc_time_is_a_400_naming_the_filter(oct_officer):
    client = APIClient()
    client.force_authenticate(oct_officer)
    response = client.get("/api/v1/scheduler-events/", {"created_before": "0001-01-01T00:00:00+01:00"})
    assert response.status_code == 400
    assert list(response.json()) == ["created_before"]


def test_a_project_with_no_stage_matches_the_schema(oct_officer, roster, api_schema):
    """Hole 12: ``stage: ""`` was outside the published enum."""
    project_save(project=None, actor=oct_officer, fields={"title": "Stageless", "status": "ongoing", "stage": ""})
    client = APIClient()
    client.force_authenticate(oct_officer)
    stage = client.get("/api/v1/projects/", {"q": "Stageless"}).json()["results"][0]["stage"]
    published = api_schema["components"]["schemas"]["Project"]["properties"]["stage"]
    enums = [api_schema["components"]["schemas"][ref["$ref"].rsplit("/", 1)[1]]["enum"] for ref in published["oneOf"]]
    assert stage == "" and any("" in enum for enum in enums)


def test_an_agenda_item_without_a_readable_briefing_matches_the_schema(api_schema):
    submission = api_schema["components"]["schemas"]["AgendaItem"]["properties"]["submission"]
    assert submission.get("nullable") is True  # null when the caller may not read the briefing


def test_every_operation_documents_the_errors_it_answers(api_schema):
    """A page past the last is a 404, a bad filter a 400, no token a 401: all documented."""
    listing = api_schema["paths"]["/api/v1/entities/"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404", "429"} <= set(listing)
    public = api_schema["paths"]["/api/v1/public/briefing-summaries/"]["get"]["responses"]
    assert "401" not in public
