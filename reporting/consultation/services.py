"""Consultation rounds (Annex III, V.12): every write.

OCT prepares a round on a document (any kind registered in ``subjects``), with its deadline
and the entities consulted (by default every active member entity), and takes it through
``CONSULTATION_TRANSITIONS`` (the only list of allowed moves):

| action | from | to | by | what else |
|---|---|---|---|---|
| ``open`` | draft | open | OCT | the document's sections frozen; consulted focal points e-mailed |
| ``close`` | open | closed | OCT | — |
| ``expire`` | open | closed | the scheduler | once the deadline day is over (``consultation_expire``) |
| ``respond`` | closed | responded | OCT | every comment has OCT's response |
| ``cancel`` | draft, open | cancelled | OCT | a reason, shared with the consulted entities |

While a round is open and its deadline day not over, the people who speak for a consulted
entity write one comment per section for it, change it (optimistic: the revision they loaded)
or withdraw it. A comment is marked at least as high as its section and never above its
writer's clearance. Once the round is closed OCT records a response to each comment.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

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
from compact.registry.models import Entity, Membership
from compact.registry.selectors import entities_with_status, focal_point_emails_by_entity
from reporting.consultation.models import ConsultationComment, ConsultationRound, ConsultationStep
from reporting.consultation.permissions import (
    can_manage_consultations,
    can_respond,
    consulted_ids,
    deadline_passed,
    entities_spoken_for,
    oct_authored,
    site_today,
    speaks_for,
)
from reporting.consultation.subjects import subject_of
from reporting.consultation.workflow import CONSULTATION_TRANSITIONS, OCT, SCHEDULER
from reporting.lib.comments import comment_text_swap

State = ConsultationRound.State
COMMENT_LIMIT = 10000
NOTE_LIMIT = 4000
# Who is consulted when OCT does not say: every active member entity (observers may be added).
DEFAULT_STATUSES = (Membership.Status.MEMBER,)
CONSULTED_STATUSES = (Membership.Status.MEMBER, Membership.Status.OBSERVER)


def _require_oct(actor: AbstractBaseUser) -> None:
    if not can_manage_consultations(actor):
        raise PermissionDenied(_("Only the OCT secretariat runs consultations."))


def _locked(round_: ConsultationRound) -> ConsultationRound:
    return ConsultationRound.objects.select_for_update().get(pk=round_.pk)


def default_entities(day: datetime.date | None = None) -> list[Entity]:
    """Every active member entity (the default list of entities consulted)."""
    rows = entities_with_status(on=day or site_today()).filter(status__in=DEFAULT_STATUSES, is_active=True)
    return list(rows.order_by("acronym"))


def _consultable(entities: Iterable[Entity]) -> list[Entity]:
    chosen = list(dict.fromkeys(entities))
    parties = set(
        entities_with_status()
        .filter(status__in=CONSULTED_STATUSES, is_active=True, pk__in=[e.pk for e in chosen])
        .values_list("pk", flat=True)
    )
    outside = [entity.acronym for entity in chosen if entity.pk not in parties]
    if outside:
        raise ValidationError(
            {
                "entities": _("Only members and observers of the Compact are consulted: %(names)s.")
                % {"names": ", ".join(outside)}
            }
        )
    return chosen


# --- Preparing a round ----------------------------------------------------------------------------


@transaction.atomic
def consultation_create(
    *,
    actor: AbstractBaseUser,
    subject_kind: str,
    subject_id: int,
    comments_due_on: datetime.date,
    entities: Iterable[Entity] | None = None,
    note: str = "",
) -> ConsultationRound:
    """Prepare a round on a document (shown to nobody but OCT until it opens)."""
    _require_oct(actor)
    subject = subject_of(subject_kind)
    if subject is None:
        raise ValidationError({"subject_kind": _("This kind of document cannot be consulted on.")})
    document = subject.model._default_manager.filter(pk=subject_id).first()
    if document is None or not subject.may_open(actor, document):
        raise ValidationError({"subject_id": _("There is no such document to consult on.")})
    errors = {}
    if not isinstance(comments_due_on, datetime.date) or comments_due_on < site_today():
        errors["comments_due_on"] = _("Give a deadline from today on.")
    note = (note or "").strip()
    if len(note) > NOTE_LIMIT:
        errors["note"] = _("At most %(n)d characters.") % {"n": NOTE_LIMIT}
    if errors:
        raise ValidationError(errors)
    consulted = _consultable(entities) if entities else default_entities()
    if not consulted:
        raise ValidationError({"entities": _("Consult at least one entity.")})
    round_ = ConsultationRound.objects.create(
        subject_kind=subject_kind,
        subject_id=document.pk,
        title=subject.title(document)[:300],
        note=note,
        comments_due_on=comments_due_on,
        created_by=actor,
        updated_by=actor,
    )
    round_.entities.set(consulted)
    audit_record(
        actor=actor,
        verb="consultation.created",
        obj=round_,
        after={
            **snapshot(round_, ("subject_kind", "subject_id", "title", "comments_due_on")),
            "entities": sorted(entity.acronym for entity in consulted),
        },
    )
    return round_


# --- Moves ----------------------------------------------------------------------------------------


def _freeze(round_: ConsultationRound, actor: AbstractBaseUser) -> dict[str, Any]:
    """The document's sections now, for the round to keep; OCT must be cleared for all of them."""
    subject = subject_of(round_.subject_kind)
    document = subject.model._default_manager.filter(pk=round_.subject_id).first() if subject else None
    if document is None or not subject.may_open(actor, document):
        raise ValidationError(_("This document can no longer be consulted on."))
    sections = [section.as_json() for section in subject.sections(document)]
    if not sections:
        raise ValidationError(_("The document has no section to comment on."))
    level = Classification.highest(section["classification"] for section in sections)
    if not can_read_classification(actor, level):
        raise PermissionDenied(_("The document is marked above your clearance."))
    return {"sections": sections, "classification": level, "title": subject.title(document)[:300]}


