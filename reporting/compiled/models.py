"""The documents OCT compiles from the working groups' inputs (Annex III, V.17–V.18).

A ``ConsolidatedReport`` covers one reporting round; an ``AnnualReport`` is the USG's report to
the Secretary-General for a calendar year. OCT's own text lives on the report, apart from the
groups' inputs, so regenerating after a late input keeps it. Every generated PDF is a
``ReportEdition`` (file, hash, who, when); one edition is marked final, and a final edition
and its report never change again.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification
from reporting.submissions.models import ReportingPeriod

if TYPE_CHECKING:
    from reporting.committee.models import Meeting


class CompiledReport(models.Model):
    """What the two kinds of compiled report share: OCT's text and its bookkeeping."""

    symbol = models.CharField(
        _("document symbol"), max_length=64, blank=True, help_text=_("E.g. OCT/CC/2027/2; printed on the cover.")
    )
    executive_summary = models.TextField(_("executive summary"), blank=True)
    observations = models.TextField(_("observations"), blank=True)
    text_classification = models.CharField(
        _("classification of OCT's text"),
        max_length=32,
        choices=Classification.choices,
        default=Classification.UNCLASSIFIED,
    )
    revision = models.PositiveIntegerField(default=0, help_text=_("Goes up with every save: a stale editor is told."))
    updated_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("started"), default=timezone.now)

    class Meta:
        abstract = True

    @property
    def is_final(self) -> bool:
        return self.state == self.FINAL


class ConsolidatedReport(CompiledReport):
    """OCT's consolidated progress report for one reporting round, for the Committee."""

    class State(models.TextChoices):
        IN_PREPARATION = "in-preparation", _("In preparation")
        FINAL = "final", _("Final")

    FINAL = State.FINAL

    period = models.OneToOneField(ReportingPeriod, on_delete=models.PROTECT, related_name="consolidated_report")
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.IN_PREPARATION)

    class Meta:
        verbose_name = _("consolidated report")
        verbose_name_plural = _("consolidated reports")
        ordering = ["-period__due_on"]

    def __str__(self) -> str:
        return str(_("Consolidated progress report: %(period)s") % {"period": self.period})


