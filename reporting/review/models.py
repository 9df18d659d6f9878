"""The biennial review of the Compact (Annex III, III.d): every two years, after the General
Assembly's biennial review of the Strategy, the member entities review the Compact.

OCT opens a review for a biennium, linked to the GA resolution it responds to; the entities'
focal points comment by a deadline (one comment per entity, a database constraint); OCT writes
the synthesis and the outcome, which the Committee may endorse by a decision.

The review's code sits in the reporting app, above the Committee's decisions it links to and
beside the scheduler that chases its comments; its tables keep the compact app's label (they
were created there, and a move would rename them).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification, StateStep
from compact.registry.models import Entity

# A General Assembly resolution's symbol: A/RES/77/298, A/RES/60/288, A/RES/75/291 B…
RESOLUTION_SYMBOL_PATTERN = r"^A/RES/[0-9]{2,3}/[0-9]{1,4}( ?[A-Z])?$"
resolution_symbol_validator = RegexValidator(
    RESOLUTION_SYMBOL_PATTERN,
    _("Give the General Assembly resolution's symbol, for example A/RES/77/298."),
)
# The Compact dates from 2018; a biennium is named by its first year.
FIRST_BIENNIUM = 2018
LAST_BIENNIUM = 2100


class BiennialReview(models.Model):
    """One review of the Compact by its member entities, for one biennium."""

    class State(models.TextChoices):
        PREPARING = "preparing", _("In preparation")
        OPEN = "open", _("Open for comments")
        CLOSED = "closed", _("Closed (synthesis)")
        CONCLUDED = "concluded", _("Concluded")

    biennium = models.PositiveSmallIntegerField(
        _("biennium"),
        unique=True,
        validators=[MinValueValidator(FIRST_BIENNIUM), MaxValueValidator(LAST_BIENNIUM)],
        help_text=_("Its first year: 2027 for 2027–2028."),
    )
    title = models.CharField(_("title"), max_length=255)
    resolution_symbol = models.CharField(
        _("GA review resolution"),
        max_length=32,
        validators=[resolution_symbol_validator],
        help_text=_("The General Assembly's review resolution this review responds to, e.g. A/RES/77/298."),
    )
    resolution_url = models.URLField(_("link to the resolution"), blank=True)
    opens_on = models.DateField(_("comments open on"))
    comments_due_on = models.DateField(_("comments due on"))
    outcome = models.TextField(_("synthesis and outcome"), blank=True)
    outcome_classification = models.CharField(
        _("classification of the outcome"),
        max_length=32,
        choices=Classification.choices,
        default=Classification.UNCLASSIFIED,
    )
    # Four eyes: whoever last wrote the outcome does not conclude the review with it.
    outcome_written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("outcome last written by"),
    )
    endorsed_by = models.ForeignKey(
        "reporting.Decision",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("endorsed by the Committee's decision"),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PREPARING)
    # Optimistic locking: an edit applies only to the revision the editor loaded.
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
        app_label = "compact"  # its table and migrations stay the compact app's
        verbose_name = _("biennial review of the Compact")
        verbose_name_plural = _("biennial reviews of the Compact")
        ordering = ["-biennium"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(comments_due_on__gte=models.F("opens_on")),
                name="review_due_not_before_opening",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="concluded") | ~models.Q(outcome=""),
                name="review_concluded_has_outcome",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.biennium}–{self.biennium + 1}: {self.title}"[:255]

    @property
    def biennium_label(self) -> str:
        return f"{self.biennium}–{self.biennium + 1}"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN


class ReviewStep(StateStep):
    """One move of a review (open, close, conclude, reopen), with who made it and why."""

    review = models.ForeignKey(BiennialReview, on_delete=models.CASCADE, related_name="steps")

    class Meta(StateStep.Meta):
        app_label = "compact"
        verbose_name = _("review step")
        verbose_name_plural = _("review steps")

    def __str__(self) -> str:
        return f"{self.review_id}: {self.action}"


class ReviewComment(models.Model):
    """An entity's comment on a review: one per review and entity, written by its focal points."""

    review = models.ForeignKey(BiennialReview, on_delete=models.CASCADE, related_name="comments")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="review_comments")
    text = models.TextField(_("comment"))
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("written by"),
    )
    created_at = models.DateTimeField(_("received"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("last update"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Whether it arrived after the end of the deadline day (recorded once, when it arrives).
    is_late = models.BooleanField(_("late"), default=False)
    revision = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        app_label = "compact"
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["review", "entity__acronym"]
        constraints = [
            models.UniqueConstraint(fields=["review", "entity"], name="review_comment_one_per_entity"),
            models.CheckConstraint(condition=~models.Q(text=""), name="review_comment_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.entity} — {self.review.biennium_label}"