def _notify(round_: ConsultationRound, step: ConsultationStep, template: str) -> None:
    """Tell the consulted entities' focal points (a link, the title and the deadline: never the
    document's text, which may be classified)."""
    by_entity = focal_point_emails_by_entity(round_.entities.order_by("acronym"))
    recipients = list(dict.fromkeys(email for emails in by_entity.values() for email in emails))
    if not recipients:
        return
    email_queue(
        occasion=f"{template}:{round_.pk}:{step.pk}",
        recipients=recipients,
        template=template,
        category=EmailCategory.DEADLINES,
        context={
            "round": round_,
            "due_on": round_.comments_due_on,
            "reason": step.message,
            "url": absolute_url(reverse("consultation-detail", args=[round_.pk])),
        },
    )


@transaction.atomic
def consultation_act(
    *, round: ConsultationRound, action: str, actor: AbstractBaseUser, reason: str = ""
) -> ConsultationRound:
    """Take one of OCT's moves of ``CONSULTATION_TRANSITIONS`` (compare-and-swap on the state,
    a step, an audit row; e-mails to the consulted focal points on opening and cancelling)."""
    _require_oct(actor)
    round_ = _locked(round)
    move = Move.start(
        table=CONSULTATION_TRANSITIONS, obj=round_, action=action, by=OCT, actor=actor, state_field="state"
    )
    reason = (reason or "").strip()
    if move.transition.message == "required" and not reason:
        raise ValidationError({"reason": _("Say why the consultation is cancelled.")})
    if len(reason) > NOTE_LIMIT:
        raise ValidationError({"reason": _("At most %(n)d characters.") % {"n": NOTE_LIMIT}})
    values: dict[str, Any] = {}
    now = timezone.now()
    if action == "open":
        if deadline_passed(round_, now):
            raise ValidationError({"comments_due_on": _("The deadline has passed: prepare a new round.")})
        values = {**_freeze(round_, actor), "opened_at": now}
    elif action == "close":
        values = {"closed_at": now}
    elif action == "respond":
        missing = round_.comments.filter(response="").count()
        if missing:
            raise ValidationError(_("Respond to every comment first (%(n)d without a response).") % {"n": missing})
    move.swap(
        stale=_("Someone else changed this consultation's state meanwhile; reload it."),
        updated_at=now,
        updated_by=actor,
        revision=F("revision") + 1,
        **values,
    )
    step, _event = move.record(
        actor=actor,
        verb=f"consultation.{action}",
        step=ConsultationStep,
        step_fields={"round": round_, "message": reason},
        note=reason,
    )
    if action == "open":
        _notify(round_, step, "consultation-opened")
    elif action == "cancel" and move.source == State.OPEN:
        _notify(round_, step, "consultation-cancelled")
    return round_


def consultation_expire(*, round: ConsultationRound, now: datetime.datetime | None = None) -> bool:
    """The scheduler's move: close an open round whose deadline day is over. Whether it closed
    it (False: not due, or closed by someone else first). Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        round_ = _locked(round)
        if round_.state != State.OPEN or not deadline_passed(round_, now):
            return False
        move = Move.start(
            table=CONSULTATION_TRANSITIONS, obj=round_, action="expire", by=SCHEDULER, state_field="state"
        )
        if not move.try_swap(closed_at=now, updated_at=now, revision=F("revision") + 1):
            return False
        move.record(actor=None, verb="consultation.expire", step=ConsultationStep, step_fields={"round": round_})
    return True


# --- Comments -------------------------------------------------------------------------------------


def _may_comment(round_: ConsultationRound, entity: Entity, actor: AbstractBaseUser) -> None:
    if not speaks_for(actor, entity):
        raise PermissionDenied(_("Only the entity's focal points and representatives comment on its behalf."))
    if entity.pk not in consulted_ids(round_):
        raise ValidationError({"entity": _("This entity is not consulted in this round.")})
    if round_.state != State.OPEN or deadline_passed(round_):
        raise ValidationError(_("The consultation is not open for comments."))


def _may_change(round_: ConsultationRound, comment: ConsultationComment, actor: AbstractBaseUser) -> None:
    """Changing or withdrawing: as commenting, and OCT (which speaks for every entity only to
    record a letter) touches only the comments OCT recorded, never an entity's own."""
    _may_comment(round_, comment.entity, actor)
    if comment.entity_id not in entities_spoken_for(actor) and not oct_authored(comment):
        raise PermissionDenied(_("This comment is the entity's own: only its people change or withdraw it."))


