"""Fixtures for the tests of the API's schema, served from what was generated once per process
and language (compact/core/api/schema_view.py). Registered for the whole suite by tests/conftest.py."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator

from compact.core.api.schema_view import SchemaView

JSON = "application/vnd.oai.openapi+json"


@pytest.fixture
def fresh_schemas() -> Iterator[dict[str, Any]]:
    """No schema generated yet in this process (another test's are forgotten), and none left."""
    SchemaView._generated.clear()
    yield SchemaView._generated
    SchemaView._generated.clear()


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
