"""The USG's briefings to Member States (Annex III, V.14), their cadence, and their unclassified
public summaries.

OCT records each briefing with its own notes, which may be classified, and a public summary
that is unclassified by construction: it is drafted only from unclassified data, edited by
OCT, and published only once OCT confirms it holds nothing else.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from compact.core.models import Classification, StateStep


class MemberStateBriefing(models.Model):
    """One briefing of Member States on the Compact's implementation."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")

    date = models.DateField(_("date"))
    audience = models.CharField(
        _("audience"), max_length=255, help_text=_('For example "Member States, New York" or "Group of Friends".')
    )
    title = models.CharField(_("title"), max_length=255)
    place = models.CharField(_("place"), max_length=255, blank=True)
    virtual = models.BooleanField(_("virtual"), default=False)
    notes = models.TextField(_("notes by OCT"), blank=True)
    notes_classification = models.CharField(
        _("classification of the notes"),
        max_length=32,
        choices=Classification.choices,
        default=Classification.CONFIDENTIAL,
    )
    public_summary = models.TextField(
        _("public summary"), blank=True, help_text=_("Unclassified: shown to anyone on the public page once published.")
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("briefing to Member States")
        verbose_name_plural = _("briefings to Member States")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(state="draft")
                | (models.Q(published_at__isnull=False) & ~models.Q(public_summary="")),
                name="msbriefing_published_has_summary_and_time",
            ),
        ]
        indexes = [models.Index(fields=["state", "date"], name="msbriefing_state_date_idx")]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.title}"[:255]

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED


class MemberStateBriefingStep(StateStep):
    """One move of a briefing (publish, unpublish), with who made it and why."""

    briefing = models.ForeignKey(MemberStateBriefing, on_delete=models.CASCADE, related_name="steps")

    class Meta(StateStep.Meta):
        verbose_name = _("briefing step")
        verbose_name_plural = _("briefing steps")

    def __str__(self) -> str:
        return f"{self.briefing_id}: {self.action}"


# "The USG will brief Member States periodically" (V.14): how often is the USG's to set.
CADENCE_MONTHS_MAX = 24
CADENCE_REMINDERS_MAX = 5
CADENCE_REMINDER_DAYS_MAX = 180


def default_briefing_reminders() -> list[int]:
    return [30, 7]


class BriefingCadence(models.Model):
    """How often the USG briefs Member States, set by the USG or OCT. One row for the Compact
    (``pk`` 1): the next briefing is due this many months after the last one held (or on
    ``first_due_on`` before any), and while none is planned the scheduler reminds the USG and
    OCT on each of ``reminder_days`` before it, and once the day after it is missed."""

    SINGLE_ROW = 1

    every_months = models.PositiveSmallIntegerField(
        _("every (months)"), validators=[MinValueValidator(1), MaxValueValidator(CADENCE_MONTHS_MAX)]
    )
    first_due_on = models.DateField(
        _("first briefing due"), help_text=_("When the first briefing is due if none has been held yet.")
    )
    reminder_days = models.JSONField(_("reminders (days before)"), default=default_briefing_reminders)
    active = models.BooleanField(_("send reminders"), default=True)
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("cadence of briefings to Member States")
        verbose_name_plural = _("cadences of briefings to Member States")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="briefingcadence_single_row"),
            models.CheckConstraint(
                condition=models.Q(every_months__gte=1, every_months__lte=CADENCE_MONTHS_MAX),
                name="briefingcadence_every_months_range",
            ),
        ]

    def __str__(self) -> str:
        return ngettext("every month", "every %(n)d months", self.every_months) % {"n": self.every_months}