def _clean_comment(round_: ConsultationRound, section_key: str, text: str, classification: str, actor) -> str:
    section = round_.section(section_key) if isinstance(section_key, str) else None
    if section is None or not can_read_classification(actor, section["classification"]):
        raise ValidationError({"section": _("There is no such section in this consultation.")})
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
    elif Classification.rank(classification) < Classification.rank(section["classification"]):
        errors["classification"] = _("A comment is marked at least as high as its section.")
    if errors:
        raise ValidationError(errors)
    return text


@transaction.atomic
def consultation_comment_create(
    *,
    round: ConsultationRound,
    entity: Entity,
    section_key: str,
    actor: AbstractBaseUser,
    text: str,
    classification: str,
) -> ConsultationComment:
    """An entity's comment on one section of an open round (one per entity and section)."""
    round_ = _locked(round)
    _may_comment(round_, entity, actor)
    text = _clean_comment(round_, section_key, text, classification, actor)
    taken = _("This entity has commented on this section already: change its comment instead.")
    if ConsultationComment.objects.filter(round=round_, entity=entity, section_key=section_key).exists():
        raise ValidationError({"section": taken})
    now = timezone.now()
    try:
        with transaction.atomic():
            comment = ConsultationComment.objects.create(
                round=round_,
                entity=entity,
                section_key=section_key,
                text=text,
                classification=classification,
                author=actor,
                created_at=now,
                updated_at=now,
                updated_by=actor,
            )
    except IntegrityError:  # a colleague of the entity saved first
        raise ValidationError({"section": taken}) from None
    audit_record(
        actor=actor,
        verb="consultation.comment_created",
        obj=comment,
        after={**snapshot(comment, ("round", "entity", "section_key", "classification")), "length": len(text)},
    )
    return comment


@transaction.atomic
def consultation_comment_update(
    *, comment: ConsultationComment, actor: AbstractBaseUser, base_revision: int, text: str, classification: str
) -> ConsultationComment:
    """Change a comment while the round is open, from the revision the editor loaded; if
    someone saved it since, nothing is written (``EditConflictError`` with the stored one)."""
    round_ = _locked(comment.round)
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    _may_change(round_, comment, actor)
    if not can_read_classification(actor, comment.classification):
        raise PermissionDenied(_("This comment is marked above your clearance."))
    text = _clean_comment(round_, comment.section_key, text, classification, actor)
    return comment_text_swap(
        comment=comment,
        text=text,
        classification=classification,
        actor=actor,
        base_revision=base_revision,
        verb="consultation.comment_updated",
    )


@transaction.atomic
def consultation_comment_withdraw(*, comment: ConsultationComment, actor: AbstractBaseUser) -> None:
    """Withdraw a comment while the round is open (the audit trail keeps that it existed)."""
    round_ = _locked(comment.round)
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    _may_change(round_, comment, actor)
    if not can_read_classification(actor, comment.classification):
        raise PermissionDenied(_("This comment is marked above your clearance."))
    audit_record(
        actor=actor,
        verb="consultation.comment_withdrawn",
        obj=comment,
        before={**snapshot(comment, ("round", "entity", "section_key", "classification")), "length": len(comment.text)},
    )
    comment.delete()


@transaction.atomic
def consultation_comment_respond(
    *, comment: ConsultationComment, actor: AbstractBaseUser, response: str, note: str = ""
) -> ConsultationComment:
    """OCT's response to a comment of a closed round: accepted, partly accepted or not taken
    up, with a note (required unless accepted). The note is marked like the comment."""
    _require_oct(actor)
    round_ = _locked(comment.round)
    if not can_respond(actor, round_):
        raise ValidationError(_("Responses are recorded once the consultation is closed, until they are published."))
    comment = ConsultationComment.objects.select_for_update().get(pk=comment.pk)
    if not can_read_classification(actor, comment.classification):
        raise PermissionDenied(_("This comment is marked above your clearance."))
    note = (note or "").strip()
    errors = {}
    if response not in ConsultationComment.Response.values:
        errors["response"] = _("Choose a response.")
    elif response != ConsultationComment.Response.ACCEPTED and not note:
        errors["note"] = _("Say what was done with the comment.")
    if len(note) > NOTE_LIMIT:
        errors["note"] = _("At most %(n)d characters.") % {"n": NOTE_LIMIT}
    if errors:
        raise ValidationError(errors)
    before = snapshot(comment, ("response", "classification"))
    comment.response, comment.response_note = response, note
    comment.responded_at, comment.responded_by = timezone.now(), actor
    comment.save(update_fields=["response", "response_note", "responded_at", "responded_by"])
    audit_record(
        actor=actor,
        verb="consultation.comment_responded",
        obj=comment,
        before=before,
        after={**snapshot(comment, ("response", "classification")), "note_length": len(note)},
    )
    return comment
