"""Every integer a client sends is kept to the database's range (issue 14, hole 2).

A number past what a column holds used to reach the database — in an ``__in`` lookup, a lookup
across a relation, a write — and the request failed with a 500 (SQLite's driver raises
``OverflowError``; PostgreSQL compares it as ``numeric`` or refuses to store it). Now it is a
400 naming the field in the API, a field error on a page's form, and a 404 for an id in a
page's URL — and nothing is written.

The inputs are found by introspection, so a new endpoint, filter, field or form is covered
without touching this file:

- the API: every integer parameter (path and query) and body field of the OpenAPI schema,
  which drf-spectacular builds by walking the URL resolver, the viewsets, their filter sets and
  serializers; each must publish its bounds, and just past them must be refused;
- the pages: every route of the URL resolver with an integer in its path, and every integer
  field (``IntegerField``, a model choice by an integer key) of the page forms.
"""

from __future__ import annotations

import copy
import importlib
import json
import pkgutil
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import pytest
import time_machine as time_travel
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils import translation
from drf_spectacular.generators import SchemaGenerator
from rest_framework.test import APIClient, APIRequestFactory

from compact.core.models import User
from compact.lib.integers import ID_TYPE, integer_range
from tests.helpers import shared_until_rolled_back
from tests.security.demo_world import WORLD_DAY, World, world_build

LOW_64, HIGH_64 = integer_range(ID_TYPE)
HUGE = 10**22  # the value in the attacker's report is 2**70
METHODS = ("get", "post", "put", "patch", "delete")
WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


@pytest.fixture(scope="module")
def _module_world(django_db_setup, django_db_blocker):
    """The demo world, loaded once for the module in a transaction of its own (on ``WORLD_DAY``,
    as ``world_load`` does): each test runs in a savepoint of it and rolls back what it wrote."""
    with time_travel.travel(WORLD_DAY, tick=False), shared_until_rolled_back(django_db_blocker, world_build) as world:
        yield world


@pytest.fixture
def world(_module_world, db, time_machine) -> World:
    """The module's world (the test's own copies of its users), the clock standing on ``WORLD_DAY``."""
    time_machine.move_to(WORLD_DAY, tick=False)
    return copy.deepcopy(_module_world)


def writes_in(queries: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in queries.captured_queries if WRITES.match(query["sql"])]


# --- The API: what the schema lists -----------------------------------------------------------------


@dataclass(frozen=True)
class IntegerInput:
    method: str
    path: str
    where: str  # "path", "query" or "body"
    name: tuple[str | int, ...]  # a body field's place: ("values", 0, "indicator")
    low: int | None
    high: int | None

    def __str__(self) -> str:
        return f"{self.method.upper()} {self.path} {self.where} {'.'.join(map(str, self.name))}"

    def out_of_range(self) -> list[int]:
        """Just past the published bounds, past a 64-bit integer, and the attacker's number. A
        path takes digits only, so no negative number reaches it."""
        values = {HIGH_64 + 1, HUGE} | ({self.high + 1} if self.high is not None else set())
        if self.where != "path":
            values |= {LOW_64 - 1} | ({self.low - 1} if self.low is not None else set())
        return sorted(values)


