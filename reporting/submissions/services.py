"""Reporting: periods, drafts, the submission workflow, versions and attachments.

A submission moves only through ``TRANSITIONS`` (via ``submission_act``): the table is
checked with the actor's role, the status changes by compare-and-swap, a ``SubmissionStep``
and an audit row are written and the step's e-mails are queued, in one transaction. Drafts
are saved with optimistic locking on ``revision``: a save based on an older revision is
refused with what changed, never applied over someone else's text. (The report editor
merges first, in ``reporting.submissions.drafts``; the API saves here directly.)
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from compact.core.audit import audit_record
from compact.core.categories import EmailCategory
from compact.core.models import Classification
from compact.core.outbox import email_queue
from compact.core.permissions import can_read_classification
from compact.core.workflow import Move
from compact.lib.emails import absolute_url
from compact.lib.workflow import EditConflictError, StaleStateError
from reporting.lib.uploads import attachment_check
from reporting.monitoring.selectors import indicator_values_content, indicators_for_submission
from reporting.submissions.models import (
    ActivityProgress,
    Attachment,
    ReportingPeriod,
    Submission,
    SubmissionStep,
    SubmissionVersion,
)
from reporting.submissions.permissions import (
    can_edit_submission,
    can_review_submission,
    leads_submission,
    period_open_for_groups,
    submission_proposer_ids,
)
from reporting.submissions.selectors import submission_content
from reporting.submissions.workflow import CHAIR, REORGANISATION, TRANSITIONS
from workinggroups.models import RoleAssignment, WorkingGroup, WorkPlan, WorkPlanActivity


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# --- Drafts -------------------------------------------------------------------------------------


def work_plan_for(group: WorkingGroup, day: datetime.date) -> WorkPlan | None:
    """The group's work plan for the biennium that contains ``day``."""
    return group.work_plans.filter(biennium_start__in=(day.year, day.year - 1)).order_by("-biennium_start").first()


def _prefill_activities(submission: Submission) -> None:
    plan = work_plan_for(submission.working_group, submission.period.covers_until)
    if plan is None:
        return
    activities = WorkPlanActivity.objects.filter(output__work_plan=plan).order_by(
        "output__position", "output_id", "position", "id"
    )
    ActivityProgress.objects.bulk_create(
        ActivityProgress(
            submission=submission, activity=activity, position=number, title=activity.title, status=activity.status
        )
        for number, activity in enumerate(activities)
    )


@transaction.atomic
def submission_draft_create(*, period: ReportingPeriod, group: WorkingGroup) -> tuple[Submission, bool]:
    """The group's submission for ``period``, created as a draft if there is none yet (a
    progress report's activity list is pre-filled from the work plan). Returns (submission,
    created); the database allows one per group and period, so a race creates one."""
    existing = Submission.objects.filter(period=period, working_group=group).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            submission = Submission.objects.create(period=period, working_group=group)
    except IntegrityError:
        return Submission.objects.get(period=period, working_group=group), False
    if not period.is_briefing:
        _prefill_activities(submission)
    _carry_over_open_issues(submission)
    email_queue(
        occasion=f"reporting:{submission.pk}:opened",
        recipients=leader_emails(submission),
        template="reporting-opened",
        category=EmailCategory.DEADLINES,
        context={"submission": submission, "url": absolute_url(reverse("reporting-submission", args=[submission.pk]))},
    )
    audit_record(
        actor=None,
        verb="reporting.draft_created",
        obj=submission,
        after={"status": submission.status, "carried_over_from": submission.carried_over_from_id},
    )
    return submission, True


# The field that holds what is still open, by kind of input: it starts from last time's text.
OPEN_ISSUES_FIELD = {True: "issues_of_concern", False: "challenges"}


