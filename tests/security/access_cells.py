"""The machinery of the access matrix: rows (what is asked, of which object, by page or API),
expected outcomes per persona, and running one cell (one persona, one row) against the world
of ``access_world``.

A row never says how to check: the outcome does. An allowed write must leave its effect in the
database (``state`` read before and after, ``done`` true of the change); every refusal must
leave ``state`` exactly as it was. A read that is allowed is a 200 whose body carries the
markers the persona may read and none of those they may not.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.test import Client
from rest_framework.test import APIClient

from tests.security.access_world import PERSONAS, World

# --- Outcomes -------------------------------------------------------------------------------------

OK = "ok"  # allowed: a 200 for a read; for a write its success status and its effect in the database
NF = "404"  # refused as if the object did not exist; nothing changed
FB = "403"  # API: the caller may read it but may not do this; nothing changed
BAD = "400"  # refused with the reason (a field, or the whole form); nothing changed
CONFLICT = "409"  # refused: not possible in the object's state; nothing changed
BACK = "back"  # page: refused with a message, sent back to the object's page (302); nothing changed
FOUR_EYES = "four-eyes"  # refused because the persona put it forward: the reason is given; nothing changed
LOGIN = "login"  # anonymous: the sign-in page (pages) or 401 (API); nothing changed
ADMIN_LOGIN = "admin-login"  # the admin's own sign-in page (not staff)
OUTCOMES = (OK, NF, FB, BAD, CONFLICT, BACK, FOUR_EYES, LOGIN, ADMIN_LOGIN)

# How the pages and the API say it (the services' message, or a page's explanation).
FOUR_EYES_TEXTS = ("someone else must decide",)
SUCCESS = {200, 201, 202, 204, 302}

ALL = frozenset(PERSONAS)
SIGNED_IN = ALL - {"anon"}


def cleared(level: str) -> frozenset[str]:
    """The personas whose clearance reaches ``level``."""
    order = ["unclassified", "confidential", "strictly-confidential"]
    return frozenset(
        name for name, (clearance, _) in PERSONAS.items() if clearance and order.index(clearance) >= order.index(level)
    )


def expect(
    ok: Iterable[str] = (),
    *,
    forbidden: Iterable[str] = (),
    bad: Iterable[str] = (),
    conflict: Iterable[str] = (),
    back: Iterable[str] = (),
    four_eyes: Iterable[str] = (),
    admin_login: Iterable[str] = (),
    others: str = NF,
    anon: str = LOGIN,
) -> dict[str, str]:
    """Each persona's outcome: those named get theirs, every other signed-in persona ``others``
    and the anonymous visitor ``anon``. A persona is named once."""
    named: dict[str, str] = {}
    for outcome, personas in (
        (OK, ok),
        (FB, forbidden),
        (BAD, bad),
        (CONFLICT, conflict),
        (BACK, back),
        (FOUR_EYES, four_eyes),
        (ADMIN_LOGIN, admin_login),
    ):
        for persona in personas:
            assert persona in PERSONAS, persona
            assert persona not in named, f"{persona} is given two outcomes"
            named[persona] = outcome
    table = {persona: named.get(persona, others) for persona in SIGNED_IN}
    table["anon"] = named.get("anon", anon)
    return table


# --- Rows -----------------------------------------------------------------------------------------


class Keys(dict):
    """``"/reporting/submissions/{s7_draft}/"``: the world's primary keys by name; ``{wg7}``
    is a working group's id, ``{feed_chair7}`` one of the world's tokens."""

    def __init__(self, world: World) -> None:
        super().__init__()
        self.world = world

    def __missing__(self, key: str) -> int | str:
        if key in self.world.tokens:
            return self.world.tokens[key]
        if key.startswith("wg"):
            return self.world.group(int(key[2:]))
        return self.world.pk(key)


def fill(world: World, value: Any) -> Any:
    """``value`` with ``"{key}"`` strings replaced by primary keys (ints) and ``"…{key}…"``
    placeholders filled in; callables are called with the world."""
    if callable(value):
        return value(world)
    if isinstance(value, str):
        whole = re.fullmatch(r"\{(\w+)\}", value)
        return Keys(world)[whole.group(1)] if whole else value.format_map(Keys(world))
    if isinstance(value, Mapping):
        return {fill(world, name): fill(world, item) for name, item in value.items()}
    if isinstance(value, list | tuple):
        return [fill(world, item) for item in value]
    return value


State = Callable[[World], Any]
Done = Callable[[Any, Any], bool]


@dataclass(frozen=True)
class Row:
    """One thing a persona may ask: ``method`` on ``path`` (a page, or the API under /api/v1/),
    with ``body``; ``expect`` gives each persona's outcome.

    Reads: ``shows`` maps a marker to the personas who must find it in an allowed answer (the
    others must not); ``hides`` maps a marker to personas who must not find it (whatever the
    others find). Markers may name world keys (``"/reporting/submissions/{s7_draft}/"``).
    Writes: ``state`` reads what the action would change; ``done`` says the change is the
    intended one.
    """

    name: str
    method: str
    path: str
    expect: dict[str, str]
    body: Any = None
    state: State | None = None
    done: Done | None = None
    shows: Mapping[str, frozenset[str]] = field(default_factory=dict)
    hides: Mapping[str, frozenset[str]] = field(default_factory=dict)
    multipart: bool = False

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")

    def __post_init__(self) -> None:
        assert set(self.expect) == set(PERSONAS), self.name
        if self.method != "GET":
            assert self.state is not None and self.done is not None, f"{self.name}: a write needs state and done"


def read(
    name: str,
    path: str,
    readers: Iterable[str],
    *,
    others: str = NF,
    anon: str = LOGIN,
    shows: Mapping[str, Iterable[str]] | None = None,
    hides: Mapping[str, Iterable[str]] | None = None,
) -> Row:
    """A GET that ``readers`` may make (200); the other signed-in personas get ``others``.
    ``shows``: marker -> the personas who must find it in the answer (the others must not);
    ``hides``: marker -> personas who must not find it."""
    return Row(
        name,
        "GET",
        path,
        expect(readers, others=others, anon=anon),
        shows={marker: frozenset(personas) for marker, personas in (shows or {}).items()},
        hides={marker: frozenset(personas) for marker, personas in (hides or {}).items()},
    )


def write(name: str, method: str, path: str, body: Any, state: State, done: Done, **outcomes: Any) -> Row:
    """A write: ``outcomes`` are ``expect``'s (``ok=…``, ``forbidden=…``), with ``multipart=True``
    for a file upload and ``hides`` for markers no refusal may show."""
    multipart = outcomes.pop("multipart", False)
    hides = {marker: frozenset(personas) for marker, personas in outcomes.pop("hides", {}).items()}
    return Row(
        name, method, path, expect(**outcomes), body=body, state=state, done=done, multipart=multipart, hides=hides
    )


@dataclass(frozen=True)
class Listing:
    """An API list: ``members`` maps a world key to the personas who must find it listed (the
    others must not)."""

    name: str
    path: str
    members: Mapping[str, frozenset[str]]
    id_field: str = "id"


# --- States and effects ------------------------------------------------------------------------------


def fields(key: str, *names: str) -> State:
    """The object's ``names`` as stored now (``{}`` once it is deleted)."""

    def state(world: World) -> dict[str, Any]:
        model, pk = world.keys[key]
        row = model.objects.filter(pk=pk).values(*names).first()
        return row or {}

    return state


