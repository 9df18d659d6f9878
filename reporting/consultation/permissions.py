"""Who may do what with consultation rounds. Every rule lives here.

- OCT prepares, opens, closes, responds to and cancels rounds (on the documents the subject's
  adapter lets it open a round on), reads every comment within its clearance, and may record a
  comment an entity sent by letter, on the entity's behalf.
- The USG (the Committee's chair, which adopts the documents) reads every round once opened and
  every comment within clearance; writes nothing.
- The people who speak for a consulted entity — its focal points, and the chairs and vice-chairs
  who represent it in a working group — read the round once opened (the sections within their
  clearance) and their own entity's comments, write them while the round is open and its
  deadline day not over; once OCT has published its responses they read every comment
  (within clearance) with its response.
- Anyone else, Committee members and the people of entities not consulted included: nothing (404).
"""

from __future__ import annotations

import datetime
import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.utils import timezone

from compact.core.permissions import can_read_classification, is_oct, objects_permitted
from compact.core.roles import Role, user_has_role
from compact.registry.models import Entity
from compact.registry.services import FOCAL_POINT_PERMISSION
from reporting.consultation.models import ConsultationComment, ConsultationRound
from workinggroups.selectors import workinggroups_led_by

AnyUser = AbstractBaseUser | AnonymousUser
State = ConsultationRound.State


def can_manage_consultations(user: AnyUser) -> bool:
    """OCT runs the consultations."""
    return is_oct(user)


def reads_every_round(user: AnyUser) -> bool:
    """OCT, and the USG, who chairs the Committee that adopts the documents."""
    return is_oct(user) or user_has_role(user, Role.USG)


def entities_spoken_for(user: AnyUser) -> set[int]:
    """The ids of the entities ``user`` speaks for: those they are a focal point of (the object
    permission, not OCT's global right) and those they represent as a group's chair or
    vice-chair today."""
    if not user.is_authenticated or not user.is_active:
        return set()
    focal = set(_focal_point_of(user).values_list("pk", flat=True))
    return focal | {assignment.entity_id for assignment in workinggroups_led_by(user)}


def speaks_for_an_entity(user: AnyUser) -> bool:
    """Whether ``entities_spoken_for(user)`` holds any: a chair's leading roles (read once per
    request) answer without guardian's query, which costs more to build than to run."""
    if not user.is_authenticated or not user.is_active:
        return False
    return bool(workinggroups_led_by(user)) or _focal_point_of(user).exists()


def _focal_point_of(user: AnyUser) -> QuerySet[Entity]:
    return objects_permitted(user, FOCAL_POINT_PERMISSION, Entity)


def consulted_ids(round_: ConsultationRound) -> set[int]:
    return set(round_.entities.values_list("pk", flat=True))


def can_read_round(user: AnyUser, round_: ConsultationRound) -> bool:
    if is_oct(user):
        return True
    if round_.state == State.DRAFT:
        return False
    return reads_every_round(user) or bool(entities_spoken_for(user) & consulted_ids(round_))


def can_read_all_comments(user: AnyUser, round_: ConsultationRound) -> bool:
    """OCT and the USG always; the consulted entities once the responses are published."""
    return reads_every_round(user) or (round_.state == State.RESPONDED and can_read_round(user, round_))


def can_read_response(user: AnyUser, round_: ConsultationRound) -> bool:
    """OCT's responses are its drafts until published: OCT and the USG read them at once, the
    consulted entities once the round is ``responded``."""
    return reads_every_round(user) or round_.state == State.RESPONDED


def can_read_comment(user: AnyUser, comment: ConsultationComment) -> bool:
    if not can_read_classification(user, comment.classification) or not can_read_round(user, comment.round):
        return False
    return can_read_all_comments(user, comment.round) or comment.entity_id in entities_spoken_for(user)


def site_today(now: datetime.datetime | None = None) -> datetime.date:
    """Today in the site's time zone (``settings.TIME_ZONE``, New York): the day deadlines are
    counted in, whatever the zone the reader's pages are shown in."""
    return (now or timezone.now()).astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE)).date()


def deadline_passed(round_: ConsultationRound, now: datetime.datetime | None = None) -> bool:
    """Whether the deadline day (in the site's time zone) is over: comments are taken until its end."""
    return site_today(now) > round_.comments_due_on


def speaks_for(user: AnyUser, entity: Entity) -> bool:
    """OCT (on any entity's behalf, for a letter), or someone who speaks for the entity."""
    return is_oct(user) or entity.pk in entities_spoken_for(user)


def comment_writable(
    user: AnyUser, round_: ConsultationRound, entity_id: int, *, consulted: set[int], spoken: set[int]
) -> bool:
    """``can_write_comment`` without a query: ``consulted`` is ``consulted_ids(round_)`` and
    ``spoken`` is ``entities_spoken_for(user)``, each read once for a whole page."""
    return (
        round_.is_open
        and not deadline_passed(round_)
        and entity_id in consulted
        and (entity_id in spoken or is_oct(user))
    )


def can_write_comment(user: AnyUser, round_: ConsultationRound, entity: Entity) -> bool:
    """While the round is open and its deadline day not over, for a consulted entity, by its people."""
    return comment_writable(user, round_, entity.pk, consulted=consulted_ids(round_), spoken=entities_spoken_for(user))


def oct_authored(comment: ConsultationComment) -> bool:
    """Whether OCT recorded the comment (from the entity's letter). The selectors annotate it
    (``oct_authored``) so that a list asks nothing per comment."""
    annotated = getattr(comment, "oct_authored", None)
    return is_oct(comment.author) if annotated is None else bool(annotated)


def comment_changeable(user: AnyUser, comment: ConsultationComment, *, consulted: set[int], spoken: set[int]) -> bool:
    """``can_change_comment`` without a query (see ``comment_writable``)."""
    if not comment_writable(user, comment.round, comment.entity_id, consulted=consulted, spoken=spoken):
        return False
    return comment.entity_id in spoken or oct_authored(comment)


def can_change_comment(user: AnyUser, comment: ConsultationComment) -> bool:
    """Change or withdraw a comment: its entity's people, while they may write; OCT, which
    writes for any entity only to record a letter, the comments OCT recorded, never one the
    entity wrote itself."""
    return comment_changeable(user, comment, consulted=consulted_ids(comment.round), spoken=entities_spoken_for(user))


def can_respond(user: AnyUser, round_: ConsultationRound) -> bool:
    """OCT records its responses once the round is closed (and may correct them until published)."""
    return can_manage_consultations(user) and round_.state == State.CLOSED


def can_list_consultations(user: AnyUser) -> bool:
    """The list page (the menu asks on every page): OCT, the USG and whoever speaks for an
    entity (a focal point, a chair)."""
    return reads_every_round(user) or speaks_for_an_entity(user)
