"""Sign-on: an entity asks to join the Compact, OCT consults and decides (Annex III, III.a).

The public form creates a request that waits for its e-mail address to be confirmed; the
confirmed request reaches OCT's queue. Every later move is a row of ``TRANSITIONS`` taken
through ``_transition``: a compare-and-swap on the state, a ``SignOnStep``, an audit row and
the e-mails of that step, all in one transaction (the e-mails leave after the commit).
"""

from __future__ import annotations

import contextlib
import datetime
import secrets
from collections.abc import Iterable, Iterator
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, json_safe
from compact.core.categories import EmailCategory
from compact.core.outbox import email_queue
from compact.core.permissions import is_oct
from compact.core.workflow import Move
from compact.lib.uploads import pdf_check
from compact.lib.workflow import Transition
from compact.registry.models import Pillar
from compact.registry.services import (
    focal_point_appoint,
    membership_record,
)
from compact.signon.approval import _entity_for_approval, _focal_user_for, _invite, _status_label
from compact.signon.links import (
    CONFIRMATION_DAYS,
    CONFIRMATION_SALT,
    SignOnLinkExpiredError,
    SignOnLinkInvalidError,
    signon_links,
)
from compact.signon.models import SignOnRequest, SignOnStep
from compact.signon.selectors import signon_conflicts
from compact.signon.workflow import APPLICANT, OCT, TRANSITIONS, State

User = get_user_model()


LETTER_MAX_BYTES = 5 * 1024 * 1024


# The fields of the public form, stored as typed. ``focal_email`` is set once: changing it
# would need a new confirmation, so an applicant who must change it writes to OCT.
FORM_FIELDS = (
    "organization_name",
    "acronym",
    "organization_kind",
    "head_name",
    "head_title",
    "focal_given_name",
    "focal_family_name",
    "focal_title",
    "focal_email",
    "focal_phone",
    "website",
    "mandate",
    "pillars",
    "requested_status",
)
EDITABLE_FIELDS = tuple(name for name in FORM_FIELDS if name != "focal_email")


# --- Links ----------------------------------------------------------------------------------


# --- Submission -------------------------------------------------------------------------------