def _carry_over_open_issues(submission: Submission) -> None:
    """Start the draft's open issues from the group's previous input of the same kind (a
    briefing from the last briefing, a report from the last report), keeping its
    classification so that carried text is never shown below its marking."""
    period = submission.period
    earlier = Submission.objects.filter(
        working_group=submission.working_group, period__covers_until__lt=period.covers_from, submitted_at__isnull=False
    )
    briefings = Q(period__kind__in=ReportingPeriod.BRIEFINGS)
    earlier = earlier.filter(briefings if period.is_briefing else ~briefings)
    previous = earlier.order_by("-period__covers_until", "-pk").first()
    field = OPEN_ISSUES_FIELD[period.is_briefing]
    if previous is None or not getattr(previous, field).strip():
        return
    setattr(submission, field, getattr(previous, field))
    submission.classification = previous.classification
    submission.carried_over_from = previous
    submission.save(update_fields=[field, "classification", "carried_over_from"])


@dataclass(frozen=True)
class ActivityLine:
    id: int
    status: str
    narrative: str


@transaction.atomic
def submission_save_draft(
    *,
    submission: Submission,
    actor: AbstractBaseUser,
    base_revision: int,
    fields: dict[str, str],
    classification: str,
    activities: list[ActivityLine] = (),
    autosave: bool = False,
) -> Submission:
    """Save the editor's text. ``base_revision`` is the revision the editor loaded: if the
    draft has been saved since, EditConflictError carries the current draft and nothing is
    written. (The editor merges first: ``reporting.submissions.drafts.draft_save``.)
    ``autosave`` marks the audit row of a save the editor made by itself."""
    submission_editor_check(actor, submission)
    if classification not in Classification.values:
        raise ValidationError({"classification": _("Choose a classification.")})
    if not can_read_classification(actor, classification):
        raise ValidationError({"classification": _("You cannot mark a text above your own clearance.")})
    unknown = set(fields) - set(submission.content_fields)
    if unknown:
        raise ValidationError(_("Unknown fields: %(names)s") % {"names": ", ".join(sorted(unknown))})
    changes = {name: value.strip() for name, value in fields.items()}
    saved = Submission.objects.filter(pk=submission.pk, revision=base_revision, status__in=Submission.EDITABLE).update(
        **changes,
        classification=classification,
        revision=F("revision") + 1,
        last_edited_at=timezone.now(),
        last_edited_by=actor,
    )
    if not saved:
        current = Submission.objects.get(pk=submission.pk)
        if current.status not in Submission.EDITABLE:
            raise StaleStateError(
                _("This submission is no longer a draft (it is “%(status)s”).")
                % {"status": current.get_status_display()}
            )
        raise EditConflictError(current, _("This draft was changed by someone else while you were editing it."))
    _save_activity_lines(submission, activities)
    submission.refresh_from_db()
    after: dict[str, Any] = {"revision": submission.revision}
    if autosave:
        after["autosave"] = True
    audit_record(actor=actor, verb="reporting.draft_saved", obj=submission, after=after)
    return submission


def _save_activity_lines(submission: Submission, activities: list[ActivityLine]) -> None:
    lines = {line.pk: line for line in submission.activity_progress.all()}
    statuses = set(WorkPlanActivity.Status.values)
    for item in activities:
        line = lines.get(item.id)
        if line is None:
            raise ValidationError(_("An activity line does not belong to this report."))
        if item.status and item.status not in statuses:
            raise ValidationError(_("Choose a status for “%(activity)s”.") % {"activity": line.title})
        if (line.status, line.narrative) != (item.status, item.narrative.strip()):
            line.status, line.narrative = item.status, item.narrative.strip()
            line.save(update_fields=["status", "narrative"])


# --- The workflow ---------------------------------------------------------------------------------


def _party(actor: AbstractBaseUser, submission: Submission, action: str) -> str:
    """Which side of the table ``actor`` acts for, or PermissionDenied; a move the closed
    period no longer allows is a ValidationError saying so."""
    transition = TRANSITIONS.get(action)
    if transition.by == REORGANISATION:
        raise PermissionDenied(_("Only a reorganisation's adoption closes an input with its group."))
    if transition.by == CHAIR:
        _require(leads_submission(actor, submission), _("Only the group's chair and vice-chairs submit its reports."))
        submission_period_open_check(submission)
    else:
        _require(can_review_submission(actor, submission), _("Only the OCT secretariat reviews reports."))
        if transition.target == Submission.Status.RETURNED and not _period_open_now(submission):
            raise ValidationError(
                _(
                    "The reporting period is closed: a returned input could not be revised. "
                    "Reopen the period first (with a new closing day)."
                )
            )
    return transition.by


