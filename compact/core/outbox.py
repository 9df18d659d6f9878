"""Outgoing e-mail, exactly once.

A service that owes someone an e-mail calls ``email_queue`` inside its transaction: the
message is rendered and stored as an ``OutboundEmail`` row, unique per occasion and
recipient, and handed to a worker only after the commit. The worker claims the row before
sending, so two workers (or a task delivered twice) never send it twice; a minute-by-minute
sweep sends whatever the broker could not take.
"""

from __future__ import annotations

import base64
import datetime
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email import encoders
from email.mime.base import MIMEBase
from email.mime.text import MIMEText
from email.utils import collapse_rfc2231_value
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from compact.core.bulk import rows_insert_new
from compact.core.categories import UNLISTED_CATEGORIES, Delivery, delivery_of
from compact.core.models import Classification, Notification, OutboundEmail, User, object_marking
from compact.lib.emails import RenderedEmail, email_render
from compact.lib.languages import supported_language
from compact.lib.publish import task_publish
from config.celery import app

logger = logging.getLogger(__name__)

CLAIM_FOR = datetime.timedelta(minutes=5)
BATCH_SEND_SECONDS = 60  # half a task's default soft time limit (CELERY_TASK_SOFT_TIME_LIMIT)
MAX_ATTEMPTS = 8
LINK_MAX_LENGTH = 500  # Notification.link

# Queued by name, so that the outbox does not import the tasks that call it.
EMAIL_SEND_TASK = "compact.tasks.email_send"
EMAILS_SEND_TASK = "compact.tasks.emails_send"


def _retry_delay(attempts: int) -> datetime.timedelta:
    # 1, 2, 4 … minutes, at most an hour: a mail server down for a while is not hammered.
    return datetime.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


@dataclass(frozen=True)
class EmailAttachment:
    """A file sent with an e-mail. ``content_type`` may carry parameters
    ("text/calendar; method=REQUEST"); text content goes as UTF-8, bytes as base64."""

    filename: str
    content: str | bytes
    content_type: str

    def stored(self) -> dict[str, str]:
        if isinstance(self.content, bytes):
            encoded = base64.b64encode(self.content).decode("ascii")
            return {**self._names(), "content": encoded, "encoding": "base64"}
        return {**self._names(), "content": self.content}

    def _names(self) -> dict[str, str]:
        return {"filename": self.filename, "content_type": self.content_type}


@dataclass(frozen=True)
class OutgoingMessage:
    """One e-mail owed to ``recipients`` for ``occasion``: what ``email_queue`` takes, as a
    value, so that ``emails_queue_many`` can take many (see ``email_queue`` for each field)."""

    occasion: str
    recipients: Sequence[str]
    template: str
    context: dict[str, Any]
    language: str | None = None
    classification: str | None = None
    category: str | None = None
    link: str | None = None
    attachments: Sequence[EmailAttachment] = ()


def email_queue(
    *,
    occasion: str,
    recipients: Iterable[str],
    template: str,
    context: dict[str, Any],
    language: str | None = None,
    classification: str | None = None,
    category: str | None = None,
    link: str | None = None,
    attachments: Sequence[EmailAttachment] = (),
) -> list[OutboundEmail]:
    """Record an e-mail to each of ``recipients`` for ``occasion`` and send it after commit.

    Each person is written to in their own language: the one their account chose, else
    ``language`` (the one they wrote to us in, e.g. a sign-on request's), else the site's.
    A recipient who already has a row for this occasion is skipped: queuing twice is a no-op.
    Must run inside the caller's transaction, so the e-mail exists only if the change does.
    The stored copy is marked with the highest of ``classification`` and the markings of the
    records in ``context`` (a report, a meeting) it may quote. ``attachments`` go to every
    recipient alike (they are not rendered per language).

    ``category`` (``compact.core.categories.EmailCategory``) says what the e-mail is about:
    each recipient with an active account gets an in-app ``Notification`` for it, titled with
    the subject and pointing to ``link`` (by default the context's ``url``), and is e-mailed
    as they chose for the category — at once, in their daily digest, or not at all; required
    categories are e-mailed at once whatever they chose.
    """
    message = OutgoingMessage(
        occasion=occasion,
        recipients=list(recipients),
        template=template,
        context=context,
        language=language,
        classification=classification,
        category=category,
        link=link,
        attachments=attachments,
    )
    queued = _emails_store([message])
    for email in queued:
        transaction.on_commit(lambda pk=email.pk: _enqueue_send(pk))
    return queued


