"""Demonstration data for the biennial review of the Compact: an open review with a couple of
comments. Called from ``portal.demo.demo_load``; running it again changes nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from compact.core.models import Classification
from compact.registry.permissions import can_manage_entity
from compact.registry.selectors import entity_resolve
from reporting.review.models import BiennialReview, ReviewComment
from reporting.review.permissions import entity_may_comment
from reporting.review.services import comment_create, review_act, review_create

# The GA's eighth review of the Strategy (2023); the Compact's review responds to the latest one.
DEMO_RESOLUTION = "A/RES/77/298"
DEMO_RESOLUTION_URL = "https://docs.un.org/en/A/RES/77/298"


@transaction.atomic
def demo_review(people: dict[str, object]) -> None:
    """An open review of this biennium, due in three weeks, with UNESCO's comment (its focal
    point's) and OHCHR's (a letter OCT recorded on its behalf, confidential)."""
    officer = people["oct.officer"]
    today = timezone.localdate()
    if BiennialReview.objects.filter(biennium=today.year).exists():
        return
    review = review_create(
        actor=officer,
        biennium=today.year,
        title=f"Review of the Compact, {today.year}–{today.year + 1}",
        resolution_symbol=DEMO_RESOLUTION,
        resolution_url=DEMO_RESOLUTION_URL,
        opens_on=today - datetime.timedelta(days=7),
        comments_due_on=today + datetime.timedelta(days=21),
    )
    review = review_act(review=review, action="open", actor=officer)
    comments = [
        (
            "UNESCO",
            people.get("unesco.focal"),
            "Demonstration: UNESCO proposes that the Compact's next programme of work gives more room to "
            "education and youth in preventing violent extremism.",
            Classification.UNCLASSIFIED,
        ),
        (
            "OHCHR",
            officer,
            "Demonstration (received by letter): OHCHR asks that human-rights due diligence be reported on "
            "for every project supporting non-UN security forces.",
            Classification.CONFIDENTIAL,
        ),
    ]
    for acronym, writer, text, level in comments:
        entity = entity_resolve(acronym)
        if entity is None or writer is None or not entity_may_comment(entity) or not can_manage_entity(writer, entity):
            continue
        if not ReviewComment.objects.filter(review=review, entity=entity).exists():
            comment_create(review=review, entity=entity, actor=writer, text=text, classification=level)
