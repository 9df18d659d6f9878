"""Consultation rounds: OCT asks the entities for their comments on a document before the
Committee adopts it (Annex III, V.12: the programme of work is developed "in consultation with
the entities").

A ``ConsultationRound`` is about one document, named by its *subject kind* (a key of the adapter
registry in ``reporting.consultation.subjects``: ``programme``, ``review``…) and its id. When
the round opens, the document's sections are frozen in ``sections`` (each with its own
classification), so the entities comment on the text as it stood, whatever OCT changes in the
working copy meanwhile. ``ConsultationComment`` is one consulted entity's comment on one
section (one per round, entity and section), with OCT's response once the round is closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification, StateStep
from compact.registry.models import Entity

# A section's key in the frozen snapshot: "introduction", "priority-12", "outcome"…
SECTION_KEY_LENGTH = 64


class ConsultationRound(models.Model):
    """One consultation of the entities on one document, with a deadline."""

    class State(models.TextChoices):
        DRAFT = "draft", _("In preparation")
        OPEN = "open", _("Open for comments")
        CLOSED = "closed", _("Closed (OCT responds)")
        RESPONDED = "responded", _("Responded")
        CANCELLED = "cancelled", _("Cancelled")

    subject_kind = models.CharField(_("kind of document"), max_length=32)
    subject_id = models.PositiveBigIntegerField(_("document"))
    title = models.CharField(_("title"), max_length=300)
    note = models.TextField(_("note to the entities"), blank=True)
    comments_due_on = models.DateField(_("comments due on"))
    entities = models.ManyToManyField(Entity, related_name="consultation_rounds", verbose_name=_("entities consulted"))
    # The document's sections as they stood when the round opened: [{key, title, text,
    # classification}]. Empty until then.
    sections = models.JSONField(_("sections"), default=list, blank=True, editable=False)
    # The highest marking of the frozen sections (the round's own marking: audit rows carry it).
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation round")
        verbose_name_plural = _("consultation rounds")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_kind", "subject_id"], name="consultation_subject_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | models.Q(state="cancelled", opened_at__isnull=True)
                | models.Q(opened_at__isnull=False),
                name="consultation_opened_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def section(self, key: str) -> dict | None:
        """The frozen section ``key``, or None."""
        return next((section for section in self.sections if section.get("key") == key), None)


class ConsultationStep(StateStep):
    """One move of a round (open, close, respond, cancel), with who made it and why."""

    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="steps")

    class Meta(StateStep.Meta):
        verbose_name = _("consultation step")
        verbose_name_plural = _("consultation steps")

    def __str__(self) -> str:
        return f"{self.round_id}: {self.action}"


class ConsultationComment(models.Model):
    """A consulted entity's comment on one section of a round, and OCT's response to it."""

    class Response(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        PARTLY = "partly", _("Partly accepted")
        NOT_TAKEN = "not-taken", _("Not taken up")

    round = models.ForeignKey(ConsultationRound, on_delete=models.CASCADE, related_name="comments")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="consultation_comments")
    section_key = models.CharField(_("section"), max_length=SECTION_KEY_LENGTH)
    text = models.TextField(_("comment"))
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("written by")
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revision = models.PositiveIntegerField(default=1, editable=False)
    response = models.CharField(_("OCT's response"), max_length=16, choices=Response.choices, blank=True)
    response_note = models.TextField(_("note on the response"), blank=True)
    responded_at = models.DateTimeField(_("responded"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("consultation comment")
        verbose_name_plural = _("consultation comments")
        ordering = ["round", "section_key", "entity__acronym"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "entity", "section_key"], name="consultation_comment_one_per_section"
            ),
            models.CheckConstraint(condition=~models.Q(text=""), name="consultation_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.round}"[:255]
