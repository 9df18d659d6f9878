"""The API's filters: every integer and moment a query string carries is one the database takes.

An id filter (``?meeting=``, ``?period=``) compares across a relation, where Django does not
guard against a number the column cannot hold; SQLite's driver then raises ``OverflowError``
(a 500). ``FilterSet`` below bounds each of its integer and model-choice filters once, when the
class is made, by the column it filters on (``compact.lib.integers``): a number outside the
range is a 400 naming the filter. The schema publishes the same bounds. Date-time filters hand
the database UTC (``UTCIsoDateTimeField``).

Every filter set of the API derives from ``FilterSet``, and ``DjangoFilterBackend`` builds
the ones declared with ``filterset_fields`` on it too.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
from django.core.exceptions import ValidationError
from django.db import models
from django_filters import fields as filter_fields
from django_filters import rest_framework
from django_filters.utils import get_model_field
from drf_spectacular.contrib.django_filters import DjangoFilterExtension
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from compact.lib import integers


class UTCIsoDateTimeField(filter_fields.IsoDateTimeField):
    """An ISO 8601 moment, handed to the database in UTC. Python reads offsets up to ±23:59;
    PostgreSQL refuses past ±15:59 (``time zone displacement out of range``, a 500), and a
    moment near the first or last year may not convert at all: either is a 400 naming the filter."""

    def to_python(self, value: Any) -> datetime.datetime | None:
        moment = super().to_python(value)
        try:
            return moment.astimezone(datetime.UTC) if moment is not None else None
        except OverflowError as error:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from error


class ModelChoiceField(integers.BoundedKeyMixin, filter_fields.ModelChoiceField):
    """django-filter's model choice (with its null option), its key kept to the key's range."""


class ModelMultipleChoiceField(integers.BoundedKeysMixin, filter_fields.ModelMultipleChoiceField):
    """django-filter's multiple model choice, its keys kept to the key's range."""


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    """An id (or any whole number) matched exactly: ``?meeting=12``. ``FilterSet`` gives it the
    range of the column it filters on."""

    field_class = integers.IntegerField


def _bound(filter_: django_filters.Filter, model: type[models.Model] | None) -> None:
    """Give ``filter_`` the range of the column it compares with, and remember it for the schema."""
    field = get_model_field(model, filter_.field_name) if model and filter_.field_name else None
    bounds = integers.field_range(field) if field is not None else None
    if isinstance(filter_, django_filters.IsoDateTimeFilter):
        filter_.field_class = UTCIsoDateTimeField
        return
    if isinstance(filter_, django_filters.ModelMultipleChoiceFilter):
        filter_.field_class = ModelMultipleChoiceField
    elif isinstance(filter_, django_filters.ModelChoiceFilter):
        filter_.field_class = ModelChoiceField
    elif isinstance(filter_, django_filters.NumberFilter) and bounds is not None:
        filter_.field_class = integers.IntegerField
        filter_.extra["db_type"] = integers.column_field(field).get_internal_type()
    else:
        return  # not an integer (a decimal column's filter compares a Decimal, which it may)
    if bounds is not None:
        filter_.integer_bounds = integers.narrowed(
            bounds, filter_.extra.get("min_value"), filter_.extra.get("max_value")
        )


class FilterSet(rest_framework.FilterSet):
    """django-filter's ``FilterSet`` whose integer and model-choice filters carry the database's
    range: a number outside it is a 400 naming the filter, never a query."""

    @classmethod
    def get_filters(cls) -> dict[str, django_filters.Filter]:
        filters = super().get_filters()
        for filter_ in filters.values():
            _bound(filter_, cls._meta.model)
        return filters


class DjangoFilterBackend(rest_framework.DjangoFilterBackend):
    """django-filter's backend; the filter sets it makes from ``filterset_fields`` are bounded too."""

    filterset_base = FilterSet


class BoundedFilterExtension(DjangoFilterExtension):
    """drf-spectacular's description of django-filter's parameters, with each integer filter's
    ``minimum`` and ``maximum``."""

    target_class = DjangoFilterBackend
    priority = 1

    def resolve_filter_field(
        self, auto_schema: Any, model: Any, filterset_class: Any, field_name: str, filter_field: Any
    ) -> list[dict[str, Any]]:
        parameters = super().resolve_filter_field(auto_schema, model, filterset_class, field_name, filter_field)
        bounds = getattr(filter_field, "integer_bounds", None)
        for parameter in parameters:
            schema = parameter["schema"]
            if bounds is not None and schema.get("type") == "integer":
                schema["minimum"], schema["maximum"] = bounds
        return parameters