def _clean_fields(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {name: fields[name] for name in FORM_FIELDS if name in fields}
    for name, value in cleaned.items():
        if isinstance(value, str):
            cleaned[name] = " ".join(value.split()) if name != "mandate" else value.strip()
    if "pillars" in cleaned:
        cleaned["pillars"] = [p for p in Pillar.values if p in set(cleaned["pillars"] or ())]
    return cleaned


def _check_letter(letter: UploadedFile | None) -> None:
    if letter is None:
        return
    try:
        pdf_check(letter, max_bytes=LETTER_MAX_BYTES)
    except ValidationError as error:
        raise ValidationError({"supporting_letter": error.messages}) from error


def _check_conflicts(request: SignOnRequest) -> None:
    errors, matched = signon_conflicts(
        acronym=request.acronym,
        name=request.organization_name,
        requested_status=request.requested_status,
        exclude_pk=request.pk,
    )
    if errors:
        raise ValidationError(errors)
    request.matched_entity = matched


@contextlib.contextmanager
def _letter_stored(request: SignOnRequest, letter: UploadedFile | None) -> Iterator[None]:
    """Write the letter to storage for the block that saves the request.

    Files are not part of the database transaction: if the block fails, the new file is
    deleted so nothing is left half-saved; a replaced letter is deleted only after the commit.
    """
    if letter is None:
        yield
        return
    old = request.supporting_letter.name if request.supporting_letter else ""
    request.supporting_letter_name = (letter.name or "letter.pdf")[-255:]
    request.supporting_letter.save("letter.pdf", letter, save=False)
    storage, new = request.supporting_letter.storage, request.supporting_letter.name
    try:
        yield
    except BaseException:
        storage.delete(new)
        raise
    if old:
        transaction.on_commit(lambda: storage.delete(old))


@transaction.atomic
def signon_submit(
    *,
    fields: dict[str, Any],
    working_groups: Iterable[Any],
    letter: UploadedFile | None,
    submitted_from: str | None,
    language: str,
) -> SignOnRequest:
    """Record a request from the public form and send the applicant the confirmation link.

    Raises ValidationError (by field) for a letter that is not a PDF of at most 5 MB, or an
    organisation that is already a party or already has a request under review.
    """
    _check_letter(letter)
    now = timezone.now()
    request = SignOnRequest(
        **_clean_fields(fields),
        declaration_accepted_at=now,
        language=language,
        submitted_at=now,
        state_changed_at=now,
        confirm_by=now + datetime.timedelta(days=CONFIRMATION_DAYS),
        access_key=secrets.token_urlsafe(32),
        submitted_from=submitted_from,
    )
    _check_conflicts(request)
    request.full_clean(exclude=["supporting_letter"])
    with _letter_stored(request, letter):
        request.save()
        request.working_groups.set(working_groups)
        _step(request, action="submit", from_state="", actor=None, message="")
        audit_record(
            actor=None,
            actor_label=APPLICANT,
            verb="signon.submitted",
            obj=request,
            after={"acronym": request.acronym, "name": request.organization_name, "state": request.state},
        )
        email_queue(
            occasion=f"signon:{request.pk}:confirm",
            recipients=[request.focal_email],
            template="signon-confirm",
            context={"request": request, "days": CONFIRMATION_DAYS, **signon_links(request)},
            language=request.language,
            category=EmailCategory.SIGNON,
            link="",  # the applicant's links carry their private access key
        )
    return request


# --- Moves ------------------------------------------------------------------------------------


def _step_label(actor: AbstractBaseUser | None) -> str:
    """Who took a step, as its row shows it: the officer's username, or the applicant (who has
    no account)."""
    return actor.get_username() if actor is not None else APPLICANT


def _step(
    request: SignOnRequest,
    *,
    action: str,
    from_state: str,
    actor: AbstractBaseUser | None,
    message: str,
    shared: bool = False,
) -> SignOnStep:
    return SignOnStep.objects.create(
        request=request,
        action=action,
        from_state=from_state,
        to_state=request.state,
        actor=actor,
        actor_label=_step_label(actor),
        message=message,
        shared_with_applicant=shared,
    )


def _oct_recipients(request: SignOnRequest, actor: AbstractBaseUser | None) -> list[str]:
    """The secretariat's shared mailbox, and the officer handling the request unless they are
    the one who acted (they know)."""
    recipients = [settings.OCT_SECRETARIAT_EMAIL]
    handler = request.handler
    if handler is not None and handler != actor and handler.email:
        recipients.append(handler.email)
    return recipients


def _check_message(transition: Transition, message: str) -> str:
    message = message.strip()
    if transition.message == "required" and not message:
        raise ValidationError({"message": _("Write a message for this step.")})
    if transition.message == "none" and message:
        raise ValidationError({"message": _("This step takes no message.")})
    return message


def _transition(
    request: SignOnRequest,
    action: str,
    *,
    by: str,
    actor: AbstractBaseUser | None,
    message: str = "",
    **changes: Any,
) -> SignOnStep:
    """Move ``request`` by ``action``: check the table, compare-and-swap the state, record the
    step and its audit row. ``changes`` are further columns written with the state."""
    move = Move.start(table=TRANSITIONS, obj=request, action=action, by=by, actor=actor, state_field="state")
    transition = move.transition
    message = _check_message(transition, message)
    now = timezone.now()
    if by == OCT and request.handler_id is None:
        changes.setdefault("handler", actor)  # whoever acts first on a request handles it
    move.swap(
        stale=_("This request was changed by someone else meanwhile; reload it and try again."),
        state_changed_at=now,
        **changes,
    )
    step, _event = move.record(
        actor=actor,
        actor_label=None if actor is not None else APPLICANT,
        verb=f"signon.{action}",
        step=SignOnStep,
        step_fields={
            "request": request,
            "actor_label": _step_label(actor),
            "message": message,
            "shared_with_applicant": transition.message_shared,
        },
        after={k: json_safe(v) for k, v in changes.items()},
        note=message if not transition.message_shared else "",
    )
    return step


def _notify(
    request: SignOnRequest,
    step: SignOnStep,
    *,
    actor: AbstractBaseUser | None,
    applicant_template: str | None = "signon-update",
    extra: dict[str, Any] | None = None,
) -> None:
    """The e-mails of a step: to the applicant (in their language) and to OCT."""
    transition = TRANSITIONS.get(step.action) if step.action in TRANSITIONS.actions() else None
    context = {"request": request, "step": step, "transition": transition, **signon_links(request), **(extra or {})}
    if applicant_template:
        email_queue(
            occasion=f"signon:{request.pk}:step:{step.pk}:applicant",
            recipients=[request.focal_email],
            template=applicant_template,
            context=context,
            language=request.language,
            category=EmailCategory.SIGNON,
            link="",  # the applicant's links carry their private access key
        )
    email_queue(
        occasion=f"signon:{request.pk}:step:{step.pk}:oct",
        recipients=_oct_recipients(request, actor),
        template="signon-oct-update",
        context=context,
        category=EmailCategory.SIGNON,
        link=context["review_url"],
    )


@transaction.atomic
def signon_email_confirm(*, token: str) -> SignOnRequest:
    """Confirm the applicant's address from the signed link; the request reaches OCT's queue.

    Following the link again later is harmless: the request is returned as it stands.
    """
    try:
        payload = signing.loads(token, salt=CONFIRMATION_SALT, max_age=datetime.timedelta(days=CONFIRMATION_DAYS))
    except signing.SignatureExpired as error:
        raise SignOnLinkExpiredError from error
    except signing.BadSignature as error:
        raise SignOnLinkInvalidError from error
    request = SignOnRequest.objects.filter(pk=payload.get("r")).first()
    if request is None or request.focal_email.lower() != payload.get("e"):
        raise SignOnLinkInvalidError
    if request.state != State.AWAITING_CONFIRMATION:
        return request
    _check_conflicts(request)
    try:
        with transaction.atomic():
            step = _transition(request, "confirm_email", by=APPLICANT, actor=None, email_confirmed_at=timezone.now())
    except IntegrityError as error:
        raise ValidationError(
            {"acronym": _("Another request for %(acronym)s is already under review.") % {"acronym": request.acronym}}
        ) from error
    _notify(request, step, actor=None)
    return request


def _require_oct(actor: AbstractBaseUser) -> None:
    if not is_oct(actor):
        raise PermissionDenied(_("Only the OCT secretariat decides on sign-on requests."))


@transaction.atomic
def signon_act(
    *,
    request: SignOnRequest,
    action: str,
    actor: AbstractBaseUser,
    message: str = "",
    status: str | None = None,
) -> SignOnRequest:
    """Take one of OCT's moves on a request: start consultation, record a note, request
    information, approve (as ``status``: member or observer) or decline.

    Raises PermissionDenied for anyone but OCT, TransitionNotAllowedError for a move the table
    does not allow from the current state, StaleStateError if someone else moved it first.
    """
    _require_oct(actor)
    TRANSITIONS.separation_check(TRANSITIONS.get(action), actor=actor, proposer=signon_applicant_among(request, actor))
    if action == "approve":
        return _approve(request=request, actor=actor, message=message, status=status)
    if status:
        raise ValidationError({"status": _("A status is chosen only when approving.")})
    step = _transition(request, action, by=OCT, actor=actor, message=message, **_decision_columns(action))
    # A consultation note is internal: OCT hears of it, the applicant does not.
    _notify(request, step, actor=actor, applicant_template=None if action == "add_note" else "signon-update")
    return request


def signon_applicant_among(request: SignOnRequest, actor: AbstractBaseUser) -> AbstractBaseUser | None:
    """``actor`` if they are the applicant (the request's focal point, by e-mail address): an
    OCT officer who asked for their own organisation's admission does not decide on it."""
    email = (getattr(actor, "email", "") or "").strip().casefold()
    return actor if email and email == request.focal_email.strip().casefold() else None


def _decision_columns(action: str) -> dict[str, Any]:
    return {"decided_at": timezone.now()} if action == "decline" else {}


def _approve(*, request: SignOnRequest, actor: AbstractBaseUser, message: str, status: str | None) -> SignOnRequest:
    if status not in SignOnRequest.RequestedStatus.values:
        raise ValidationError({"status": _("Choose whether the entity joins as a member or an observer.")})
    TRANSITIONS.find("approve", request.state, by=OCT)
    entity = _entity_for_approval(request, actor)
    membership_record(
        entity=entity,
        status=status,
        effective_from=timezone.localdate(),
        actor=actor,
        source_note=_("Admitted on sign-on request no. %(number)s.") % {"number": request.pk},
    )
    user, invited = _focal_user_for(request, entity, actor)
    focal_point_appoint(user=user, entity=entity, actor=actor)
    step = _transition(
        request,
        "approve",
        by=OCT,
        actor=actor,
        message=message,
        entity=entity,
        focal_user=user,
        decided_at=timezone.now(),
    )
    _notify(
        request,
        step,
        actor=actor,
        applicant_template="signon-approved",
        extra={"status_label": _status_label(status), "invited": invited},
    )
    if invited:
        _invite(request, user, occasion=f"signon:{request.pk}:invitation:{user.pk}")
    return request


@transaction.atomic
def signon_invitation_resend(*, request: SignOnRequest, actor: AbstractBaseUser) -> bool:
    """Send the focal point a fresh link to set their password (the first one expired or got
    lost). Returns False when they have already set one: they sign in or reset it instead."""
    _require_oct(actor)
    user = request.focal_user
    if request.state != State.APPROVED or user is None or user.has_usable_password():
        return False
    _invite(request, user, occasion=f"signon:{request.pk}:invitation:{user.pk}:{timezone.now().isoformat()}")
    audit_record(actor=actor, verb="signon.invitation_resent", obj=request, after={"user": user.pk})
    return True


@transaction.atomic
def signon_assign(*, request: SignOnRequest, handler: AbstractBaseUser | None, actor: AbstractBaseUser) -> bool:
    """Give a request to an OCT officer (or to nobody); returns whether the handler changed."""
    _require_oct(actor)
    if handler is not None and not is_oct(handler):
        raise ValidationError({"handler": _("Only an OCT officer can handle a sign-on request.")})
    current = SignOnRequest.objects.select_for_update().get(pk=request.pk)
    if current.handler_id == (handler.pk if handler else None):
        return False
    SignOnRequest.objects.filter(pk=request.pk).update(handler=handler)
    audit_record(
        actor=actor,
        verb="signon.assigned",
        obj=request,
        before={"handler": current.handler_id},
        after={"handler": handler.pk if handler else None},
    )
    request.refresh_from_db()
    return True


@transaction.atomic
def signon_applicant_update(
    *,
    request: SignOnRequest,
    fields: dict[str, Any],
    working_groups: Iterable[Any],
    letter: UploadedFile | None,
    message: str = "",
) -> SignOnRequest:
    """The applicant answers a request for information: the corrected request goes back to
    OCT's consultation, with their message."""
    TRANSITIONS.find("provide_information", request.state, by=APPLICANT)
    _check_letter(letter)
    current = SignOnRequest.objects.select_for_update().get(pk=request.pk)
    for name, value in _clean_fields({k: v for k, v in fields.items() if k in EDITABLE_FIELDS}).items():
        setattr(current, name, value)
    _check_conflicts(current)
    current.full_clean(exclude=["supporting_letter"])
    with _letter_stored(current, letter):
        try:
            with transaction.atomic():
                current.save(
                    update_fields=[*EDITABLE_FIELDS, "matched_entity", "supporting_letter", "supporting_letter_name"]
                )
        except IntegrityError as error:
            raise ValidationError(
                {
                    "acronym": _("Another request for %(acronym)s is already under review.")
                    % {"acronym": current.acronym}
                }
            ) from error
        current.working_groups.set(working_groups)
        step = _transition(current, "provide_information", by=APPLICANT, actor=None, message=message)
        _notify(current, step, actor=None)
    request.refresh_from_db()
    return request


@transaction.atomic
def signon_withdraw(*, request: SignOnRequest, message: str = "") -> SignOnRequest:
    """The applicant withdraws a request that is not decided yet."""
    step = _transition(request, "withdraw", by=APPLICANT, actor=None, message=message)
    _notify(request, step, actor=None)
    return request


@transaction.atomic
def signon_purge_expired(*, now: datetime.datetime | None = None) -> int:
    """Delete requests whose address was not confirmed in time, with their letters; returns
    how many. Only an audit row without personal data remains."""
    expired = SignOnRequest.objects.select_for_update(skip_locked=True).filter(
        state=State.AWAITING_CONFIRMATION, confirm_by__lt=now or timezone.now()
    )
    count = 0
    for request in expired:
        audit_record(
            actor=None,
            verb="signon.purged",
            obj=request,
            before={"acronym": request.acronym, "state": request.state},
            note=f"Unconfirmed for {CONFIRMATION_DAYS} days.",
        )
        if request.supporting_letter:
            storage, name = request.supporting_letter.storage, request.supporting_letter.name
            transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        request.delete()
        count += 1
    return count
