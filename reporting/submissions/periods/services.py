"""The reporting periods' services: OCT creates, opens, closes and reopens a round (reopening
needs a reason and is refused once the year's compiled reports are final or awaiting the USG)."""

from __future__ import annotations

import contextlib
import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from compact.core.audit import audit_record, snapshot
from compact.core.categories import EmailCategory
from compact.core.outbox import email_queue
from compact.core.workflow import Move
from compact.lib.emails import absolute_url
from compact.lib.text import validate_free_text
from compact.lib.workflow import StaleStateError, TransitionNotAllowedError
from reporting.compiled.models import AnnualReport, ConsolidatedReport
from reporting.submissions.models import ReportingPeriod
from reporting.submissions.permissions import (
    can_manage_periods,
)
from reporting.submissions.services import _require, leader_emails, submission_draft_create
from reporting.submissions.workflow import OCT, PERIOD_TRANSITIONS
from workinggroups.models import WorkingGroup


@transaction.atomic
def period_create(
    *,
    kind: str,
    covers_from: datetime.date,
    covers_until: datetime.date,
    opens_on: datetime.date,
    due_on: datetime.date,
    actor: AbstractBaseUser | None,
    closes_on: datetime.date | None = None,
    time_zone: str | None = None,
) -> ReportingPeriod:
    """Schedule a reporting round (OCT by hand, or the scheduler with ``actor=None``)."""
    if actor is not None:
        _require(can_manage_periods(actor), _("Only the OCT secretariat schedules reporting periods."))
    # The dates' order first, in words: full_clean() would name the database constraint.
    errors = {}
    if covers_until < covers_from:
        errors["covers_until"] = _("The period must end on or after the day it starts.")
    if due_on < opens_on:
        errors["due_on"] = _("Inputs cannot be due before the period opens.")
    if closes_on is not None and closes_on < due_on:
        errors["closes_on"] = _("The period cannot close before inputs are due.")
    if errors:
        raise ValidationError(errors)
    period = ReportingPeriod(
        kind=kind,
        covers_from=covers_from,
        covers_until=covers_until,
        opens_on=opens_on,
        due_on=due_on,
        closes_on=closes_on,
        time_zone=time_zone or settings.TIME_ZONE,
    )
    period.full_clean()
    period.save()
    audit_record(
        actor=actor,
        verb="reporting.period_created",
        obj=period,
        after=snapshot(period, ("kind", "covers_from", "covers_until", "opens_on", "due_on", "closes_on", "state")),
    )
    return period


def _period_move(period: ReportingPeriod, action: str, **values: object) -> None:
    """Take ``action`` of ``PERIOD_TRANSITIONS`` from the period's state as stored now."""
    period.refresh_from_db(fields=["state"])
    move = Move.start(table=PERIOD_TRANSITIONS, obj=period, action=action, by=OCT, state_field="state")
    move.swap(stale=_("This period was changed by someone else meanwhile; reload it."), **values)


@transaction.atomic
def period_open(*, period: ReportingPeriod, actor: AbstractBaseUser | None) -> int:
    """Open a period: a draft appears for every working group active at its end. Returns how
    many drafts were created (opening twice creates none)."""
    if actor is not None:
        _require(can_manage_periods(actor), _("Only the OCT secretariat opens reporting periods."))
    # Opened already (by the tick or a colleague: only the missing drafts are created), or not
    # openable: the state read next says which.
    with contextlib.suppress(TransitionNotAllowedError, StaleStateError):
        _period_move(period, "open")
    period.refresh_from_db()
    if period.state != ReportingPeriod.State.OPEN:
        raise ValidationError(_("Only a scheduled period can be opened."))
    created = sum(
        submission_draft_create(period=period, group=group)[1]
        for group in WorkingGroup.objects.active_on(period.covers_until).order_by("number")
    )
    audit_record(
        actor=actor, verb="reporting.period_opened", obj=period, after={"state": period.state, "drafts": created}
    )
    return created


@transaction.atomic
def period_close(*, period: ReportingPeriod, actor: AbstractBaseUser | None) -> None:
    if actor is not None:
        _require(can_manage_periods(actor), _("Only the OCT secretariat closes reporting periods."))
    try:
        _period_move(period, "close")
    except (TransitionNotAllowedError, StaleStateError):
        raise ValidationError(_("Only an open period can be closed.")) from None
    audit_record(actor=actor, verb="reporting.period_closed", obj=period, after={"state": period.state})


@transaction.atomic
def period_reopen(
    *, period: ReportingPeriod, actor: AbstractBaseUser, closes_on: datetime.date, reason: str
) -> ReportingPeriod:
    """OCT reopens a closed period until ``closes_on`` (with a reason): the groups whose input
    is not accepted may change and submit it again, and their leaders are told. The scheduler
    closes the period again after the new closing day."""
    _require(can_manage_periods(actor), _("Only the OCT secretariat reopens reporting periods."))
    reason = (reason or "").strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Say why the period is reopened: the groups are told.")
    else:
        try:
            validate_free_text(reason)
        except ValidationError as error:
            errors["reason"] = error.messages[0]
    today = timezone.localtime(timezone.now(), period.zone).date()
    if closes_on < max(today, period.due_on):
        errors["closes_on"] = _("Choose a closing day from %(day)s on.") % {
            "day": date_format(max(today, period.due_on), "j F Y")
        }
    if errors:
        raise ValidationError(errors)
    _reopen_allowed(period)
    before = snapshot(period, ("state", "closes_on"))
    try:
        _period_move(period, "reopen", closes_on=closes_on)
    except (TransitionNotAllowedError, StaleStateError):
        raise ValidationError(_("Only a closed period can be reopened.")) from None
    event = audit_record(
        actor=actor,
        verb="reporting.period_reopened",
        obj=period,
        before=before,
        after=snapshot(period, ("state", "closes_on")),
        note=reason,
    )
    _notify_reopened(period, reason, reopening=event.pk)
    return period


def _reopen_allowed(period: ReportingPeriod) -> None:
    """A round whose reports are final, or awaiting the USG's approval, stays closed: reopening
    it would change what was approved (return the annual report first)."""
    if ConsolidatedReport.objects.filter(period=period, state=ConsolidatedReport.State.FINAL).exists():
        raise ValidationError(_("This round's consolidated report is final: the round cannot be reopened."))
    years = {period.covers_from.year, period.covers_until.year}
    # Locked: a submission of the annual report at the same moment waits, then sees the round open.
    annuals = AnnualReport.objects.select_for_update().filter(year__in=years)
    annual = next((report for report in annuals if report.state != AnnualReport.State.IN_PREPARATION), None)
    if annual is not None:
        raise ValidationError(
            _(
                "The %(year)s annual report is “%(state)s”: reopening one of its rounds would change "
                "what the USG approves."
            )
            % {"year": annual.year, "state": annual.get_state_display()}
        )


def _notify_reopened(period: ReportingPeriod, reason: str, *, reopening: int) -> None:
    """The leaders of each group whose input is not accepted hear that they can work on it again."""
    unfinished = period.unfinished_submissions().select_related("working_group")
    for submission in unfinished:
        email_queue(
            occasion=f"reporting:{submission.pk}:period-reopened:{reopening}",
            recipients=leader_emails(submission),
            template="reporting-period-reopened",
            category=EmailCategory.REPORT_DECISIONS,
            context={
                "submission": submission,
                "period": period,
                "reason": reason,
                "url": absolute_url(reverse("reporting-submission", args=[submission.pk])),
            },
        )
