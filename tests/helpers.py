"""Small helpers shared by tests (set-up data lives in factories.py, personas in conftest.py)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from html.parser import HTMLParser
from typing import Any, TypeVar

from django.db import connection, transaction
from django.template.base import Lexer, TokenType
from django.utils import timezone

from compact.core.models import User

T = TypeVar("T")


@contextmanager
def shared_until_rolled_back(django_db_blocker: Any, build: Callable[[], T]) -> Iterator[T]:
    """Build data that a module's tests share (from a module-scoped fixture, with pytest-django's
    ``django_db_blocker``) in a transaction of its own and yield it: each test runs in a
    savepoint of that transaction (pytest-django's own) and rolls back to it, and leaving rolls
    the shared data back too. Not for modules with transactional tests.

    The shared rows' deferred foreign keys are checked once, here. Left pending, every test's
    closing check (Django's ``check_constraints``: SET CONSTRAINTS ALL IMMEDIATE) fired them all
    again, since rolling back to a savepoint re-arms what was fired inside it: ~2.6 ms of
    PostgreSQL per access-matrix cell, ~30 s of PostgreSQL's CPU over the suite."""
    with django_db_blocker.unblock(), transaction.atomic():
        try:
            shared = build()
            connection.check_constraints()
            yield shared
        finally:
            transaction.set_rollback(True)


def fresh(user: User) -> User:
    """The user reloaded: drops Django's and guardian's permission caches and cached roles."""
    return User.objects.get(pk=user.pk)


class Node:
    """An element of a page parsed by ``html_tree``: its tag, attributes, children and text."""

    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None = None) -> None:
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Node | str] = []

    def find_all(self, tag: str | None = None, **attrs: str) -> list[Node]:
        """The elements under this one with ``tag`` (any if None) and ``attrs``, in page order;
        ``class_`` matches one of the classes, any other attribute its whole value."""
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.matches(tag, attrs):
                    found.append(child)
                found.extend(child.find_all(tag, **attrs))
        return found

    def find(self, tag: str | None = None, **attrs: str) -> Node:
        """The one element under this one with ``tag`` and ``attrs`` (an error unless exactly one)."""
        found = self.find_all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> found"
        return found[0]

    def matches(self, tag: str | None, attrs: dict[str, str]) -> bool:
        if tag is not None and self.tag != tag:
            return False
        for name, value in attrs.items():
            if name == "class_":
                if value not in self.attrs.get("class", "").split():
                    return False
            elif self.attrs.get(name) != value:
                return False
        return True

    @property
    def text(self) -> str:
        """The text inside, with runs of white space made one space."""
        # <bdi> isolates a name inside a sentence: it is part of the line, not a separate block.
        parts = [
            child if isinstance(child, str) else child.text if child.tag == "bdi" else f" {child.text} "
            for child in self.children
        ]
        return " ".join("".join(parts).split())


class _TreeBuilder(HTMLParser):
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {})

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {name: value or "" for name, value in attrs}, self.current)
        self.current.children.append(node)
        if tag not in self.VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {name: value or "" for name, value in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # an unmatched end tag is ignored
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.children.append(data)


def html_tree(page: Any) -> Node:
    """A page (a response, bytes or text) parsed into ``Node``s, to look inside one element of
    it rather than search the whole page for a string."""
    if hasattr(page, "content"):
        page = page.content
    if isinstance(page, bytes):
        page = page.decode("utf-8")
    builder = _TreeBuilder()
    builder.feed(page)
    builder.close()
    return builder.root


def user_change_form(user: User, **overrides: Any) -> dict[str, Any]:
    """The POST data of the admin's change form for ``user`` with its profile inline, as it
    stands; ``overrides`` replace fields (e.g. ``groups=[...]``, ``**{"profile-0-entity": "3"}``)."""
    joined = timezone.localtime(user.date_joined)
    profile = user.profile
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": "on",
        "groups": [str(group.pk) for group in user.groups.all()],
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": joined.strftime("%Y-%m-%d"),
        "date_joined_1": joined.strftime("%H:%M:%S.%f"),
        "profile-TOTAL_FORMS": "1",
        "profile-INITIAL_FORMS": "1",
        "profile-0-id": str(profile.pk),
        "profile-0-user": str(user.pk),
        "profile-0-entity": str(profile.entity_id or ""),
        "profile-0-title": profile.title,
        "profile-0-clearance": profile.clearance,
    }
    return {**data, **overrides}


