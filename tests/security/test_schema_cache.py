"""The schema generated once per language and rendered once per format
(compact/core/api/schema_view.py) cannot be made to generate or render again, or to remember
more, by what a caller puts in the query string or the ``Accept`` header."""

from __future__ import annotations

import pytest

from compact.core.api.schema_view import SchemaView
from tests.api_schema import JSON


@pytest.fixture(autouse=True)
def _generated_once(schemas_generated_once_per_module):
    """Each language's schema generated once for the module (what is tested here is which
    schemas the view generates, keeps and serves: each call of the generator is still counted)."""


@pytest.mark.parametrize(
    "query",
    [
        {"lang": "xx"},
        {"lang": "en-zz"},
        {"lang": "../../etc/passwd"},
        {"lang": "x" * 2000},
        {"version": "9.9"},
        {"version": "1.0.0", "lang": "qq"},
    ],
)
def test_a_query_string_makes_no_new_schema(fresh_schemas, schema_generations, roster, focal_point, api_for, query):
    english = api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=JSON)
    asked = api_for(focal_point).get("/api/v1/schema/", query, HTTP_ACCEPT=JSON)

    assert (english.status_code, asked.status_code) == (200, 200)
    assert asked.content == english.content  # the site's default language; the API's one version
    assert asked.json()["info"]["version"] == "1.0.0"
    assert schema_generations == ["en"]
    assert list(SchemaView._generated) == ["en"]


def test_many_languages_asked_for_remember_at_most_the_sites_six(
    fresh_schemas, schema_generations, roster, focal_point, api_for, settings
):
    for number in range(40):
        language = ["ar", "zh-hans", "fr", "ru", "es", "en"][number // 2 % 6] if number % 2 else f"l{number}"
        assert api_for(focal_point).get("/api/v1/schema/", {"lang": language}, HTTP_ACCEPT=JSON).status_code == 200

    assert set(SchemaView._generated) == {code for code, _ in settings.LANGUAGES}
    assert len(schema_generations) == 6


def test_anonymous_callers_still_get_no_schema_even_once_it_is_generated(fresh_schemas, roster, focal_point, api_for):
    assert api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=JSON).status_code == 200
    refused = api_for(None).get("/api/v1/schema/", HTTP_ACCEPT=JSON)
    assert refused.status_code == 401
    assert b"paths" not in refused.content


def test_no_accept_header_makes_the_schema_render_again_or_the_store_grow(
    fresh_schemas, schema_renders, roster, focal_point, api_for
):
    accepts = [
        *(f"{JSON}; indent={n}" for n in [*range(-3, 40), "x", "1e9", ""]),
        *(f"{JSON}; q=0.{n}; junk={n}" for n in range(30)),
        *(f"application/vnd.oai.openapi; v={n}" for n in range(30)),
        *(f"application/yaml; indent={n}" for n in range(30)),
        "*/*",
        "application/*",
    ]
    statuses = {api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=accept).status_code for accept in accepts}

    assert statuses == {200}
    # The JSON indents 1 to 8 (0 and none at all are the renderer's own 4), and YAML's two types.
    assert sorted(schema_renders) == ["json"] * 8 + ["yaml"] * 2
    assert len(SchemaView._rendered["en"]) == 10
    # A header too long for Django to parse is not acceptable: its refusal is rendered, not the schema.
    too_long = api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=f"{JSON}; indent={'9' * 400}")
    assert too_long.status_code == 406
    assert b"paths" not in too_long.content
    assert len(SchemaView._rendered["en"]) == 10
