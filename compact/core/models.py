"""What every domain uses: people (the user model), the information classification, the audit log,
workflow step bases, heartbeats and the e-mail outbox."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from compact.core.categories import Delivery, EmailCategory
from compact.core.verbs import actor_words, verb_label, verb_sentence
from compact.lib.text import validate_name


class User(AbstractUser):
    """A person who signs in. What the Compact knows of them is on their ``Profile``.

    Our own user model from the start (Django's advice), so that usernames are unique whatever
    their case — "Amina" and "amina" are one person — as a database constraint.
    """

    # Django's own fields, with the check every name typed here gets (compact.lib.text).
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=[validate_name])
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=[validate_name])
    # The language pages, e-mails, digests and calendar feeds speak to this person in; blank
    # until they choose (or a sign-on request tells us), when the browser's language is used.
    language = models.CharField(
        _("language"),
        max_length=16,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language of your pages, e-mails, digests and calendar feed."),
    )
    # The IANA time zone every time on the pages is shown in; blank for the site's
    # (settings.TIME_ZONE). Checked by the service that saves it.
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)
    # How this person wants each category of e-mail (compact.core.categories: category →
    # delivery); a category missing here is e-mailed at once.
    notification_settings = models.JSONField(_("notification settings"), default=dict, blank=True)

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("username"), name="user_username_ci_unique")]


class Classification(models.TextChoices):
    """UN Secretariat information sensitivity levels (ST/SGB/2007/6), lowest first."""

    UNCLASSIFIED = "unclassified", _("Unclassified")
    CONFIDENTIAL = "confidential", _("Confidential")
    STRICTLY_CONFIDENTIAL = "strictly-confidential", _("Strictly confidential")

    @classmethod
    def rank(cls, level: str) -> int:
        return list(cls.values).index(level)

    @classmethod
    def highest(cls, levels: Iterable[object]) -> str:
        """The highest of ``levels`` (anything else is ignored); unclassified if none."""
        known = [str(level) for level in levels if level in cls.values]
        return max(known, key=cls.rank, default=cls.UNCLASSIFIED.value)


def is_marking(name: str) -> bool:
    """Whether a field (or an audit snapshot's key) of this name marks text with a
    classification: ``classification``, ``minutes_classification``, ``outcome_classification``…
    A person's ``clearance`` uses the same levels but marks nothing."""
    return name == "classification" or name.endswith("_classification")


def classification_fields(model: type[models.Model]) -> list[str]:
    """The fields of ``model`` that mark its content (a report's text, a meeting's minutes)."""
    return [field.name for field in model._meta.concrete_fields if is_marking(field.name)]


def object_marking(obj: object) -> str:
    """The highest marking ``obj`` carries (unclassified for anything that is not a marked row)."""
    if not isinstance(obj, models.Model):
        return Classification.UNCLASSIFIED
    return Classification.highest(getattr(obj, name) for name in classification_fields(type(obj)))


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise PermissionError("Audit events are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PermissionError("Audit events are append-only.")


class WriteOnce(models.Model):
    """A record that is written once and never changed or deleted through the ORM (an audit
    row, a submitted version). An integrity guard, not business logic."""

    write_once_message = "This record cannot be changed."

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise PermissionError(self.write_once_message)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PermissionError(self.write_once_message)


class StateStep(models.Model):
    """One move of a workflow object (a briefing, a review): the transition table's action, the
    states before and after, who made it, and the reason given. Subclasses add the foreign key
    to their object (``related_name="steps"``)."""

    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=16)
    to_state = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    message = models.TextField(_("reason"), blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]


class AuditEvent(WriteOnce):
    """Append-only record of a state change: who did what to which object, before and after.

    Written by services inside their own transaction (see ``compact.core.audit``), so a change and
    its audit row commit or roll back together.
    """

    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("actor"), max_length=150)
    verb = models.CharField(_("action"), max_length=64, db_index=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The highest marking of what the row describes (the object's markings when it was written,
    # and any marking in before/after): the row quotes that text, so only readers cleared for
    # it see the row — on /audit/, on object pages, in the admin.
    classification = models.CharField(
        _("classification"),
        max_length=32,
        choices=Classification.choices,
        default=Classification.UNCLASSIFIED,
        db_index=True,
    )

    objects = AuditEventQuerySet.as_manager()
    write_once_message = "Audit events are append-only."

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.verb} {self.object_repr}"

    @property
    def action_label(self) -> str:
        """What happened, in words and in the reader's language ("Focal point appointed")."""
        return verb_label(self.verb)

    @property
    def actor_name(self) -> str:
        """Who acted, as people know them: "Amal Haddad (UNOCT)" — the full name and, when
        their profile names one, the entity they work for; the username without a full name;
        "The system" or "The applicant" when no account acted. Lists that show many rows
        select ``actor__profile__entity`` with them."""
        if self.actor is None:
            return actor_words(self.actor_label)
        name = self.actor.get_full_name() or self.actor.get_username()
        # The profile lives in compact.registry (a layer above); read through the relation.
        entity = getattr(getattr(self.actor, "profile", None), "entity", None)
        acronym = getattr(entity, "acronym", "")
        return gettext("%(name)s (%(entity)s)") % {"name": name, "entity": acronym} if acronym else name

    @property
    def sentence(self) -> SafeString:
        """The row as one sentence (compact.core.verbs.verb_sentence), for lists of events."""
        return verb_sentence(self.verb, actor=self.actor_name, obj=self.object_repr)


class Heartbeat(models.Model):
    """Last time a background process (worker, beat) proved it was alive; one row each."""

    name = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"


class OutboundEmail(models.Model):
    """An e-mail the product owes someone, recorded in the transaction that caused it.

    One row per recipient and occasion (a database constraint), so an action retried or a
    task run twice never sends a second copy. A worker claims a row before sending it.
    """

    occasion = models.CharField(_("occasion"), max_length=150)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    created_at = models.DateTimeField(_("queued"), default=timezone.now, db_index=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # The highest marking of what the message is about: only those cleared for it read the
    # stored copy (the admin); the recipients were chosen by their clearance already.
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    # Files sent with the message (an invitation's .ics): a list of {"filename",
    # "content_type", "content"} with text content as is and binary content in base64
    # ("encoding": "base64"); see ``compact.core.outbox.EmailAttachment``.
    attachments = models.JSONField(_("attachments"), default=list, blank=True)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["occasion", "recipient"], name="outboundemail_once_per_occasion"),
        ]
        indexes = [
            models.Index(fields=["sent_at", "attempts"], name="outboundemail_pending_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.occasion} → {self.recipient}"


class Notification(models.Model):
    """One thing the product told a person, listed in the app whether or not it was e-mailed.

    Written by ``email_queue`` in the transaction of the change, for each recipient who has an
    active account, once per occasion (a database constraint, like ``OutboundEmail``). The
    title is the e-mail's subject in the person's language; ``link`` is the site path the
    e-mail pointed to. ``delivery`` records how the e-mail went (at once, in the digest, not
    at all); ``digested_at`` when the daily digest included it.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    category = models.CharField(_("category"), max_length=32, choices=EmailCategory.choices)
    occasion = models.CharField(_("occasion"), max_length=150)
    title = models.CharField(_("title"), max_length=255)
    link = models.CharField(_("link"), max_length=500, blank=True)
    delivery = models.CharField(_("e-mail"), max_length=16, choices=Delivery.choices, default=Delivery.IMMEDIATELY)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    digested_at = models.DateTimeField(_("digested"), null=True, blank=True)
    # The marking of the e-mail it stands for: a person whose clearance has since dropped
    # below it sees that something was there, never its title.
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "occasion"], name="notification_once_per_occasion"),
        ]
        indexes = [
            models.Index(
                fields=["recipient"], condition=models.Q(read_at__isnull=True), name="notification_unread_idx"
            ),
            models.Index(
                fields=["recipient"],
                condition=models.Q(delivery="daily-digest", digested_at__isnull=True),
                name="notification_undigested_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.occasion} → {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