def emails_queue_many(*, messages: Sequence[OutgoingMessage]) -> list[OutboundEmail]:
    """``email_queue`` for many occasions at once, with every rule it applies (languages,
    markings, notifications, delivery choices, one row per occasion and recipient), in a fixed
    number of queries whatever the number of messages, and ONE task after commit that sends
    them all (what the broker does not take, the minute sweep sends). For a batch job (the
    scheduler's reminders) that would otherwise spend queries and a publish per e-mail."""
    queued = _emails_store(messages)
    if queued:
        ids = [email.pk for email in queued]
        transaction.on_commit(lambda: _enqueue_send_many(ids))
    return queued


@dataclass
class _Addressee:
    """One recipient of one message, on its way to an in-app notification and an e-mail."""

    message: OutgoingMessage
    address: str
    rendered: RenderedEmail
    marking: str
    person: User | None
    notification: Notification | None = None
    how: str = Delivery.IMMEDIATELY


def _emails_store(messages: Sequence[OutgoingMessage]) -> list[OutboundEmail]:
    """Store the notifications and e-mails of ``messages`` (see ``email_queue``); return the
    e-mails stored. Rows that exist already (this occasion, this recipient) are skipped, in
    the database too: a concurrent transaction that stored one first wins, silently."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("email_queue() must be called inside the service's transaction.")
    recipients = [_addresses(message.recipients) for message in messages]
    everyone = list(dict.fromkeys(address for addresses in recipients for address in addresses))
    chosen = _chosen_languages(everyone)
    people = notified_people(everyone)
    done = _queued_already({message.occasion for message in messages})
    deliveries: list[_Addressee] = []
    for message, addresses in zip(messages, recipients, strict=True):
        deliveries.extend(_deliveries_of(message, addresses, chosen, people, done))
    _notifications_record(deliveries)
    emails = [_outbound_email(delivery) for delivery in deliveries if _emailed_now(delivery)]
    return rows_insert_new(emails, identity=["occasion", "recipient"])


def _addresses(recipients: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(r.strip() for r in recipients if r and r.strip()))


def _queued_already(occasions: set[str]) -> set[tuple[str, str]]:
    """(occasion, address in lower case) of the e-mails already queued for ``occasions``."""
    rows = (
        OutboundEmail.objects.filter(occasion__in=occasions)
        .annotate(address=Lower("recipient"))
        .values_list("occasion", "address")
    )
    return set(rows)


def _deliveries_of(
    message: OutgoingMessage,
    addresses: list[str],
    chosen: dict[str, str],
    people: dict[str, User],
    done: set[tuple[str, str]],
) -> list[_Addressee]:
    """The recipients of ``message`` who have no e-mail for its occasion yet (``done`` grows
    as they are taken), each with the message rendered once per language."""
    fallback = supported_language(message.language) or settings.LANGUAGE_CODE
    marking = Classification.highest(
        [message.classification, *(object_marking(value) for value in message.context.values())]
    )
    rendered: dict[str, RenderedEmail] = {}
    deliveries = []
    for address in addresses:
        lowered = address.lower()
        if (message.occasion, lowered) in done:
            continue
        done.add((message.occasion, lowered))
        language = chosen.get(lowered, fallback)
        if language not in rendered:
            rendered[language] = email_render(message.template, message.context, language=language)
        deliveries.append(_Addressee(message, address, rendered[language], marking, people.get(lowered)))
    return deliveries


def _notifications_record(deliveries: list[_Addressee]) -> None:
    """Record the in-app notification of each delivery to a person (in one statement), and
    say how its e-mail goes; a notification recorded before means the e-mail was handled then."""
    for delivery in deliveries:
        if delivery.person is not None:
            delivery.how = delivery_of(delivery.person.notification_settings, delivery.message.category)
            if delivery.message.category not in UNLISTED_CATEGORIES:
                delivery.notification = _notification(delivery)
    notifications = [delivery.notification for delivery in deliveries if delivery.notification is not None]
    recorded = {id(row) for row in rows_insert_new(notifications, identity=["recipient", "occasion"])}
    for delivery in deliveries:
        if delivery.notification is not None and id(delivery.notification) not in recorded:
            delivery.how = ""  # recorded before: not e-mailed again


def _notification(delivery: _Addressee) -> Notification:
    message = delivery.message
    return Notification(
        recipient=delivery.person,
        category=message.category or "",
        occasion=message.occasion,
        title=delivery.rendered.subject,
        link=site_path(message.context.get("url", "") if message.link is None else message.link),
        delivery=delivery.how,
        classification=delivery.marking,
    )


def _emailed_now(delivery: _Addressee) -> bool:
    return delivery.how == Delivery.IMMEDIATELY


def _outbound_email(delivery: _Addressee) -> OutboundEmail:
    return OutboundEmail(
        occasion=delivery.message.occasion,
        recipient=delivery.address,
        subject=delivery.rendered.subject,
        body_text=delivery.rendered.text,
        body_html=delivery.rendered.html,
        classification=delivery.marking,
        attachments=[attachment.stored() for attachment in delivery.message.attachments],
    )


def notified_people(addresses: Iterable[str]) -> dict[str, User]:
    """The active account of each address that has one (keyed by the address in lower case;
    the oldest if several share it): they get an in-app notification."""
    lowered = [address.lower() for address in addresses]
    people: dict[str, User] = {}
    accounts = User.objects.annotate(address=Lower("email")).filter(address__in=lowered, is_active=True).order_by("pk")
    for person in accounts:
        people.setdefault(person.address, person)
    return people


def site_path(link: str) -> str:
    """The path (with query and fragment) of a link to this site, "" for anything else (or
    anything too long to keep whole): a notification only ever leads to a page of the site."""
    link = (link or "").strip()
    site = settings.SITE_URL.rstrip("/")
    if link.startswith(site + "/"):
        link = link[len(site) :]
    return link if is_site_path(link) and len(link) <= LINK_MAX_LENGTH else ""


def is_site_path(link: str) -> bool:
    """Whether ``link`` is a path on this site ("/reporting/1/"), not a URL elsewhere
    ("//evil.example", "https://…", "/\\evil.example")."""
    return (
        link.startswith("/")
        and not link.startswith(("//", "/\\"))
        and url_has_allowed_host_and_scheme(link, allowed_hosts=None)
        and not any(ord(char) < 32 for char in link)
    )


def recipient_languages(addresses: Iterable[str], *, fallback: str | None = None) -> dict[str, str]:
    """The language to write to each address in (keyed by the address in lower case): the
    language chosen by the account with that address (an active one first), else ``fallback``,
    else the site's."""
    default = supported_language(fallback) or settings.LANGUAGE_CODE
    lowered = [address.lower() for address in addresses]
    return {**dict.fromkeys(lowered, default), **_chosen_languages(lowered)}


