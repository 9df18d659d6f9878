"""Reads of the biennial review of the Compact, scoped to what the asking user may see.

A review in preparation is OCT's; opened ones are read by the Committee and the focal points.
Comments are read by OCT and the Committee (all entities') and by a focal point (their own
entity's), always within the reader's clearance. Anything else is a 404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from compact.core.permissions import is_oct, objects_permitted, readable_levels
from compact.registry.models import Entity
from compact.registry.permissions import is_focal_point
from compact.registry.selectors import entities_with_status
from reporting.review.models import BiennialReview, ReviewComment
from reporting.review.permissions import (
    COMMENTING_STATUSES,
    EXPECTED_STATUSES,
    can_read_all_comments,
    can_read_reviews,
)

AnyUser = AbstractBaseUser | AnonymousUser
State = BiennialReview.State


def reviews_visible_to(user: AnyUser) -> QuerySet[BiennialReview]:
    """Every review for OCT; the opened ones for the Committee and focal points; none otherwise."""
    reviews = BiennialReview.objects.select_related("endorsed_by__meeting").order_by("-biennium")
    if is_oct(user):
        return reviews
    if not can_read_reviews(user):
        return reviews.none()
    return reviews.exclude(state=State.PREPARING)


def get_review_for_user_or_404(user: AnyUser, pk: int) -> BiennialReview:
    """One review; the same 404 whether it is missing or hidden from ``user``."""
    review = reviews_visible_to(user).filter(pk=pk).first()
    if review is None:
        raise Http404("No such review.")
    return review


def entities_managed_by(user: AnyUser) -> QuerySet[Entity]:
    """The entities ``user`` is a focal point of (object permission; OCT's global rights excluded)."""
    return objects_permitted(user, "compact.manage_entity_profile", Entity)


def comments_visible_to(user: AnyUser) -> QuerySet[ReviewComment]:
    """The comments ``user`` may read: of reviews they may read, within their clearance; all
    entities' for OCT and the Committee, their own entities' for a focal point."""
    comments = ReviewComment.objects.filter(
        review__in=reviews_visible_to(user), classification__in=readable_levels(user)
    ).select_related("review", "entity", "author", "updated_by")
    if not can_read_all_comments(user):
        comments = comments.filter(entity__in=entities_managed_by(user))
    return comments.order_by("review", "entity__acronym")


def get_comment_for_user_or_404(user: AnyUser, pk: int) -> ReviewComment:
    comment = comments_visible_to(user).filter(pk=pk).first()
    if comment is None:
        raise Http404("No such comment.")
    return comment


# --- OCT's tracking table -----------------------------------------------------------------------


@dataclass(frozen=True)
class TrackingRow:
    """Where one entity stands on a review."""

    entity: Entity
    status: str  # membership status today (member, observer)
    expected: bool  # members are expected to comment; observers may
    comment: ReviewComment | None  # None also when the reader's clearance does not reach it
    commented: bool
    late: bool  # commented after the deadline
    overdue: bool  # expected, not commented, deadline passed

    @property
    def progress(self) -> str:
        if self.commented:
            return "late" if self.late else "commented"
        return "overdue" if self.overdue else "awaited"


def review_tracking(user: AnyUser, review: BiennialReview, *, today: datetime.date | None = None) -> list[TrackingRow]:
    """Every party to the Compact with where it stands on ``review``: commented (on time or
    late), not yet, or overdue. Whether an entity commented is shown to OCT and the Committee
    whatever the comment's classification; its text only within the reader's clearance."""
    if not can_read_all_comments(user):
        return []
    today = today or timezone.localdate()
    all_comments = {c.entity_id: c for c in review.comments.select_related("author")}
    readable = set(comments_visible_to(user).filter(review=review).values_list("pk", flat=True))
    # The parties today, and any entity that commented and has left the Compact since.
    entities = entities_with_status(on=today)
    parties = entities.filter(Q(status__in=COMMENTING_STATUSES, is_active=True) | Q(pk__in=set(all_comments))).order_by(
        "acronym"
    )
    deadline_passed = today > review.comments_due_on
    rows = []
    for entity in parties:
        comment = all_comments.get(entity.pk)
        expected = entity.status in EXPECTED_STATUSES
        rows.append(
            TrackingRow(
                entity=entity,
                status=entity.status or "",
                expected=expected,
                comment=comment if comment is not None and comment.pk in readable else None,
                commented=comment is not None,
                late=bool(comment and comment.is_late),
                overdue=comment is None and expected and deadline_passed,
            )
        )
    return rows


def tracking_counts(rows: list[TrackingRow]) -> dict[str, int]:
    expected = [row for row in rows if row.expected]
    return {
        "expected": len(expected),
        "commented": sum(row.commented for row in rows),
        "expected_commented": sum(row.commented for row in expected),
        "late": sum(row.late for row in rows),
        "overdue": sum(row.overdue for row in rows),
    }


# --- The focal point's home page ------------------------------------------------------------------


@dataclass(frozen=True)
class AwaitedComment:
    review: BiennialReview
    entity: Entity


def comments_awaited_from(user: AnyUser) -> list[AwaitedComment]:
    """The open reviews on which an entity ``user`` is focal point of (a party to the Compact)
    has not commented yet, soonest deadline first (for the home page)."""
    if not is_focal_point(user):
        return []  # the review's comment page is the focal points' (the link would be a 404)
    entities = list(
        entities_with_status()
        .filter(pk__in=entities_managed_by(user).values("pk"), status__in=COMMENTING_STATUSES, is_active=True)
        .order_by("acronym")
    )
    if not entities:
        return []
    reviews = BiennialReview.objects.filter(state=State.OPEN).order_by("comments_due_on", "pk")
    done = set(
        ReviewComment.objects.filter(review__in=reviews, entity__in=entities).values_list("review_id", "entity_id")
    )
    return [
        AwaitedComment(review, entity)
        for review in reviews
        for entity in entities
        if (review.pk, entity.pk) not in done
    ]