def submission_period_open_check(submission: Submission) -> None:
    """Refuse, saying why, to change or submit an input once its period is closed."""
    if not _period_open_now(submission):
        raise ValidationError(
            _(
                "The reporting period is closed, so this input can no longer be changed or submitted. "
                "Ask the OCT secretariat to reopen the period if the group needs more time."
            ),
            code="period_closed",
        )


def _period_open_now(submission: Submission) -> bool:
    """Whether the period is open as stored now (the caller's copy may predate its closing).
    Inside a transaction the period's row is held until it ends, so a close running at the same
    moment waits for this change, or this change sees the close."""
    periods = ReportingPeriod.objects.filter(pk=submission.period_id)
    if transaction.get_connection().in_atomic_block:
        periods = periods.select_for_update()
    submission.period.state = periods.values_list("state", flat=True).get()
    return period_open_for_groups(submission)


def submission_editor_check(actor: AbstractBaseUser, submission: Submission) -> None:
    """PermissionDenied for anyone who may not edit ``submission``; for one of its group's
    leaders once the period is closed, a ValidationError that says why."""
    if leads_submission(actor, submission):
        submission_period_open_check(submission)
    _require(can_edit_submission(actor, submission), _("You cannot edit this submission."))


def _freeze(
    submission: Submission, actor: AbstractBaseUser, now: datetime.datetime, on_time: bool
) -> SubmissionVersion:
    number = submission.versions.count() + 1
    return SubmissionVersion.objects.create(
        submission=submission,
        number=number,
        content=_frozen_content(submission),
        classification=submission.classification,
        submitted_at=now,
        submitted_by=actor,
        on_time=on_time,
    )


def _frozen_content(submission: Submission) -> dict[str, Any]:
    """The content a version keeps: the text and, for a progress report that carries
    indicators of the M&E framework, the group's values as they were submitted."""
    content = submission_content(submission)
    values = indicator_values_content(submission)
    if values or indicators_for_submission(submission):
        content["indicators"] = values
    return content


def is_on_time(submission: Submission, when: datetime.datetime) -> bool:
    """Submitted by the end of the group's due day (an approved extension counts), in the
    period's time zone."""
    return timezone.localtime(when, submission.period.zone).date() <= submission.due_on


@transaction.atomic
def submission_act(*, submission: Submission, action: str, actor: AbstractBaseUser, comment: str = "") -> Submission:
    """Take one move of the table: a chair submits or resubmits; OCT returns (comment
    required), accepts, or reopens an accepted report (reason required).

    Raises PermissionDenied for the wrong person, TransitionNotAllowedError for a move the
    table does not allow from the current status, StaleStateError if someone moved it first.
    """
    by = _party(actor, submission, action)
    # Whoever submitted the version under review, and any leader of the group (an OCT officer who
    # also represents a chair), does not accept or return it.
    move = Move.start(
        table=TRANSITIONS,
        obj=submission,
        action=action,
        by=by,
        actor=actor,
        proposer=submission_proposer_ids(submission),
    )
    transition = move.transition
    comment = comment.strip()
    if transition.message == "required" and not comment:
        raise ValidationError({"comment": _("Write a comment for this step.")})
    now = timezone.now()
    # The first submission is the one that counts for "who submitted, when, on time".
    changes: dict[str, Any] = {}
    if action == "submit":
        changes = {"submitted_at": now, "submitted_by": actor, "on_time": is_on_time(submission, now)}
    move.swap(
        stale=_("This submission was changed by someone else meanwhile; reload it."), status_changed_at=now, **changes
    )
    version = None
    if action in ("submit", "resubmit"):
        version = _freeze(submission, actor, now, is_on_time(submission, now))
    step, _event = move.record(
        actor=actor,
        verb=f"reporting.{action}",
        step=SubmissionStep,
        step_fields={"submission": submission, "comment": comment},
        after={"version": version.number} if version else {},
        note=comment,
    )
    _notify(submission, step)
    return submission


