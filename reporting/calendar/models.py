"""The Compact's reporting calendar and what the scheduler keeps (Annex III, V.12–V.17).

OCT edits one ``CalendarRule`` per kind of period; the scheduler's tick turns the rules into
``ReportingPeriod`` rows, drafts, reminders and escalations. Every thing the scheduler does is
claimed by inserting a ``SchedulerEvent`` with a unique key first: the row is both the lock
that makes a second run do nothing and the log OCT reads.
"""

from __future__ import annotations

import datetime
import secrets
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from compact.core.models import WriteOnce
from reporting.submissions.models import ReportingPeriod, Submission, default_time_zone

Kind = ReportingPeriod.Kind

# What each kind of period covers, as (first month, last month) of the year it reports on.
SPANS: dict[str, tuple[int, int]] = {
    Kind.Q1: (1, 3),
    Kind.Q2: (4, 6),
    Kind.Q3: (7, 9),
    Kind.Q4: (10, 12),
    Kind.MID_YEAR: (1, 6),
    Kind.END_OF_YEAR: (1, 12),
}


def period_span(kind: str, year: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day a period of ``kind`` covers in ``year``."""
    first, last = SPANS[kind]
    until = datetime.date(year + 1, 1, 1) if last == 12 else datetime.date(year, last + 1, 1)
    return datetime.date(year, first, 1), until - datetime.timedelta(days=1)


def offsets_check(value: object) -> None:
    """A list of distinct whole numbers of days, 0 to 366."""
    if not isinstance(value, list) or not all(isinstance(n, int) and not isinstance(n, bool) for n in value):
        raise ValidationError(_("Give whole numbers of days, separated by commas."))
    if any(n < 0 or n > 366 for n in value):
        raise ValidationError(_("Each number of days must be between 0 and 366."))
    if len(set(value)) != len(value):
        raise ValidationError(_("Give each number of days once."))


def time_zone_check(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("“%(value)s” is not a time zone (e.g. America/New_York)."), params={"value": value})


# The calendar's default chase, declared once: reminders this many days before a due date,
# escalations this many days after it. A rule may change its own; the review uses these.
DEFAULT_REMINDER_DAYS = (14, 7, 1)
DEFAULT_ESCALATION_DAYS = (1, 7)


def default_reminders() -> list[int]:
    return list(DEFAULT_REMINDER_DAYS)


def default_escalations() -> list[int]:
    return list(DEFAULT_ESCALATION_DAYS)


class CalendarRule(models.Model):
    """When one kind of period opens, is due and closes, and when its chairs are chased.

    One row per kind (created with the defaults by a migration); OCT edits them on the
    calendar page. Changes apply to periods the scheduler has not created yet.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, unique=True)
    active = models.BooleanField(
        _("scheduled"), default=True, help_text=_("Whether the scheduler opens periods of this kind by itself.")
    )
    due_month = models.PositiveSmallIntegerField(
        _("due month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    due_day = models.PositiveSmallIntegerField(_("due day"), validators=[MinValueValidator(1), MaxValueValidator(31)])
    due_following_year = models.BooleanField(
        _("due in the following year"),
        default=False,
        help_text=_("For reports due after the year they cover ends, e.g. the end-of-year report due 31 January."),
    )
    opens_days_before_due = models.PositiveSmallIntegerField(
        _("opens (days before the due date)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    closes_days_after_due = models.PositiveSmallIntegerField(
        _("closes (days after the due date)"), default=30, validators=[MaxValueValidator(366)]
    )
    reminder_days = models.JSONField(
        _("reminders (days before the due date)"), default=default_reminders, validators=[offsets_check]
    )
    escalation_days = models.JSONField(
        _("escalations (days after the due date)"), default=default_escalations, validators=[offsets_check]
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default=default_time_zone, validators=[time_zone_check])
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("calendar rule")
        verbose_name_plural = _("calendar rules")
        ordering = ["kind"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_month__gte=1, due_month__lte=12, due_day__gte=1, due_day__lte=31),
                name="calendarrule_due_date_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(opens_days_before_due__gte=1), name="calendarrule_opens_before_due"
            ),
        ]

    def __str__(self) -> str:
        return str(self.get_kind_display())

    def clean(self) -> None:
        # 29 February does not come every year: the due day must exist in any year.
        if self.due_month and self.due_day:
            try:
                datetime.date(2027, self.due_month, self.due_day)
            except ValueError:
                raise ValidationError({"due_day": _("That day does not exist in every year.")}) from None
            if not self.due_following_year and self.kind in SPANS:
                start, _end = period_span(self.kind, 2027)
                if datetime.date(2027, self.due_month, self.due_day) <= start:
                    raise ValidationError(
                        {"due_month": _("The due date must come after the first day the period covers.")}
                    )


class ExtensionRequest(models.Model):
    """A chair's request for more time on one submission; OCT approves or declines it."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="extension_requests")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    due_before = models.DateField(_("due date before"), help_text=_("The group's due date when it asked."))
    requested_until = models.DateField(_("new due date asked for"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("asked"), default=timezone.now)
    granted_until = models.DateField(_("new due date granted"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("extension request")
        verbose_name_plural = _("extension requests")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission"],
                condition=models.Q(status="requested"),
                name="extensionrequest_one_open_per_submission",
            ),
            models.CheckConstraint(
                condition=models.Q(requested_until__gt=models.F("due_before")),
                name="extensionrequest_asks_for_later_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.requested_until:%Y-%m-%d}"


class SchedulerEvent(WriteOnce):
    """One thing the scheduler did, claimed by its unique ``key`` before it was done.

    The key names the thing, not the run (``reminder:<submission>:<due date>:14``), so a tick
    run twice, two ticks at once, or a tick after a crash can insert it only once.
    """

    write_once_message = "The scheduler's log is append-only."

    class Kind(models.TextChoices):
        PERIOD_CREATED = "period-created", _("Period scheduled")
        PERIOD_OPENED = "period-opened", _("Period opened")
        DRAFTS_CREATED = "drafts-created", _("Drafts created")
        REMINDER = "reminder", _("Reminder")
        ESCALATION = "escalation", _("Escalation")
        OCT_DIGEST = "oct-digest", _("Weekly digest to OCT")
        COMMITTEE_DIGEST = "committee-digest", _("Digest to the Committee chair")
        PERIOD_CLOSED = "period-closed", _("Period closed")
        CONSOLIDATED_SHELL = "consolidated-shell", _("Consolidated report started")
        ANNUAL_SHELL = "annual-shell", _("Annual report started")

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(_("what"), max_length=32, choices=Kind.choices, db_index=True)
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.CASCADE, null=True, blank=True, related_name="scheduler_events"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.CASCADE, null=True, blank=True, related_name="scheduler_events"
    )
    recipients = models.JSONField(_("sent to"), default=list, blank=True)
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("scheduler event")
        verbose_name_plural = _("scheduler events")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.key


def feed_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarFeed(models.Model):
    """A user's private iCalendar address: whoever has the token reads that user's deadlines,
    so the user can replace it at any time."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed")
    token = models.CharField(max_length=64, unique=True, default=feed_token)
    created_at = models.DateTimeField(default=timezone.now)
    last_read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return f"{self.user}"
