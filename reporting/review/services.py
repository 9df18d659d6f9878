"""The biennial review of the Compact (Annex III, III.d).

OCT prepares a review for a biennium, linked to the General Assembly's review resolution, and
takes it through ``REVIEW_TRANSITIONS`` (the only list of allowed moves):

| action | from | to | message |
|---|---|---|---|
| ``open`` | preparing | open for comments | — (the focal points of the parties are e-mailed) |
| ``close`` | open | closed (OCT writes the synthesis) | — |
| ``conclude`` | closed | concluded (final) | — (needs the outcome; the focal points are e-mailed) |
| ``reopen`` | closed | open for comments | required (e-mailed to the focal points) |

While a review is open, each party's focal points write one comment for their entity (a
database constraint), and edit it until the review closes; a comment that arrives after the end
of the deadline day (in the site's time zone, as for reports) is recorded as late. Edits are
optimistic: the editor sends the revision it loaded, and a stale one is refused
(``EditConflictError``) instead of overwriting someone else's change.
"""

from __future__ import annotations

import datetime
import re
import zoneinfo
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, snapshot
from compact.core.categories import EmailCategory
from compact.core.models import Classification
from compact.core.outbox import email_queue
from compact.core.permissions import can_read_classification
from compact.core.workflow import Move
from compact.lib.emails import absolute_url
from compact.lib.workflow import revision_check
from compact.registry.models import Entity
from compact.registry.permissions import can_manage_entity
from compact.registry.selectors import entities_with_status, focal_point_emails_by_entity
from reporting.lib.comments import comment_text_swap
from reporting.review.models import (
    FIRST_BIENNIUM,
    LAST_BIENNIUM,
    RESOLUTION_SYMBOL_PATTERN,
    BiennialReview,
    ReviewComment,
    ReviewStep,
)
from reporting.review.permissions import COMMENTING_STATUSES, can_manage_reviews, entity_may_comment
from reporting.review.workflow import OCT, REVIEW_TRANSITIONS

State = BiennialReview.State
REVIEW_FIELDS = (
    "biennium",
    "title",
    "resolution_symbol",
    "resolution_url",
    "opens_on",
    "comments_due_on",
    "outcome",
    "outcome_classification",
    "endorsed_by",
)
REQUIRED_FIELDS = ("biennium", "title", "resolution_symbol", "opens_on", "comments_due_on")
COMMENT_LIMIT = 20000


def _require_oct(actor: AbstractBaseUser) -> None:
    if not can_manage_reviews(actor):
        raise PermissionDenied(_("Only the OCT secretariat runs the review of the Compact."))


def _locked(review: BiennialReview) -> BiennialReview:
    return BiennialReview.objects.select_for_update().get(pk=review.pk)


def _audited(values: dict[str, Any]) -> dict[str, Any]:
    """The outcome may be classified above an auditor's clearance: the trail records that it
    changed (and its length), never its text."""
    if "outcome" in values:
        return {**values, "outcome": _("(%(n)d characters)") % {"n": len(values["outcome"] or "")}}
    return values


# --- The review itself --------------------------------------------------------------------------


# Where the UN publishes its official documents (docs.un.org, documents.un.org, undocs.org…).
UN_DOCUMENT_HOSTS = ("un.org", "undocs.org")


