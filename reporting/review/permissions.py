"""Who may do what with the biennial review of the Compact. Every rule lives here.

- OCT prepares, opens, closes, concludes and reopens reviews, reads every comment (within its
  clearance) and may record a comment an entity sent by letter, on the entity's behalf.
- The Committee (the USG, Committee members, chairs and vice-chairs) reads the reviews once
  they are opened, and the comments their clearance allows.
- An entity's focal points read the opened reviews and their own entity's comment, and write it
  while the review is open, if the entity is a party to the Compact (member or observer).
- Anyone else: nothing (404). A review in preparation is OCT's alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from compact.core.permissions import can_read_classification, is_oct, objects_permitted
from compact.registry.models import PARTY_STATUSES, Entity, Membership
from compact.registry.permissions import can_manage_entity, is_focal_point
from compact.registry.selectors import entities_with_status, entity_status_on
from reporting.review.models import BiennialReview, ReviewComment
from reporting.submissions.permissions import reads_for_committee

AnyUser = AbstractBaseUser | AnonymousUser

# Members and observers may comment (observers keep the CTITF status they had and take part in
# the Compact's work); only members are expected to, so only they are chased and counted.
COMMENTING_STATUSES = PARTY_STATUSES
EXPECTED_STATUSES = (Membership.Status.MEMBER,)


def can_manage_reviews(user: AnyUser) -> bool:
    """OCT runs the review."""
    return is_oct(user)


def reads_reviews_for_committee(user: AnyUser) -> bool:
    """The USG, Committee members, and chairs and vice-chairs (ex officio members)."""

    return reads_for_committee(user)


def can_read_reviews(user: AnyUser) -> bool:
    return is_oct(user) or is_focal_point(user) or reads_reviews_for_committee(user)


def can_read_review(user: AnyUser, review: BiennialReview) -> bool:
    if is_oct(user):
        return True
    return review.state != BiennialReview.State.PREPARING and can_read_reviews(user)


def can_read_all_comments(user: AnyUser) -> bool:
    """OCT and the Committee read every entity's comment (within their clearance); a focal
    point reads only their own entity's."""
    return is_oct(user) or reads_reviews_for_committee(user)


def can_read_comment(user: AnyUser, comment: ReviewComment) -> bool:
    if not can_read_classification(user, comment.classification):
        return False
    if not can_read_review(user, comment.review):
        return False
    return can_read_all_comments(user) or can_manage_entity(user, comment.entity)


def can_read_outcome(user: AnyUser, review: BiennialReview) -> bool:
    """The outcome is OCT's draft until the review is concluded; then every reader of the
    review whose clearance reaches its classification reads it."""
    if not can_read_classification(user, review.outcome_classification):
        return False
    return is_oct(user) or (review.state == BiennialReview.State.CONCLUDED and can_read_review(user, review))


def entity_may_comment(entity: Entity, day: datetime.date | None = None) -> bool:
    """A party to the Compact on ``day`` (today by default): a member or an observer."""
    return entity.is_active and entity_status_on(entity, day or timezone.localdate()) in COMMENTING_STATUSES


def can_write_comment(user: AnyUser, review: BiennialReview, entity: Entity) -> bool:
    """The entity's focal points (OCT on its behalf), while the review is open, for a party."""
    return review.is_open and can_manage_entity(user, entity) and entity_may_comment(entity)


def comment_writer(user: AnyUser) -> Callable[[ReviewComment], bool]:
    """``can_write_comment`` for many comments at once (an API list): the parties and the
    entities ``user`` is focal point of are read once, not once per comment."""

    parties = set(
        entities_with_status().filter(status__in=COMMENTING_STATUSES, is_active=True).values_list("pk", flat=True)
    )
    if is_oct(user):
        managed = None  # OCT writes on any party's behalf
    elif user.is_authenticated and user.is_active:
        managed = set(objects_permitted(user, "compact.manage_entity_profile", Entity).values_list("pk", flat=True))
    else:
        managed = set()

    def may_write(comment: ReviewComment) -> bool:
        mine = managed is None or comment.entity_id in managed
        return comment.review.is_open and mine and comment.entity_id in parties

    return may_write
