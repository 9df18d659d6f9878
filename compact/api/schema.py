"""How the API describes itself (drf-spectacular), where its defaults do not say the truth.

A route such as ``submissions/(?P<pk>[0-9]+)/`` would be published as a string with a pattern;
it is an integer, kept to the database's range by ``compact.api.viewsets``, and the schema
says so with the same bounds.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi

from compact.api.viewsets import PUBLIC_NAMES, IntegerPathMixin, integer_path_parameters

INT32_MAX = 2**31 - 1


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's ``AutoSchema``; integer path parameters are integers with their bounds."""

    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_parameters()
        view = self.view if isinstance(self.view, IntegerPathMixin) else IntegerPathMixin
        integers = {PUBLIC_NAMES.get(name, name): name for name in integer_path_parameters(self.path_regex)}
        for parameter in parameters:
            name = integers.get(parameter["name"]) if parameter["in"] == "path" else None
            if name is not None:
                field = view.path_integer_field(name)
                schema = {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
                parameter["schema"] = {**schema, "format": "int64"} if field.max_value > INT32_MAX else schema
        return parameters