def _is_un_document_link(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and any(host == name or host.endswith(f".{name}") for name in UN_DOCUMENT_HOSTS)


def _check_fields(cleaned: dict[str, Any], actor: AbstractBaseUser, errors: dict[str, str]) -> None:
    biennium = cleaned.get("biennium")
    if "biennium" in cleaned and not (isinstance(biennium, int) and FIRST_BIENNIUM <= biennium <= LAST_BIENNIUM):
        errors["biennium"] = _("Give the biennium's first year, from %(first)d.") % {"first": FIRST_BIENNIUM}
    if "title" in cleaned and not cleaned["title"]:
        errors["title"] = _("This field is required.")
    elif len(cleaned.get("title") or "") > 255:
        errors["title"] = _("At most %(n)d characters.") % {"n": 255}
    symbol = cleaned.get("resolution_symbol")
    if "resolution_symbol" in cleaned and not re.match(RESOLUTION_SYMBOL_PATTERN, symbol or ""):
        errors["resolution_symbol"] = _("Give the General Assembly resolution's symbol, for example A/RES/77/298.")
    url = cleaned.get("resolution_url") or ""
    if url and not _is_un_document_link(url):
        errors["resolution_url"] = _(
            "Give a secure link (https://) to the United Nations document, e.g. https://docs.un.org/en/A/RES/77/298."
        )
    for name in ("opens_on", "comments_due_on"):
        if name in cleaned and not isinstance(cleaned[name], datetime.date):
            errors[name] = _("Give a date.")
    level = cleaned.get("outcome_classification")
    if level is not None and level not in Classification.values:
        errors["outcome_classification"] = _("Choose a classification.")
    elif level is not None and not can_read_classification(actor, level):
        errors["outcome_classification"] = _("You cannot mark the outcome above your own clearance.")


def _clean(values: dict[str, Any], actor: AbstractBaseUser, current: dict[str, Any]) -> dict[str, Any]:
    """The review's fields, stripped and checked against each other; every problem at once."""
    unknown = set(values) - set(REVIEW_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    cleaned = {name: value.strip() if isinstance(value, str) else value for name, value in values.items()}
    if isinstance(cleaned.get("resolution_symbol"), str):
        cleaned["resolution_symbol"] = " ".join(cleaned["resolution_symbol"].upper().split())
    errors: dict[str, str] = {}
    _check_fields(cleaned, actor, errors)
    merged = {**current, **cleaned}
    opens, due = merged.get("opens_on"), merged.get("comments_due_on")
    if isinstance(opens, datetime.date) and isinstance(due, datetime.date) and due < opens:
        errors["comments_due_on"] = _("The deadline comes on or after the day comments open.")
    if errors:
        raise ValidationError(errors)
    return cleaned


def _biennium_free(biennium: int, *, exclude: int | None = None) -> None:
    taken = BiennialReview.objects.filter(biennium=biennium).exclude(pk=exclude).exists()
    if taken:
        raise ValidationError({"biennium": _("There is a review for this biennium already.")})


@transaction.atomic
def review_create(*, actor: AbstractBaseUser, **values: Any) -> BiennialReview:
    """Prepare the review of a biennium (nothing is shown to the entities until it opens)."""
    _require_oct(actor)
    cleaned = _clean(values, actor, {})
    missing = {name: _("This field is required.") for name in REQUIRED_FIELDS if cleaned.get(name) in (None, "")}
    if missing:
        raise ValidationError(missing)
    _biennium_free(cleaned["biennium"])
    try:
        with transaction.atomic():
            writer = actor if cleaned.get("outcome") else None
            review = BiennialReview.objects.create(
                **cleaned, created_by=actor, updated_by=actor, outcome_written_by=writer
            )
    except IntegrityError:  # a concurrent request created the same biennium first
        raise ValidationError({"biennium": _("There is a review for this biennium already.")}) from None
    audit_record(
        actor=actor, verb="review.created", obj=review, after=_audited(snapshot(review, [*REVIEW_FIELDS, "state"]))
    )
    return review


@transaction.atomic
def review_update(
    *, review: BiennialReview, actor: AbstractBaseUser, base_revision: int | None = None, **values: Any
) -> BiennialReview:
    """Change a review that is not concluded (a concluded review is final). ``base_revision``
    is the revision the editor loaded: if someone saved since, nothing is overwritten."""
    _require_oct(actor)
    review = _locked(review)
    if review.state == State.CONCLUDED:
        raise ValidationError(_("This review is concluded: its record can no longer change."))
    if not can_read_classification(actor, review.outcome_classification):
        raise PermissionDenied(_("The outcome of this review is marked above your clearance."))
    revision_check(
        review, base_revision, _("This was changed by someone else while you were editing it. Reload it and try again.")
    )
    cleaned = _clean(values, actor, {name: getattr(review, name) for name in REVIEW_FIELDS})
    if "biennium" in cleaned:
        _biennium_free(cleaned["biennium"], exclude=review.pk)
    before = snapshot(review, cleaned)
    for name, value in cleaned.items():
        setattr(review, name, value)
    after = snapshot(review, cleaned)
    changed = [name for name in cleaned if before[name] != after[name]]
    if not changed:
        return review
    review.updated_at, review.updated_by, review.revision = timezone.now(), actor, review.revision + 1
    written = []
    if "outcome" in changed:
        review.outcome_written_by, written = actor, ["outcome_written_by"]
    review.save(update_fields=[*changed, *written, "updated_at", "updated_by", "revision"])
    if "comments_due_on" in changed:
        _lateness_recompute(review)
    audit_record(
        actor=actor,
        verb="review.updated",
        obj=review,
        before=_audited({name: before[name] for name in changed}),
        after=_audited({name: after[name] for name in changed}),
    )
    return review


# --- Moves --------------------------------------------------------------------------------------


def review_focal_point_emails(review: BiennialReview, *, day: datetime.date | None = None) -> list[str]:
    """The addresses of the focal points of every party to the Compact (members and observers)."""

    parties = entities_with_status(on=day or timezone.localdate()).filter(
        status__in=COMMENTING_STATUSES, is_active=True
    )
    by_entity = focal_point_emails_by_entity(parties.order_by("acronym"))
    return list(dict.fromkeys(email for emails in by_entity.values() for email in emails))


def _notify_focal_points(review: BiennialReview, step: ReviewStep, template: str) -> None:
    """Tell the parties' focal points of a move (the e-mail links to the review; it never
    carries the outcome, which may be classified)."""
    recipients = review_focal_point_emails(review)
    if not recipients:
        return
    email_queue(
        occasion=f"{template}:{review.pk}:{step.pk}",
        recipients=recipients,
        template=template,
        category=EmailCategory.BIENNIAL_REVIEW,
        context={
            "review": review,
            "reopened": step.action == "reopen",
            "reason": step.message,
            "due_on": review.comments_due_on,
            "url": absolute_url(reverse("review-detail", args=[review.pk])),
        },
    )


@transaction.atomic
def review_act(*, review: BiennialReview, action: str, actor: AbstractBaseUser, reason: str = "") -> BiennialReview:
    """Take a move of ``REVIEW_TRANSITIONS`` (compare-and-swap on the state, a step, an audit
    row, and e-mails to the focal points when comments open or the review is concluded)."""
    _require_oct(actor)
    review = _locked(review)
    # Four eyes: the officer who wrote the outcome does not conclude the review with it.
    move = Move.start(
        table=REVIEW_TRANSITIONS,
        obj=review,
        action=action,
        by=OCT,
        actor=actor,
        proposer=review.outcome_written_by_id,
        state_field="state",
    )
    transition = move.transition
    reason = reason.strip()
    if transition.message == "required" and not reason:
        raise ValidationError({"reason": _("Say why the review is reopened.")})
    if action == "conclude" and not review.outcome.strip():
        raise ValidationError({"outcome": _("Write the synthesis and outcome before concluding the review.")})
    if action == "conclude" and not can_read_classification(actor, review.outcome_classification):
        raise PermissionDenied(_("The outcome of this review is marked above your clearance."))
    move.swap(
        stale=_("Someone else changed this review's state meanwhile; reload it."),
        updated_at=timezone.now(),
        updated_by=actor,
        revision=F("revision") + 1,
    )
    step, _event = move.record(
        actor=actor,
        verb=f"review.{action}",
        step=ReviewStep,
        step_fields={"review": review, "message": reason},
        note=reason,
    )
    if transition.target == State.OPEN:
        _notify_focal_points(review, step, "review-opened")
    elif transition.target == State.CONCLUDED:
        _notify_focal_points(review, step, "review-concluded")
    return review


# --- Comments -----------------------------------------------------------------------------------


def comment_is_late(review: BiennialReview, moment: datetime.datetime) -> bool:
    """After the end of the deadline day in the site's time zone (a comment sent on the day
    is on time, as a report submitted on its due day is)."""
    local = moment.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return local.date() > review.comments_due_on


def _lateness_recompute(review: BiennialReview) -> None:
    """A moved deadline decides anew which comments came after it (a comment is late when it
    arrived after the end of the deadline day, whenever the deadline was set)."""
    for comment in review.comments.only("pk", "created_at", "is_late"):
        late = comment_is_late(review, comment.created_at)
        if late != comment.is_late:
            ReviewComment.objects.filter(pk=comment.pk).update(is_late=late)


def _clean_comment(text: str, classification: str, actor: AbstractBaseUser) -> str:
    text = (text or "").strip()
    errors: dict[str, str] = {}
    if not text:
        errors["text"] = _("Write the comment.")
    elif len(text) > COMMENT_LIMIT:
        errors["text"] = _("At most %(n)d characters.") % {"n": COMMENT_LIMIT}
    if classification not in Classification.values:
        errors["classification"] = _("Choose a classification.")
    elif not can_read_classification(actor, classification):
        errors["classification"] = _("You cannot mark a comment above your own clearance.")
    if errors:
        raise ValidationError(errors)
    return text


def _may_comment(review: BiennialReview, entity: Entity, actor: AbstractBaseUser) -> None:
    if not can_manage_entity(actor, entity):
        raise PermissionDenied(_("Only the entity's focal points comment on its behalf."))
    if not entity_may_comment(entity):
        raise ValidationError({"entity": _("Only members and observers of the Compact comment on its review.")})
    if review.state != State.OPEN:
        raise ValidationError(_("The review is not open for comments."))


@transaction.atomic
def comment_create(
    *, review: BiennialReview, entity: Entity, actor: AbstractBaseUser, text: str, classification: str
) -> ReviewComment:
    """An entity's comment on an open review (one per entity); late if after the deadline."""
    review = _locked(review)
    _may_comment(review, entity, actor)
    text = _clean_comment(text, classification, actor)
    if ReviewComment.objects.filter(review=review, entity=entity).exists():
        raise ValidationError({"entity": _("This entity has commented already: edit its comment instead.")})
    now = timezone.now()
    try:
        with transaction.atomic():
            comment = ReviewComment.objects.create(
                review=review,
                entity=entity,
                text=text,
                classification=classification,
                author=actor,
                created_at=now,
                updated_at=now,
                updated_by=actor,
                is_late=comment_is_late(review, now),
            )
    except IntegrityError:  # another focal point of the entity saved first
        raise ValidationError({"entity": _("This entity has commented already: edit its comment instead.")}) from None
    audit_record(
        actor=actor,
        verb="review.comment_created",
        obj=comment,
        after={**snapshot(comment, ("review", "entity", "classification", "is_late")), "length": len(text)},
    )
    return comment


@transaction.atomic
def comment_update(
    *, comment: ReviewComment, actor: AbstractBaseUser, base_revision: int, text: str, classification: str
) -> ReviewComment:
    """Change a comment while the review is open. Applies only if nobody saved it since the
    editor loaded ``base_revision``; otherwise ``EditConflictError`` carries the stored one."""
    review = _locked(comment.review)
    # The comment as it is now (a colleague may have raised its marking while this waited):
    # its clearance is checked on that, and a conflict never hands back a text above it.
    comment = ReviewComment.objects.select_for_update().get(pk=comment.pk)
    _may_comment(review, comment.entity, actor)
    if not can_read_classification(actor, comment.classification):
        raise PermissionDenied(_("This comment is marked above your clearance."))
    text = _clean_comment(text, classification, actor)
    return comment_text_swap(
        comment=comment,
        text=text,
        classification=classification,
        actor=actor,
        base_revision=base_revision,
        verb="review.comment_updated",
    )