class AnnualReport(CompiledReport):
    """The USG's annual report to the Secretary-General: drafted by OCT, approved by the USG."""

    class State(models.TextChoices):
        IN_PREPARATION = "in-preparation", _("In preparation")
        AWAITING_APPROVAL = "awaiting-approval", _("Awaiting the USG's approval")
        FINAL = "final", _("Approved (final)")

    FINAL = State.FINAL

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.IN_PREPARATION)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    # Who put the report to the USG: they may not also decide on it (four eyes).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("submitted for approval by"),
    )
    submitted_at = models.DateTimeField(_("submitted for approval"), null=True, blank=True)
    # The report is approved once the year's reporting rounds are closed, or earlier on this
    # reason, recorded by OCT (printed on the final edition's cover).
    early_reason = models.TextField(
        _("reason to go ahead before the year's rounds close"),
        blank=True,
        help_text=_("Printed on the cover of the final edition."),
    )
    early_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    early_recorded_at = models.DateTimeField(_("reason recorded"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            # A reason goes with who recorded it and when; none, with neither.
            models.CheckConstraint(
                condition=models.Q(early_reason="", early_recorded_by__isnull=True, early_recorded_at__isnull=True)
                | (
                    ~models.Q(early_reason="")
                    & models.Q(early_recorded_by__isnull=False, early_recorded_at__isnull=False)
                ),
                name="annualreport_early_reason_recorded",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="final") | models.Q(approved_by__isnull=False, approved_at__isnull=False),
                name="annualreport_final_is_approved",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Annual report %(year)s") % {"year": self.year})


def _edition_path(instance: ReportEdition, filename: str) -> str:
    return f"reporting/editions/{uuid.uuid4().hex}.pdf"


def _word_path(instance: ReportEdition, filename: str) -> str:
    return f"reporting/editions/{uuid.uuid4().hex}.docx"


class ReportEdition(models.Model):
    """One generated edition of a consolidated report, an annual report or a Committee meeting's
    briefing pack (its agenda with the linked briefings), rendered by a worker: a PDF, and the
    same text as a Word file for document processing (none for editions made before Word)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for a worker")
        RENDERING = "rendering", _("Being generated")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    consolidated_report = models.ForeignKey(
        ConsolidatedReport, on_delete=models.PROTECT, null=True, blank=True, related_name="editions"
    )
    annual_report = models.ForeignKey(
        AnnualReport, on_delete=models.PROTECT, null=True, blank=True, related_name="editions"
    )
    meeting = models.ForeignKey(
        "reporting.Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="briefing_packs",
        verbose_name=_("meeting (briefing pack)"),
    )
    number = models.PositiveSmallIntegerField(_("edition"))
    # The language of the fixed text (cover, headings, markings); what people wrote is as written.
    language = models.CharField(_("language"), max_length=16, choices=settings.LANGUAGES, default="en")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    stage = models.CharField(_("stage"), max_length=120, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(upload_to=_edition_path, max_length=255, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("size"), null=True, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    word_file = models.FileField(_("Word file"), upload_to=_word_path, max_length=255, blank=True)
    word_sha256 = models.CharField(_("SHA-256 of the Word file"), max_length=64, blank=True)
    word_size = models.PositiveIntegerField(_("size of the Word file"), null=True, blank=True)
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    is_final = models.BooleanField(_("final"), default=False)
    text_revision = models.PositiveIntegerField(
        _("revision of OCT's text"),
        default=0,
        help_text=_("The report's text as it was when this edition was asked for."),
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # A worker that dies mid-render cannot say so: it holds the edition on a lease it renews
    # while it works, and the minute sweep takes back what a lapsed lease leaves behind.
    lease_until = models.DateTimeField(
        _("lease until"),
        null=True,
        blank=True,
        help_text=_(
            "Being generated: until when the worker holds it (renewed while it works). Waiting: "
            "when its message counts as lost and is sent again."
        ),
    )
    attempts = models.PositiveSmallIntegerField(
        _("attempts"), default=0, help_text=_("How many times a worker took it up; each claim counts one.")
    )

    class Meta:
        verbose_name = _("report edition")
        verbose_name_plural = _("report editions")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consolidated_report__isnull=False, annual_report__isnull=True, meeting__isnull=True)
                | models.Q(consolidated_report__isnull=True, annual_report__isnull=False, meeting__isnull=True)
                | models.Q(consolidated_report__isnull=True, annual_report__isnull=True, meeting__isnull=False),
                name="reportedition_of_one_document",
            ),
            models.UniqueConstraint(fields=["consolidated_report", "number"], name="reportedition_consolidated_number"),
            models.UniqueConstraint(fields=["annual_report", "number"], name="reportedition_annual_number"),
            models.UniqueConstraint(fields=["meeting", "number"], name="reportedition_briefing_pack_number"),
            # A briefing pack is a working paper for one meeting: it is never made final.
            models.CheckConstraint(
                condition=models.Q(meeting__isnull=True) | models.Q(is_final=False),
                name="reportedition_briefing_pack_never_final",
            ),
            models.UniqueConstraint(
                fields=["consolidated_report"],
                condition=models.Q(is_final=True),
                name="reportedition_one_final_consolidated",
            ),
            models.UniqueConstraint(
                fields=["annual_report"], condition=models.Q(is_final=True), name="reportedition_one_final_annual"
            ),
            models.CheckConstraint(
                condition=models.Q(is_final=False) | models.Q(status="done"), name="reportedition_final_is_done"
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="reportedition_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.report} — {self.number}"

    @property
    def report(self) -> ConsolidatedReport | AnnualReport | Meeting:
        return self.consolidated_report or self.annual_report or self.meeting
