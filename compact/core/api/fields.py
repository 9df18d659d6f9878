"""Serializer fields for whole numbers the API reads, kept to the database's range.

DRF's ``IntegerField`` takes any size of number and ``PrimaryKeyRelatedField`` hands any key to
the database; past the column's range the request fails with a 500 (see
``compact.lib.integers``). These fields answer a 400 naming the field instead, with DRF's own
words, and publish their bounds (``minimum``, ``maximum``) in the schema. Every input
serializer of the API uses them for its integers.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from compact.lib.integers import ID_TYPE, as_integer, field_range, integer_range, narrowed


class IntegerField(serializers.IntegerField):
    """A whole number the column can store: the range of ``db_type`` (a 64-bit key by default),
    narrowed by ``min_value`` / ``max_value`` when the field has its own."""

    def __init__(self, *, db_type: str = ID_TYPE, **kwargs: Any) -> None:
        bounds = narrowed(integer_range(db_type), kwargs.pop("min_value", None), kwargs.pop("max_value", None))
        super().__init__(min_value=bounds[0], max_value=bounds[1], **kwargs)


class PrimaryKeyRelatedField(serializers.PrimaryKeyRelatedField):
    """An object by its id; an id outside the key column's range is refused before any query."""

    default_error_messages = {
        **serializers.PrimaryKeyRelatedField.default_error_messages,
        "max_value": serializers.IntegerField.default_error_messages["max_value"],
        "min_value": serializers.IntegerField.default_error_messages["min_value"],
    }

    def key_bounds(self) -> tuple[int, int] | None:
        queryset = self.get_queryset()
        return None if queryset is None else field_range(queryset.model._meta.pk)

    def to_internal_value(self, data: Any) -> Any:
        number = as_integer(data)
        bounds = self.key_bounds() if number is not None else None
        if bounds is not None and number < bounds[0]:
            self.fail("min_value", min_value=bounds[0])
        if bounds is not None and number > bounds[1]:
            self.fail("max_value", max_value=bounds[1])
        return super().to_internal_value(data)


class PrimaryKeyRelatedFieldExtension(OpenApiSerializerFieldExtension):
    """The schema of a ``PrimaryKeyRelatedField``: drf-spectacular's, with the key's bounds."""

    target_class = PrimaryKeyRelatedField

    def map_serializer_field(self, auto_schema: Any, direction: str) -> dict[str, Any] | ResolvedComponent:
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        bounds = None if self.target.read_only else self.target.key_bounds()
        if bounds is not None and isinstance(schema, dict) and schema.get("type") == "integer":
            schema = {**schema, "minimum": bounds[0], "maximum": bounds[1]}
        return schema


class ModelSerializer(serializers.ModelSerializer):
    """The API's ``ModelSerializer``: its generated relations are bounded like
    ``PrimaryKeyRelatedField`` above (its generated integer fields already carry the model's
    range), and a read-only text that may be blank says so — DRF drops ``allow_blank`` from
    read-only fields, and the schema then published an enum without the ``""`` the API sends."""

    serializer_related_field = PrimaryKeyRelatedField

    def include_extra_kwargs(self, kwargs: dict[str, Any], extra_kwargs: dict[str, Any]) -> dict[str, Any]:
        allow_blank = kwargs.get("allow_blank", False)
        kwargs = super().include_extra_kwargs(kwargs, extra_kwargs)
        if allow_blank and kwargs.get("read_only"):
            kwargs["allow_blank"] = True
        return kwargs
