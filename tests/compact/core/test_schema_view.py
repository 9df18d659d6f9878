"""``/api/v1/schema/`` is generated once per process and language (compact/core/api/schema_view.py):
the same for every reader, and what drf-spectacular would generate for the request now."""

from __future__ import annotations

import json
from typing import Any

import yaml
from drf_spectacular.views import SpectacularAPIView
from rest_framework.test import APIRequestFactory, force_authenticate

from tests.api_schema import JSON
from tests.security.demo_world import world_load


def generated_now(user: Any, language: str) -> dict[str, Any]:
    """The schema drf-spectacular's own view generates for ``user`` in ``language`` now."""
    request = APIRequestFactory().get("/api/v1/schema/", {"lang": language}, HTTP_ACCEPT=JSON)
    force_authenticate(request, user)
    response = SpectacularAPIView.as_view()(request)
    return json.loads(response.render().content)


def test_every_reader_is_served_the_schema_generated_once(
    fresh_schemas, schema_generations, roster, focal_point, oct_officer, chair, api_for
):
    answers = [api_for(user).get("/api/v1/schema/", HTTP_ACCEPT=JSON) for user in (focal_point, oct_officer, chair)]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert schema_generations == ["en"]
    assert answers[0].content == answers[1].content == answers[2].content
    assert json.loads(answers[0].content) == generated_now(oct_officer, "en")


def test_each_language_has_its_own_schema(fresh_schemas, schema_generations, roster, focal_point, api_for):
    english = api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=JSON).json()
    french = api_for(focal_point).get("/api/v1/schema/", {"lang": "fr"}, HTTP_ACCEPT=JSON).json()
    again = api_for(focal_point).get("/api/v1/schema/", {"lang": "fr"}, HTTP_ACCEPT=JSON).json()

    assert schema_generations == ["en", "fr"]
    assert set(fresh_schemas) == {"en", "fr"}
    assert french == again == generated_now(focal_point, "fr")
    due = english["components"]["schemas"]["ActionPoint"]["properties"]["due_on"]["title"]
    assert (due, french["components"]["schemas"]["ActionPoint"]["properties"]["due_on"]["title"]) == ("Due", "Échéance")


def test_the_schema_does_not_depend_on_what_the_database_holds(db, django_user_model, time_machine):
    reader = django_user_model.objects.create_user("reader", password="pw")  # and what the migrations wrote
    alone = generated_now(reader, "fr")
    world_load(time_machine)  # the whole roster, the demo data and a few objects more
    assert generated_now(reader, "fr") == alone


def test_each_format_is_rendered_once_and_served_the_same_to_every_reader(
    fresh_schemas, schema_renders, roster, focal_point, oct_officer, api_for
):
    yaml_answers = [api_for(user).get("/api/v1/schema/") for user in (focal_point, oct_officer, focal_point)]
    json_answers = [api_for(user).get("/api/v1/schema/", HTTP_ACCEPT=JSON) for user in (oct_officer, focal_point)]

    assert schema_renders == ["yaml", "json"]
    assert [answer["Content-Type"] for answer in yaml_answers] == ["application/vnd.oai.openapi; charset=utf-8"] * 3
    assert [answer["Content-Type"] for answer in json_answers] == [JSON] * 2
    assert yaml_answers[0].content == yaml_answers[1].content == yaml_answers[2].content
    assert json_answers[0].content == json_answers[1].content
    assert json.loads(json_answers[0].content) == generated_now(oct_officer, "en")
    assert yaml.safe_load(yaml_answers[2].content) == json.loads(json_answers[1].content)


def test_each_language_is_rendered_for_itself(fresh_schemas, schema_renders, roster, focal_point, api_for):
    english = api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=JSON)
    french = api_for(focal_point).get("/api/v1/schema/", {"lang": "fr"}, HTTP_ACCEPT=JSON)
    english_again = api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=JSON)

    assert schema_renders == ["json", "json"]
    assert english.content == english_again.content != french.content
    assert json.loads(french.content) == generated_now(focal_point, "fr")


def test_an_indent_asked_for_is_rendered_once_too(fresh_schemas, schema_renders, roster, focal_point, api_for):
    plain = api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=JSON)
    indented = [api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=f"{JSON}; indent={n}") for n in (1, 7, 1)]

    assert schema_renders == ["json"] * 3  # the renderer's own indent (4), then 1 and 7; 1 again is kept
    assert plain.content.startswith(b'{\n    "openapi"')
    assert [answer.content.split(b"\n")[1][:9] for answer in indented] == [b' "openapi', b'       "o', b' "openapi']
    assert indented[0].content == indented[2].content
    assert json.loads(indented[1].content) == json.loads(plain.content)


def test_a_schema_generated_again_is_rendered_again(fresh_schemas, schema_renders, roster, focal_point, api_for):
    before = api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=JSON)
    fresh_schemas["en"] = {**json.loads(before.content), "info": {"title": "Regenerated", "version": "2"}}
    after = api_for(focal_point).get("/api/v1/schema/", HTTP_ACCEPT=JSON)

    assert schema_renders == ["json", "json"]
    assert json.loads(after.content)["info"] == {"title": "Regenerated", "version": "2"}
