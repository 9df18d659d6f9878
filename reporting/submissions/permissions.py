"""Who may do what with reporting periods and submissions. Every rule lives here.

Chairs and vice-chairs (the ``lead_workinggroup`` object permission, kept in step with dated
roles) edit and submit their group's inputs; OCT reviews; Committee members read accepted
reports. A reader's clearance must reach a submission's classification, for everyone.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from compact.core.permissions import can_read_classification, is_oct, is_usg, users_holding
from compact.lib.workflow import Transition
from compact.registry.permissions import sits_on_committee
from reporting.calendar.models import ExtensionRequest
from reporting.calendar.workflow import EXTENSION_TRANSITIONS
from reporting.compiled.models import ReportEdition
from reporting.submissions.models import ReportingPeriod, Submission
from reporting.submissions.workflow import CHAIR, OCT, TRANSITIONS
from workinggroups.permissions import LEAD_PERMISSION, can_lead_group
from workinggroups.selectors import workinggroups_led_by

AnyUser = AbstractBaseUser | AnonymousUser


def can_manage_periods(user: AnyUser) -> bool:
    return is_oct(user)


def reads_for_committee(user: AnyUser) -> bool:
    """The USG, Committee members, and every chair and vice-chair (ex officio members)."""
    return user.is_authenticated and sits_on_committee(user, leads_a_group=bool(workinggroups_led_by(user)))


def can_read_submission(user: AnyUser, submission: Submission) -> bool:
    if not can_read_classification(user, submission.classification):
        return False
    if is_oct(user) or can_lead_group(user, submission.working_group):
        return True
    return submission.status == Submission.Status.ACCEPTED and reads_for_committee(user)


def leads_submission(user: AnyUser, submission: Submission) -> bool:
    """A leader of the submission's group, cleared for its classification."""
    return can_lead_group(user, submission.working_group) and can_read_classification(user, submission.classification)


def period_open_for_groups(submission: Submission) -> bool:
    """Groups change and submit their inputs only while the period is open: closing it freezes
    them (OCT may reopen the period with a new closing day)."""
    return submission.period.state == ReportingPeriod.State.OPEN


def can_edit_submission(user: AnyUser, submission: Submission) -> bool:
    return submission.is_editable and period_open_for_groups(submission) and leads_submission(user, submission)


def can_review_submission(user: AnyUser, submission: Submission) -> bool:
    return is_oct(user) and can_read_classification(user, submission.classification)


def can_manage_calendar(user: AnyUser) -> bool:
    """The reporting calendar, the scheduler's log and the extension queue are OCT's."""
    return is_oct(user)


def can_request_extension(user: AnyUser, submission: Submission) -> bool:
    return leads_submission(user, submission)


def can_decide_extension(user: AnyUser, submission: Submission) -> bool:
    return can_review_submission(user, submission)


def submission_proposer_ids(submission: Submission) -> set[int]:
    """Who put the input forward, for separation of duties: whoever submitted the version now
    under review, and the group's chair and vice-chairs (who write it, whoever clicks Submit)."""
    submitter = submission.versions.order_by("-number").values_list("submitted_by", flat=True).first()
    leaders = set(users_holding(LEAD_PERMISSION, submission.working_group))
    return leaders | ({submitter} if submitter is not None else set())


def available_moves(user: AnyUser, submission: Submission) -> list:
    """The workflow moves ``user`` may make on ``submission`` now (for buttons and the API)."""

    moves = []
    if period_open_for_groups(submission) and leads_submission(user, submission):
        moves = TRANSITIONS.available(submission.status, by=CHAIR)
    withheld = withheld_moves(user, submission)
    return moves + [t for t in reviewer_moves(user, submission) if t not in withheld]


def reviewer_moves(user: AnyUser, submission: Submission) -> list[Transition]:
    """OCT's moves from the submission's status, if ``user`` reviews it (four eyes aside)."""

    if not can_review_submission(user, submission):
        return []
    moves = TRANSITIONS.available(submission.status, by="oct")
    if period_open_for_groups(submission):
        return moves
    # Once the period is closed OCT may still accept; returning or reopening an input would hand
    # it back to a group that can no longer change it: the period is reopened first.
    return [t for t in moves if t.target != Submission.Status.RETURNED]


def withheld_moves(user: AnyUser, submission: Submission) -> list[Transition]:
    """The reviewer's moves ``user`` may not make because they submitted the version."""

    candidates = [t for t in reviewer_moves(user, submission) if t.four_eyes]
    if not candidates:
        return []
    proposers = submission_proposer_ids(submission)
    return [t for t in candidates if not TRANSITIONS.separated(t, actor=user, proposer=proposers)]


def extension_moves(user: AnyUser, extension: ExtensionRequest) -> list[Transition]:
    """The moves ``user`` may make on ``extension`` now, in table order (buttons, the API)."""

    parties = set()
    if can_decide_extension(user, extension.submission):
        parties.add(OCT)
    if can_request_extension(user, extension.submission):
        parties.add(CHAIR)
    return [
        t
        for t in EXTENSION_TRANSITIONS
        if t.by in parties
        and extension.status in t.sources
        and EXTENSION_TRANSITIONS.separated(t, actor=user, proposer=extension.requested_by_id)
    ]


def can_compile_reports(user: AnyUser) -> bool:
    """OCT compiles the consolidated and annual reports and generates their editions."""
    return is_oct(user)


def can_approve_annual_report(user: AnyUser) -> bool:
    """The Under-Secretary-General presents the annual report: the USG role approves it."""
    return is_usg(user)


def can_read_edition(user: AnyUser, edition: ReportEdition) -> bool:
    """OCT reads every edition; the USG reads the annual report's; the Committee reads final
    consolidated editions and the briefing packs of its meetings once generated. Everyone's
    clearance must reach the edition's marking."""
    if not can_read_classification(user, edition.classification):
        return False
    if is_oct(user):
        return True
    if edition.meeting_id is not None:
        return edition.status == ReportEdition.Status.DONE and reads_for_committee(user)
    if edition.annual_report_id is not None:
        return can_approve_annual_report(user)
    return edition.is_final and reads_for_committee(user)
