"""Reporting periods and the working groups' submissions: quarterly briefings to the
Coordination Committee and mid-year / end-of-year progress reports (Annex III, V.13 and V.16).
"""

from __future__ import annotations

import datetime
import uuid
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import Classification, WriteOnce
from compact.lib.languages import date_span
from workinggroups.models import WorkingGroup, WorkPlanActivity


def default_time_zone() -> str:
    return settings.TIME_ZONE


class ReportingPeriod(models.Model):
    """A round of reporting: what it covers, when it opens and when inputs are due."""

    class Kind(models.TextChoices):
        Q1 = "q1", _("Quarterly briefing, first quarter")
        Q2 = "q2", _("Quarterly briefing, second quarter")
        Q3 = "q3", _("Quarterly briefing, third quarter")
        Q4 = "q4", _("Quarterly briefing, fourth quarter")
        MID_YEAR = "mid-year", _("Mid-year progress report")
        END_OF_YEAR = "end-of-year", _("End-of-year progress report")

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    BRIEFINGS = (Kind.Q1, Kind.Q2, Kind.Q3, Kind.Q4)

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    covers_from = models.DateField(_("covers from"))
    covers_until = models.DateField(_("covers until"))
    opens_on = models.DateField(_("opens on"))
    due_on = models.DateField(_("due on"))
    closes_on = models.DateField(
        _("closes on"), null=True, blank=True, help_text=_("The scheduler closes the period after this day.")
    )
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=default_time_zone,
        help_text=_("The days above begin and end in this time zone."),
    )
    state = models.CharField(_("state"), max_length=16, choices=State.choices, default=State.SCHEDULED)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-due_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "covers_from"], name="reportingperiod_unique_kind_span"),
            models.CheckConstraint(
                condition=models.Q(covers_until__gte=models.F("covers_from")), name="reportingperiod_span_ordered"
            ),
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("opens_on")), name="reportingperiod_due_after_open"
            ),
            models.CheckConstraint(
                condition=models.Q(closes_on__isnull=True) | models.Q(closes_on__gte=models.F("due_on")),
                name="reportingperiod_closes_after_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.span_label}"

    @property
    def span_label(self) -> str:
        return date_span(self.covers_from, self.covers_until)

    @property
    def is_briefing(self) -> bool:
        return self.kind in self.BRIEFINGS

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def drafts_on_opening(self) -> int:
        """How many drafts opening this period creates (one per group active at its end), for
        the confirmation OCT is asked before it opens it and e-mails every chair."""
        return WorkingGroup.objects.active_on(self.covers_until).count()

    def unfinished_submissions(self) -> models.QuerySet[Submission]:
        """The inputs not accepted yet: reopening the period lets their groups work on them
        again and e-mails their leaders."""
        return self.submissions.exclude(status__in=(Submission.Status.ACCEPTED, Submission.Status.CLOSED))

    @property
    def groups_told_on_reopening(self) -> int:
        """How many working groups reopening this period e-mails, for the confirmation OCT is
        asked before it reopens it."""
        return self.unfinished_submissions().count()


class Submission(models.Model):
    """A working group's input for one period: a briefing or a progress report.

    The draft's content lives here (edited with optimistic locking on ``revision``); every
    submission freezes it into an immutable ``SubmissionVersion``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        RESUBMITTED = "resubmitted", _("Resubmitted")
        ACCEPTED = "accepted", _("Accepted")
        # The group ended in a reorganisation before its input was accepted: kept as it stood.
        CLOSED = "closed", _("Closed with its group")

    EDITABLE = (Status.DRAFT, Status.RETURNED)
    AWAITING_REVIEW = (Status.SUBMITTED, Status.RESUBMITTED)

    # The structured content, by kind of period. Briefings use the first three.
    BRIEFING_FIELDS = ("work_plan_progress", "issues_of_concern", "upcoming_activities")
    REPORT_FIELDS = (
        "summary",
        "joint_work",
        "challenges",
        "gender_considerations",
        "youth_considerations",
        "human_rights_considerations",
        "requests_to_committee",
    )

    period = models.ForeignKey(ReportingPeriod, on_delete=models.PROTECT, related_name="submissions")
    working_group = models.ForeignKey(
        "workinggroups.WorkingGroup", on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    classification = models.CharField(
        _("classification"), max_length=32, choices=Classification.choices, default=Classification.UNCLASSIFIED
    )
    work_plan_progress = models.TextField(_("progress on the work plan"), blank=True)
    issues_of_concern = models.TextField(_("issues of concern for the Committee"), blank=True)
    upcoming_activities = models.TextField(_("upcoming activities"), blank=True)
    summary = models.TextField(_("summary"), blank=True)
    joint_work = models.TextField(_("joint work with other entities"), blank=True)
    challenges = models.TextField(_("challenges"), blank=True)
    gender_considerations = models.TextField(_("gender considerations"), blank=True)
    youth_considerations = models.TextField(_("youth considerations"), blank=True)
    human_rights_considerations = models.TextField(_("human-rights considerations"), blank=True)
    requests_to_committee = models.TextField(_("requests to the Committee"), blank=True)

    revision = models.PositiveIntegerField(default=0, help_text=_("Goes up with every save: a stale editor is told."))
    last_edited_at = models.DateTimeField(_("last edited"), null=True, blank=True)
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    on_time = models.BooleanField(_("on time"), null=True, blank=True, help_text=_("First submission by the due date."))
    extended_until = models.DateField(
        _("extended until"), null=True, blank=True, help_text=_("The group's due date after an approved extension.")
    )
    carried_over_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The earlier submission whose open issues pre-filled this draft."),
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("submission")
        verbose_name_plural = _("submissions")
        ordering = ["period", "working_group__number"]
        constraints = [
            models.UniqueConstraint(fields=["period", "working_group"], name="submission_one_per_group_per_period"),
        ]

    def __str__(self) -> str:
        return f"{self.working_group} — {self.period}"

    @property
    def content_fields(self) -> tuple[str, ...]:
        return self.BRIEFING_FIELDS if self.period.is_briefing else self.REPORT_FIELDS

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def due_on(self) -> datetime.date:
        """This group's due date: the period's, or the date of an approved extension."""
        return self.extended_until or self.period.due_on


class ActivityProgress(models.Model):
    """A progress report's line for one work-plan activity (pre-filled from the work plan)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="activity_progress")
    activity = models.ForeignKey(
        "workinggroups.WorkPlanActivity", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("activity"), max_length=500, help_text=_("As the work plan named it then."))
    status = models.CharField(_("status"), max_length=16, choices=WorkPlanActivity.Status.choices, blank=True)
    narrative = models.TextField(_("progress"), blank=True)

    class Meta:
        verbose_name = _("activity progress")
        verbose_name_plural = _("activity progress")
        ordering = ["submission", "position", "id"]

    def __str__(self) -> str:
        return self.title


def _attachment_path(instance: Attachment, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"reporting/attachments/{uuid.uuid4().hex}.{extension}"


class Attachment(models.Model):
    """A file attached to a submission (PDF, DOCX or XLSX, checked by content)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, max_length=255)
    name = models.CharField(_("file name"), max_length=255)
    kind = models.CharField(_("type"), max_length=8)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["submission", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class SubmissionVersion(WriteOnce):
    """The content as it was submitted, frozen: never changed, never deleted."""

    write_once_message = "Submitted versions are immutable."

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    content = models.JSONField(_("content"))
    classification = models.CharField(_("classification"), max_length=32, choices=Classification.choices)
    submitted_at = models.DateTimeField(_("submitted"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    on_time = models.BooleanField(_("on time"))

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="submissionversion_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} v{self.number}"


class SubmissionStep(models.Model):
    """One move of a submission (the status-change row), with its comment."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="steps")
    action = models.CharField(_("action"), max_length=32)
    from_status = models.CharField(_("from"), max_length=16)
    to_status = models.CharField(_("to"), max_length=16)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.TextField(_("comment"), blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("submission step")
        verbose_name_plural = _("submission steps")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.submission}: {self.action}"


class DraftRevision(models.Model):
    """The editable content of a draft as one save left it (a manual save or an autosave).

    An editor remembers the revision it was loaded from; when it saves, that revision is the
    *base* of a three-way merge with the draft as stored now, so that two people editing
    different parts of one draft both keep their work. Submitting never reads these: it
    freezes a ``SubmissionVersion``. ``content`` maps the editor's field names (the text
    sections, ``classification``, ``activity-<line>-status`` / ``-narrative``, the indicators'
    ``indicator-<id>-…`` values and notes) to their text.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="draft_revisions")
    number = models.PositiveIntegerField(_("revision"))
    content = models.JSONField(_("content"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    saved_at = models.DateTimeField(_("saved"), default=timezone.now)
    is_autosave = models.BooleanField(_("saved automatically"), default=False)

    class Meta:
        verbose_name = _("draft revision")
        verbose_name_plural = _("draft revisions")
        ordering = ["submission", "number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="draftrevision_unique_number"),
        ]

    def __str__(self) -> str:
        return f"{self.submission} r{self.number}"
