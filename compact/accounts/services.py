"""Guarding the front door: sign-in lockouts and password resets that tell nothing.

Lockouts are django-axes' (``AccessAttempt`` rows, counted per account and address); these
services write what OCT must know about them to the audit trail and lift one when OCT asks.
A password reset is recorded in the request and handled by the worker, so that an address
with an account and one without cost the same work (see ``PasswordResetRequest``).
"""

from __future__ import annotations

import unicodedata
from typing import Any

from axes.utils import reset as axes_reset
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from compact.accounts.models import PasswordResetRequest
from compact.core.audit import audit_record
from compact.core.categories import UNLISTED_CATEGORIES, Delivery, EmailCategory, is_required
from compact.core.models import AuditEvent
from compact.core.permissions import is_oct
from compact.core.timezones import is_time_zone
from compact.lib.languages import supported_language
from compact.lib.publish import task_publish
from compact.registry.services import password_reset_email_queue
from config.celery import app

User = get_user_model()

LOCKOUT_VERB = "security.lockout"
LOCKOUT_CLEARED_VERB = "security.lockout_cleared"
PASSWORD_RESET_TASK = "compact.tasks.password_reset_send"


def _account(username: str | None) -> AbstractBaseUser | None:
    if not username:
        return None
    return User.objects.filter(username__iexact=username).first()


def _lockout_facts(username: str | None, ip_address: str | None) -> dict[str, str | None]:
    # The username is kept only when it names an account: people type their password into
    # the username box, and the audit trail must never hold a password.
    account = _account(username)
    return {"account": account.get_username() if account else None, "ip_address": ip_address}


@transaction.atomic
def lockout_record(
    *, username: str | None, ip_address: str | None, failures: int, channel: str, page: str = ""
) -> AuditEvent:
    """Write the audit row for a lockout that has just begun (``channel``: "sign-in" for the
    sign-in pages and the password change, "api" for API tokens; ``page``: the path that was
    guessed at). No password is recorded."""
    return audit_record(
        actor=None,
        verb=LOCKOUT_VERB,
        obj=_account(username),
        after={**_lockout_facts(username, ip_address), "failures": failures, "channel": channel, "page": page[:200]},
    )


@transaction.atomic
def lockout_clear(*, username: str | None, ip_address: str | None, actor: AbstractBaseUser) -> int:
    """OCT lifts the lockout of one account at one address before its cool-off ends; returns
    how many failure records were removed (0 if it had ended meanwhile: nothing is audited)."""
    if not is_oct(actor):
        raise PermissionDenied(_("Only the OCT secretariat lifts lockouts."))
    if not username and not ip_address:
        return 0
    cleared = axes_reset(ip=ip_address or None, username=username or None)
    if cleared:
        audit_record(
            actor=actor,
            verb=LOCKOUT_CLEARED_VERB,
            obj=_account(username),
            after={**_lockout_facts(username, ip_address), "records_cleared": cleared},
        )
    return cleared


# --- Password resets ---------------------------------------------------------------------------


@transaction.atomic
def password_reset_request(*, email: str) -> PasswordResetRequest:
    """Record that a reset link was asked for ``email`` and hand it to the worker after the
    commit. The same work whether or not an account has the address: nothing is looked up."""
    reset = PasswordResetRequest.objects.create(email=email.strip())
    transaction.on_commit(lambda: _enqueue_send(reset.pk))
    return reset


def _enqueue_send(reset_id: int) -> None:
    """Hand the reset to the worker; if the broker is down, the minute sweep handles it."""
    task = app.signature(PASSWORD_RESET_TASK)
    task_publish(task, reset_id, what=f"password reset {reset_id}", fallback="the sweep will handle it")


def _same_address(typed: str, stored: str) -> bool:
    def fold(value: str) -> str:
        return unicodedata.normalize("NFKC", value).casefold()

    return fold(typed) == fold(stored)


def password_reset_recipients(email: str) -> list[AbstractBaseUser]:
    """Who gets a link for ``email``: active accounts with that address and a password (Django's
    ``PasswordResetForm.get_users`` rule; an invited person without one gets a new invitation)."""
    candidates = User.objects.filter(email__iexact=email, is_active=True).order_by("pk")
    return [user for user in candidates if user.has_usable_password() and _same_address(email, user.email)]


