"""One search across the Compact (issue 21): entities, working groups, projects, the groups'
reports, meetings, decisions and action points, grouped by kind.

Every kind is searched inside the selector its own pages use (``entities_visible_to``,
``submissions_visible_to``, ``action_points_visible_to`` …), so a result is always something the
reader may open, and within their clearance; a kind they may not read gives nothing, not even a
count. Only text every reader of the object sees is searched: the minutes (which have their own
classification) and OCT's texts of the compiled reports are not.

On PostgreSQL the words are matched with full-text search (``to_tsvector('simple', …)``: no
stemming, so that the six languages are treated alike; each word also matches as a prefix,
"terror" finds "terrorism"), ranked by ``ts_rank``. Elsewhere (SQLite, ``make run``) each word must
appear in one of the fields (case-insensitive), newest first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from compact.matrix.selectors import projects_visible_to
from compact.registry.selectors import entities_visible_to
from reporting.committee.permissions import can_read_meetings
from reporting.committee.selectors import action_points_visible_to, decisions_visible_to, meetings_visible_to
from reporting.submissions.models import Submission
from reporting.submissions.selectors import submissions_visible_to
from workinggroups.selectors import workinggroups_visible_to

MIN_LENGTH, MAX_LENGTH, MAX_WORDS = 2, 200, 8
PER_KIND = 10
SNIPPET = 180
WORD = re.compile(r"\w+", re.UNICODE)


def query_words(text: str) -> list[str]:
    """The words searched for: letters and digits only (so no query syntax reaches the
    database), at most ``MAX_WORDS``."""
    return WORD.findall((text or "")[:MAX_LENGTH])[:MAX_WORDS]


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    snippet: str = ""
    meta: str = ""


@dataclass
class KindResults:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0

    @property
    def more(self) -> int:
        return self.total - len(self.hits)


def _matching(queryset: QuerySet, fields: tuple[str, ...], words: list[str], newest: str) -> QuerySet:
    if connection.vendor == "postgresql":
        vector = SearchVector(*fields, config="simple")
        query = SearchQuery(" & ".join(f"{word}:*" for word in words), config="simple", search_type="raw")
        # Matched with @@ (ts_rank alone gives a tiny rank even to documents that do not match).
        matched = queryset.annotate(search_document=vector).filter(search_document=query)
        return matched.annotate(search_rank=SearchRank(vector, query)).order_by("-search_rank", newest)
    condition = Q()
    for word in words:
        any_field = Q()
        for name in fields:
            any_field |= Q(**{f"{name}__icontains": word})
        condition &= any_field
    return queryset.filter(condition).order_by(newest)


def _snippet(texts: Iterable[str], words: list[str]) -> str:
    """Where the first word occurs in the first text that has it, with some context."""
    lowered = [word.casefold() for word in words]
    for text in texts:
        text = " ".join((text or "").split())
        at = next((text.casefold().find(word) for word in lowered if word in text.casefold()), -1)
        if at >= 0:
            start = max(at - 60, 0)
            piece = Truncator(text[start:]).chars(SNIPPET)
            return ("…" if start else "") + piece
    return ""


@dataclass(frozen=True)
class Kind:
    key: str
    label: Any
    readable: Callable[[AbstractBaseUser], QuerySet]
    fields: tuple[str, ...]
    newest: str
    hit: Callable[[AbstractBaseUser, Any, list[str]], Hit]
    distinct: bool = False

    def search(self, user: AbstractBaseUser, words: list[str]) -> KindResults:
        found = _matching(self.readable(user), self.fields, words, self.newest)
        if self.distinct:  # a field of a related list (a meeting's agenda): each object once
            found = self.readable(user).filter(pk__in=found.values("pk")).order_by(self.newest)
        rows = list(found[:PER_KIND])
        total = len(rows) if len(rows) < PER_KIND else found.count()
        return KindResults(self.key, str(self.label), [self.hit(user, row, words) for row in rows], total)


def _entity(user: AbstractBaseUser, entity: Any, words: list[str]) -> Hit:
    return Hit(f"{entity.acronym} — {entity.name}", reverse("entity-detail", args=[entity.acronym]))


def _group(user: AbstractBaseUser, group: Any, words: list[str]) -> Hit:
    return Hit(str(group), reverse("workinggroup-detail", args=[group.pk]), _snippet([group.name], words))


def _project(user: AbstractBaseUser, project: Any, words: list[str]) -> Hit:
    snippet = _snippet([project.main_activities, project.scope_text], words)
    return Hit(project.title, reverse("project-detail", args=[project.pk]), snippet, project.get_status_display())


def _report(user: AbstractBaseUser, submission: Submission, words: list[str]) -> Hit:
    texts = [getattr(submission, name) for name in submission.content_fields]
    meta = f"{submission.period} · {submission.get_status_display()}"
    url = reverse("reporting-submission", args=[submission.pk])
    return Hit(str(submission.working_group), url, _snippet(texts, words), meta)


def _meeting_title(meeting: Any) -> str:
    day = date_format(meeting.date, "DATE_FORMAT")
    if meeting.place:
        return _("Coordination Committee, %(day)s, %(place)s") % {"day": day, "place": meeting.place}
    return _("Coordination Committee, %(day)s") % {"day": day}


def _meeting(user: AbstractBaseUser, meeting: Any, words: list[str]) -> Hit:
    titles = [item.title for item in meeting.agenda.all()]
    return Hit(_meeting_title(meeting), reverse("committee-meeting", args=[meeting.pk]), _snippet(titles, words))


def _decision(user: AbstractBaseUser, decision: Any, words: list[str]) -> Hit:
    url = reverse("committee-meeting", args=[decision.meeting_id]) + "#decisions"
    title = _("Decision %(number)s") % {"number": decision.number}
    return Hit(title, url, _snippet([decision.text], words), _meeting_title(decision.meeting))


def _action_point(user: AbstractBaseUser, point: Any, words: list[str]) -> Hit:
    # An owner outside the Committee does not read the meeting: their home page lists it.
    if can_read_meetings(user):
        url = reverse("committee-meeting", args=[point.meeting_id]) + "#actions"
    else:
        url = reverse("home")
    meta = f"{_meeting_title(point.meeting)} · {point.get_status_display()}"
    return Hit(Truncator(point.text).chars(120), url, "", meta)


KINDS: tuple[Kind, ...] = (
    Kind("entities", gettext_lazy("Entities"), entities_visible_to, ("acronym", "name"), "acronym", _entity),
    Kind(
        "groups",
        gettext_lazy("Working groups"),
        workinggroups_visible_to,
        ("name", "short_name"),
        "number",
        _group,
    ),
    Kind(
        "projects",
        gettext_lazy("Projects"),
        projects_visible_to,
        ("title", "main_activities", "scope_text"),
        "-updated_at",
        _project,
    ),
    Kind(
        "reports",
        gettext_lazy("Reports of the working groups"),
        submissions_visible_to,
        (*Submission.REPORT_FIELDS, *Submission.BRIEFING_FIELDS, "working_group__name"),
        "-period__covers_from",
        _report,
    ),
    Kind(
        "meetings",
        gettext_lazy("Meetings of the Committee"),
        lambda user: meetings_visible_to(user).prefetch_related("agenda"),
        ("place", "agenda__title"),
        "-date",
        _meeting,
        distinct=True,
    ),
    Kind("decisions", gettext_lazy("Decisions"), decisions_visible_to, ("text",), "-meeting__date", _decision),
    Kind(
        "actions",
        gettext_lazy("Action points"),
        lambda user: action_points_visible_to(user).order_by(),
        ("text",),
        "due_on",
        _action_point,
    ),
)


def search_everything(user: AbstractBaseUser, text: str) -> list[KindResults]:
    """Each kind's hits for ``text``, as ``user`` may read them (kinds without a hit left out)."""
    words = query_words(text)
    if len("".join(words)) < MIN_LENGTH:
        return []
    results = (kind.search(user, words) for kind in KINDS)
    return [result for result in results if result.total]