def _chosen_languages(addresses: Iterable[str]) -> dict[str, str]:
    """The language chosen by the account of each address that has chosen one (keyed by the
    address in lower case; an active account's choice first, then the oldest's)."""
    chosen = (
        User.objects.annotate(address=Lower("email"))
        .filter(address__in=[address.lower() for address in addresses])
        .exclude(language="")
        .order_by("-is_active", "pk")
        .values_list("address", "language")
    )
    languages: dict[str, str] = {}
    for address, code in chosen:
        language = supported_language(code)
        if address not in languages and language:
            languages[address] = language
    return languages


def _enqueue_send(email_id: int) -> None:
    """Hand one e-mail to the worker. A broker that is down must not fail the web request nor
    hold it (``task_publish`` tries once, briefly, and not at all while the broker is known to
    be down): the row stays unsent and the next sweep sends it."""
    task_publish(app.signature(EMAIL_SEND_TASK), email_id, what=f"e-mail {email_id}", fallback="the sweep will send it")


def _enqueue_send_many(email_ids: list[int]) -> None:
    """Hand a batch of e-mails to one worker task, as ``_enqueue_send`` hands one."""
    task_publish(
        app.signature(EMAILS_SEND_TASK),
        email_ids,
        what=f"{len(email_ids)} e-mails",
        fallback="the sweep will send them",
    )