def _reset_context(user: AbstractBaseUser) -> dict[str, str]:
    return {
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }


@transaction.atomic
def password_reset_send(*, reset_id: int) -> int:
    """The worker's half: queue a reset e-mail through the outbox to each account with the
    address, and forget the address. Idempotent: the row is locked and deleted in the same
    transaction, so a task delivered twice (or racing the sweep) sends once. Returns the
    number of e-mails queued."""
    reset = PasswordResetRequest.objects.select_for_update(skip_locked=True).filter(pk=reset_id).first()
    if reset is None:
        return 0
    recipients = password_reset_recipients(reset.email)
    for user in recipients:
        password_reset_email_queue(user=user, context=_reset_context(user))
    reset.delete()
    return len(recipients)


def password_resets_send_pending(*, limit: int = 200) -> int:
    """Sweep: handle the resets the broker never delivered; returns the e-mails queued."""
    pending = PasswordResetRequest.objects.order_by("requested_at", "id").values_list("pk", flat=True)[:limit]
    return sum(password_reset_send(reset_id=pk) for pk in list(pending))


@transaction.atomic
def user_language_set(*, user: AbstractBaseUser, language: str) -> bool:
    """Record the language ``user`` reads the site, e-mails, digests and feeds in ("" for the
    browser's); returns whether it changed."""
    code = supported_language(language) if language else ""
    if code is None:
        raise ValidationError({"language": _("Choose one of the six official languages of the United Nations.")})
    return _person_field_set(user=user, field="language", value=code, verb="person.language_set")


def _person_field_set(*, user: AbstractBaseUser, field: str, value: Any, verb: str) -> bool:
    """Set one of ``user``'s own settings under a row lock, audited as ``verb``; returns whether
    it changed (an unchanged value writes nothing, not even an audit row)."""
    person = User.objects.select_for_update().get(pk=user.pk)
    before = getattr(person, field)
    if before == value:
        return False
    User.objects.filter(pk=person.pk).update(**{field: value})
    setattr(person, field, value)
    setattr(user, field, value)
    audit_record(actor=person, verb=verb, obj=person, before={field: before}, after={field: value})
    return True


@transaction.atomic
def user_notification_settings_set(*, user: AbstractBaseUser, choices: dict[str, str]) -> bool:
    """Record how ``user`` wants each category of e-mail (category → ``Delivery``); returns
    whether anything changed. A category the Compact requires cannot be chosen for, and a
    category or delivery that does not exist is refused: nothing is saved then."""
    errors = _notification_choice_errors(choices)
    if errors:
        raise ValidationError(errors)
    before = dict(User.objects.select_for_update().get(pk=user.pk).notification_settings or {})
    after = {**before, **{str(category): str(delivery) for category, delivery in choices.items()}}
    return _person_field_set(
        user=user, field="notification_settings", value=after, verb="person.notification_settings_set"
    )


def _notification_choice_errors(choices: dict[str, str]) -> list[str]:
    labels = dict(EmailCategory.choices)
    errors = []
    for category, delivery in choices.items():
        if category not in labels or category in UNLISTED_CATEGORIES:
            errors.append(_("“%(category)s” is not a kind of e-mail.") % {"category": category})
        elif is_required(category):
            errors.append(
                _("E-mails about “%(category)s” are required by the Compact and always sent at once.")
                % {"category": labels[category]}
            )
        elif delivery not in Delivery.values:
            errors.append(
                _("Choose at once, a daily digest or no e-mail for “%(category)s”.") % {"category": labels[category]}
            )
    return errors


@transaction.atomic
def user_time_zone_set(*, user: AbstractBaseUser, time_zone: str) -> bool:
    """Record the IANA time zone ``user`` reads times in ("" for the site's); returns whether
    it changed."""
    zone = (time_zone or "").strip()
    if zone and not is_time_zone(zone):
        raise ValidationError({"time_zone": _("Choose a time zone from the list, such as Europe/Vienna.")})
    return _person_field_set(user=user, field="time_zone", value=zone, verb="person.time_zone_set")
