"""The reporting calendar (OCT's rules), extensions of a group's due date, calendar feeds.

A ``CalendarRule`` says, for one kind of period, when it is due and how long before and
after that it opens and closes; ``rule_plan`` turns it into the dates of one period. The
scheduler (``reporting.calendar.scheduler``) uses the same plan, so the schedule OCT sees is
the one that runs.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.core.audit import audit_changes, audit_record, snapshot
from compact.core.categories import EmailCategory
from compact.core.outbox import email_queue
from compact.core.workflow import Move
from compact.lib.emails import absolute_url
from compact.lib.languages import date_span
from reporting.calendar.models import CalendarFeed, CalendarRule, ExtensionRequest, feed_token, period_span
from reporting.calendar.workflow import EXT, EXTENSION_TRANSITIONS, OCT
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.permissions import can_decide_extension, can_manage_calendar, can_request_extension
from reporting.submissions.services import leader_emails

RULE_FIELDS = (
    "active",
    "due_month",
    "due_day",
    "due_following_year",
    "opens_days_before_due",
    "closes_days_after_due",
    "reminder_days",
    "escalation_days",
    "time_zone",
)


# The calendar the Compact starts with (also written by migration 0003): quarterly briefings
# due two weeks after their quarter, the mid-year report on 15 July, the end-of-year report on
# 31 January (Annex III, V.16); as (due month, due day, due the following year, opens days
# before the due date).
DEFAULT_RULES: dict[str, tuple[int, int, bool, int]] = {
    ReportingPeriod.Kind.Q1: (4, 15, False, 30),
    ReportingPeriod.Kind.Q2: (7, 15, False, 30),
    ReportingPeriod.Kind.Q3: (10, 15, False, 30),
    ReportingPeriod.Kind.Q4: (1, 15, True, 30),
    ReportingPeriod.Kind.MID_YEAR: (7, 15, False, 45),
    ReportingPeriod.Kind.END_OF_YEAR: (1, 31, True, 61),
}


def calendar_rules() -> dict[str, CalendarRule]:
    """Every kind's rule, creating a missing one with the defaults (a database restored
    without the migration's rows, or flushed by a test, still has a calendar)."""
    rules = {rule.kind: rule for rule in CalendarRule.objects.all()}
    for kind, (month, day, following, opens) in DEFAULT_RULES.items():
        if kind not in rules:
            rules[kind], _created = CalendarRule.objects.get_or_create(
                kind=kind,
                defaults={
                    "due_month": month,
                    "due_day": day,
                    "due_following_year": following,
                    "opens_days_before_due": opens,
                },
            )
    return rules


def scheduler_day(moment: datetime.datetime, time_zone: str) -> datetime.date:
    """The calendar day the scheduler is in at ``moment``: its day starts at
    ``SCHEDULER_DAY_STARTS_AT`` o'clock in ``time_zone``, so that a period opening on 1 June
    opens, and reminders arrive, in the morning there rather than at midnight."""
    local = moment.astimezone(zoneinfo.ZoneInfo(time_zone))
    return (local - datetime.timedelta(hours=settings.SCHEDULER_DAY_STARTS_AT)).date()


@dataclass(frozen=True)
class PlannedPeriod:
    """One period as the calendar lays it out (whether or not it exists yet)."""

    kind: str
    year: int
    covers_from: datetime.date
    covers_until: datetime.date
    opens_on: datetime.date
    due_on: datetime.date
    closes_on: datetime.date
    time_zone: str
    reminders_on: tuple[datetime.date, ...]
    escalations_on: tuple[datetime.date, ...]

    @property
    def label(self) -> str:
        return f"{ReportingPeriod.Kind(self.kind).label} {date_span(self.covers_from, self.covers_until)}"


