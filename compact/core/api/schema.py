"""How the API describes itself (drf-spectacular), where its defaults do not say the truth.

A route such as ``submissions/(?P<pk>[0-9]+)/`` would be published as a string with a pattern;
it is an integer, kept to the database's range by ``compact.core.api.viewsets``, and the schema
says so with the same bounds.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular import openapi

from compact.core.api.viewsets import PUBLIC_NAMES, GuardedInputMixin, integer_path_parameters

INT32_MAX = 2**31 - 1


class AutoSchema(openapi.AutoSchema):
    """drf-spectacular's ``AutoSchema``; integer path parameters are integers with their bounds."""

    def _get_parameters(self) -> list[dict[str, Any]]:
        parameters = super()._get_parameters()
        view = self.view if isinstance(self.view, GuardedInputMixin) else GuardedInputMixin
        integers = {PUBLIC_NAMES.get(name, name): name for name in integer_path_parameters(self.path_regex)}
        for parameter in parameters:
            name = integers.get(parameter["name"]) if parameter["in"] == "path" else None
            if name is not None:
                field = view.path_integer_field(name)
                schema = {"type": "integer", "minimum": field.min_value, "maximum": field.max_value}
                parameter["schema"] = {**schema, "format": "int64"} if field.max_value > INT32_MAX else schema
        return parameters


# --- The errors every operation may answer -----------------------------------------------------------

ERROR_SCHEMA = {
    "type": "object",
    "description": "DRF's error body: ``detail`` for the request as a whole, or a list of messages per "
    "field (``non_field_errors`` for the whole input).",
    "properties": {"detail": {"type": "string"}},
    "additionalProperties": True,
}
ERRORS = {
    "400": "The input is not valid: a parameter or a field outside its type, range or choices (named).",
    "401": "No credentials, or a token that is not valid.",
    "403": "The account is inactive, or may not do this.",
    "404": "No such object (or one the caller may not see), or a page past the last one.",
    "429": "Too many failed tokens from the caller's network: try again later.",
}


def _error_codes(operation: dict[str, Any]) -> list[str]:
    """The error statuses DRF answers for ``operation``, by what it takes and who may call it."""
    parameters = operation.get("parameters", [])
    signed_in = {} not in operation.get("security", [{}])
    codes = []
    if parameters or "requestBody" in operation:
        codes.append("400")
    if signed_in:
        codes += ["401", "403", "429"]
    if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
        codes.append("404")
    return codes


def error_responses(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: every operation documents the errors it may answer
    (those its decorators name keep their own description), with DRF's error body."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    body = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for item in result["paths"].values():
        for operation in item.values():
            responses = operation["responses"]
            for code in _error_codes(operation):
                responses.setdefault(code, {"description": ERRORS[code]})
                responses[code].setdefault("content", body)
    return result
