"""The API's base views: a number in the path is kept to the database's range.

A route such as ``submissions/(?P<pk>[0-9]+)/`` takes any run of digits; a key past the
column's range reaches the database, where a lookup across a relation (or on SQLite any
lookup) fails with a 500. Every view of the API derives from the classes below, which check
each integer path parameter once the caller is authenticated and allowed in: outside the range
it is a 400 naming the parameter as the schema does (``id`` for ``pk``), like any bad field.

Import ``viewsets`` from here instead of ``rest_framework``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from rest_framework import exceptions, views, viewsets
from rest_framework.request import Request

from compact.api.fields import IntegerField
from compact.lib.integers import ID_TYPE

# A path segment that only digits match: a regex group ``(?P<pk>[0-9]+)`` or ``\d+``, or ``<int:pk>``.
INTEGER_SEGMENT = re.compile(r"\(\?P<(\w+)>(?:\[0-9\]|\\d)\+\)|<int:(\w+)>")
# drf-spectacular publishes ``pk`` as ``id`` (SCHEMA_COERCE_PATH_PK).
PUBLIC_NAMES = {"pk": "id"}


def integer_path_parameters(route: str) -> list[str]:
    """The names of a route's path parameters that only take digits."""
    return [regex_name or converter_name for regex_name, converter_name in INTEGER_SEGMENT.findall(route)]


class IntegerPathMixin:
    """Checks the integer path parameters against the range of their column: an id's
    (``BigAutoField``) unless ``path_integer_types`` names another type for a parameter."""

    path_integer_types: ClassVar[dict[str, str]] = {}

    @classmethod
    def path_integer_field(cls, name: str) -> IntegerField:
        """The field that reads path parameter ``name`` (digits only, so from 0)."""
        return IntegerField(db_type=cls.path_integer_types.get(name, ID_TYPE), min_value=0)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication and permissions come first
        match = getattr(request, "resolver_match", None)
        errors = {}
        for name in integer_path_parameters(match.route if match is not None else ""):
            field = self.path_integer_field(name)
            try:
                field.run_validation(str(kwargs[name]))
            except exceptions.ValidationError as error:
                errors[PUBLIC_NAMES.get(name, name)] = error.detail
        if errors:
            raise exceptions.ValidationError(errors)


class APIView(IntegerPathMixin, views.APIView):
    pass


class GenericViewSet(IntegerPathMixin, viewsets.GenericViewSet):
    pass


class ReadOnlyModelViewSet(IntegerPathMixin, viewsets.ReadOnlyModelViewSet):
    pass