def count(model: Any, **filters: Any) -> State:
    """How many rows of ``model`` match ``filters`` (values may name world keys: ``"{s7_draft}"``)."""

    def state(world: World) -> int:
        return model.objects.filter(**fill(world, filters)).count()

    return state


def both(*states: State) -> State:
    def state(world: World) -> tuple:
        return tuple(one(world) for one in states)

    return state


def becomes(**values: Any) -> Done:
    """The fields now hold ``values`` (and held something else before)."""

    def done(before: dict[str, Any], after: dict[str, Any]) -> bool:
        return before != after and all(after.get(name) == value for name, value in values.items())

    return done


def changed(before: Any, after: Any) -> bool:
    return before != after


def grows(by: int = 1) -> Done:
    def done(before: Any, after: Any) -> bool:
        first = before[0] if isinstance(before, tuple) else before
        last = after[0] if isinstance(after, tuple) else after
        return last == first + by

    return done


def gone(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return bool(before) and not after


# --- Running a cell ------------------------------------------------------------------------------------


def client_for(world: World, persona: str, *, api: bool) -> Client:
    """A client signed in as ``persona`` (with the session the world opened for them)."""
    client = APIClient() if api else Client()
    if persona != "anon":
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


def send(client: Client, row: Row, world: World) -> Any:
    path = fill(world, row.path)
    body = fill(world, row.body) if row.body is not None else None
    if row.method == "GET":
        return client.get(path, body or {})
    if not row.api:
        return client.post(path, body or {})
    if row.multipart:
        return client.generic(row.method, path, **_multipart(body or {}))
    return client.generic(row.method, path, json.dumps(body or {}), content_type="application/json")


def _multipart(body: dict[str, Any]) -> dict[str, Any]:
    from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

    return {"data": encode_multipart(BOUNDARY, body), "content_type": MULTIPART_CONTENT}


def text_of(response: Any) -> str:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def run(world: World, row: Row, persona: str) -> None:
    """Ask ``row`` as ``persona`` and check the outcome the table gives."""
    outcome = row.expect[persona]
    before = row.state(world) if row.state else None
    client = client_for(world, persona, api=row.api)
    response = send(client, row, world)
    after = row.state(world) if row.state else None
    status = response.status_code
    where = f"{row.method} {fill(world, row.path)} as {persona}: {status}"
    if outcome == OK:
        _allowed(world, row, persona, response, before, after, where)
        return
    if row.state is not None:
        assert after == before, f"{where}: refused ({outcome}) but changed {before!r} -> {after!r}"
    _refused(client, row, outcome, response, where)
    body = text_of(response)
    for marker in [*row.shows, *row.hides]:
        marker = fill(world, marker)
        assert marker not in body, f"{where}: {marker} leaked in a refusal"


def _allowed(world: World, row: Row, persona: str, response: Any, before: Any, after: Any, where: str) -> None:
    status = response.status_code
    if row.method == "GET":
        assert status == 200, f"{where}, expected 200"
        body = text_of(response)
        for marker, seers in row.shows.items():
            marker = fill(world, marker)
            if persona in seers:
                assert marker in body, f"{where}: {marker} missing"
            else:
                assert marker not in body, f"{where}: {marker} leaked"
        for marker, blind in row.hides.items():
            marker = fill(world, marker)
            assert persona not in blind or marker not in body, f"{where}: {marker} leaked"
        return
    assert status in SUCCESS, f"{where}, expected success; {text_of(response)[:300]}"
    if not row.api:
        location = response.get("Location", "") if status == 302 else ""
        assert "/accounts/login/" not in location, f"{where}: sent to sign in"
    assert row.done(before, after), f"{where}: no effect ({before!r} -> {after!r}); {text_of(response)[:300]}"


def _refused(client: Client, row: Row, outcome: str, response: Any, where: str) -> None:
    status = response.status_code
    location = response.get("Location", "") if status == 302 else ""
    if outcome == LOGIN:
        if row.api:
            assert status == 401, f"{where}, expected 401"
        else:
            assert status == 302 and location.startswith("/accounts/login/"), f"{where}, expected the sign-in page"
    elif outcome == ADMIN_LOGIN:
        assert status == 302 and location.startswith("/admin/login/"), f"{where}, expected the admin's sign-in"
    elif outcome == BACK:
        assert status == 302 and "/accounts/login/" not in location, f"{where}, expected a redirect back"
    elif outcome == FOUR_EYES:
        assert status in (302, 400, 403), f"{where}, expected a four-eyes refusal"
        shown = text_of(client.get(location)) if status == 302 else text_of(response)
        assert any(text in shown for text in FOUR_EYES_TEXTS), f"{where}: the four-eyes reason is not given"
    else:
        assert status == int(outcome), f"{where}, expected {outcome}; {text_of(response)[:300]}"


def listed(world: World, listing: Listing, persona: str) -> set[str]:
    """The world keys of ``listing``'s members that ``persona`` finds in the list (every page)."""
    client = client_for(world, persona, api=True)
    found: set[Any] = set()
    url: str | None = fill(world, listing.path)
    while url:
        response = client.get(url)
        assert response.status_code == 200, f"GET {url} as {persona}: {response.status_code}"
        data = response.json()
        items = data["results"] if isinstance(data, dict) else data
        found |= {item[listing.id_field] for item in items}
        url = data.get("next") if isinstance(data, dict) else None
    return {key for key in listing.members if _ident(world, key, listing.id_field) in found}


def _ident(world: World, key: str, id_field: str) -> Any:
    return world.pk(key) if id_field == "id" else getattr(world.get(key), id_field)