def rule_plan(rule: CalendarRule, year: int) -> PlannedPeriod:
    """The dates of the period of ``rule.kind`` that covers (part of) ``year``."""
    covers_from, covers_until = period_span(rule.kind, year)
    due_on = datetime.date(year + 1 if rule.due_following_year else year, rule.due_month, rule.due_day)
    return PlannedPeriod(
        kind=rule.kind,
        year=year,
        covers_from=covers_from,
        covers_until=covers_until,
        opens_on=due_on - datetime.timedelta(days=rule.opens_days_before_due),
        due_on=due_on,
        closes_on=due_on + datetime.timedelta(days=rule.closes_days_after_due),
        time_zone=rule.time_zone,
        reminders_on=tuple(due_on - datetime.timedelta(days=n) for n in sorted(rule.reminder_days, reverse=True)),
        escalations_on=tuple(due_on + datetime.timedelta(days=n) for n in sorted(rule.escalation_days)),
    )


def calendar_upcoming(*, now: datetime.datetime | None = None, limit: int = 12) -> list[PlannedPeriod]:
    """The next periods the scheduler will open or is running, soonest due first: those not
    closed yet by the calendar, for every scheduled kind."""
    now = now or timezone.now()
    planned = []
    for rule in CalendarRule.objects.filter(active=True):
        today = scheduler_day(now, rule.time_zone)
        for year in range(today.year - 1, today.year + 2):
            plan = rule_plan(rule, year)
            if plan.closes_on >= today:
                planned.append(plan)
    return sorted(planned, key=lambda p: (p.due_on, p.kind))[:limit]


@transaction.atomic
def calendar_rule_update(*, rule: CalendarRule, actor: AbstractBaseUser, changes: dict[str, Any]) -> CalendarRule:
    """Change one kind's calendar. Applies to periods the scheduler has not created yet;
    reminder and escalation days apply at once to open periods too."""
    if not can_manage_calendar(actor):
        raise PermissionDenied(_("Only the OCT secretariat edits the reporting calendar."))
    unknown = set(changes) - set(RULE_FIELDS)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    rule = CalendarRule.objects.select_for_update().get(pk=rule.pk)
    before = snapshot(rule, RULE_FIELDS)
    for name, value in changes.items():
        # Kept in the order they come: reminders counting down, escalations counting up.
        if name in ("reminder_days", "escalation_days") and isinstance(value, list):
            value = sorted(value, reverse=name == "reminder_days")
        setattr(rule, name, value)
    rule.full_clean()
    after = snapshot(rule, RULE_FIELDS)
    if after == before:
        return rule  # nothing changed: nothing to stamp or audit
    rule.updated_at, rule.updated_by = timezone.now(), actor
    rule.save()
    audit_changes(actor=actor, verb="reporting.calendar_changed", obj=rule, before=before, after=after)
    return rule


# --- Extensions -----------------------------------------------------------------------------------


def _extension_date_check(submission: Submission, until: datetime.date, field: str) -> None:
    if until <= submission.due_on:
        raise ValidationError(
            {field: _("Choose a day after the current due date (%(due)s).") % {"due": date_format(submission.due_on)}}
        )
    closes_on = submission.period.closes_on
    if closes_on is not None and until > closes_on:
        raise ValidationError(
            {field: _("The period closes on %(day)s; choose that day or earlier.") % {"day": date_format(closes_on)}}
        )


def _extension_still_useful(submission: Submission) -> None:
    if submission.status != Submission.Status.DRAFT or submission.period.state != ReportingPeriod.State.OPEN:
        raise ValidationError(_("Only a draft in an open period can get more time: this input was already submitted."))


def _extension_email(request: ExtensionRequest, template: str, recipients: list[str]) -> None:
    submission = request.submission
    email_queue(
        occasion=f"extension:{request.pk}:{request.status}",
        recipients=recipients,
        template=template,
        category=EmailCategory.EXTENSIONS,
        context={
            "request": request,
            "submission": submission,
            "url": absolute_url(reverse("reporting-submission", args=[submission.pk])),
            "queue_url": absolute_url(reverse("reporting-extensions")),
        },
    )