def _resolved(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node or ("allOf" in node and len(node["allOf"]) == 1):
        target = node["$ref"] if "$ref" in node else node["allOf"][0].get("$ref")
        if target is None:
            return node["allOf"][0]
        node = schema["components"]["schemas"][target.rsplit("/", 1)[1]]
    return node


def _body_integers(schema: dict[str, Any], node: dict[str, Any], place: tuple) -> Iterator[tuple[tuple, dict]]:
    node = _resolved(schema, node)
    if node.get("readOnly"):
        return
    if node.get("type") == "integer":
        yield place, node
    elif node.get("type") == "array":
        yield from _body_integers(schema, node.get("items", {}), (*place, 0))
    for name, child in node.get("properties", {}).items():
        yield from _body_integers(schema, child, (*place, name))


def api_integer_inputs(schema: dict[str, Any]) -> list[IntegerInput]:
    inputs = []
    for path, item in schema["paths"].items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            for parameter in operation.get("parameters", []):
                node = _resolved(schema, parameter["schema"])
                if node.get("type") == "integer":
                    low, high = node.get("minimum"), node.get("maximum")
                    inputs.append(IntegerInput(method, path, parameter["in"], (parameter["name"],), low, high))
            content = operation.get("requestBody", {}).get("content", {})
            media = content.get("application/json") or next(iter(content.values()), None)
            for place, node in _body_integers(schema, media["schema"], ()) if media else ():
                inputs.append(IntegerInput(method, path, "body", place, node.get("minimum"), node.get("maximum")))
    return inputs


@pytest.fixture(scope="module")
def _module_api_schema(django_db_setup, django_db_blocker) -> dict[str, Any]:
    with django_db_blocker.unblock(), transaction.atomic(), translation.override(settings.LANGUAGE_CODE):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        transaction.set_rollback(True)
    return schema


@pytest.fixture
def api_schema(_module_api_schema, db) -> dict[str, Any]:
    """The API's schema, generated once for the module (it depends on the code, not on the
    database: tests/compact/core/test_schema_view.py); each test reads its own copy."""
    return copy.deepcopy(_module_api_schema)


def test_the_schema_lists_the_integer_inputs_the_attackers_sent(api_schema):
    """A sanity check of the introspection: the inputs of the report are among those walked."""
    found = {str(found) for found in api_integer_inputs(api_schema)}
    for expected in (
        "POST /api/v1/sign-on-requests/ body working_groups.0",
        "GET /api/v1/committee-action-points/ query meeting",
        "GET /api/v1/programme-results/ query priority",
        "GET /api/v1/extension-requests/ query submission",
        "GET /api/v1/scheduler-events/ query period",
        "GET /api/v1/submissions/{id}/ path id",
        "PUT /api/v1/submissions/{id}/indicator-values/ body values.0.indicator",
    ):
        assert expected in found


def test_every_integer_input_publishes_bounds_within_the_databases_range(api_schema):
    unbounded = [
        str(found)
        for found in api_integer_inputs(api_schema)
        if found.low is None or found.high is None or found.low < LOW_64 or found.high > HIGH_64
    ]
    assert unbounded == []


# --- The API: what happens past the bounds -------------------------------------------------------------


def _error_names(errors: Any) -> set[str]:
    """Every key of a DRF error body, however nested (``{"values": [{"indicator": [...]}]}``)."""
    if isinstance(errors, dict):
        return set(errors) | set().union(*(_error_names(value) for value in errors.values()))
    if isinstance(errors, list):
        return set().union(*(_error_names(value) for value in errors))
    return set()


def _body(name: tuple, value: int) -> Any:
    if not name:
        return value
    head, rest = name[0], name[1:]
    return [_body(rest, value)] if isinstance(head, int) else {head: _body(rest, value)}


class Caller:
    """Sends one integer input's value as each persona in turn, on real objects of the world."""

    def __init__(self, world: World) -> None:
        self.personas = [world.oct, None, world.chair, world.focal_point]
        self.clients = {}

    def client(self, user: User | None) -> APIClient:
        key = user.pk if user else None
        if key not in self.clients:
            self.clients[key] = APIClient(raise_request_exception=False)
            if user is not None:
                self.clients[key].force_authenticate(user)
        return self.clients[key]

    def path_values(self, user: User | None, found: IntegerInput) -> list[dict[str, Any]]:
        """Values for the path's parameters that name real objects the caller may see: from the
        view's own scoped queryset, or else from the list the path belongs to."""
        names = re.findall(r"{(\w+)}", found.path)
        if not names:
            return [{}]
        first, rest = names[0], dict.fromkeys(names[1:], 1)
        keys = (self.view_keys(user, found) if user else []) or self.listed_keys(user, found, first)
        return [{first: key, **rest} for key in keys[:3]]

    def view_keys(self, user: User, found: IntegerInput) -> list[Any]:
        match = resolve(re.sub(r"{(\w+)}", "1", found.path))
        view_class = getattr(match.func, "cls", None)
        if view_class is None or not hasattr(view_class, "get_queryset"):
            return []
        view = view_class(**match.func.initkwargs)
        view.action_map = match.func.actions
        view.action = view.action_map.get(found.method)
        view.format_kwarg, view.kwargs = None, match.kwargs
        view.request = view.initialize_request(APIRequestFactory().generic(found.method, "/"))
        view.request.user = user
        return list(view.get_queryset().order_by("pk").values_list(view.lookup_field, flat=True)[:3])

    def listed_keys(self, user: User | None, found: IntegerInput, name: str) -> list[Any]:
        listing = self.client(user).get(found.path.split("{", 1)[0])
        results = listing.json().get("results", []) if listing.status_code == 200 else []
        return [row[name] for row in results if name in row]

    def send(self, user: User | None, found: IntegerInput, value: int, path: dict[str, Any]) -> Any:
        client = self.client(user)
        url = found.path.format(**{**path, **({found.name[0]: value} if found.where == "path" else {})})
        if found.where == "query":
            return client.generic(found.method, f"{url}?{urlencode({found.name[0]: value})}")
        body = json.dumps(_body(found.name, value)) if found.where == "body" else "{}"
        return client.generic(found.method, url, body, content_type="application/json")

    def problems(self, found: IntegerInput) -> list[str]:
        """What is wrong with how ``found`` answers its out-of-range values; nothing when a
        persona who reaches the input gets a 400 naming it and nobody gets a 500 or a write."""
        named = False
        problems = []
        for user in self.personas:
            for path in self.path_values(user, found) if found.where != "path" else [{}]:
                path = {**dict.fromkeys(re.findall(r"{(\w+)}", found.path), 1), **path}
                for value in found.out_of_range():
                    with CaptureQueriesContext(connection) as queries:
                        response = self.send(user, found, value, path)
                    if response.status_code >= 500 or writes_in(queries):
                        problems.append(f"{found} = {value} as {user}: {response.status_code}, {writes_in(queries)}")
                    elif response.status_code == 400:
                        named = named or {part for part in found.name if isinstance(part, str)} <= _error_names(
                            response.json()
                        )
                if named:
                    return problems
        return [*problems, f"{found}: no persona got a 400 naming it"]


def test_every_integer_input_past_its_bounds_is_a_400_naming_it_and_writes_nothing(world, api_schema):
    caller = Caller(world)
    problems = [problem for found in api_integer_inputs(api_schema) for problem in caller.problems(found)]
    assert problems == []


def test_the_attackers_sign_on_request_is_refused_on_its_field_and_not_stored(world):
    from compact.signon.models import SignOnRequest
    from tests.helpers import signon_form_data

    body = {**signon_form_data(declaration=None, homepage=None), "declaration": True, "working_groups": [2**70]}
    response = APIClient().post("/api/v1/sign-on-requests/", body, format="json")
    assert response.status_code == 400
    assert response.json() == {"working_groups": [f"Ensure this value is less than or equal to {HIGH_64}."]}
    assert not SignOnRequest.objects.filter(acronym="ICAO").exists()


# --- The pages: integers in their paths -------------------------------------------------------------------

INTEGER_ROUTE_PART = re.compile(r"<int(?:64)?:(\w+)>|\(\?P<(\w+)>\[0-9\]\+\)")
OTHER_ROUTE_PART = re.compile(r"<(?:\w+:)?(\w+)>|\(\?P<(\w+)>[^)]*\)")


def _routes(patterns: list, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def page_routes_with_integers() -> list[str]:
    return sorted(
        route
        for route in _routes(get_resolver().url_patterns)
        if INTEGER_ROUTE_PART.search(route) and not route.startswith(("api/", "admin/"))
    )


def _page_url(route: str, value: int) -> str:
    url = INTEGER_ROUTE_PART.sub(str(value), route)
    url = OTHER_ROUTE_PART.sub("consolidated", url)  # the one regex route's other group is a kind
    return "/" + url.replace("^", "").replace("$", "")


def test_the_page_routes_with_integers_are_found():
    routes = page_routes_with_integers()
    assert "reporting/submissions/<int64:pk>/" in routes or "reporting/submissions/<int:pk>/" in routes
    assert len(routes) > 50


@pytest.mark.parametrize("value", [HIGH_64 + 1, HUGE])
def test_an_id_past_the_databases_range_in_a_page_url_is_a_404_that_writes_nothing(world, value):
    client = Client(raise_request_exception=False)
    client.force_login(world.oct)
    problems = []
    for route in page_routes_with_integers():
        url = _page_url(route, value)
        with CaptureQueriesContext(connection) as queries:
            statuses = {client.get(url).status_code, client.post(url).status_code}
        if not statuses <= {404, 405} or 404 not in statuses or writes_in(queries):
            problems.append(f"{url}: {sorted(statuses)} {writes_in(queries)}")
        if "(?P<" not in route:
            # A route with a converter matches no such id at all: no view runs.
            try:
                resolve(url)
                problems.append(f"{url}: matches a route")
            except Resolver404:
                pass
    assert problems == []


# --- The pages: integer fields of their forms -----------------------------------------------------------


def _page_form_modules() -> Iterator[Any]:
    # Every domain's forms module, at any depth (``compact.signon.forms``, ``reporting.committee.forms``).
    for app in ("compact", "reporting", "workinggroups"):
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            leaf = module.name.rsplit(".", 1)[1]
            if leaf == "forms" or leaf.startswith("forms_"):
                yield importlib.import_module(module.name)


def _is_integer_field(field: forms.Field) -> bool:
    if isinstance(field, forms.ModelChoiceField):  # ModelMultipleChoiceField too
        if field.to_field_name and field.queryset is not None:
            key = field.queryset.model._meta.get_field(field.to_field_name)
            return key.get_internal_type().endswith(("IntegerField", "AutoField"))
        return True  # by primary key: every model's is an integer (DEFAULT_AUTO_FIELD)
    # Django's DecimalField and FloatField are IntegerFields too; their digits are bounded by max_digits.
    return isinstance(field, forms.IntegerField) and not isinstance(field, forms.DecimalField | forms.FloatField)


def page_form_integer_fields() -> list[tuple[str, str, forms.Field]]:
    found = []
    for module in _page_form_modules():
        for form in vars(module).values():
            if isinstance(form, type) and issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                found += [
                    (f"{module.__name__}.{form.__name__}", name, field)
                    for name, field in form.base_fields.items()
                    if _is_integer_field(field)
                ]
    return found


PAGE_FORM_FIELDS = page_form_integer_fields()
# Fields in files another engineer owns, with the change described to them.
OWNED_ELSEWHERE: dict[str, str] = {}


def test_the_page_forms_integer_fields_are_found():
    names = {f"{form}.{name}" for form, name, _field in PAGE_FORM_FIELDS}
    assert "compact.signon.forms.SignOnForm.working_groups" in names
    assert "reporting.monitoring.forms.IndicatorForm.priorities" in names


@pytest.mark.parametrize(
    ("form", "name", "field"),
    [
        pytest.param(
            form,
            name,
            field,
            id=f"{form}.{name}",
            marks=[pytest.mark.xfail(strict=True, reason=OWNED_ELSEWHERE[f"{form}.{name}"])]
            if f"{form}.{name}" in OWNED_ELSEWHERE
            else [],
        )
        for form, name, field in PAGE_FORM_FIELDS
    ],
)
def test_a_page_form_refuses_an_integer_past_the_databases_range_without_asking_it(
    db, django_assert_num_queries, form, name, field
):
    field = copy.deepcopy(field)
    if isinstance(field, forms.ModelChoiceField) and field.queryset is None:
        field.queryset = User.objects.all()  # a form sets it when it is made; any integer key will do
    for value in (HIGH_64 + 1, LOW_64 - 1, HUGE):
        raw = [str(value)] if isinstance(field, forms.ModelMultipleChoiceField) else str(value)
        with django_assert_num_queries(0), pytest.raises(ValidationError) as refused:
            field.clean(raw)
        assert {error.code for error in refused.value.error_list} & {"max_value", "min_value"}
