"""schemathesis over the whole API, kept for good (issue 14: the schemathesis guard, hole 12).

The OpenAPI schema is loaded from the app itself (``/api/v1/schema/``, in-process through
WSGI), and every operation is called with requests generated from it — each request as an
anonymous visitor, an entity's focal point and an OCT officer in turn — on a populated world
(the real roster and the demo data, on a fixed day). No answer may be a server error, and every
answer must be what the schema publishes: its body, its status code and its content type.

Deterministic (a fixed seed, derandomized Hypothesis) and bounded (a few examples per
operation) so that it fits in CI. Each request is generated once and sent as each persona (it
was generated three times, once per persona, for the same requests); the operations are split
into a few tests that xdist's workers share, on a world built once per module. What the
generated requests write is rolled back with each test's transaction. (schemathesis' own
pytest plugin does not run under pytest 9, so the operations are driven through its Python API.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections, connection, transaction
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import Failure, FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from compact.core.models import User
from compact.matrix.models import Project
from tests.helpers import shared_until_rolled_back
from tests.security.demo_world import WORLD_DAY, World, world_build

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance, content_type_conformance]
EXAMPLES = 40
CONFIG = schemathesis.Config.from_dict(
    {
        "seed": 14,
        "generation": {"mode": "positive", "deterministic": True, "with-security-parameters": False},
    }
)
# The order each request is sent in: the readers first, so that OCT's writes (a deletion, say)
# do not change what the others are answered for that request.
PERSONAS = ("anonymous", "focal_point", "oct")
# The operations are split into this many tests (every CHUNKS-th operation each).
CHUNKS = 4


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker) -> Iterator[World]:
    """The world, built once for the module's tests on a frozen clock; each test runs in a
    savepoint of its transaction and rolls back."""
    with time_machine.travel(WORLD_DAY, tick=False), shared_until_rolled_back(django_db_blocker, world_build) as world:
        yield world


@pytest.fixture
def in_process_app() -> Iterator[Callable]:
    """Django's WSGI application serving inside the test's transaction: its handler would
    otherwise close the connection (and the transaction with it) after each request."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    handler = WSGIHandler()

    def app(environ: dict[str, Any], start_response: Callable) -> Any:
        environ.setdefault("REMOTE_ADDR", "127.0.0.1")  # as a server sets it; the rate limits read it
        return handler(environ, start_response)

    yield app
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _token_headers(user: Any) -> dict[str, str]:
    return {"Authorization": f"Token {Token.objects.get_or_create(user=user)[0].key}"} if user else {}


def _operation_failures(operation: Any, personas: dict[str, dict[str, str]]) -> list[str]:
    """Run one operation's examples, each sent as every persona (``personas``: their headers);
    the failure schemathesis reports (the minimal example that fails, with a curl line to
    replay it, and whose request it was), or nothing."""

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def examples(case: schemathesis.Case) -> None:
        for persona, headers in personas.items():
            # A database error aborts the test's transaction: undo the request, report its 500.
            savepoint = transaction.savepoint()
            response = case.call(headers=headers)
            if response.status_code >= 500:
                transaction.savepoint_rollback(savepoint)
            else:
                transaction.savepoint_commit(savepoint)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (Failure, FailureGroup) as failure:
                failure.add_note(f"(sent as {persona.replace('_', ' ')})")
                raise

    try:
        examples()
    except (Failure, FailureGroup) as failure:
        return ["\n".join([f"{operation.label}: {failure}", *getattr(failure, "__notes__", [])])]
    return []


@pytest.mark.long
@pytest.mark.django_db  # the test's own savepoint, in the world's transaction
@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_operation_answers_as_its_schema_says(world, in_process_app, chunk):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:  # a query this slow is a failure (a 500), not a stalled build
            cursor.execute("SET LOCAL statement_timeout = '10s'")
    # The requests are sent to the world's objects (an empty database would answer 404 to most).
    assert Project.objects.exists() and User.objects.filter(pk=world.oct.pk).exists()
    users = {"anonymous": None, "focal_point": world.focal_point, "oct": world.oct}
    personas = {persona: _token_headers(users[persona]) for persona in PERSONAS}
    # The schema is for signed-in users: read as OCT (it is the same for everyone).
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/?format=json", in_process_app, config=CONFIG, headers=personas["oct"]
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100  # the whole API, split (the schema's paths come sorted)
    failures = [
        failure for operation in operations[chunk::CHUNKS] for failure in _operation_failures(operation, personas)
    ]
    assert not failures, "\n\n".join(failures)