def _claim(email_id: int) -> bool:
    now = timezone.now()
    return bool(
        OutboundEmail.objects.filter(pk=email_id, sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=now + CLAIM_FOR, attempts=F("attempts") + 1)
    )


def email_send_one(*, email_id: int) -> bool:
    """Send one queued e-mail if nobody has sent or claimed it; returns whether it was sent."""
    if not _claim(email_id):
        return False
    email = OutboundEmail.objects.get(pk=email_id)
    message = EmailMultiAlternatives(
        subject=email.subject,
        body=email.body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.recipient],
        headers={"Auto-Submitted": "auto-generated"},
    )
    if email.body_html:
        message.attach_alternative(email.body_html, "text/html")
    for stored in email.attachments:
        message.attach(_mime_attachment(stored))
    try:
        message.send()
    except Exception as error:
        logger.warning("Sending e-mail %s failed (attempt %s): %s", email.pk, email.attempts, error)
        OutboundEmail.objects.filter(pk=email.pk).update(
            claimed_until=timezone.now() + _retry_delay(email.attempts), last_error=str(error)[:2000]
        )
        return False
    OutboundEmail.objects.filter(pk=email.pk).update(sent_at=timezone.now(), claimed_until=None, last_error="")
    return True


def _mime_attachment(stored: dict[str, str]) -> MIMEBase:
    """The MIME part of a stored attachment, its content type's parameters kept (a calendar
    client needs ``method=REQUEST`` on the part to offer to accept the invitation)."""
    main, _slash, rest = stored["content_type"].partition("/")
    subtype, *parameters = (piece.strip() for piece in rest.split(";"))
    if stored.get("encoding") == "base64":
        part = MIMEBase(main, subtype)
        part.set_payload(base64.b64decode(stored["content"]))
        encoders.encode_base64(part)
    elif main == "text":
        part = MIMEText(stored["content"], subtype, "utf-8")
    else:
        part = MIMEBase(main, subtype)
        part.set_payload(stored["content"].encode())
        encoders.encode_base64(part)
    for parameter in parameters:
        name, _equals, value = parameter.partition("=")
        part.set_param(name.strip(), collapse_rfc2231_value(value.strip().strip('"')))
    part.add_header("Content-Disposition", "attachment", filename=stored["filename"])
    return part


def emails_send_listed(*, email_ids: Sequence[int]) -> int:
    """Send the listed e-mails that nobody has sent or claimed (a batch queued together);
    returns how many were sent. Stops after ``BATCH_SEND_SECONDS`` (a slow mail server) and
    leaves the rest to the minute sweep, rather than being killed by the task's time limit in
    the middle of a send."""
    deadline = time.monotonic() + BATCH_SEND_SECONDS
    sent = 0
    for email_id in email_ids:
        if time.monotonic() > deadline:
            logger.info("Sending a batch of e-mails took too long; the sweep sends the rest.")
            break
        sent += email_send_one(email_id=email_id)
    return sent


def emails_send_pending(*, limit: int = 200) -> int:
    """Send the e-mails still owed (the broker was down, a send failed); returns how many."""
    now = timezone.now()
    pending = (
        OutboundEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at", "id")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(email_send_one(email_id=pk) for pk in list(pending))
