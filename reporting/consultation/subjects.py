"""What can be consulted on: one adapter per kind of document (the registry ``SUBJECTS``).

A consultation round names its document by ``subject_kind`` (a key here) and ``subject_id``.
Everything the rounds need to know of a document goes through its adapter, so the rounds'
models, workflow, pages, API and reminders never import a document's domain:

- ``label``: what the kind is called ("Programme of work");
- ``model``: the document's model (its id is the round's ``subject_id``);
- ``title(obj)``: the document's title, copied on the round when it is prepared;
- ``sections(obj)``: the sections the entities comment on, as ``Section(key, title, text,
  classification)``, frozen when the round opens (keys must be stable and at most 64
  characters: a comment is attached to a key);
- ``url(obj)``: the document's page (OCT's link from the round);
- ``may_open(user, obj)``: who may prepare and open a round on it (OCT, when the document is in
  a state worth consulting on);
- ``candidates()``: the documents of this kind a round may be prepared on (the form's choices).

Adding a kind of document is one adapter, registered at the end of this module, as the
programme's, the review's and the reorganisation's are (``subject_register(Subject(...))``).
Then translate the label (and any heading) in the catalogues. Nothing else changes: the API's
enum (``ConsultationSubjectEnum``, built from this registry), the round's pages, form,
reminders, access rules and the generic checks of ``tests/reporting/consultation/
test_subjects.py`` take it from here; add the kind to that test's expected list and a test of
the adapter's sections. The adapters import their domains' models and permissions; those never
import the consultation (a domain's views may, to show the rounds on a document, as the
programme's and the reorganisation's do).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from compact.core.permissions import can_read_classification
from reporting.programme.models import ProgrammeOfWork
from reporting.programme.permissions import can_manage_programme
from reporting.reorganisation.models import Reorganisation
from reporting.reorganisation.permissions import can_manage_reorganisations
from reporting.review.models import BiennialReview
from reporting.review.permissions import can_manage_reviews

AnyUser = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class Section:
    """One part of a document the entities comment on. Its heading is a message to translate
    (marked with ``gettext_noop``) with its parameters, so that each reader reads the frozen
    section's heading in their own language: ``Section("priority-3", "Priority %(code)s.
    %(title)s", {"code": "1", "title": priority.title}, text)``."""

    key: str
    heading: str
    params: dict[str, Any]  # strings, or messages translated when read (see ``message``)
    text: str
    classification: str = Classification.UNCLASSIFIED

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "heading": self.heading,
            "params": dict(self.params),
            "text": self.text,
            "classification": self.classification,
        }


def message(heading: str, **params: Any) -> dict[str, Any]:
    """A message within a heading's parameters, itself translated when read: a parameter's value
    is a string (kept as written), such a message, or a list of them (joined with commas)."""
    return {"heading": heading, "params": params}


def _rendered(value: Any) -> str:
    if isinstance(value, dict):
        return section_title(value)
    if isinstance(value, list):
        return ", ".join(_rendered(item) for item in value)
    return str(value)


def section_title(section: dict[str, Any]) -> str:
    """A frozen section's heading in the reader's language (its parameters' messages too)."""
    try:
        params = {name: _rendered(value) for name, value in section.get("params", {}).items()}
        return gettext(section["heading"]) % params
    except (AttributeError, KeyError, TypeError, ValueError):
        return str(section.get("heading", ""))


@dataclass(frozen=True)
class Subject:
    """The adapter of one kind of document (see the module's docstring)."""

    kind: str
    label: str | Promise
    model: type[Model]
    title: Callable[[Any], str]
    sections: Callable[[Any], list[Section]]
    url: Callable[[Any], str]
    may_open: Callable[[AnyUser, Any], bool]
    candidates: Callable[[], QuerySet]


SUBJECTS: dict[str, Subject] = {}


def subject_register(subject: Subject) -> Subject:
    if subject.kind in SUBJECTS or len(subject.kind) > 32:
        raise ValueError(f"A subject kind is registered once, in at most 32 characters: {subject.kind!r}")
    SUBJECTS[subject.kind] = subject
    return subject


def subject_of(kind: str) -> Subject | None:
    return SUBJECTS.get(kind)


def subject_document(kind: str, pk: int) -> Any | None:
    """The document a round is about (None: no such kind or document)."""
    subject = subject_of(kind)
    return None if subject is None else subject.model._default_manager.filter(pk=pk).first()


# --- The programme of work (reporting/programme/) --------------------------------------------------


def _lines(*parts: str) -> str:
    return "\n\n".join(part.strip() for part in parts if part and part.strip())


