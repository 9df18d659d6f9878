"""Sign-on requests from entities and their steps (Annex III, II.8)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.lib.text import validate_free_text, validate_name
from compact.registry.models import Entity, Pillar


def _signon_letter_path(instance: SignOnRequest, filename: str) -> str:
    # Never the applicant's file name on disk: it is shown, not trusted.
    return f"signon/letters/{uuid.uuid4().hex}.pdf"


class SignOnRequest(models.Model):
    """An entity's request to join the Compact, from the public form to OCT's decision.

    The state moves only through ``compact.signon.services`` (see its ``TRANSITIONS`` table);
    each move writes a ``SignOnStep`` and an audit row.
    """

    class State(models.TextChoices):
        AWAITING_CONFIRMATION = "awaiting-confirmation", _("Awaiting e-mail confirmation")
        NEW = "new", _("New")
        IN_CONSULTATION = "in-consultation", _("In consultation")
        INFORMATION_REQUESTED = "information-requested", _("More information requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class RequestedStatus(models.TextChoices):
        MEMBER = "member", _("Member")
        OBSERVER = "observer", _("Observer")

    # States in which a request reached OCT and awaits a decision: one per acronym at a time.
    UNDER_REVIEW = (State.NEW, State.IN_CONSULTATION, State.INFORMATION_REQUESTED)
    OPEN = (State.AWAITING_CONFIRMATION, *UNDER_REVIEW)

    organization_name = models.CharField(_("name of the organization"), max_length=255, validators=[validate_name])
    acronym = models.CharField(_("acronym"), max_length=32, validators=[validate_name])
    organization_kind = models.CharField(_("kind of organization"), max_length=32, choices=Entity.Kind.choices)
    head_name = models.CharField(_("head of entity: name"), max_length=150, validators=[validate_name])
    head_title = models.CharField(_("head of entity: title"), max_length=255, validators=[validate_name])
    focal_given_name = models.CharField(_("focal point: given name"), max_length=150, validators=[validate_name])
    focal_family_name = models.CharField(_("focal point: family name"), max_length=150, validators=[validate_name])
    focal_title = models.CharField(_("focal point: title"), max_length=255, validators=[validate_name])
    focal_email = models.EmailField(_("focal point: e-mail"))
    focal_phone = models.CharField(_("focal point: telephone"), max_length=32)
    website = models.URLField(_("website"))
    mandate = models.TextField(_("mandate and relevance to the Strategy"), validators=[validate_free_text])
    pillars = models.JSONField(_("pillars of the Strategy"), default=list)
    working_groups = models.ManyToManyField(
        "workinggroups.WorkingGroup", blank=True, related_name="+", verbose_name=_("working groups of interest")
    )
    requested_status = models.CharField(_("requested status"), max_length=16, choices=RequestedStatus.choices)
    supporting_letter = models.FileField(
        _("supporting letter"), upload_to=_signon_letter_path, blank=True, max_length=255
    )
    supporting_letter_name = models.CharField(_("supporting letter: file name"), max_length=255, blank=True)
    declaration_accepted_at = models.DateTimeField(_("declaration accepted"))
    language = models.CharField(_("language"), max_length=16, default="en")

    state = models.CharField(_("state"), max_length=32, choices=State.choices, default=State.AWAITING_CONFIRMATION)
    state_changed_at = models.DateTimeField(_("state changed"), default=timezone.now)
    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now, db_index=True)
    confirm_by = models.DateTimeField(_("confirm e-mail by"))
    email_confirmed_at = models.DateTimeField(_("e-mail confirmed"), null=True, blank=True)
    access_key = models.CharField(max_length=64, unique=True, editable=False)
    submitted_from = models.GenericIPAddressField(_("submitted from"), null=True, blank=True)
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("handled by"),
    )
    matched_entity = models.ForeignKey(
        Entity,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("matches registered entity"),
    )
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, null=True, blank=True, related_name="signon_requests")
    focal_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-on request")
        verbose_name_plural = _("sign-on requests")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # Two requests for one organisation never sit in OCT's queue together. Unconfirmed
            # ones may repeat (a lost e-mail); the second to be confirmed is refused.
            models.UniqueConstraint(
                Lower("acronym"),
                condition=models.Q(state__in=["new", "in-consultation", "information-requested"]),
                name="signonrequest_one_under_review_per_acronym",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="approved") | models.Q(entity__isnull=False),
                name="signonrequest_approved_has_entity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.acronym} ({self.organization_name})"

    @property
    def focal_name(self) -> str:
        return f"{self.focal_given_name} {self.focal_family_name}"

    @property
    def is_open(self) -> bool:
        return self.state in self.OPEN

    def get_pillars_display(self) -> list[str]:
        labels = dict(Pillar.choices)
        return [str(labels.get(value, value)) for value in self.pillars]


class SignOnStep(models.Model):
    """One move of a sign-on request (the status-change row), with its note or message.

    ``shared_with_applicant`` marks what the applicant sees on their status page: a request
    for information or a reason for declining, but not OCT's consultation notes.
    """

    request = models.ForeignKey(SignOnRequest, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from"), max_length=32, blank=True)
    to_state = models.CharField(_("to"), max_length=32)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    actor_label = models.CharField(_("by"), max_length=150)
    message = models.TextField(_("message"), blank=True)
    shared_with_applicant = models.BooleanField(default=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("sign-on step")
        verbose_name_plural = _("sign-on steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.request.acronym}: {self.action} ({self.from_state} → {self.to_state})"
