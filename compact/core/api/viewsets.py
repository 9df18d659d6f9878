"""The API's base views: what the path and the query string carry is something the database takes.

Serializer fields check the body. The path and the query string reach views, selectors and
filters more directly, and two things in them used to end in a 500:

- a number past its column's range: a route such as ``submissions/(?P<pk>[0-9]+)/`` takes any
  run of digits, and a key past the range reaches a lookup across a relation (or, on SQLite,
  any lookup) that cannot hold it;
- a NUL character (``%00``): PostgreSQL text cannot contain one (``?search=``, ``?name=``,
  ``/entities/{acronym}/``).

Every view of the API derives from the classes below, which check both once the caller is
authenticated and allowed in: a 400 naming the parameter as the schema does (``id`` for
``pk``), like any bad field. Import ``viewsets`` from here instead of ``rest_framework``.
"""

from __future__ import annotations

import re
from typing import Any, ClassVar

from django.core.validators import ProhibitNullCharactersValidator
from rest_framework import exceptions, views, viewsets
from rest_framework.request import Request

from compact.core.api.fields import IntegerField
from compact.lib.integers import ID_TYPE

# A path segment that only digits match: a regex group ``(?P<pk>[0-9]+)`` or ``\d+``, or ``<int:pk>``.
INTEGER_SEGMENT = re.compile(r"\(\?P<(\w+)>(?:\[0-9\]|\\d)\+\)|<int:(\w+)>")
# drf-spectacular publishes ``pk`` as ``id`` (SCHEMA_COERCE_PATH_PK).
PUBLIC_NAMES = {"pk": "id"}


def integer_path_parameters(route: str) -> list[str]:
    """The names of a route's path parameters that only take digits."""
    return [regex_name or converter_name for regex_name, converter_name in INTEGER_SEGMENT.findall(route)]


def null_character_errors(request: Request, path: dict[str, Any]) -> dict[str, list[str]]:
    """The path and query parameters that carry a NUL character, with Django's message for it."""
    message = str(ProhibitNullCharactersValidator.message)
    named = [(PUBLIC_NAMES.get(name, name), str(value)) for name, value in path.items()]
    named += [(name, value) for name, values in request.query_params.lists() for value in values]
    return {name: [message] for name, value in named if "\x00" in value}


class GuardedInputMixin:
    """Checks the path and the query string: no NUL character anywhere, and each integer path
    parameter within its column's range — an id's (``BigAutoField``) unless
    ``path_integer_types`` names another type for it."""

    path_integer_types: ClassVar[dict[str, str]] = {}

    @classmethod
    def path_integer_field(cls, name: str) -> IntegerField:
        """The field that reads path parameter ``name`` (digits only, so from 0)."""
        return IntegerField(db_type=cls.path_integer_types.get(name, ID_TYPE), min_value=0)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # authentication and permissions come first
        errors = null_character_errors(request, kwargs) or self._integer_path_errors(request, kwargs)
        if errors:
            raise exceptions.ValidationError(errors)

    def _integer_path_errors(self, request: Request, kwargs: dict[str, Any]) -> dict[str, Any]:
        match = getattr(request, "resolver_match", None)
        errors = {}
        for name in integer_path_parameters(match.route if match is not None else ""):
            try:
                self.path_integer_field(name).run_validation(str(kwargs[name]))
            except exceptions.ValidationError as error:
                errors[PUBLIC_NAMES.get(name, name)] = error.detail
        return errors


class APIView(GuardedInputMixin, views.APIView):
    pass


class GenericViewSet(GuardedInputMixin, viewsets.GenericViewSet):
    pass


class ReadOnlyModelViewSet(GuardedInputMixin, viewsets.ReadOnlyModelViewSet):
    pass