def _programme_sections(programme: ProgrammeOfWork) -> list[Section]:
    """The introduction, each priority with its expected results, and each M&E indicator (the
    programme carries no marking: its sections are unclassified)."""
    sections = [Section("introduction", gettext_noop("Introduction"), {}, programme.introduction)]
    for priority in programme.priorities.order_by("position", "pk").prefetch_related("results"):
        results = "\n".join(f"• {result.text}" for result in priority.results.order_by("position", "pk"))
        params = {"code": priority.code, "title": priority.title}
        heading = gettext_noop("Priority %(code)s. %(title)s")
        sections.append(Section(f"priority-{priority.pk}", heading, params, _lines(priority.description, results)))
    for indicator in programme.indicators.order_by("position", "code", "pk"):
        params = {"code": indicator.code, "name": indicator.name}
        target = f"{indicator.target} {indicator.unit}"
        heading = gettext_noop("Indicator %(code)s. %(name)s")
        sections.append(Section(f"indicator-{indicator.pk}", heading, params, _lines(indicator.definition, target)))
    return sections


subject_register(
    Subject(
        kind="programme",
        label=_("Programme of work"),
        model=ProgrammeOfWork,
        title=lambda programme: str(programme),
        sections=_programme_sections,
        url=lambda programme: reverse("programme-detail", args=[programme.pk]),
        may_open=lambda user, programme: can_manage_programme(user),
        candidates=lambda: ProgrammeOfWork.objects.order_by("-biennium_start"),
    )
)


# --- The biennial review's outcome (reporting/review/) ----------------------------------------------


def _review_sections(review: BiennialReview) -> list[Section]:
    heading = gettext_noop("Synthesis and outcome")
    return [Section("outcome", heading, {}, review.outcome, review.outcome_classification)]


def _may_consult_on_review(user: AnyUser, review: BiennialReview) -> bool:
    """OCT, on the outcome it is writing (a closed review), within its clearance."""
    return (
        can_manage_reviews(user)
        and review.state == BiennialReview.State.CLOSED
        and bool(review.outcome.strip())
        and can_read_classification(user, review.outcome_classification)
    )


subject_register(
    Subject(
        kind="review",
        label=_("Outcome of the biennial review"),
        model=BiennialReview,
        title=lambda review: str(review),
        sections=_review_sections,
        url=lambda review: reverse("review-detail", args=[review.pk]),
        may_open=_may_consult_on_review,
        candidates=lambda: BiennialReview.objects.filter(state=BiennialReview.State.CLOSED).exclude(outcome=""),
    )
)


# --- A reorganisation of the working groups (reporting/reorganisation/) ----------------------------------


# What goes with an old group's work to the new structure, as translated when read.
CARRIED = (
    ("carry_roles", gettext_noop("chairs, vice-chairs and members")),
    ("carry_outputs", gettext_noop("work-plan outputs")),
    ("carry_themes", gettext_noop("matrix themes")),
    ("carry_indicators", gettext_noop("programme priorities and indicators")),
)


def _group(number: int | None, name: str) -> dict[str, Any]:
    return message(gettext_noop("WG %(number)s: %(name)s"), number=str(number), name=name)


def _reorganisation_sections(reorganisation: Reorganisation) -> list[Section]:
    """The draft's summary (the day it starts in its heading, the rationale as its text), the new
    structure, and one section per old group, its heading saying where its work goes and what
    goes with it, its note as its text. The words the tracker writes are in the headings (read
    in each reader's language), never in the frozen text. A structure is not classified: the
    sections are unclassified."""
    day = reorganisation.effective_on.isoformat()
    targets = reorganisation.targets.select_related("continues").order_by("number", "continues__number", "pk")
    # Numbers and names only (no word of the tracker's in the frozen text).
    structure = "\n".join(
        f"• {group.number}. {group.name}" for group in (target.continues or target for target in targets)
    )
    sections = [
        Section("summary", gettext_noop("The new structure starts on %(day)s"), {"day": day}, reorganisation.rationale),
        Section("new-structure", gettext_noop("The new structure"), {}, structure),
    ]
    mappings = reorganisation.mappings.select_related("source").prefetch_related("targets__continues")
    for mapping in mappings.order_by("source__number"):
        params: dict[str, Any] = {"number": str(mapping.source.number), "name": mapping.source.short_name}
        groups = [
            _group(target.shown_number, (target.continues or target).short_name) for target in mapping.targets.all()
        ]
        moving = [message(label) for flag, label in CARRIED if getattr(mapping, flag)]
        if not groups:
            heading = gettext_noop("WG %(number)s: %(name)s, its work ending with it")
        elif moving:
            heading = gettext_noop("WG %(number)s: %(name)s, its work going to %(groups)s with its %(what)s")
            params |= {"groups": groups, "what": moving}
        else:
            heading = gettext_noop("WG %(number)s: %(name)s, its work going to %(groups)s")
            params |= {"groups": groups}
        sections.append(Section(f"group-{mapping.source_id}", heading, params, mapping.note))
    return sections


subject_register(
    Subject(
        kind="reorganisation",
        label=_("Reorganisation of the working groups"),
        model=Reorganisation,
        title=lambda reorganisation: reorganisation.title,
        sections=_reorganisation_sections,
        url=lambda reorganisation: reverse("reorganisation-detail", args=[reorganisation.pk]),
        may_open=lambda user, reorganisation: can_manage_reorganisations(user) and reorganisation.is_draft,
        candidates=lambda: Reorganisation.objects.filter(state=Reorganisation.State.DRAFT).order_by("-effective_on"),
    )
)
