"""Reads of consultation rounds, scoped to what the asking user may see.

A round in preparation is OCT's; an opened one is read by OCT, the USG and the people of the
consulted entities (see ``permissions``). Comments: OCT and the USG read all, a consulted
entity its own until the responses are published, then all; always within the reader's
clearance. Anything else is a 404 (the same for missing and hidden).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils.translation import ngettext

from compact.core.models import Classification
from compact.core.permissions import can_read_classification, is_oct, readable_levels
from compact.core.roles import Role
from compact.registry.models import Entity
from reporting.consultation.models import ConsultationComment, ConsultationRound
from reporting.consultation.permissions import (
    can_read_round,
    comment_changeable,
    comment_writable,
    consulted_ids,
    entities_spoken_for,
    reads_every_round,
    site_today,
)
from reporting.consultation.subjects import section_title, subject_of

AnyUser = AbstractBaseUser | AnonymousUser
State = ConsultationRound.State


def rounds_visible_to(user: AnyUser) -> QuerySet[ConsultationRound]:
    """Every round for OCT; the opened ones for the USG; the opened ones that consult an entity
    the user speaks for; none otherwise."""
    rounds = ConsultationRound.objects.order_by("-created_at", "-pk")
    if is_oct(user):
        return rounds
    if not user.is_authenticated:
        return rounds.none()
    rounds = rounds.exclude(state=State.DRAFT)
    if reads_every_round(user):
        return rounds
    spoken = entities_spoken_for(user)
    return rounds.filter(entities__in=spoken).distinct() if spoken else rounds.none()


def get_round_for_user_or_404(user: AnyUser, pk: int) -> ConsultationRound:
    round_ = rounds_visible_to(user).filter(pk=pk).first()
    if round_ is None:
        raise Http404("No such consultation.")
    return round_


def comments_visible_to(user: AnyUser) -> QuerySet[ConsultationComment]:
    """The comments ``user`` may read, each annotated ``oct_authored`` (recorded by OCT from a
    letter: see ``permissions.can_change_comment``)."""
    oct_people = get_user_model().objects.filter(pk=OuterRef("author_id"), is_active=True, groups__name=Role.OCT.value)
    comments = (
        ConsultationComment.objects.filter(round__in=rounds_visible_to(user), classification__in=readable_levels(user))
        .select_related("round", "entity", "author", "updated_by", "responded_by")
        .annotate(oct_authored=Exists(oct_people))
    )
    if not reads_every_round(user):
        comments = comments.filter(Q(entity__in=entities_spoken_for(user)) | Q(round__state=State.RESPONDED))
    return comments.order_by("round", "section_key", "entity__acronym")


def get_comment_for_user_or_404(user: AnyUser, pk: int) -> ConsultationComment:
    comment = comments_visible_to(user).filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    return comment


# --- One round's page --------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionView:
    """A frozen section as one reader sees it: its text only within their clearance."""

    key: str
    title: str
    text: str | None  # None: marked above the reader's clearance
    classification: str
    comments: list[ConsultationComment]
    writable: list[tuple[Entity, bool]]  # whom the reader may comment for here now, and whether it has
    changeable_ids: frozenset[int]  # the comments here the reader may change or withdraw now

    @property
    def classification_label(self) -> str:
        return str(Classification(self.classification).label)


def sections_for(user: AnyUser, round_: ConsultationRound) -> list[SectionView]:
    """The round's frozen sections (the live document's for a round in preparation), with the
    comments the reader may read on each and whom they may comment for."""
    sections = round_.sections or _draft_sections(round_)
    comments: dict[str, list[ConsultationComment]] = {}
    for comment in comments_visible_to(user).filter(round=round_):
        comments.setdefault(comment.section_key, []).append(comment)
    consulted, spoken = consulted_ids(round_), entities_spoken_for(user)
    writers = entities_writable_by(user, round_, consulted=consulted, spoken=spoken)
    views = []
    for section in sections:
        readable = can_read_classification(user, section["classification"])
        here = comments.get(section["key"], [])
        changeable = {
            comment.entity_id: comment.pk
            for comment in here
            if comment_changeable(user, comment, consulted=consulted, spoken=spoken)
        }
        done = {comment.entity_id for comment in here}
        # An entity's own comment is its people's: OCT is offered neither to change it nor a second one.
        writable = [
            (entity, entity.pk in done) for entity in writers if entity.pk not in done or entity.pk in changeable
        ]
        writable = writable if readable else []
        views.append(
            SectionView(
                key=section["key"],
                title=section_title(section) if readable else "",
                text=section["text"] if readable else None,
                classification=section["classification"],
                comments=here,
                writable=writable,
                changeable_ids=frozenset(changeable.values()),
            )
        )
    return views


def _draft_sections(round_: ConsultationRound) -> list[dict[str, Any]]:
    """What the round would freeze if opened now (OCT's preview of a round in preparation)."""
    subject = subject_of(round_.subject_kind)
    document = subject.model._default_manager.filter(pk=round_.subject_id).first() if subject else None
    return [section.as_json() for section in subject.sections(document)] if document is not None else []


def entities_writable_by(
    user: AnyUser, round_: ConsultationRound, *, consulted: set[int] | None = None, spoken: set[int] | None = None
) -> list[Entity]:
    """The consulted entities ``user`` may comment for now (OCT: every one)."""
    consulted = consulted_ids(round_) if consulted is None else consulted
    spoken = entities_spoken_for(user) if spoken is None else spoken
    return [
        entity
        for entity in round_.entities.order_by("acronym")
        if comment_writable(user, round_, entity.pk, consulted=consulted, spoken=spoken)
    ]


@dataclass(frozen=True)
class TrackingRow:
    entity: Entity
    comments: int  # how many sections it commented on (the comments within the reader's clearance)


def round_tracking(user: AnyUser, round_: ConsultationRound) -> list[TrackingRow]:
    """Each consulted entity and how many comments it sent (OCT and the USG), counting only
    the comments within the reader's clearance (a count says a classified comment exists)."""
    if not reads_every_round(user):
        return []
    counts: dict[int, int] = {}
    readable = round_.comments.filter(classification__in=readable_levels(user))
    for entity_id in readable.values_list("entity_id", flat=True):
        counts[entity_id] = counts.get(entity_id, 0) + 1
    return [TrackingRow(entity, counts.get(entity.pk, 0)) for entity in round_.entities.order_by("acronym")]


# --- Elsewhere: the inbox, the adopted version ----------------------------------------------------


@dataclass(frozen=True)
class AwaitedConsultation:
    round: ConsultationRound
    entity: Entity


def consultations_awaited_from(user: AnyUser) -> list[AwaitedConsultation]:
    """The open rounds consulting an entity ``user`` speaks for that has not commented yet
    (OCT's right to write for every entity excluded), soonest deadline first."""
    spoken = entities_spoken_for(user)
    if not spoken:
        return []
    rounds = list(
        ConsultationRound.objects.filter(state=State.OPEN, entities__in=spoken)
        .distinct()
        .order_by("comments_due_on", "pk")
        .prefetch_related("entities")
    )
    done = set(ConsultationComment.objects.filter(round__in=rounds).values_list("round_id", "entity_id"))
    awaited = []
    for round_ in rounds:
        consulted = {entity.pk for entity in round_.entities.all()}
        for entity in sorted(round_.entities.all(), key=lambda entity: entity.acronym):
            if (
                entity.pk in spoken
                and (round_.pk, entity.pk) not in done
                and comment_writable(user, round_, entity.pk, consulted=consulted, spoken=spoken)
            ):
                awaited.append(AwaitedConsultation(round_, entity))
    return awaited


@dataclass(frozen=True)
class ConsultationSummary:
    round: ConsultationRound
    opened_on: datetime.date
    closed_on: datetime.date | None
    comments: int
    entities: int
    # Whether the reader may open the round (the summary links to it then).
    readable: bool = False

    @property
    def comments_text(self) -> str:
        return ngettext("%(n)d comment", "%(n)d comments", self.comments) % {"n": self.comments}

    @property
    def entities_text(self) -> str:
        return ngettext("from %(n)d entity", "from %(n)d entities", self.entities) % {"n": self.entities}


def consultations_of(
    user: AnyUser, kind: str, subject_id: int, *, after: datetime.datetime | None, until: datetime.datetime
) -> list[ConsultationSummary]:
    """The rounds on a document that opened after ``after`` and by ``until`` and were not
    cancelled: what an adopted version recorded at ``until`` was consulted on (the previous
    version was recorded at ``after``). Counts only, no text: any reader of the version sees
    them, counting the comments within ``user``'s clearance."""
    levels = readable_levels(user)
    rounds = ConsultationRound.objects.filter(
        subject_kind=kind, subject_id=subject_id, opened_at__isnull=False, opened_at__lte=until
    ).exclude(state__in=(State.DRAFT, State.CANCELLED))
    if after is not None:
        rounds = rounds.filter(opened_at__gt=after)
    summaries = []
    for round_ in rounds.order_by("opened_at", "pk"):
        entity_ids = list(round_.comments.filter(classification__in=levels).values_list("entity_id", flat=True))
        summaries.append(
            ConsultationSummary(
                round=round_,
                opened_on=site_today(round_.opened_at),
                closed_on=site_today(round_.closed_at) if round_.closed_at else None,
                comments=len(entity_ids),
                entities=len(set(entity_ids)),
                readable=can_read_round(user, round_),
            )
        )
    return summaries