def pdf_bytes(pages: int = 1) -> bytes:
    """A real, minimal PDF (made with pypdf), as an applicant's letter would be."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def signon_form_data(**overrides: Any) -> dict[str, Any]:
    """Valid POST data for the public sign-on form (an organisation not in the registry)."""
    data = {
        "organization_name": "International Civil Aviation Organization",
        "acronym": "ICAO",
        "organization_kind": "specialized-agency",
        "head_name": "Juan Carlos Salazar",
        "head_title": "Secretary General",
        "focal_given_name": "Amina",
        "focal_family_name": "O'Brien",
        "focal_title": "Aviation Security Officer",
        "focal_email": "amina.obrien@icao.example",
        "focal_phone": "+1 514 954 8219",
        "website": "https://www.icao.int",
        "mandate": "ICAO sets the standards for aviation security that keep terrorists off aircraft, "
        "which serves pillar II of the Strategy.",
        "pillars": ["II", "III"],
        "requested_status": "member",
        "declaration": "on",
        "homepage": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def deliver_emails() -> list:
    """Send what the outbox owes (as the worker would) and return Django's test outbox."""
    from django.core import mail

    from compact.core.outbox import emails_send_pending

    emails_send_pending()
    return mail.outbox


def assert_confirmation_link(body: str, request: Any) -> None:
    """The e-mail carries a working confirmation link for ``request``. (The token embeds the
    second it was signed, so it is checked by what it says, not compared as text.)"""
    import re

    from django.core import signing

    from compact.signon.links import CONFIRMATION_SALT

    match = re.search(r"/sign-on/confirm/([^/\s]+)/", body)
    assert match, body
    payload = signing.loads(match.group(1), salt=CONFIRMATION_SALT)
    assert payload == {"r": request.pk, "e": request.focal_email.lower()}


def open_period(kind: str, covers: tuple[Any, Any], opens_on: Any, due_on: Any) -> Any:
    """A reporting period, created and opened as OCT would (drafts for the active groups)."""
    from reporting.submissions.periods.services import period_create, period_open

    period = period_create(
        kind=kind, covers_from=covers[0], covers_until=covers[1], opens_on=opens_on, due_on=due_on, actor=None
    )
    period_open(period=period, actor=None)
    period.refresh_from_db()
    return period


def oct_person(username: str, clearance: str, *, entity: Any = None, superuser: bool = False) -> Any:
    """An OCT officer with the given clearance (outside the test roster's personas), of
    ``entity`` if given, and a site administrator too if ``superuser``."""
    from compact.core.roles import Role

    return admin_person(username, entity=entity, roles=(Role.OCT,), clearance=clearance, superuser=superuser)


def admin_person(
    username: str, *, entity: Any = None, roles: tuple = (), clearance: str = "unclassified", superuser: bool = True
) -> Any:
    """A person with ``roles`` and ``clearance``; a site administrator (staff, superuser) unless
    ``superuser`` is False. Reloaded, so no permission cache survives."""
    from compact.core.roles import roles_ensure_groups
    from compact.registry.services import person_create

    roles_ensure_groups()
    user = person_create(
        username=username,
        email=f"{username}@example.org",
        first_name=username.title(),
        last_name="Officer",
        entity=entity,
        roles=roles,
        clearance=clearance,
        password="pw",
        actor=None,
    )
    if superuser:
        User.objects.filter(pk=user.pk).update(is_staff=True, is_superuser=True)
    return fresh(user)


def calendar_only(*kinds: str) -> None:
    """Every kind of period has its calendar rule, and only ``kinds`` are scheduled.

    A test must not trust the rules the migration wrote: a transactional test's flush removes
    them, and the scheduler's tick would then recreate them all, active."""
    from reporting.calendar.models import CalendarRule
    from reporting.calendar.services import calendar_rules

    calendar_rules()
    CalendarRule.objects.exclude(kind__in=kinds).update(active=False)
    CalendarRule.objects.filter(kind__in=kinds).update(active=True)


def signon_in_consultation(officer: User, **overrides: Any):
    """A sign-on request submitted through the public form's service, confirmed by the
    applicant and taken into consultation by ``officer``."""
    from compact.signon.links import signon_confirmation_token
    from compact.signon.services import signon_act, signon_email_confirm, signon_submit

    data = signon_form_data(**overrides)
    fields = {k: v for k, v in data.items() if k not in ("declaration", "homepage")}
    request = signon_submit(fields=fields, working_groups=[], letter=None, submitted_from="192.0.2.1", language="en")
    request = signon_email_confirm(token=signon_confirmation_token(request))
    return signon_act(request=request, action="start_consultation", actor=officer, message="Asked CTED.")


