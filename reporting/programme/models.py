"""The Committee's two-year programme of work (Annex III, V.12) and the common monitoring and
evaluation framework (V.21).

A ``ProgrammeOfWork`` covers one biennium and is tied to the General Assembly's biennial
review of the Strategy. OCT edits its working copy — priorities, their expected results and
the groups' work-plan outputs that deliver them — and the Committee adopts it at a meeting by a
``Decision``. Each adoption freezes a ``ProgrammeVersion``: the whole programme, its M&E
framework included, as it was adopted. Later changes are made to the working copy and become
version 2, 3 … when the Committee adopts them again; versions are never changed.

The M&E framework's ``Indicator`` rows belong to the programme (not to a version), so the
values the groups report against an indicator over the biennium stay attached to it whatever
the versions. Groups report ``IndicatorValue`` rows in their progress reports: a total, or one
value per category of a disaggregation (sex, region …).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import WriteOnce
from reporting.committee.models import Decision
from reporting.submissions.models import Submission


class ProgrammeOfWork(models.Model):
    """The Committee's programme of work for one biennium: OCT's working copy."""

    biennium_start = models.PositiveSmallIntegerField(
        _("first year of the biennium"), unique=True, help_text=_("2027 for the 2027–2028 programme.")
    )
    title = models.CharField(_("title"), max_length=300)
    strategy_review_resolution = models.CharField(
        _("GA resolution on the review of the Strategy"),
        max_length=40,
        blank=True,
        help_text=_("The General Assembly's biennial review the programme responds to, e.g. A/RES/77/298."),
    )
    introduction = models.TextField(_("introduction"), blank=True)
    revision = models.PositiveIntegerField(default=0, help_text=_("Goes up with every save: a stale editor is told."))
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Four eyes: whoever changed the working copy since its last adoption does not record the
    # next one (emptied by each adoption).
    drafters = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("changed since the last adoption by")
    )

    class Meta:
        verbose_name = _("programme of work")
        verbose_name_plural = _("programmes of work")
        ordering = ["-biennium_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(biennium_start__gte=2000, biennium_start__lte=2100),
                name="programme_biennium_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.biennium_label

    @property
    def biennium_label(self) -> str:
        return f"{self.biennium_start}–{self.biennium_start + 1}"


class Priority(models.Model):
    """A priority of the programme, with the pillars of the Strategy it serves."""

    programme = models.ForeignKey(ProgrammeOfWork, on_delete=models.CASCADE, related_name="priorities")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    code = models.CharField(
        _("number"), max_length=12, help_text=_("How the programme numbers the priority, e.g. 1 or 2.a.")
    )
    title = models.CharField(_("priority"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    pillars = models.JSONField(_("pillars of the Strategy"), default=list, blank=True)
    working_groups = models.ManyToManyField(
        "workinggroups.WorkingGroup", blank=True, related_name="programme_priorities", verbose_name=_("working groups")
    )
    resources_needed_usd = models.DecimalField(
        _("resources needed each year (USD)"),
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("What the priority needs each year of the biennium, for the resource-mobilisation view."),
    )

    class Meta:
        verbose_name = _("programme priority")
        verbose_name_plural = _("programme priorities")
        ordering = ["programme", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="priority_code_unique"),
            models.CheckConstraint(
                condition=Q(resources_needed_usd__gte=0), name="priority_resources_needed_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.title}"


class ExpectedResult(models.Model):
    """What a priority should achieve by the end of the biennium, and the groups' work-plan
    outputs that deliver it."""

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="results")
    position = models.PositiveSmallIntegerField(_("order"), default=0)
    text = models.TextField(_("expected result"))
    outputs = models.ManyToManyField(
        "workinggroups.WorkPlanOutput",
        blank=True,
        related_name="programme_results",
        verbose_name=_("work-plan outputs"),
    )

    class Meta:
        verbose_name = _("expected result")
        verbose_name_plural = _("expected results")
        ordering = ["priority", "position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class ProgrammeVersion(WriteOnce):
    """The programme as the Committee adopted it at a meeting: frozen, never changed."""

    write_once_message = "An adopted version of the programme of work cannot be changed."

    programme = models.ForeignKey(ProgrammeOfWork, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(
        _("content"), help_text=_("The programme, priorities, results, outputs and indicators as adopted.")
    )
    decision = models.OneToOneField(
        Decision,
        on_delete=models.PROTECT,
        related_name="programme_version",
        verbose_name=_("adopted by decision"),
    )
    adopted_on = models.DateField(_("adopted on"), help_text=_("The date of the meeting that took the decision."))
    change_note = models.TextField(_("what changed"), blank=True)
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("programme version")
        verbose_name_plural = _("programme versions")
        ordering = ["programme", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="programmeversion_number_unique"),
        ]

    def __str__(self) -> str:
        return str(_("%(programme)s, version %(number)s") % {"programme": self.programme, "number": self.number})


class Indicator(models.Model):
    """An indicator of the common M&E framework (V.21), reported by working groups."""

    class Frequency(models.TextChoices):
        MID_YEAR = "mid-year", _("Every progress report (mid-year and end-of-year)")
        END_OF_YEAR = "end-of-year", _("Once a year (end-of-year report)")
        BIENNIAL = "biennial", _("Once a biennium (second end-of-year report)")

    class Aggregation(models.TextChoices):
        SUM = "sum", _("Sum of the groups' values (counts)")
        AVERAGE = "average", _("Average of the groups' values (rates, scores)")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    programme = models.ForeignKey(ProgrammeOfWork, on_delete=models.CASCADE, related_name="indicators")
    code = models.CharField(_("code"), max_length=20, help_text=_("E.g. 1.1 or OC-3."))
    name = models.CharField(_("indicator"), max_length=300)
    definition = models.TextField(_("definition"), help_text=_("What is counted or measured, and how."))
    unit = models.CharField(_("unit"), max_length=60, help_text=_("E.g. number of States, %, events."))
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INCREASE)
    aggregation = models.CharField(
        _("combining the groups' values"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    disaggregation = models.JSONField(
        _("disaggregated by"),
        default=list,
        blank=True,
        help_text=_("The dimensions values are broken down by, e.g. sex or region."),
    )
    frequency = models.CharField(_("reported"), max_length=16, choices=Frequency.choices, default=Frequency.END_OF_YEAR)
    priorities = models.ManyToManyField(Priority, blank=True, related_name="indicators", verbose_name=_("priorities"))
    pillars = models.JSONField(_("pillars of the Strategy"), default=list, blank=True)
    working_groups = models.ManyToManyField(
        "workinggroups.WorkingGroup",
        blank=True,
        related_name="indicators",
        verbose_name=_("reported by"),
        help_text=_("The working groups that report values for this indicator."),
    )
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["programme", "position", "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="indicator_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class IndicatorValue(models.Model):
    """A working group's value for an indicator in one progress report: the total (no
    dimension), or the value for one category of one dimension (sex = female …)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="indicator_values")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    dimension = models.CharField(_("dimension"), max_length=32, blank=True)
    category = models.CharField(_("category"), max_length=64, blank=True)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["submission", "indicator", "dimension", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator", "dimension", "category"], name="indicatorvalue_once_per_report"
            ),
            # The total has neither; a breakdown has both.
            models.CheckConstraint(
                condition=Q(dimension="", category="") | (~Q(dimension="") & ~Q(category="")),
                name="indicatorvalue_dimension_and_category_together",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code}: {self.value}"