@transaction.atomic
def extension_request_create(
    *, submission: Submission, actor: AbstractBaseUser, until: datetime.date, reason: str
) -> ExtensionRequest:
    """A chair or vice-chair asks OCT to move the group's due date to ``until``."""
    if not can_request_extension(actor, submission):
        raise PermissionDenied(_("Only the group's chair and vice-chairs ask for more time."))
    submission = Submission.objects.select_for_update().select_related("period").get(pk=submission.pk)
    _extension_still_useful(submission)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the group needs more time.")})
    _extension_date_check(submission, until, "until")
    if submission.extension_requests.filter(status=EXT.REQUESTED).exists():
        raise ValidationError(_("A request for this input is already waiting for OCT's decision."))
    try:
        with transaction.atomic():
            request = ExtensionRequest.objects.create(
                submission=submission,
                due_before=submission.due_on,
                requested_until=until,
                reason=reason,
                requested_by=actor,
            )
    except IntegrityError:
        raise ValidationError(_("A request for this input is already waiting for OCT's decision.")) from None
    audit_record(
        actor=actor,
        verb="reporting.extension_requested",
        obj=submission,
        after={"requested_until": str(until), "request": request.pk},
        note=reason,
    )
    _extension_email(request, "extension-requested", [settings.OCT_SECRETARIAT_EMAIL])
    return request


@transaction.atomic
def extension_act(
    *,
    request: ExtensionRequest,
    action: str,
    actor: AbstractBaseUser,
    comment: str = "",
    until: datetime.date | None = None,
) -> ExtensionRequest:
    """OCT approves (optionally with another date than asked) or declines (with a reason);
    the chair may withdraw. An approved extension moves the group's due date: reminders and
    escalations follow the new date and a submission by it counts as on time."""
    transition = EXTENSION_TRANSITIONS.get(action)
    if transition.by == OCT:
        if not can_decide_extension(actor, request.submission):
            raise PermissionDenied(_("Only the OCT secretariat decides on extensions."))
    elif not can_request_extension(actor, request.submission):
        raise PermissionDenied(_("Only the group's chair and vice-chairs withdraw its requests."))
    # A chair who is also an OCT officer does not grant their own request.
    move = Move.start(
        table=EXTENSION_TRANSITIONS,
        obj=request,
        action=action,
        by=transition.by,
        actor=actor,
        proposer=request.requested_by_id,
    )
    comment = comment.strip()
    if transition.message == "required" and not comment:
        raise ValidationError({"comment": _("Write a comment for this step.")})
    submission = Submission.objects.select_for_update().select_related("period").get(pk=request.submission_id)
    changes: dict[str, Any] = {}
    if action == "approve":
        _extension_still_useful(submission)
        granted = until or request.requested_until
        _extension_date_check(submission, granted, "until")
        changes["granted_until"] = granted
    if transition.by == OCT:
        changes.update(decided_by=actor, decided_at=timezone.now(), decision_comment=comment)
    move.swap(stale=_("This request was changed by someone else meanwhile; reload it."), **changes)
    before_due = submission.due_on
    if action == "approve":
        Submission.objects.filter(pk=submission.pk).update(extended_until=request.granted_until)
        submission.refresh_from_db()
    audit_record(
        actor=actor,
        verb=f"reporting.extension_{action}",
        obj=submission,
        before={"due_on": str(before_due), "request": request.pk},
        after={"due_on": str(submission.due_on), "status": request.status},
        note=comment,
    )
    if transition.by == OCT:
        _extension_email(request, f"extension-{action}", leader_emails(submission))
    return request


# --- Calendar feeds ---------------------------------------------------------------------------


def calendar_feed_for(*, user: AbstractBaseUser) -> CalendarFeed:
    """The user's private feed address, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def calendar_feed_reset(*, user: AbstractBaseUser) -> CalendarFeed:
    """Replace the user's feed address: the old one stops working at once."""
    feed = calendar_feed_for(user=user)
    feed.token, feed.created_at = feed_token(), timezone.now()
    feed.save(update_fields=["token", "created_at"])
    audit_record(actor=user, verb="reporting.calendar_feed_reset", obj=feed)
    return feed


READ_RECORDED_EVERY = datetime.timedelta(hours=1)


def calendar_feed_mark_read(*, feed: CalendarFeed, now: datetime.datetime) -> None:
    """Note when the feed was last fetched (shown to its owner): one UPDATE, which changes no
    row, and takes no lock, when the feed was read within the hour. Not audited: a read."""
    stale = Q(last_read_at__isnull=True) | Q(last_read_at__lt=now - READ_RECORDED_EVERY)
    CalendarFeed.objects.filter(stale, pk=feed.pk).update(last_read_at=now)