# --- Text of templates that is not marked for translation ----------------------------------------

_WORD = re.compile(r"[A-Za-z]{2,}")
# Attributes people read (or hear, with a screen reader).
_READ_ATTRIBUTES = {"title", "placeholder", "aria-label", "aria-description", "alt", "data-confirm", "label"}
# Words that are the same in every language: a file format, a technical prefix to type.
_SAME_IN_EVERY_LANGUAGE = {"CSV", "entity."}
_RAW = {"script", "style"}
_OPENS = {"blocktranslate", "blocktrans", "comment"}
_CLOSES = {"endblocktranslate", "endblocktrans", "endcomment"}


class _TextFinder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.raw = 0
        self.found: list[str] = []

    def _keep(self, text: str) -> bool:
        return bool(_WORD.search(text)) and text.strip() not in _SAME_IN_EVERY_LANGUAGE

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.raw += tag in _RAW
        self.found += [
            f"@{name}={value}" for name, value in attrs if name in _READ_ATTRIBUTES and self._keep(value or "")
        ]

    def handle_endtag(self, tag: str) -> None:
        self.raw -= tag in _RAW

    def handle_data(self, data: str) -> None:
        if not self.raw and self._keep(data):
            self.found.append(data.strip())


def untranslated_template_text(source: str) -> list[str]:
    """The words of a template that a reader would see untranslated: text and readable
    attributes outside {% translate %} and {% blocktranslate %} (template tags and variables
    are taken out first; comments, scripts and styles are not read)."""
    pieces: list[str] = []
    depth = 0  # inside {% blocktranslate %} or {% comment %}
    for token in Lexer(source).tokenize():
        name = (token.contents.split() or [""])[0] if token.token_type == TokenType.BLOCK else ""
        if name in _OPENS:
            depth += 1
        elif name in _CLOSES:
            depth -= 1
        keep = token.token_type == TokenType.TEXT and not depth
        pieces.append(token.contents if keep else "0" if token.token_type == TokenType.VAR else " ")
    finder = _TextFinder()
    finder.feed("".join(pieces))
    return finder.found


# --- Services for the processes a test starts (Celery workers, gunicorn, beat) -------------------
# In a parallel run (`make test`, pytest-xdist) each xdist worker has a test database and Redis
# databases of its own (config/settings_test.py): a process a test starts must use the same ones,
# or it would read another worker's rows, or take its tasks.


def worker_database_url() -> str:
    """The URL of the test database this process uses (``test_<name>`` or, in a parallel run,
    ``test_<name>_gw<n>``), for a process the test starts."""
    from django.db import connection

    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_redis_urls() -> dict[str, str]:
    """This xdist worker's Redis URLs: ``{"CELERY_BROKER_URL": ..., "CACHE_URL": ...}`` (those of
    the environment when the run is not parallel; memory:// and locmem when none is set)."""
    import os

    from django.conf import settings

    return {
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "CACHE_URL": os.environ.get("CACHE_URL", "locmemcache://"),
    }


def service_environment(**overrides: str) -> dict[str, str]:
    """The environment for a process a test starts (``subprocess.Popen(..., env=...)``): the
    test's settings module, test database, broker, cache and VAR_DIR, then ``overrides``."""
    import os

    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "DATABASE_URL": worker_database_url(),
        **worker_redis_urls(),
        **overrides,
    }


# Attributes that name or address things (a submission's link holds its primary key, which in a
# long run can be any number): what a reader is told is in the text and the other attributes.
_ADDRESSING = frozenset(
    {"href", "src", "action", "formaction", "id", "for", "name", "form", "headers"}
    | {"aria-controls", "aria-labelledby", "aria-describedby"}
)


def _told(node: Node) -> Iterator[str]:
    """The text and the attributes (but those that name or address things) in ``node``."""
    yield from (value for name, value in node.attrs.items() if name not in _ADDRESSING)
    for child in node.children:
        if isinstance(child, str):
            yield child
        else:
            yield from _told(child)


def figures_told(page: Any) -> set[str]:
    """Every number the page tells its reader, in its text, its charts' titles and descriptions
    and its attributes, thousands separators removed — but not in links and names of elements."""
    told = " ".join(_told(html_tree(page)))
    return {figure.replace(",", "") for figure in re.findall(r"(?<![\d.,])\d[\d,]*(?:\.\d+)?(?![\d])", told)}