def leader_emails(submission: Submission) -> list[str]:
    """The addresses of the group's chair and vice-chairs in office today who may read the
    submission."""
    today = timezone.localdate()
    assignments = (
        RoleAssignment.objects.in_force_on(today)
        .leading()
        .filter(working_group=submission.working_group, person__isnull=False)
        .select_related("person")
    )
    # A leader whose clearance does not reach the report cannot read it, nor OCT's comment on it.
    return [
        a.person.email
        for a in assignments
        if a.person.email and can_read_classification(a.person, submission.classification)
    ]


def _notify(submission: Submission, step: SubmissionStep) -> None:
    """Submit → OCT; return, accept, reopen → the group's chair and vice-chairs."""
    recipients = (
        [settings.OCT_SECRETARIAT_EMAIL] if step.action in ("submit", "resubmit") else leader_emails(submission)
    )
    email_queue(
        occasion=f"reporting:{submission.pk}:step:{step.pk}",
        recipients=recipients,
        template=f"reporting-{step.action}",
        category=EmailCategory.REPORTS_TO_REVIEW
        if step.action in ("submit", "resubmit")
        else EmailCategory.REPORT_DECISIONS,
        context={
            "submission": submission,
            "step": step,
            "url": absolute_url(reverse("reporting-submission", args=[submission.pk])),
        },
    )


# --- Attachments ----------------------------------------------------------------------------------

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024


@transaction.atomic
def attachment_add(*, submission: Submission, upload: UploadedFile, actor: AbstractBaseUser) -> Attachment:
    """Attach a PDF, DOCX or XLSX file (checked by content, at most 10 MB) to a draft."""
    submission_editor_check(actor, submission)
    kind = attachment_check(upload, max_bytes=ATTACHMENT_MAX_BYTES)
    attachment = Attachment(
        submission=submission, name=(upload.name or "file")[-255:], kind=kind, size=upload.size, uploaded_by=actor
    )
    attachment.file.save(f"file.{kind}", upload, save=False)
    try:
        attachment.save()
        audit_record(actor=actor, verb="reporting.attachment_added", obj=submission, after={"name": attachment.name})
    except BaseException:
        attachment.file.storage.delete(attachment.file.name)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, actor: AbstractBaseUser) -> None:
    submission_editor_check(actor, attachment.submission)
    storage, name = attachment.file.storage, attachment.file.name
    audit_record(
        actor=actor, verb="reporting.attachment_removed", obj=attachment.submission, before={"name": attachment.name}
    )
    attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def submission_carry(*, submission: Submission, group: WorkingGroup, note: str, actor: AbstractBaseUser) -> Submission:
    """Hand an open input of a group that ends to the group taking its work over (a
    reorganisation), with what it holds: its chairs continue it. Refused when the new group
    already has an input for the period, or the input was accepted (it is history)."""
    submission = Submission.objects.select_for_update(of=("self",)).select_related("period").get(pk=submission.pk)
    if submission.status == Submission.Status.ACCEPTED:
        raise ValidationError(_("An accepted input stays with the group that sent it."))
    if Submission.objects.filter(period=submission.period, working_group=group).exists():
        raise ValidationError(_("The group already has an input for this period."))
    before = {"working_group": submission.working_group_id}
    submission.working_group = group
    submission.save(update_fields=["working_group"])
    audit_record(
        actor=actor,
        verb="reporting.carried",
        obj=submission,
        before=before,
        after={"working_group": group.pk},
        note=note,
    )
    return submission


@transaction.atomic
def submission_close(*, submission: Submission, note: str, actor: AbstractBaseUser) -> Submission:
    """Close an open input of a group that a reorganisation ends (the adoption's move, by its
    recording officer): it is kept as it stood, no longer edited, reviewed or chased. Nobody is
    e-mailed: the group's leaders lost their roles with it."""
    move = Move.start(table=TRANSITIONS, obj=submission, action="close", by=REORGANISATION, actor=actor)
    move.swap(
        stale=_("This submission was changed by someone else meanwhile; reload it."), status_changed_at=timezone.now()
    )
    move.record(
        actor=actor,
        verb="reporting.close",
        step=SubmissionStep,
        step_fields={"submission": submission, "comment": note},
        note=note,
    )
    return submission
