"""The Compact registry: entities, their membership history, people, and the audit trail."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.lib.text import validate_free_text, validate_name


class User(AbstractUser):
    """A person who signs in. What the Compact knows of them is on their ``Profile``.

    Our own user model from the start (Django's advice), so that usernames are unique whatever
    their case — "Amina" and "amina" are one person — as a database constraint.
    """

    # Django's own fields, with the check every name typed here gets (compact.lib.text).
    first_name = models.CharField(_("first name"), max_length=150, blank=True, validators=[validate_name])
    last_name = models.CharField(_("last name"), max_length=150, blank=True, validators=[validate_name])

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("username"), name="user_username_ci_unique")]


class Evidence(models.TextChoices):
    """How sure we are of a fact in the registry (shown to users next to the fact)."""

    SEED = "seed", _("Stated in the 2018 report (A/72/840)")
    PUBLIC = "public", _("Stated on a public page")
    UNVERIFIED = "unverified", _("Unverified")
    SECRETARIAT = "secretariat", _("Recorded by the secretariat")
    DEMO = "demo", _("Demonstration data")


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


class Pillar(models.TextChoices):
    """The four pillars of the UN Global Counter-Terrorism Strategy (A/RES/60/288)."""

    CONDITIONS = "I", _("I. Addressing the conditions conducive to the spread of terrorism")
    PREVENTING = "II", _("II. Preventing and combating terrorism")
    CAPACITY = "III", _("III. Building States' capacity and strengthening the role of the UN")
    HUMAN_RIGHTS = "IV", _("IV. Human rights and the rule of law")


class Entity(models.Model):
    """A UN or partner organisation that is, was, or asks to be party to the Compact."""

    class Kind(models.TextChoices):
        SECRETARIAT = "secretariat", _("Secretariat department or office")
        FUND_PROGRAMME = "fund-programme", _("Fund or programme")
        SPECIALIZED_AGENCY = "specialized-agency", _("Specialized agency")
        RELATED_ORGANIZATION = "related-organization", _("Related organization")
        NON_UN = "non-un", _("Non-UN organization")
        SPECIAL_PROCEDURE = "special-procedure", _("Special procedure")

    acronym = models.CharField(_("acronym"), max_length=32, validators=[validate_name])
    name = models.CharField(_("full name"), max_length=255, validators=[validate_name])
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    website = models.URLField(_("website"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)
    note = models.TextField(_("note"), blank=True, validators=[validate_free_text])
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("entity")
        verbose_name_plural = _("entities")
        ordering = ["acronym"]
        constraints = [
            models.UniqueConstraint(Lower("acronym"), name="entity_acronym_ci_unique"),
            models.CheckConstraint(condition=~models.Q(acronym=""), name="entity_acronym_not_empty"),
        ]
        permissions = [("manage_entity_profile", _("Can manage the entity's profile and focal points"))]

    def __str__(self) -> str:
        return self.acronym

    @property
    def is_unverified(self) -> bool:
        return self.evidence == Evidence.UNVERIFIED


class EntityAlias(models.Model):
    """Another name an entity is known by, so imports and forms resolve it."""

    class Kind(models.TextChoices):
        FORMER_NAME = "former-name", _("Former name")
        UNIT = "unit", _("Unit or office of the entity")
        ALIAS = "alias", _("Other name or spelling")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.ALIAS)
    used_until = models.DateField(
        _("used until"), null=True, blank=True, help_text=_("Last day a former name was in use.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True, validators=[validate_free_text])

    class Meta:
        verbose_name = _("entity alias")
        verbose_name_plural = _("entity aliases")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="entityalias_name_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.entity.acronym}"


class Membership(models.Model):
    """One entry in an entity's membership history; the latest entry in force is its status."""

    class Status(models.TextChoices):
        APPLICANT = "applicant", _("Applicant")
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    effective_from = models.DateField(_("effective from"))
    signed_on = models.DateField(_("Compact signed on"), null=True, blank=True)
    evidence = models.CharField(_("evidence"), max_length=16, choices=Evidence.choices, default=Evidence.SECRETARIAT)
    source_note = models.TextField(_("source or evidence note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("membership entry")
        verbose_name_plural = _("membership history")
        ordering = ["entity", "effective_from", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "effective_from"], name="membership_one_entry_per_entity_per_day"
            ),
            models.CheckConstraint(
                condition=models.Q(signed_on__isnull=True) | models.Q(status__in=["member", "observer"]),
                name="membership_signature_only_for_parties",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.entity.acronym}: {self.get_status_display()} from {self.effective_from}"


PARTY_STATUSES = (Membership.Status.MEMBER, Membership.Status.OBSERVER)


class Profile(models.Model):
    """What the Compact knows of a user: the entity they work for, their title, clearance."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="people")
    title = models.CharField(_("title"), max_length=255, blank=True, validators=[validate_name])
    clearance = models.CharField(
        _("clearance"),
        max_length=32,
        choices=Classification.choices,
        default=Classification.UNCLASSIFIED,
        help_text=_("Highest information classification this person may read."),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"{self.user.get_full_name() or self.user.get_username()}"


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

    Written by services inside their own transaction (see ``compact.audit``), so a change and
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


class Heartbeat(models.Model):
    """Last time a background process (worker, beat) proved it was alive; one row each."""

    name = models.CharField(max_length=64, unique=True)
    seen_at = models.DateTimeField()

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.seen_at:%Y-%m-%d %H:%M:%S}"
