"""CTED's country visits and what follows them (A/72/840, Annex IV, section C.2).

CTED visits a Member State; OCT is told in advance; after the visit CTED shares its
recommendations and assessment with OCT, unless the Member State asked CTED to keep them
confidential; CTED and OCT then consult on the support OCT could give, and the projects that
follow are linked from the matrix.

The assessment is the one text that must never reach OCT when the Member State asked for
confidentiality: it is read only through ``compact.visits.permissions.can_read_assessment``,
``__str__`` (which the audit log copies) names only the country and the dates, and the audit
rows record its length, never its text.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification, StateStep

TEXT_LIMIT = 20_000


class CountryVisit(models.Model):
    """One visit of CTED to a Member State (ISO 3166-1 alpha-2, as the matrix's countries)."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Planned")
        OCT_INFORMED = "oct_informed", _("OCT informed")
        CARRIED_OUT = "carried_out", _("Carried out")
        SHARED = "shared", _("Assessment shared with OCT")
        WITHHELD = "withheld", _("Assessment kept confidential")
        FOLLOWED_UP = "followed_up", _("Follow-up recorded")
        CANCELLED = "cancelled", _("Cancelled")

    country = models.CharField(_("Member State"), max_length=2, db_index=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    confidentiality_requested = models.BooleanField(
        _("the Member State asked for confidentiality"),
        default=False,
        help_text=_("CTED then keeps its assessment: OCT sees only that the visit took place."),
    )
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.CONFIDENTIAL
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.PLANNED)
    oct_informed_on = models.DateField(_("OCT informed on"), null=True, blank=True)
    carried_out_on = models.DateField(_("recorded as carried out on"), null=True, blank=True)
    assessment = models.TextField(_("CTED's recommendations and assessment"), blank=True)
    assessment_on = models.DateField(_("assessment recorded on"), null=True, blank=True)
    assessment_shared = models.BooleanField(_("assessment shared with OCT"), default=False)
    followup_on = models.DateField(_("follow-up consultation on"), null=True, blank=True)
    followup_support = models.TextField(_("support OCT could give"), blank=True)
    projects = models.ManyToManyField(
        "compact.Project", blank=True, related_name="country_visits", verbose_name=_("projects that followed")
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
        verbose_name = _("country visit")
        verbose_name_plural = _("country visits")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(ends_on__gte=models.F("starts_on")), name="visit_dates_order"),
            # A Member State that asked for confidentiality never has its assessment shared.
            models.CheckConstraint(
                condition=~models.Q(state="shared", confidentiality_requested=True),
                name="visit_confidential_not_shared",
            ),
            models.CheckConstraint(
                condition=~models.Q(assessment_shared=True, confidentiality_requested=True),
                name="visit_confidential_never_shared",
            ),
            models.CheckConstraint(
                condition=~models.Q(state__in=["shared", "withheld"]) | ~models.Q(assessment=""),
                name="visit_assessed_has_text",
            ),
        ]
        indexes = [models.Index(fields=["country", "starts_on"], name="visit_country_start_idx")]

    def __str__(self) -> str:
        # Copied into audit rows (object_repr): the country and the dates, never the assessment.
        return f"{self.country} {self.starts_on:%Y-%m-%d}–{self.ends_on:%Y-%m-%d}"

    @property
    def informed_in_advance(self) -> bool:
        """Whether OCT was told before the first day of the visit (Annex IV, C.2(c))."""
        return self.oct_informed_on is not None and self.oct_informed_on < self.starts_on

    def started_without_oct(self, today: object) -> bool:
        """Whether the visit began (by ``today``) without OCT having been told beforehand."""
        if self.state == self.State.CANCELLED or self.starts_on > today:
            return False
        return not self.informed_in_advance


class CountryVisitStep(StateStep):
    """One move of a visit, with who made it and why."""

    visit = models.ForeignKey(CountryVisit, on_delete=models.CASCADE, related_name="steps")

    class Meta(StateStep.Meta):
        verbose_name = _("country visit step")
        verbose_name_plural = _("country visit steps")

    def __str__(self) -> str:
        return f"{self.visit_id}: {self.action}"
