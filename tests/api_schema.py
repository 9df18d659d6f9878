"""Fixtures for the tests of the API's schema, served from what was generated once per process
and language (compact/core/api/schema_view.py). Registered for the whole suite by tests/conftest.py."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer, OpenApiYamlRenderer

from compact.core.api.schema_view import SchemaView

JSON = "application/vnd.oai.openapi+json"


@pytest.fixture
def fresh_schemas() -> Iterator[dict[str, Any]]:
    """No schema generated or rendered yet in this process (another test's are forgotten), and
    none left."""
    SchemaView._generated.clear()
    SchemaView._rendered.clear()
    yield SchemaView._generated
    SchemaView._generated.clear()
    SchemaView._rendered.clear()


@pytest.fixture
def schema_generations(monkeypatch) -> list[str]:
    """The language of each schema drf-spectacular generates during the test."""
    languages: list[str] = []
    generate = SchemaGenerator.get_schema

    def counted(self, *args: Any, **kwargs: Any) -> dict[str, Any]:
        languages.append(translation.get_language())
        return generate(self, *args, **kwargs)

    monkeypatch.setattr(SchemaGenerator, "get_schema", counted)
    return languages


@pytest.fixture(scope="module")
def _schemas_of_module() -> dict[tuple, dict[str, Any]]:
    return {}


@pytest.fixture
def schemas_generated_once_per_module(_schemas_of_module, monkeypatch) -> None:
    """drf-spectacular's generator, still called as often as the view calls it (and counted by
    ``schema_generations`` when that is set after this), answers with a copy of what it generated
    for the same language and arguments earlier in the module; the first call generates. For the
    tests of what the view keeps and serves, not of generating (tests/compact/core/test_schema_view.py
    checks that the schema is what is generated now, whoever reads it and whatever the database holds)."""
    generate = SchemaGenerator.get_schema

    def once(self: SchemaGenerator, request: Any = None, public: bool = False) -> dict[str, Any]:
        patterns = None if self.patterns is None else id(self.patterns)
        key = (translation.get_language(), self.api_version, repr(self.urlconf), patterns, public)
        if key not in _schemas_of_module:
            _schemas_of_module[key] = generate(self, request=request, public=public)
        return copy.deepcopy(_schemas_of_module[key])

    monkeypatch.setattr(SchemaGenerator, "get_schema", once)


@pytest.fixture
def schema_renders(monkeypatch) -> list[str]:
    """The format of each rendering by the schema's renderers during the test ("yaml", "json")."""
    formats: list[str] = []
    for renderer in (OpenApiYamlRenderer, OpenApiJsonRenderer):
        original = renderer.render

        def counted(self: Any, data: Any, *args: Any, _original: Any = original, **kwargs: Any) -> Any:
            formats.append(self.format)
            return _original(self, data, *args, **kwargs)

        monkeypatch.setattr(renderer, "render", counted)
    return formats
